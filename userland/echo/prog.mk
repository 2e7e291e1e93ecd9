include userland/lib/lib.mk
USER_PROGS += echo
echo_SRCS := userland/echo/main.c
echo_LIBC := newlib
echo_CFLAGS := $(UTIL_CFLAGS)
echo_LIBS := $(UTIL_LIB)
