include userland/lib/lib.mk
USER_PROGS += free
free_SRCS := userland/free/main.c
free_LIBC := newlib
free_CFLAGS := $(UTIL_CFLAGS)
free_LIBS := $(UTIL_LIB)
