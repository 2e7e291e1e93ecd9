UNIT_TESTS += lib/test_elf
lib/test_elf_SRCS := kernel/lib/elf.c
UNIT_TESTS += lib/test_cmdline
lib/test_cmdline_SRCS := kernel/lib/cmdline.c
UNIT_TESTS += lib/test_printf
lib/test_printf_SRCS := kernel/lib/printf.c
UNIT_TESTS += lib/test_tar
lib/test_tar_SRCS := kernel/lib/tar.c
