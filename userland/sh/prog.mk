USER_PROGS += sh
sh_SRCS := $(wildcard userland/sh/*.c)
sh_LIBC := newlib
sh_CFLAGS := -D_GNU_SOURCE # pipe2, strcasecmp
