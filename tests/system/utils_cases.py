"""The utilities of userland/, booted in QEMU by tools/test.py.

With `services=etc/services.utils` init starts initfs (initfs:), tmpfs
(file:), log (log:) and utiltest (tests/system/user/utiltest), which runs
each utility as a child whose standard input, output and error it serves
itself, checks their output and exit status, prints `utiltest: N passed,
M failed, K skipped` through its standard output (logged by init as
`[utiltest] ...`) and leaves QEMU through the debug-exit port its line
grants.  The tests that change files run under / (utiltest -w /); without
a writable directory they would be skipped, which counts as no pass.
"""

PANIC = "kernel panic"
SUCCESS = 33

CASES = [
    dict(name="utilities (utiltest)",
         cmdline="services=etc/services.utils panic=exit",
         modules=["initfs.tar"],
         expect=["[utiltest] utiltest: starting",
                 "[utiltest] pass: seq 1 1000 | grep 7 | wc -l",
                 "utiltest: ", " passed, 0 failed"],
         reject=[PANIC, "[utiltest] FAIL"], exit_code=SUCCESS, timeout=300,
         count=r"utiltest: (\d+) passed, (\d+) failed"),
]
