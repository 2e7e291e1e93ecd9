include userland/lib/lib.mk
USER_PROGS += mv
mv_SRCS := userland/mv/main.c
mv_LIBC := newlib
mv_CFLAGS := $(UTIL_CFLAGS)
mv_LIBS := $(UTIL_LIB)
