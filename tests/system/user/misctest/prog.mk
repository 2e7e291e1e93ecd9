USER_PROGS += misctest
misctest_SRCS := tests/system/user/misctest/main.c tests/system/user/svc.c
