# ---- user space: libvalence and user programs --------------------------------
#
# Included by the Makefile.  A user program is declared in a prog.mk of its
# own, under userland/<name>/, servers/<name>/ or tests/system/user/<name>/:
#
#   USER_PROGS += hello
#   hello_SRCS := userland/hello/main.c
#   hello_CFLAGS := ...          (optional)
#
# and becomes $(BUILD)/user/hello.elf: crt0 + its objects + libvalence.a
# + libgcc, linked static with libc/user.ld.

USER_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer \
	-fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Ilibc/include -Iinclude -MMD -MP
USER_LDFLAGS := -static -nostdlib -no-pie -Wl,-T,libc/user.ld \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--build-id=none
USER_LIBGCC := $(shell $(CC) -print-libgcc-file-name)

# newlib, built once from Debian's newlib-source (no program links it yet).
include newlib.mk

# libvalence: the syscall stubs, process start and scheme paths, which
# stay when newlib arrives, and the stand-ins for newlib (printf, and the
# kernel's string and formatting code, compiled again for user space:
# -Ikernel/include is for those shared files only, user programs do not
# get it).
LIBC_CRT0     := $(BUILD)/libc/crt0.o
LIBC_SYS_SRCS := libc/syscalls.c libc/start.c libc/path.c \
	$(filter-out libc/crt0.S,$(wildcard libc/*.S))
LIBC_MINI_SRCS := libc/print.c kernel/lib/string.c kernel/lib/printf.c
LIBC_SRCS     := $(LIBC_SYS_SRCS) $(LIBC_MINI_SRCS)
LIBC_OBJS     := $(patsubst %,$(BUILD)/libc/obj/%.o,$(basename $(LIBC_SRCS)))
LIBVALENCE    := $(BUILD)/libc/libvalence.a

$(filter %.o,$(patsubst %.c,$(BUILD)/libc/obj/%.o,$(LIBC_SRCS))): \
		$(BUILD)/libc/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Ikernel/include -c $< -o $@

$(filter %.o,$(patsubst %.S,$(BUILD)/libc/obj/%.o,$(LIBC_SRCS))): \
		$(BUILD)/libc/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(LIBC_CRT0): libc/crt0.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(LIBVALENCE): $(LIBC_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# User programs.  Objects go to $(BUILD)/user/obj/<source path>.o.
USER_PROGS :=
include $(sort $(wildcard servers/*/prog.mk drivers/*/prog.mk userland/*/prog.mk \
	tests/system/user/*/prog.mk))

$(BUILD)/user/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(USER_PROG_CFLAGS) -c $< -o $@

$(BUILD)/user/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(USER_PROG_CFLAGS) -c $< -o $@

define user_prog_rule
$(1)_OBJS := $$(patsubst %,$(BUILD)/user/obj/%.o,$$(basename $$($(1)_SRCS)))
$$($(1)_OBJS): USER_PROG_CFLAGS := $$($(1)_CFLAGS)
$(BUILD)/user/$(1).elf: $(LIBC_CRT0) $$($(1)_OBJS) $(LIBVALENCE) libc/user.ld
	@mkdir -p $$(dir $$@)
	$$(CC) $$(USER_LDFLAGS) -o $$@ $(LIBC_CRT0) $$($(1)_OBJS) \
		$(LIBVALENCE) $(USER_LIBGCC)
endef
$(foreach p,$(USER_PROGS),$(eval $(call user_prog_rule,$(p))))

USER_ELFS := $(USER_PROGS:%=$(BUILD)/user/%.elf)

user: $(USER_ELFS)

all: user

.PHONY: user
