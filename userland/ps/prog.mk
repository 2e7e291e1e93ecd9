include userland/lib/lib.mk
USER_PROGS += ps
ps_SRCS := userland/ps/main.c
ps_LIBC := newlib
ps_CFLAGS := $(UTIL_CFLAGS)
ps_LIBS := $(UTIL_LIB)
