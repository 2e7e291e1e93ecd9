include userland/lib/lib.mk
USER_PROGS += reboot
reboot_SRCS := userland/reboot/main.c
reboot_LIBC := newlib
reboot_CFLAGS := $(UTIL_CFLAGS)
reboot_LIBS := $(UTIL_LIB)
# The same program as bin/poweroff: it looks at its name.
INITFS_EXTRA += bin/poweroff=$(BUILD)/initfs/reboot.elf
