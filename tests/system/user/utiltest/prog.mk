USER_PROGS += utiltest
utiltest_SRCS := $(wildcard tests/system/user/utiltest/*.c)
utiltest_LIBC := newlib
