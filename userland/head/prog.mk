include userland/lib/lib.mk
USER_PROGS += head
head_SRCS := userland/head/main.c
head_LIBC := newlib
head_CFLAGS := $(UTIL_CFLAGS)
head_LIBS := $(UTIL_LIB)
