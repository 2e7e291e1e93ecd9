include userland/lib/lib.mk
USER_PROGS += tail
tail_SRCS := userland/tail/main.c
tail_LIBC := newlib
tail_CFLAGS := $(UTIL_CFLAGS)
tail_LIBS := $(UTIL_LIB)
