USER_PROGS += svc-client
svc-client_SRCS := tests/system/user/svc-client/main.c tests/system/user/svc.c
