USER_PROGS += fstest
fstest_SRCS := tests/system/user/fstest/main.c \
	tests/system/user/fstest/util.c \
	tests/system/user/fstest/t_files.c \
	tests/system/user/fstest/t_errors.c \
	tests/system/user/fstest/t_dirs.c \
	tests/system/user/fstest/t_life.c \
	kernel/lib/tar.c
fstest_CFLAGS := -Ikernel/include
