USER_PROGS += ktest-child
ktest-child_SRCS := tests/system/user/ktest-child/main.c
ktest-child_CFLAGS := -Itests/system/user/ktest
