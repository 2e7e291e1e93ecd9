include userland/lib/lib.mk
USER_PROGS += rm
rm_SRCS := userland/rm/main.c
rm_LIBC := newlib
rm_CFLAGS := $(UTIL_CFLAGS)
rm_LIBS := $(UTIL_LIB)
