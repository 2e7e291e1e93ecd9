include userland/lib/lib.mk
USER_PROGS += chmod
chmod_SRCS := userland/chmod/main.c
chmod_LIBC := newlib
chmod_CFLAGS := $(UTIL_CFLAGS)
chmod_LIBS := $(UTIL_LIB)
