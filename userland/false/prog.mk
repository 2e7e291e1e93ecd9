include userland/lib/lib.mk
USER_PROGS += false
false_SRCS := userland/false/main.c
false_LIBC := newlib
false_CFLAGS := $(UTIL_CFLAGS)
false_LIBS := $(UTIL_LIB)
