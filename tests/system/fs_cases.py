"""The initfs server's system test (tests/system/user/fstest), booted in
QEMU by tools/test.py.

init, started with `run=fstest`, runs bin/fstest from the boot archive,
which spawns bin/initfs, stands in for its name service and tests the
file protocol through the root connection the server registers.  init
leaves QEMU with status 33 when fstest exits 0 (every test passed) and 35
otherwise.  fstest prints one line per test and ends with
`fstest: N passed, M failed`.
"""

PANIC = "kernel panic"
SUCCESS = 33

# A few seconds under QEMU's software CPU; the margin covers a loaded
# machine and two QEMUs at a time.
TIMEOUT = 90

# Each of fstest's tests counts in the total of make test.
COUNT = r"fstest: (\d+) passed, (\d+) failed"

CASES = [
    dict(name="initfs server (fstest)", cmdline="run=fstest panic=exit",
         modules=["initfs.tar"], expect=["fstest: ", " passed, 0 failed"],
         reject=[PANIC], exit_code=SUCCESS, timeout=TIMEOUT, count=COUNT),
]
