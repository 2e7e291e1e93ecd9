USER_PROGS += hello
hello_SRCS := userland/hello/main.c
hello_LIBC := newlib
