include userland/lib/lib.mk
USER_PROGS += seq
seq_SRCS := userland/seq/main.c
seq_LIBC := newlib
seq_CFLAGS := $(UTIL_CFLAGS)
seq_LIBS := $(UTIL_LIB)
