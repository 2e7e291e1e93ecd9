USER_PROGS += tmpfs
tmpfs_SRCS := servers/tmpfs/main.c servers/lib/fsloop.c servers/tmpfs/file.c \
	servers/tmpfs/archive.c servers/tmpfs/ops.c servers/tmpfs/tree.c \
	servers/tmpfs/data.c kernel/lib/tar.c
tmpfs_LIBC := newlib
tmpfs_CFLAGS := -Ikernel/include -Iservers/lib
