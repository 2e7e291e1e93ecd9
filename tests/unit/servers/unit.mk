UNIT_TESTS += servers/test_services
servers/test_services_SRCS := servers/init/services.c
servers/test_services_CFLAGS := -Iservers/init
