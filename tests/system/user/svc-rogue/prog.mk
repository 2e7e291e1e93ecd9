USER_PROGS += svc-rogue
svc-rogue_SRCS := tests/system/user/svc-rogue/main.c tests/system/user/svc.c
