USER_PROGS += init
init_SRCS := servers/init/main.c servers/init/services.c kernel/lib/tar.c
init_CFLAGS := -Ikernel/include -Iservers/init
