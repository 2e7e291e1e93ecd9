# Valence build.  `make run` and `make test` are all a newcomer needs;
# both first install any missing Debian packages (tools/install-deps).

# No built-in rules: every rule here is explicit, and GNU make's
# '%: %.sh' once rebuilt initfs/etc/services from a file named
# services.sh beside it.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

BUILD    ?= build
CC       := gcc
LD       := ld
NASM     := nasm
PYTHON   := python3
QEMU     := qemu-system-x86_64
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

# The early console font comes from Debian's console-setup-linux package.
FONT_SRC := /usr/share/consolefonts/Lat15-VGA16.psf.gz

# ---- kernel ----------------------------------------------------------------

KCFLAGS := -std=gnu11 -g -ffreestanding -fno-pic -fno-pie \
	-mcmodel=kernel -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx \
	-fno-stack-protector -fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Ikernel/include -Ikernel/arch/x86_64/include -Iinclude -MMD -MP \
	-DVALENCE_VERSION='"$(VERSION)"'
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments -T linker.ld

KSRCS   := $(shell find kernel -name '*.c' | sort)
KASRCS  := boot/boot.asm $(shell find kernel -name '*.asm' | sort)
KOBJS   := $(KSRCS:%.c=$(BUILD)/%.o) $(KASRCS:%.asm=$(BUILD)/%.o) \
	$(BUILD)/kernel/font.o

all: $(BUILD)/valence.iso

# The kernel is built for size (-Os), except the paths every IPC round
# trip and context switch takes, which are built for speed.
KOPT := -Os
KHOT := kernel/ipc/ipc.c kernel/ipc/fastpath.c kernel/sched/sched.c \
	kernel/object/handle.c kernel/object/notify.c kernel/object/object.c \
	kernel/sched/waitq.c kernel/syscall/table.c \
	kernel/lib/string.c kernel/arch/x86_64/user.c kernel/arch/x86_64/gdt.c \
	kernel/arch/x86_64/timer.c kernel/arch/x86_64/trap.c
$(KHOT:%.c=$(BUILD)/%.o): KOPT := -O2

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) $(KOPT) -c $< -o $@

$(BUILD)/%.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -g -F dwarf -I kernel/arch/x86_64/ $< -o $@

$(BUILD)/kernel/arch/x86_64/isr.o $(BUILD)/kernel/arch/x86_64/syscall.o: \
	kernel/arch/x86_64/frame.inc

$(BUILD)/font.psf: $(FONT_SRC)
	@mkdir -p $(dir $@)
	gzip -dc $< > $@

$(BUILD)/kernel/font.o: kernel/console/font.S $(BUILD)/font.psf
	@mkdir -p $(dir $@)
	$(CC) -c -DFONT_FILE='"$(BUILD)/font.psf"' $< -o $@

# Two links: the first gives the addresses that tools/gensyms.py turns into
# the stack-trace symbol table; the second adds the table after .rodata, so
# no code moves.  gensyms.py --check verifies that.
$(BUILD)/ksyms-empty.c:
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gensyms.py --empty > $@

$(BUILD)/kernel-pass1.elf: $(KOBJS) $(BUILD)/ksyms-empty.o linker.ld
	$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms-empty.o

$(BUILD)/ksyms.c: $(BUILD)/kernel-pass1.elf tools/gensyms.py
	$(PYTHON) tools/gensyms.py $< > $@

$(BUILD)/ksyms.o $(BUILD)/ksyms-empty.o: %.o: %.c
	$(CC) $(KCFLAGS) $(KOPT) -c $< -o $@

$(BUILD)/valence.elf: $(KOBJS) $(BUILD)/ksyms.o linker.ld
	$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms.o
	$(PYTHON) tools/gensyms.py --check $(BUILD)/kernel-pass1.elf $@

kernel: $(BUILD)/valence.elf

# ---- boot image --------------------------------------------------------------

# The boot archive (initfs.tar, see user.mk) rides along as a module.
$(BUILD)/valence.iso: $(BUILD)/valence.elf $(BUILD)/initfs.tar boot/grub.cfg \
		tools/mkiso
	tools/mkiso $@ $(BUILD)/valence.elf "" $(BUILD)/initfs.tar

# ---- host unit tests (cmocka, ASan + UBSan) ---------------------------------

HOSTCFLAGS := -std=gnu11 -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Ikernel/include -Itests/unit/arch -Iinclude -Itests/unit -MMD -MP
HOSTLIBS := -lcmocka

