# ---- newlib: the C library for user programs ---------------------------------
#
# Included by user.mk.  tools/build-newlib builds newlib from Debian's
# newlib-source tarball with the host gcc into $(BUILD)/newlib, once: the
# stamp records the script and tarball it was built from, and it is redone
# only when one of them changes (or after make clean).
#
# A program links it by saying `<name>_LIBC := newlib` in its prog.mk
# (user.mk): it is then compiled against newlib's headers (NEWLIB_CFLAGS:
# -nostdinc drops glibc's /usr/include; newlib's headers come first, then
# gcc's own stddef.h, stdarg.h, float.h ...) and linked with libc.a,
# libm.a and libc/posix, which gives newlib the system calls it makes
# under their POSIX names (write, read, sbrk ...; docs/libc.md).

NEWLIB_TARBALL := /usr/src/newlib/newlib-3.3.0.tar.xz
NEWLIB_STAMP   := $(BUILD)/newlib/stamp
NEWLIB_PREFIX  := $(abspath $(BUILD)/newlib/install)
NEWLIB_INCLUDE := $(NEWLIB_PREFIX)/x86_64-elf/include
NEWLIB_LIBC    := $(NEWLIB_PREFIX)/x86_64-elf/lib/libc.a
NEWLIB_LIBM    := $(NEWLIB_PREFIX)/x86_64-elf/lib/libm.a
# Valence has the POSIX timer and monotonic clock calls (libc/posix),
# which newlib's headers only declare for systems they know.
NEWLIB_CFLAGS  := -nostdinc -isystem $(NEWLIB_INCLUDE) \
	-isystem $(shell $(CC) -print-file-name=include) \
	-D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L

# Without the tarball (a fresh machine) the script runs tools/install-deps.
$(NEWLIB_STAMP): tools/build-newlib $(wildcard $(NEWLIB_TARBALL))
	NEWLIB_TARBALL=$(NEWLIB_TARBALL) tools/build-newlib $(BUILD)/newlib

# Installed by the script just before it writes the stamp.
$(NEWLIB_LIBC) $(NEWLIB_LIBM): $(NEWLIB_STAMP)

newlib: $(NEWLIB_LIBC) $(NEWLIB_LIBM)

all: newlib

.PHONY: newlib
