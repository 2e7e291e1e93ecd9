USER_PROGS += hello
hello_SRCS := userland/hello/main.c
