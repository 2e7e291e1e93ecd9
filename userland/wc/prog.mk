include userland/lib/lib.mk
USER_PROGS += wc
wc_SRCS := userland/wc/main.c
wc_LIBC := newlib
wc_CFLAGS := $(UTIL_CFLAGS)
wc_LIBS := $(UTIL_LIB)
