include userland/lib/lib.mk
USER_PROGS += grep
grep_SRCS := userland/grep/main.c userland/grep/bre.c
grep_LIBC := newlib
grep_CFLAGS := $(UTIL_CFLAGS)
grep_LIBS := $(UTIL_LIB)
