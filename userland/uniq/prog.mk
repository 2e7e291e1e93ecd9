include userland/lib/lib.mk
USER_PROGS += uniq
uniq_SRCS := userland/uniq/main.c
uniq_LIBC := newlib
uniq_CFLAGS := $(UTIL_CFLAGS)
uniq_LIBS := $(UTIL_LIB)
