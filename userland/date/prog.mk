include userland/lib/lib.mk
USER_PROGS += date
date_SRCS := userland/date/main.c
date_LIBC := newlib
date_CFLAGS := $(UTIL_CFLAGS)
date_LIBS := $(UTIL_LIB)
