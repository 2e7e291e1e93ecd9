include userland/lib/lib.mk
USER_PROGS += ls
ls_SRCS := userland/ls/main.c
ls_LIBC := newlib
ls_CFLAGS := $(UTIL_CFLAGS)
ls_LIBS := $(UTIL_LIB)
