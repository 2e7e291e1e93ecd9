"""The shell at the serial console, booted in QEMU by tools/test.py.

The default service list starts bin/sh on tty:0 (the `console` line of
initfs/etc/services), as a login shell with job control, which shows
/etc/motd first.  The harness types
a session into COM1 (serial_input: each line once the text before it has
shown up) and the case checks what came back: the prompt with the working
directory, Tab completion, line editing (^A, ^E, the arrow keys, Home,
End, Delete, Backspace, ^U), history (Up), a pipeline of the utilities, a redirection
into a file on tmpfs, `sleep 100` interrupted by ^C with the shell still
there, ^Z then jobs, bg and fg, a NULL dereference reported as a
segmentation fault, and `exit`, after which init starts a new shell.

An expected output is written with the line break before it ("\\nabc\\r\\n"),
so that it cannot match the line as typed, which the shell echoes; and
the next line is typed once a prompt shows up at the start of a line.
"""

PANIC = "kernel panic"
# A new prompt in /.  The line editor redraws a line being edited as
# "\r/ $ ...", so a prompt with a line break before it is a new one.
P = "\n/ $ "

CASES = [
    dict(name="sh: a session at the serial console",
         cmdline="panic=exit",
         modules=["initfs.tar"],
         serial_input=[
             # Tab completes /et to /etc/
             (P, "cd /et\t; pwd\r"),
             ("\n/etc $ ", "cd /\r"),
             # ^A, ^E and the arrows: echo 'abc'
             (P, "cho 'ac'\x01e\x05\x1b[D\x1b[Db\r"),
             # Home (ESC [H), Right, End (ESC [F), Backspace: echo 'y'
             (P, "ech 'x'\x1b[H\x1b[C\x1b[C\x1b[Co\x1b[F\x7f\x7fy'\r"),
             # Delete (ESC [3~) and ^U
             (P, "junk\x15echo 'dXel'\x1b[D\x1b[D\x1b[D\x1b[D\x1b[3~\r"),
             # history: the line again with Up
             (P, "n=$((n+1)); echo hist-$n\r"),
             (P, "\x1b[A\r"),
             (P, "seq 1 1000 | grep 7 | wc -l\r"),
             (P, "echo saved > /sh-session; cat < /sh-session\r"),
             # ^C ends the foreground job, not the shell
             (P, "sleep 100\r"),
             ("sleep 100\r\n", "\x03"),
             (P, "echo st1=$?\r"),
             # ^Z, jobs, bg, jobs, fg, ^C
             (P, "sleep 50\r"),
             ("sleep 50\r\n", "\x1a"),
             (P, "jobs\r"),
             (P, "bg\r"),
             (P, "jobs\r"),
             (P, "fg\r"),
             ("sleep 50\r\n", "\x03"),
             (P, "echo st2=$?\r"),
             (P, "probe segv; echo st3=$?\r"),
             (P, "exit\r"),
             ("init: restarting console", ""),
             (P, "echo back-$((40 + 2))\r"),
         ],
         expect=["Welcome to Valence.", "\n/etc\r\n", "/etc $ ",
                 "\nabc\r\n", "\ny\r\n", "\ndel\r\n",
                 "\nhist-1\r\n", "\nhist-2\r\n",
                 "\n271\r\n", "\nsaved\r\n",
                 "^C", "\nst1=130\r\n",
                 "^Z", "[1]+  Stopped                sleep 50\r\n",
                 "[1]+ sleep 50 &\r\n",
                 "[1]+  Running                sleep 50 &\r\n",
                 "\nst2=130\r\n",
                 "Segmentation fault\r\nst3=139\r\n",
                 "init: console exited with status 0",
                 "\nback-42\r\n"],
         reject=[PANIC, "command not found", "syntax error"],
         timeout=180),
]
