include userland/lib/lib.mk
USER_PROGS += yes
yes_SRCS := userland/yes/main.c
yes_LIBC := newlib
yes_CFLAGS := $(UTIL_CFLAGS)
yes_LIBS := $(UTIL_LIB)
