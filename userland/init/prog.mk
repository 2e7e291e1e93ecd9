USER_PROGS += init
init_SRCS := userland/init/main.c kernel/lib/tar.c
init_CFLAGS := -Ikernel/include
