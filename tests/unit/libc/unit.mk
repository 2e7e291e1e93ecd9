UNIT_TESTS += libc/test_path
libc/test_path_SRCS := libc/path.c
libc/test_path_CFLAGS := -Ilibc/include