# Each tests/unit/<area>/unit.mk adds `UNIT_TESTS += <area>/test_x` and
# `<area>/test_x_SRCS := kernel/...c` (the files under test), and for code
# outside the kernel the include paths it needs, `<area>/test_x_CFLAGS`.
UNIT_TESTS :=
include $(sort $(wildcard tests/unit/*/unit.mk))

define unit_test_rule
$(BUILD)/unit/$(1): tests/unit/$(1).c $$($(1)_SRCS) tests/unit/stubs.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(HOSTCFLAGS) $$($(1)_CFLAGS) -o $$@ tests/unit/$(1).c $$($(1)_SRCS) tests/unit/stubs.c $$(HOSTLIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rule,$(t))))

UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/unit/%)

unit: $(UNIT_BINS)

# ---- the two commands ----------------------------------------------------------

deps:
	@tools/install-deps

run: deps $(BUILD)/valence.iso
	tools/qemu-run --interactive $(BUILD)/valence.iso

test: deps
	@$(MAKE) --no-print-directory all unit
	@$(PYTHON) tools/test.py --build $(BUILD) $(UNIT_BINS)

# ---- the rest ----------------------------------------------------------------------

debug: deps $(BUILD)/valence.iso
	tools/debug $(BUILD)/valence.iso $(BUILD)/valence.elf

# Benchmarks (not tests): guest instructions per operation, under
# -icount so that the figures repeat exactly; see docs/performance.md.
$(BUILD)/bench.iso: $(BUILD)/valence.elf $(BUILD)/initfs.tar boot/grub.cfg \
		tools/mkiso
	tools/mkiso $@ $(BUILD)/valence.elf "run=bench panic=exit" \
		$(BUILD)/initfs.tar

bench: deps $(BUILD)/bench.iso
	@$(PYTHON) tools/bench.py $(BUILD)/bench.iso

size: $(BUILD)/valence.elf
	@$(PYTHON) tools/size.py $(BUILD)/valence.elf

check: all unit
	clang-format --dry-run --Werror $(shell find kernel include libc servers drivers -name '*.[ch]' 2>/dev/null)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--suppress=missingIncludeSystem -Ikernel/include \
		-Ikernel/arch/x86_64/include -Iinclude kernel
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--suppress=missingIncludeSystem -Ilibc/include -Iinclude libc servers drivers
	clang-format --dry-run --Werror $(filter-out userland/bench/%,$(shell find \
		userland tests/system/user/utiltest tests/unit/userland \
		tests/system/user/shtest tests/system/user/probe tests/unit/sh \
		tests/fuzz/fuzz_sh.c -name '*.[ch]'))
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--suppress=missingIncludeSystem -Ilibc/include -Iinclude -Iuserland/lib \
		-I$(BUILD)/user/gen userland tests/system/user/utiltest \
		tests/system/user/shtest tests/system/user/probe

clean:
	rm -rf $(BUILD)

.PHONY: all kernel unit deps run test debug bench size check clean
.DELETE_ON_ERROR:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# libvalence and the user programs (make user).
include user.mk

# The boot archive: every user program as bin/<name>, without its debug
# information (build/user/<name>.elf keeps it, for gdb), the files under
# initfs/ at their place (initfs/etc/services is etc/services), and the
# files the system tests read as test/<path> (from tests/system/data/).
$(BUILD)/initfs/%.elf: $(BUILD)/user/%.elf
	@mkdir -p $(dir $@)
	objcopy --strip-debug $< $@

INITFS_FILES := $(sort $(shell find initfs -type f))
INITFS_DATA := $(sort $(shell find tests/system/data -type f))
# A prog.mk may add NAME=PATH pairs to INITFS_EXTRA for more names in the
# archive (userland/test puts test there again as bin/[).

$(BUILD)/initfs.tar: $(USER_PROGS:%=$(BUILD)/initfs/%.elf) $(INITFS_FILES) \
		$(INITFS_DATA) tools/mkinitfs
	$(PYTHON) tools/mkinitfs $@ \
		$(foreach p,$(USER_PROGS),bin/$(p)=$(BUILD)/initfs/$(p).elf) \
		$(foreach f,$(INITFS_FILES),$(f:initfs/%=%)=$(f)) \
		$(foreach f,$(INITFS_DATA),$(f:tests/system/data/%=test/%)=$(f)) \
		$(foreach e,$(INITFS_EXTRA),'$(e)')

# libFuzzer targets (make fuzz); not part of make test.
-include tests/fuzz/fuzz.mk
