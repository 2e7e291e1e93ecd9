UNIT_TESTS += userland/test_bre
userland/test_bre_SRCS := userland/grep/bre.c
userland/test_bre_CFLAGS := -Iuserland/grep
