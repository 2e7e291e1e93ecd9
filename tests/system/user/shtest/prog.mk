USER_PROGS += shtest
shtest_SRCS := $(wildcard tests/system/user/shtest/*.c)
shtest_LIBC := newlib
