UNIT_TESTS += ipc/test_ipc
ipc/test_ipc_SRCS := kernel/ipc/ipc.c kernel/ipc/fastpath.c kernel/object/handle.c \
	kernel/sched/waitq.c
