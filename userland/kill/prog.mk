include userland/lib/lib.mk
USER_PROGS += kill
kill_SRCS := userland/kill/main.c
kill_LIBC := newlib
kill_CFLAGS := $(UTIL_CFLAGS)
kill_LIBS := $(UTIL_LIB)
