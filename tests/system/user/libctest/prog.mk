USER_PROGS += libctest
libctest_SRCS := $(wildcard tests/system/user/libctest/*.c)
libctest_LIBC := newlib
# The tests truncate on purpose.
libctest_CFLAGS := -Wno-stringop-truncation -Wno-format-truncation
