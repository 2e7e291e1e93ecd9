USER_PROGS += serial
serial_SRCS := drivers/serial/main.c drivers/lib/driver.c drivers/lib/chardev.c
serial_CFLAGS := -Idrivers/lib
