include userland/lib/lib.mk
USER_PROGS += dmesg
dmesg_SRCS := userland/dmesg/main.c
dmesg_LIBC := newlib
dmesg_CFLAGS := $(UTIL_CFLAGS)
dmesg_LIBS := $(UTIL_LIB)
