include userland/lib/lib.mk
USER_PROGS += hexdump
hexdump_SRCS := userland/hexdump/main.c
hexdump_LIBC := newlib
hexdump_CFLAGS := $(UTIL_CFLAGS)
hexdump_LIBS := $(UTIL_LIB)
