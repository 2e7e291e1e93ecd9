USER_PROGS += bench
bench_SRCS := userland/bench/main.c kernel/lib/tar.c
bench_CFLAGS := -Ikernel/include
