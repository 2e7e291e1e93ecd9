UNIT_TESTS += object/test_handle
object/test_handle_SRCS := kernel/object/handle.c
