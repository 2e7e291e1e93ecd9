"""init as the service manager, booted in QEMU by tools/test.py.

With `services=etc/services.test` init starts the services listed in
initfs/etc/services.test: svc-echo serving `echo:`, a copy of it that
crashes at once (`crashy`), and svc-client, which checks ns: policy and a
restart from a service's side, prints `svc-client: N passed, M failed`
through its standard output (logged by init as `[client] ...`) and leaves
QEMU itself through the debug-exit port its line grants.
"""

PANIC = "kernel panic"
SUCCESS = 33

CASES = [
    # An ordinary boot: the default list (initfs/etc/services) starts
    # initfs, the serial driver and the log server.
    dict(name="default services start", cmdline="", modules=["initfs.tar"],
         expect=["init: 3 services", "init: initfs registered initfs:",
                 "init: serial registered serial:",
                 "init: log registered log:"],
         reject=[PANIC, "line skipped", "cannot", "exited", "killed"],
         timeout=30),
    dict(name="init services, ns: policy and restarts",
         cmdline="services=etc/services.test panic=exit",
         modules=["initfs.tar"],
         expect=["init: 3 services", "init: echo registered echo:",
                 # a crash loop is restarted at once, then with back-off
                 "init: crashy killed by signal 11",
                 "init: restarting crashy in 0 ms",
                 "init: restarting crashy in 100 ms",
                 "init: echo exited with status 3",
                 "[client] pass: ",
                 "svc-client: ", " passed, 0 failed"],
         reject=[PANIC, "[client] FAIL"], exit_code=SUCCESS, timeout=60,
         count=r"svc-client: (\d+) passed, (\d+) failed"),
]
