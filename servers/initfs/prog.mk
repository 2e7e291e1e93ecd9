USER_PROGS += initfs
initfs_SRCS := servers/initfs/main.c servers/lib/fsloop.c servers/initfs/index.c \
	servers/initfs/file.c kernel/lib/tar.c
initfs_CFLAGS := -Ikernel/include -Iservers/lib
