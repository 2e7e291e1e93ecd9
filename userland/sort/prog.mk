include userland/lib/lib.mk
USER_PROGS += sort
sort_SRCS := userland/sort/main.c
sort_LIBC := newlib
sort_CFLAGS := $(UTIL_CFLAGS)
sort_LIBS := $(UTIL_LIB)
