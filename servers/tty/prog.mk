USER_PROGS += tty
tty_SRCS := servers/tty/main.c servers/tty/file.c servers/tty/tty.c \
	servers/tty/ldisc.c
# newlib for vsnprintf (the log), calloc and <termios.h>; no stdio (tty.h).
tty_LIBC := newlib
