"""The user-space kernel suite (tests/system/user/ktest), booted in QEMU by
tools/test.py.

init, started with `test=user`, runs bin/ktest from the boot archive
(initfs.tar) and leaves QEMU with status 33 when ktest exits 0 (every test
passed) and 35 otherwise.  ktest prints one line per test and ends with
`ktest: N passed, M failed`.
"""

PANIC = "kernel panic"
SUCCESS = 33

# The suite takes about 20 s under QEMU's software CPU, boot included
# (12 s of it the 10,000 process create/exit cycles); the margin covers
# a loaded machine and two QEMUs at a time.
TIMEOUT = 120

# Each of ktest's tests counts in the total of make test.
COUNT = r"ktest: (\d+) passed, (\d+) failed"

CASES = [
    dict(name="user-space kernel suite", cmdline="test=user panic=exit",
         modules=["initfs.tar"], expect=["ktest: ", " passed, 0 failed"],
         reject=[PANIC], exit_code=SUCCESS, timeout=TIMEOUT, count=COUNT),
    dict(name="user-space kernel suite uefi", cmdline="test=user panic=exit",
         modules=["initfs.tar"], uefi=True,
         expect=["ktest: ", " passed, 0 failed"], reject=[PANIC],
         exit_code=SUCCESS, timeout=TIMEOUT, count=COUNT),
]
