include userland/lib/lib.mk
USER_PROGS += uptime
uptime_SRCS := userland/uptime/main.c
uptime_LIBC := newlib
uptime_CFLAGS := $(UTIL_CFLAGS)
uptime_LIBS := $(UTIL_LIB)
