UNIT_TESTS += lib/test_elf
lib/test_elf_SRCS := kernel/lib/elf.c
