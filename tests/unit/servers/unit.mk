UNIT_TESTS += servers/test_services
servers/test_services_SRCS := servers/init/services.c
servers/test_services_CFLAGS := -Iservers/init
UNIT_TESTS += servers/test_chacha20
servers/test_chacha20_SRCS := servers/misc/chacha20.c
servers/test_chacha20_CFLAGS := -Iservers/misc
UNIT_TESTS += servers/test_rng
servers/test_rng_SRCS := servers/misc/rng.c servers/misc/chacha20.c
servers/test_rng_CFLAGS := -Iservers/misc
UNIT_TESTS += servers/test_tmpfs
servers/test_tmpfs_SRCS := servers/tmpfs/tree.c servers/tmpfs/ops.c \
	servers/tmpfs/data.c
servers/test_tmpfs_CFLAGS := -Iservers/tmpfs

UNIT_TESTS += servers/test_klog
servers/test_klog_SRCS := servers/log/klog.c
servers/test_klog_CFLAGS := -Iservers/log

UNIT_TESTS += servers/test_pipe_ring
servers/test_pipe_ring_SRCS := servers/pipe/ring.c
servers/test_pipe_ring_CFLAGS := -Iservers/pipe
