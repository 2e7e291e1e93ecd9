"""init as the service manager, booted in QEMU by tools/test.py.

With `services=etc/services.test` init starts the services listed in
initfs/etc/services.test: svc-echo serving `echo:`, a copy of it that
registers and crashes at once (`crashy`), svc-rogue, which reaches for
I/O ports, interrupt lines and schemes it was not granted, a service that
exits at once (`quitter`), and svc-client, which checks ns: policy,
restarts, the crash loop's back-off while echo keeps answering, the end
and restart of svc-rogue when it touches a port it was not granted, and
NS_SVC_KILL.  svc-client prints `svc-client: N passed, M failed` through
its standard output (logged by init as `[client] ...`) and leaves QEMU
itself through the debug-exit port its line grants.
"""

PANIC = "kernel panic"
SUCCESS = 33

CASES = [
    # An ordinary boot: the default list (initfs/etc/services) starts
    # initfs, tmpfs, misc, the serial driver, the terminal server, the log
    # server, pipe, power, and the shell on the serial console, whose
    # prompt shows.
    dict(name="default services start", cmdline="", modules=["initfs.tar"],
         expect=["init: 9 services", "init: initfs registered initfs:",
                 "/ $ ",
                 "init: power registered power:",
                 "init: tmpfs registered file:",
                 "[tmpfs] tmpfs: serving file:",
                 "init: pipe registered pipe:",
                 "init: misc registered null:",
                 "init: misc registered zero:",
                 "init: misc registered rand:",
                 "misc: rand: seeded from ",
                 "init: serial registered serial:",
                 "init: tty registered tty:", "tty: tty:0 is serial:0",
                 "init: log registered log:"],
         reject=[PANIC, "line skipped", "cannot", "exited", "killed",
                 ": skipped ("],
         timeout=30),
    dict(name="init services, ns: policy and restarts",
         cmdline="services=etc/services.test panic=exit",
         modules=["initfs.tar"],
         expect=["init: 5 services", "init: echo registered echo:",
                 # a crash loop is restarted at once, then with back-off
                 "init: crashy killed by signal 11",
                 "init: restarting crashy in 0 ms",
                 "init: restarting crashy in 100 ms",
                 "init: restarting crashy in 200 ms",
                 "init: echo exited with status 3",
                 # svc-rogue's own checks, then its `in` and `out`
                 "[rogue] svc-rogue: 18 passed, 0 failed",
                 "init: rogue killed by signal 11",
                 "init: restarting rogue in",
                 # NS_SVC_KILL
                 "init: client asked to stop echo",
                 "init: echo killed by signal 9",
                 "[client] pass: ",
                 "svc-client: ", " passed, 0 failed"],
         reject=[PANIC, "[client] FAIL", "[rogue] FAIL"], exit_code=SUCCESS,
         timeout=90, count=r"svc-client: (\d+) passed, (\d+) failed"),
]
