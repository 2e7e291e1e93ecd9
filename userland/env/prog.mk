include userland/lib/lib.mk
USER_PROGS += env
env_SRCS := userland/env/main.c
env_LIBC := newlib
env_CFLAGS := $(UTIL_CFLAGS)
env_LIBS := $(UTIL_LIB)
