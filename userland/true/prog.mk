include userland/lib/lib.mk
USER_PROGS += true
true_SRCS := userland/true/main.c
true_LIBC := newlib
true_CFLAGS := $(UTIL_CFLAGS)
true_LIBS := $(UTIL_LIB)
