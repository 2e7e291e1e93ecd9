include userland/lib/lib.mk
USER_PROGS += pwd
pwd_SRCS := userland/pwd/main.c
pwd_LIBC := newlib
pwd_CFLAGS := $(UTIL_CFLAGS)
pwd_LIBS := $(UTIL_LIB)
