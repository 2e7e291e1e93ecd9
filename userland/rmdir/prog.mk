include userland/lib/lib.mk
USER_PROGS += rmdir
rmdir_SRCS := userland/rmdir/main.c
rmdir_LIBC := newlib
rmdir_CFLAGS := $(UTIL_CFLAGS)
rmdir_LIBS := $(UTIL_LIB)
