include userland/lib/lib.mk
USER_PROGS += touch
touch_SRCS := userland/touch/main.c
touch_LIBC := newlib
touch_CFLAGS := $(UTIL_CFLAGS)
touch_LIBS := $(UTIL_LIB)
