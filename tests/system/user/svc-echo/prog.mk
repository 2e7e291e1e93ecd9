USER_PROGS += svc-echo
svc-echo_SRCS := tests/system/user/svc-echo/main.c
