# ---- libutil: what the utilities in userland/ share -------------------------
#
# A utility's prog.mk includes this file and links the library:
#
#   include userland/lib/lib.mk
#   USER_PROGS += cat
#   cat_SRCS := userland/cat/main.c
#   cat_LIBC := newlib
#   cat_CFLAGS := $(UTIL_CFLAGS)
#   cat_LIBS := $(UTIL_LIB)
#
# $(UTIL_LIB) is an archive, one topic a file (util.h), so that a program
# carries only what it calls: `true` does not get strftime's time zones.
#
# $(UTIL_CONFIG), a header made here, holds what is found when make runs:
# VALENCE_VERSION (the kernel's version, `git describe`, for uname) and
# LIBC_HAS_<CALL> for the calls libc/posix may not define yet (compat.c).
# It is rewritten only when its text changes, so that what includes it is
# rebuilt then and only then.

ifndef USERLAND_LIB_MK
USERLAND_LIB_MK := 1

UTIL_CONFIG := $(BUILD)/user/gen/util_config.h
UTIL_CFLAGS := -Iuserland/lib -I$(dir $(UTIL_CONFIG))
UTIL_LIB := $(BUILD)/user/libutil.a
UTIL_LIB_SRCS := $(sort $(wildcard userland/lib/*.c))
UTIL_LIB_OBJS := $(UTIL_LIB_SRCS:%.c=$(BUILD)/user/libutil/%.o)

$(UTIL_LIB_OBJS): $(BUILD)/user/libutil/%.o: %.c | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(USER_NEWLIB_CFLAGS) $(UTIL_CFLAGS) -c $< -o $@

$(UTIL_LIB): $(UTIL_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# 1 when some file of libc/posix defines NAME() at the start of a line
# (the way this code base writes definitions), else 0.  (The parenthesis
# is in a variable: make would count it.)
util_paren := (
util_libc_has = $(if $(shell grep -lE '^[a-z_][a-z_0-9 ]*[ *]$(1)\$(util_paren)' \
	libc/posix/*.c 2>/dev/null),1,0)

define UTIL_CONFIG_TEXT
/* Made by userland/lib/lib.mk: do not edit. */
#define VALENCE_VERSION "$(VERSION)"
#define LIBC_HAS_CHMOD $(call util_libc_has,chmod)
#define LIBC_HAS_SYMLINK $(call util_libc_has,symlink)
#define LIBC_HAS_READLINK $(call util_libc_has,readlink)
#define LIBC_HAS_UTIMES $(call util_libc_has,utimes)
#define LIBC_HAS_UMASK $(call util_libc_has,umask)
endef

ifneq ($(UTIL_CONFIG_TEXT),$(file <$(UTIL_CONFIG)))
$(shell mkdir -p $(dir $(UTIL_CONFIG)))
$(file >$(UTIL_CONFIG),$(UTIL_CONFIG_TEXT))
endif

endif
