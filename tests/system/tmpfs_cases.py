"""The tmpfs server inside Valence, booted in QEMU by tools/test.py.

With `services=etc/services.tmpfs` init starts initfs, tmpfs (serving
file:, filled from the boot archive, capped at 16 MiB and 64 open files)
and tmpfstest, a newlib program that tests every file operation through
the POSIX calls and the raw protocol, with the errno of each failure,
limits, clients that die, random messages, and that the file system ends
as it started.  tmpfstest prints `tmpfstest: N passed, M failed` through
its standard output (logged by init as `[tmpfstest] ...`) and leaves QEMU
through the debug-exit port its line grants.
"""

PANIC = "kernel panic"
SUCCESS = 33

CASES = [
    dict(name="tmpfs server (tmpfstest)",
         cmdline="services=etc/services.tmpfs panic=exit",
         modules=["initfs.tar"],
         expect=["init: tmpfs registered file:",
                 "[tmpfstest] tmpfstest: starting",
                 "tmpfstest: ", " passed, 0 failed"],
         reject=[PANIC, "[tmpfstest] FAIL", "[tmpfs] tmpfs: receive failed",
                 ": skipped (", "init: tmpfs exited", "init: tmpfs killed"],
         exit_code=SUCCESS, timeout=180,
         count=r"tmpfstest: (\d+) passed, (\d+) failed"),
]
