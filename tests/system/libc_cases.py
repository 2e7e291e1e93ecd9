"""The C library inside Valence, booted in QEMU by tools/test.py.

With `services=etc/services.libc` init starts initfs (also as file:),
misc (null:, zero:, rand:) and libctest, a newlib program that tests
stdio, string, stdlib, libm, malloc, errno and program exit statuses
(running itself and bin/hello as children), prints
`libctest: N passed, M failed` through its standard output (logged by init
as `[libctest] ...`) and leaves QEMU through the debug-exit port its line
grants.
"""

PANIC = "kernel panic"
SUCCESS = 33

CASES = [
    dict(name="libc suite (libctest)",
         cmdline="services=etc/services.libc panic=exit",
         modules=["initfs.tar"],
         expect=["[libctest] libctest: starting",
                 # hello, a child, read file:/etc/motd through stdio
                 "[libctest] Welcome to Valence.",
                 "libctest: ", " passed, 0 failed"],
         reject=[PANIC, "[libctest] FAIL"], exit_code=SUCCESS, timeout=90,
         count=r"libctest: (\d+) passed, (\d+) failed"),
]
