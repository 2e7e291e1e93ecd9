USER_PROGS += probe
probe_SRCS := tests/system/user/probe/main.c
probe_LIBC := newlib
