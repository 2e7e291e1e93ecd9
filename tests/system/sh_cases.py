"""The shell, booted in QEMU by tools/test.py.

With `services=etc/services.shell` init starts initfs, tmpfs (file:), misc
(null:) and pipe, and shtest (tests/system/user/shtest), which runs
bin/sh on each of its cases (a script, the input it reads) with standard
output and error captured in files on tmpfs, and compares both and the
exit status exactly: quoting, variables, $?, pipelines, redirections,
lists, if/while/for/case, functions, built-ins, errors, a NULL
dereference reported as a segmentation fault, scripts.  Cases that need
the core utilities (seq, grep, wc) are skipped when they are not in
/bin.  It prints `shtest: N passed, M failed, K skipped` through its
standard output (logged by init as `[shtest] ...`) and leaves QEMU
through the debug-exit port its line grants.
"""

PANIC = "kernel panic"
SUCCESS = 33

CASES = [
    dict(name="sh: the shell's language and built-ins (shtest)",
         cmdline="services=etc/services.shell panic=exit",
         modules=["initfs.tar"],
         expect=["[shtest] shtest: starting",
                 "[shtest] pass: signal: a NULL dereference is reported",
                 "shtest: ", " passed, 0 failed"],
         reject=[PANIC, "[shtest] FAIL"], exit_code=SUCCESS, timeout=300,
         count=r"shtest: (\d+) passed, (\d+) failed"),
]
