USER_PROGS += pipe
pipe_SRCS := servers/pipe/main.c servers/pipe/pipe.c servers/pipe/ring.c
# newlib for malloc (the ring's chunks); no stdio (pipe.h).
pipe_LIBC := newlib
