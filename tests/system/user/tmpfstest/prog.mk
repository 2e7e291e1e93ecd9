USER_PROGS += tmpfstest
tmpfstest_SRCS := $(wildcard tests/system/user/tmpfstest/*.c)
tmpfstest_LIBC := newlib
# The tests cut names to fit on purpose.
tmpfstest_CFLAGS := -Wno-format-truncation
