include userland/lib/lib.mk
USER_PROGS += clear
clear_SRCS := userland/clear/main.c
clear_LIBC := newlib
clear_CFLAGS := $(UTIL_CFLAGS)
clear_LIBS := $(UTIL_LIB)
