# ---- user space: libvalence, libc and user programs ---------------------------
#
# Included by the Makefile.  A user program is declared in a prog.mk of its
# own, under userland/<name>/, servers/<name>/, drivers/<name>/ or
# tests/system/user/<name>/:
#
#   USER_PROGS += hello
#   hello_SRCS := userland/hello/main.c
#   hello_LIBC := newlib         (optional: the C library, see below)
#   hello_CFLAGS := ...          (optional)
#   hello_LIBS := ...            (optional: archives of our own, linked
#                                after the objects, before the C library)
#
# and becomes $(BUILD)/user/hello.elf, linked static with libc/user.ld
# from crt0, its objects and the libraries:
#
#   <name>_LIBC := newlib   newlib's libc and libm, with libc/posix (the
#                           calls newlib makes, on libvalence): stdio,
#                           malloc, the POSIX calls.  Compiled as hosted C
#                           against newlib's headers only.
#   (unset)                 libc/mini: a printf to the kernel log and the
#                           string functions, for small servers.
#
# Both get libvalence (<valence.h>: the system calls, schemes, start-up)
# and libgcc.

USER_CFLAGS_COMMON := -std=gnu11 -O2 -g -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer \
	-fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Ilibc/include -Iinclude -MMD -MP
USER_CFLAGS := $(USER_CFLAGS_COMMON) -ffreestanding
USER_LDFLAGS := -static -nostdlib -no-pie -Wl,-T,libc/user.ld \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--build-id=none
USER_LIBGCC := $(shell $(CC) -print-libgcc-file-name)

# newlib, built once from Debian's newlib-source (newlib.mk).
include newlib.mk

# Hosted C on newlib's headers (-nostdinc keeps glibc's out).
USER_NEWLIB_CFLAGS := $(USER_CFLAGS_COMMON) $(NEWLIB_CFLAGS)

# libvalence: the system call stubs, process start, scheme paths and the
# raw file calls.  Freestanding: it serves both kinds of program.
LIBC_CRT0  := $(BUILD)/libc/crt0.o
LIBVALENCE := $(BUILD)/libc/libvalence.a
LIBMINI    := $(BUILD)/libc/libmini.a
LIBPOSIX   := $(BUILD)/libc/libposix.a

LIBVALENCE_SRCS := libc/syscalls.c libc/start.c libc/path.c libc/scheme.c
# libc/mini: its printf and the kernel's string and formatting code,
# compiled again for user space (-Ikernel/include is for those shared
# files only, user programs do not get it).
LIBMINI_SRCS := $(wildcard libc/mini/*.c) kernel/lib/string.c \
	kernel/lib/printf.c
LIBPOSIX_SRCS := $(wildcard libc/posix/*.c)

libc_objs = $(patsubst %.c,$(BUILD)/libc/obj/%.o,$(1))
LIBVALENCE_OBJS := $(call libc_objs,$(LIBVALENCE_SRCS))
LIBMINI_OBJS := $(call libc_objs,$(LIBMINI_SRCS))
LIBPOSIX_OBJS := $(call libc_objs,$(LIBPOSIX_SRCS))

$(LIBVALENCE_OBJS) $(LIBMINI_OBJS): $(BUILD)/libc/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Ikernel/include -c $< -o $@

$(LIBPOSIX_OBJS): $(BUILD)/libc/obj/%.o: %.c | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(USER_NEWLIB_CFLAGS) -c $< -o $@

$(LIBC_CRT0): libc/crt0.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(LIBVALENCE): $(LIBVALENCE_OBJS)
$(LIBMINI): $(LIBMINI_OBJS)
$(LIBPOSIX): $(LIBPOSIX_OBJS)
$(LIBVALENCE) $(LIBMINI) $(LIBPOSIX):
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# What a program links after its objects, by <name>_LIBC.
USER_LIBS_mini := $(LIBVALENCE) $(LIBMINI)
USER_LIBS_newlib := $(LIBPOSIX) $(LIBVALENCE) $(NEWLIB_LIBC) $(NEWLIB_LIBM)
# start.c calls libc/posix/inherit.c's hook only if it is linked in: a
# weak reference alone would not pull it out of the archive.
USER_LDFLAGS_newlib := -Wl,--undefined=__valence_inherit

# User programs.  Objects go to $(BUILD)/user/obj/<program>/<source
# path>.o: a source two programs share (kernel/lib/tar.c, servers/lib)
# is compiled for each with its own flags (newlib or not).
USER_PROGS :=
include $(sort $(wildcard servers/*/prog.mk userland/*/prog.mk \
	drivers/*/prog.mk tests/system/user/*/prog.mk))

define user_prog_rule
$(1)_KIND := $$(if $$(filter newlib,$$($(1)_LIBC)),newlib,mini)
$(1)_COBJS := $$(patsubst %.c,$(BUILD)/user/obj/$(1)/%.o,$$(filter %.c,$$($(1)_SRCS)))
$(1)_SOBJS := $$(patsubst %.S,$(BUILD)/user/obj/$(1)/%.o,$$(filter %.S,$$($(1)_SRCS)))
$(1)_OBJS := $$($(1)_COBJS) $$($(1)_SOBJS)
$$($(1)_COBJS): $(BUILD)/user/obj/$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(USER_PROG_CFLAGS) -c $$< -o $$@
$$($(1)_SOBJS): $(BUILD)/user/obj/$(1)/%.o: %.S
	@mkdir -p $$(dir $$@)
	$$(CC) $$(USER_PROG_CFLAGS) -c $$< -o $$@
$$($(1)_OBJS): USER_PROG_CFLAGS := $$(if $$(filter newlib,$$($(1)_KIND)),\
	$$(USER_NEWLIB_CFLAGS),$$(USER_CFLAGS)) $$($(1)_CFLAGS)
$$($(1)_OBJS): | $$(if $$(filter newlib,$$($(1)_KIND)),$(NEWLIB_STAMP))
$(BUILD)/user/$(1).elf: $(LIBC_CRT0) $$($(1)_OBJS) $$($(1)_LIBS) \
		$$(USER_LIBS_$$($(1)_KIND)) libc/user.ld
	@mkdir -p $$(dir $$@)
	$$(CC) $$(USER_LDFLAGS) $$(USER_LDFLAGS_$$($(1)_KIND)) -o $$@ \
		$(LIBC_CRT0) $$($(1)_OBJS) $$($(1)_LIBS) \
		-Wl,--start-group $$(USER_LIBS_$$($(1)_KIND)) $(USER_LIBGCC) \
		-Wl,--end-group
endef
$(foreach p,$(USER_PROGS),$(eval $(call user_prog_rule,$(p))))

USER_ELFS := $(USER_PROGS:%=$(BUILD)/user/%.elf)

user: $(USER_ELFS)

all: user

.PHONY: user
