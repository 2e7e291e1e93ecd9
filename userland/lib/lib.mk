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
# $(UTIL_CONFIG), a header made here, holds VALENCE_VERSION, the kernel's
# version (`git describe`, as the Makefile gives the kernel), for uname.
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

define UTIL_CONFIG_TEXT
/* Made by userland/lib/lib.mk: do not edit. */
#define VALENCE_VERSION "$(VERSION)"
endef

ifneq ($(UTIL_CONFIG_TEXT),$(file <$(UTIL_CONFIG)))
$(shell mkdir -p $(dir $(UTIL_CONFIG)))
$(file >$(UTIL_CONFIG),$(UTIL_CONFIG_TEXT))
endif

endif
