USER_PROGS += misc
misc_SRCS := servers/misc/main.c servers/misc/device.c \
	servers/misc/entropy.c servers/misc/rng.c servers/misc/chacha20.c
