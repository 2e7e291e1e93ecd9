# ---- newlib: the C library for user programs ---------------------------------
#
# Included by user.mk.  tools/build-newlib builds newlib from Debian's
# newlib-source tarball with the host gcc into $(BUILD)/newlib, once: the
# stamp records the script and tarball it was built from, and it is redone
# only when one of them changes (or after make clean).
#
# No program uses newlib yet (they link libvalence's own printf and string
# functions, and user.mk links no other library).  One that does compiles
# with
#
#   <name>_CFLAGS := $(NEWLIB_CFLAGS)
#
# (-nostdinc drops glibc's /usr/include: newlib's headers come first, then
# gcc's own stddef.h, stdarg.h, float.h ...), once $(NEWLIB_STAMP) is made,
# and links $(NEWLIB_LIBC) (and $(NEWLIB_LIBM) for <math.h>) before
# libvalence.a; not yet possible as is, since start.c's puts_log pulls in
# libc/print.c, whose printf collides with newlib's.  newlib then needs the system calls under their POSIX
# names, setting the global `int errno` on failure; stdio and malloc alone
# use write, read, close, lseek, fstat, isatty, sbrk, kill, getpid, _exit.

NEWLIB_TARBALL := /usr/src/newlib/newlib-3.3.0.tar.xz
NEWLIB_STAMP   := $(BUILD)/newlib/stamp
NEWLIB_PREFIX  := $(abspath $(BUILD)/newlib/install)
NEWLIB_INCLUDE := $(NEWLIB_PREFIX)/x86_64-elf/include
NEWLIB_LIBC    := $(NEWLIB_PREFIX)/x86_64-elf/lib/libc.a
NEWLIB_LIBM    := $(NEWLIB_PREFIX)/x86_64-elf/lib/libm.a
NEWLIB_CFLAGS  := -nostdinc -isystem $(NEWLIB_INCLUDE) \
	-isystem $(shell $(CC) -print-file-name=include)

# Without the tarball (a fresh machine) the script runs tools/install-deps.
$(NEWLIB_STAMP): tools/build-newlib $(wildcard $(NEWLIB_TARBALL))
	NEWLIB_TARBALL=$(NEWLIB_TARBALL) tools/build-newlib $(BUILD)/newlib

# Installed by the script just before it writes the stamp.
$(NEWLIB_LIBC) $(NEWLIB_LIBM): $(NEWLIB_STAMP)

newlib: $(NEWLIB_LIBC) $(NEWLIB_LIBM)

all: newlib

.PHONY: newlib
