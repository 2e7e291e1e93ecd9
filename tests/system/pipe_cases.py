"""The pipe server and libc's pipe, dup and fcntl, booted in QEMU by
tools/test.py.

With `services=etc/services.pipe` init starts initfs (also as file:),
pipe and pipetest (tests/system/user/pipetest), a newlib program that
tests pipes through libc and the raw protocol: data, the end of the data,
EPIPE, parked readers and writers answered by other threads and by child
processes, a pipeline of bin/hello, small writes kept whole, O_NONBLOCK,
callers killed while parked, the caps, 1,000 pipes leaving nothing
behind, the server killed and restarted, ends shared across fork and
closed by execve, dup and fcntl.  It prints `pipetest: N passed, M failed` through
its standard output (logged by init as `[pipetest] ...`) and leaves QEMU
through the debug-exit port its line grants.
"""

PANIC = "kernel panic"
SUCCESS = 33

CASES = [
    dict(name="pipe: pipes, dup and fcntl (pipetest)",
         cmdline="services=etc/services.pipe panic=exit",
         modules=["initfs.tar"],
         expect=["init: pipe registered pipe:",
                 "[pipetest] pipetest: starting",
                 # the caps say so in the log
                 "the most one process may have: EMFILE",
                 "pipe: all 128 pipes are in use: ENFILE",
                 # stopped with NS_SVC_KILL, restarted by init
                 "init: pipetest asked to stop pipe",
                 "init: pipe killed by signal 9",
                 "pipetest: ", " passed, 0 failed"],
         reject=[PANIC, "[pipetest] FAIL", "pipe: receive failed"],
         exit_code=SUCCESS, timeout=120,
         count=r"pipetest: (\d+) passed, (\d+) failed"),
]
