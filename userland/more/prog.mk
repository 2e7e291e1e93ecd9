include userland/lib/lib.mk
USER_PROGS += more
more_SRCS := userland/more/main.c
more_LIBC := newlib
more_CFLAGS := $(UTIL_CFLAGS)
more_LIBS := $(UTIL_LIB)
