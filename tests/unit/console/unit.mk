UNIT_TESTS += console/test_fbcon
console/test_fbcon_SRCS := kernel/console/fbcon.c
