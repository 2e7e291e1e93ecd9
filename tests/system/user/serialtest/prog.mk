USER_PROGS += serialtest
serialtest_SRCS := tests/system/user/serialtest/main.c \
	tests/system/user/serialtest/util.c \
	tests/system/user/serialtest/t_log.c \
	tests/system/user/serialtest/t_serial.c
