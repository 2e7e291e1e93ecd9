include userland/lib/lib.mk
USER_PROGS += test
test_SRCS := userland/test/main.c
test_LIBC := newlib
test_CFLAGS := $(UTIL_CFLAGS)
test_LIBS := $(UTIL_LIB)
# "[" is test under another name: main.c looks at argv[0].
INITFS_EXTRA += bin/[=$(BUILD)/initfs/test.elf
