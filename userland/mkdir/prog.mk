include userland/lib/lib.mk
USER_PROGS += mkdir
mkdir_SRCS := userland/mkdir/main.c
mkdir_LIBC := newlib
mkdir_CFLAGS := $(UTIL_CFLAGS)
mkdir_LIBS := $(UTIL_LIB)
