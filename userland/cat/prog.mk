include userland/lib/lib.mk
USER_PROGS += cat
cat_SRCS := userland/cat/main.c
cat_LIBC := newlib
cat_CFLAGS := $(UTIL_CFLAGS)
cat_LIBS := $(UTIL_LIB)
