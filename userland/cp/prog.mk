include userland/lib/lib.mk
USER_PROGS += cp
cp_SRCS := userland/cp/main.c
cp_LIBC := newlib
cp_CFLAGS := $(UTIL_CFLAGS)
cp_LIBS := $(UTIL_LIB)
