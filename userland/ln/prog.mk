include userland/lib/lib.mk
USER_PROGS += ln
ln_SRCS := userland/ln/main.c
ln_LIBC := newlib
ln_CFLAGS := $(UTIL_CFLAGS)
ln_LIBS := $(UTIL_LIB)
