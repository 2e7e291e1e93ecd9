"""The terminal server (servers/tty) and libc's termios, booted in QEMU by
tools/test.py.

With `services=etc/services.tty` init starts the serial driver, tty,
`ttystdio` (tests/system/user/ttytest run with stdio=tty:0, which checks
the standard handles init opened for it and writes through them) and
ttytest, which opens tty:0 and tests it: canonical lines and their
editing, echo, the input flags, raw mode with VMIN and VTIME, job control
with forked jobs (^C, ^\\, ^Z, SIGTTIN, SIGTTOU, tcsetpgrp), ^S/^Q, the
hang-up of a session, window sizes, termios round trips and bad
requests.  Where it wants typing it prints `ttytest: waiting for NAME`
and the harness types NAME's text into COM1; the echo then shows on the
serial line, which this case checks.  ttytest ends with
`ttytest: N passed, M failed` and leaves QEMU itself (33 = all passed).
"""

PANIC = "kernel panic"
SUCCESS = 33


def pattern(n):
    return "".join(chr(ord("A") + i % 26) for i in range(n))


def rub(n):
    """What ECHOE echoes to take n characters off the screen."""
    return "\b \b" * n


# What ttytest asks for, in order, and what the harness types (Enter is
# \r, as a terminal sends it).
INPUT = [
    ("line", "hello world\r"),
    ("two-lines", "abc\rdefgh\r"),
    ("erase", "helxo\x7f\x7flo\rab\x08c\r\x7f\x7fz\r"),
    ("erase-utf8", "e\xc3\xa9\x7f!\r"),
    ("erase-bytes", "e\xc3\xa9\x7f!\r"),
    ("kill", "garbage\x15kept\r"),
    ("kill-echok", "bad\x15ok\r"),
    ("werase", "one two three\x17four\rone two  \x17x\r\x17\x17solo\r"),
    ("reprint", "abc\x12d\r"),
    ("lnext", "a\x16\x15b\r"),
    ("eof", "\x04xy\x04"),
    ("veol", "a;b\r"),
    ("no-icrnl", "ab\r\n"),
    ("igncr", "c\rd\n"),
    ("inlcr", "e\n"),
    ("no-echo", "s3cr3t\r"),
    ("echonl", "qu1et\r"),
    ("echoctl", "x\x01y\r"),
    ("no-echoctl", "p\x01q\r"),
    ("nonblock", "nb\r"),
    ("flush", "junk\r"),
    ("after-flush", "good\r"),
    ("tcsaflush", "junk2\r"),
    ("raw-key", "q"),
    ("raw-specials", "\r\x03\x04\x7f"),
    ("raw-timed", "k"),
    ("raw-two", "mn"),
    ("raw-four", "wxyz"),
    ("raw-three", "pqr"),
    ("raw-then-canon", "xy"),
    ("canon-then-raw", "pq"),
    ("flood", pattern(5000)),
    ("ctrl-c", "\x03"),
    ("ctrl-backslash", "\x1c"),
    ("ctrl-z", "\x1a"),
    ("after-stop", "after-stop\r"),
    ("fg-read", "fg-read\r"),
    ("intr-flush", "lost\x03ok\r"),
    ("intr-noflsh", "kept\x03\r"),
    ("ctrl-s", "\x13s"),
    ("ctrl-q", "\x11"),
    ("after-serial-restart", "back\r"),
    ("after-tty-restart", "again\r"),
]

CASES = [
    dict(name="terminals: tty: and termios (ttytest)",
         cmdline="services=etc/services.tty panic=exit",
         modules=["initfs.tar"],
         serial_input=[("ttytest: waiting for " + name, data)
                       for name, data in INPUT],
         expect=["init: tty registered tty:",
                 # stdio=tty:0: written through the terminal (ONLCR)
                 "ttystdio: hello through tty:0\r\n", "ttystdio: ok\r\n",
                 "[ttytest] ttytest: starting",
                 # the leader of the first session ended
                 "has ended: SIGHUP to group",
                 # echo: lines, erase, kill, word erase, reprint, lnext
                 "hello world\r\n",
                 "helxo" + rub(2) + "lo\r\n",
                 "garbage" + rub(7) + "kept\r\n",
                 "bad^U\r\nok\r\n",
                 "one two three" + rub(5) + "four\r\n",
                 "abc^R\r\nabcd\r\n",
                 "a^\b^Ub\r\n",
                 "ab^M\r\n",
                 "x^Ay\r\n", "p\x01q\r\n",
                 # output processing
                 "ttytest-out: onlcr\r\n", "ttytest-out: raw\n\n",
                 # the flood, and the signal characters echoed
                 "tty: 0: input buffer was full: ",
                 "^C", "^\\", "^Z", "lost^Cok\r\n",
                 "ttytest-bg: written from the background\r\n",
                 # serial, then tty stopped and restarted
                 "init: ttytest asked to stop serial",
                 "tty: 0: serial:0 failed (error -32) and was opened again",
                 "ttytest-out: after the driver's restart\r\n",
                 "init: ttytest asked to stop tty",
                 "init: restarting tty in 0 ms",
                 "ttytest: ", " passed, 0 failed"],
         reject=[PANIC, "[ttytest] FAIL", "ttystdio: FAIL", "s3cr3t",
                 "qu1et", "tty: receive failed"],
         exit_code=SUCCESS, timeout=180,
         count=r"ttytest: (\d+) passed, (\d+) failed"),
]
