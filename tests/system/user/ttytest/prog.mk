USER_PROGS += ttytest
ttytest_SRCS := $(wildcard tests/system/user/ttytest/*.c)
ttytest_LIBC := newlib
