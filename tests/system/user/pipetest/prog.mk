USER_PROGS += pipetest
pipetest_SRCS := $(wildcard tests/system/user/pipetest/*.c)
pipetest_LIBC := newlib
pipetest_CFLAGS := -D_GNU_SOURCE # pipe2
