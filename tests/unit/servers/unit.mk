UNIT_TESTS += servers/test_services
servers/test_services_SRCS := servers/init/services.c
servers/test_services_CFLAGS := -Iservers/init

UNIT_TESTS += servers/test_klog
servers/test_klog_SRCS := servers/log/klog.c
servers/test_klog_CFLAGS := -Iservers/log
