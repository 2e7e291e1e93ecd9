"""serial: (drivers/serial) and log: (servers/log), booted in QEMU by
tools/test.py.

With `services=etc/services.serial` init starts the serial driver, the
log server and tests/system/user/serialtest,
which tests both through their schemes, types nothing itself but prints
"serialtest: waiting for input N" when it wants input on COM1: the
harness then sends the case's serial_input for N.  It ends with
`serialtest: N passed, M failed` and leaves QEMU itself (33 = all passed).

Checked here, on the serial line: what serialtest wrote to serial:0 and to
log: comes out, and init restarted the driver after serialtest stopped it
(NS_SVC_KILL).
"""

PANIC = "kernel panic"
SUCCESS = 33


def pattern(n):
    """The bytes serialtest expects for inputs 4 and 5 (PATTERN in
    serialtest.h)."""
    return "".join(chr(ord("A") + i % 26) for i in range(n))


def prompt(n):
    return "serialtest: waiting for input %d" % n


CASES = [
    dict(name="serial driver and log server (serialtest)",
         cmdline="services=etc/services.serial panic=exit",
         modules=["initfs.tar"],
         serial_input=[
             (prompt(1), "ping\n"),
             (prompt(2), "xy"),
             (prompt(3), "z"),
             (prompt(4), pattern(4000)),
             (prompt(5), pattern(5000)),
             (prompt(6), "again\n"),
         ],
         expect=["init: serial registered serial:",
                 "init: log registered log:",
                 # written to serial:0, never to the log
                 "\nserialtest-direct: hello over serial:0\r",
                 "serialtest-long: 789012345678901234567890",
                 # written to log:, which makes kernel log lines
                 "] pid ", ": serialtest-log-marker: written through log:",
                 "serial: 0: input buffer was full: ",
                 "init: serialtest asked to stop serial",
                 "init: serial killed by signal 9",
                 "init: restarting serial in 0 ms",
                 "\nserialtest-direct: written after the restart\r",
                 "serialtest: ", " passed, 0 failed"],
         reject=[PANIC, "FAILED", "line skipped"], exit_code=SUCCESS,
         timeout=120, count=r"serialtest: (\d+) passed, (\d+) failed"),
]
