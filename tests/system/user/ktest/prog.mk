USER_PROGS += ktest
ktest_SRCS := tests/system/user/ktest/main.c \
	tests/system/user/ktest/util.c \
	tests/system/user/ktest/regs.S \
	tests/system/user/ktest/t_basic.c \
	tests/system/user/ktest/t_handles.c \
	tests/system/user/ktest/t_sync.c \
	tests/system/user/ktest/t_mem.c \
	tests/system/user/ktest/t_ipc.c \
	tests/system/user/ktest/t_close.c \
	tests/system/user/ktest/t_proc.c \
	tests/system/user/ktest/t_fork.c \
	tests/system/user/ktest/t_fault.c \
	tests/system/user/ktest/t_irq.c \
	tests/system/user/ktest/t_badptr.c \
	tests/system/user/ktest/t_stress.c \
	kernel/lib/tar.c
ktest_CFLAGS := -Ikernel/include
