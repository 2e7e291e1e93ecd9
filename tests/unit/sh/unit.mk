UNIT_TESTS += sh/test_edit
sh/test_edit_SRCS := userland/sh/edit.c userland/sh/history.c \
	userland/sh/util.c
sh/test_edit_CFLAGS := -Iuserland/sh -D_GNU_SOURCE
