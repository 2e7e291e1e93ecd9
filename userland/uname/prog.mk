include userland/lib/lib.mk
USER_PROGS += uname
uname_SRCS := userland/uname/main.c
uname_LIBC := newlib
uname_CFLAGS := $(UTIL_CFLAGS)
uname_LIBS := $(UTIL_LIB)
