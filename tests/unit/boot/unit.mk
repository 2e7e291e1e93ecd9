UNIT_TESTS += boot/test_multiboot2
boot/test_multiboot2_SRCS := kernel/boot/multiboot2.c
