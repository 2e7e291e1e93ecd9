USER_PROGS += power
power_SRCS := drivers/power/main.c drivers/lib/driver.c
power_CFLAGS := -Idrivers/lib
