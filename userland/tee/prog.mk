include userland/lib/lib.mk
USER_PROGS += tee
tee_SRCS := userland/tee/main.c
tee_LIBC := newlib
tee_CFLAGS := $(UTIL_CFLAGS)
tee_LIBS := $(UTIL_LIB)
