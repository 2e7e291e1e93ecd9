USER_PROGS += log
log_SRCS := servers/log/main.c servers/log/klog.c
