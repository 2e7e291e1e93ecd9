include userland/lib/lib.mk
USER_PROGS += sleep
sleep_SRCS := userland/sleep/main.c
sleep_LIBC := newlib
sleep_CFLAGS := $(UTIL_CFLAGS)
sleep_LIBS := $(UTIL_LIB)
