include userland/lib/lib.mk
USER_PROGS += stat
stat_SRCS := userland/stat/main.c
stat_LIBC := newlib
stat_CFLAGS := $(UTIL_CFLAGS)
stat_LIBS := $(UTIL_LIB)
