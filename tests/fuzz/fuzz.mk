# libFuzzer targets (clang).  `make fuzz` runs them all, each for
# FUZZ_SECONDS; crashes are written to $(BUILD)/fuzz/ as crash-<sha1>.
# Needs clang's libFuzzer runtime (Debian: libclang-rt-<version>-dev, shipped
# with clang 14 on bookworm).

# Included by the Makefile: keep whatever its default goal is.
fuzz_saved_goal := $(.DEFAULT_GOAL)

BUILD        ?= build
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Wall -Wextra -Wno-unused-parameter \
	-Ikernel/include -Iinclude

$(BUILD)/fuzz/fuzz_elf: tests/fuzz/fuzz_elf.c kernel/lib/elf.c kernel/include/elf.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_elf.c kernel/lib/elf.c

# Seed: the unit test's valid two-segment image.
$(BUILD)/fuzz/corpus_elf/valid.elf: $(BUILD)/unit/lib/test_elf
	@mkdir -p $(dir $@)
	$< --write-seed $@

fuzz-elf: $(BUILD)/fuzz/fuzz_elf $(BUILD)/fuzz/corpus_elf/valid.elf
	$(BUILD)/fuzz/fuzz_elf -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus_elf

$(BUILD)/fuzz/fuzz_tar: tests/fuzz/fuzz_tar.c kernel/lib/tar.c kernel/include/tar.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_tar.c kernel/lib/tar.c

# Seed: the unit test's valid three-file archive.
$(BUILD)/fuzz/corpus_tar/valid.tar: $(BUILD)/unit/lib/test_tar
	@mkdir -p $(dir $@)
	$< --write-seed $@

fuzz-tar: $(BUILD)/fuzz/fuzz_tar $(BUILD)/fuzz/corpus_tar/valid.tar
	$(BUILD)/fuzz/fuzz_tar -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus_tar

$(BUILD)/fuzz/fuzz_services: tests/fuzz/fuzz_services.c servers/init/services.c \
		servers/init/services.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iservers/init -o $@ tests/fuzz/fuzz_services.c \
		servers/init/services.c

# Seed: the unit test's sample service list.
$(BUILD)/fuzz/corpus_services/sample: $(BUILD)/unit/servers/test_services
	@mkdir -p $(dir $@)
	$< --write-seed $@

fuzz-services: $(BUILD)/fuzz/fuzz_services $(BUILD)/fuzz/corpus_services/sample
	$(BUILD)/fuzz/fuzz_services -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus_services

$(BUILD)/fuzz/fuzz_path: tests/fuzz/fuzz_path.c libc/path.c \
		libc/include/valence/path.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Ilibc/include -o $@ tests/fuzz/fuzz_path.c \
		libc/path.c

# Seed: the unit test's "cwd\0path" sample.
$(BUILD)/fuzz/corpus_path/sample: $(BUILD)/unit/libc/test_path
	@mkdir -p $(dir $@)
	$< --write-seed $@

fuzz-path: $(BUILD)/fuzz/fuzz_path $(BUILD)/fuzz/corpus_path/sample
	$(BUILD)/fuzz/fuzz_path -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus_path

TMPFS_TREE := servers/tmpfs/tree.c servers/tmpfs/ops.c servers/tmpfs/data.c

$(BUILD)/fuzz/fuzz_tmpfs: tests/fuzz/fuzz_tmpfs.c $(TMPFS_TREE) \
		servers/tmpfs/tmpfs.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iservers/tmpfs -o $@ tests/fuzz/fuzz_tmpfs.c \
		$(TMPFS_TREE)

# No seed: programs of operations grow from nothing quickly.
fuzz-tmpfs: $(BUILD)/fuzz/fuzz_tmpfs
	@mkdir -p $(BUILD)/fuzz/corpus_tmpfs
	$(BUILD)/fuzz/fuzz_tmpfs -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus_tmpfs

$(BUILD)/fuzz/fuzz_ldisc: tests/fuzz/fuzz_ldisc.c servers/tty/ldisc.c \
		servers/tty/ldisc.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iservers/tty -Ilibc/include -o $@ \
		tests/fuzz/fuzz_ldisc.c servers/tty/ldisc.c

# No seed: typed bytes and commands grow from nothing quickly.
fuzz-ldisc: $(BUILD)/fuzz/fuzz_ldisc
	@mkdir -p $(BUILD)/fuzz/corpus_ldisc
	$(BUILD)/fuzz/fuzz_ldisc -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus_ldisc

SH_PARSERS := userland/sh/lex.c userland/sh/parse.c userland/sh/arith.c \
	userland/sh/match.c userland/sh/vars.c userland/sh/util.c

$(BUILD)/fuzz/fuzz_sh: tests/fuzz/fuzz_sh.c $(SH_PARSERS) userland/sh/sh.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -D_GNU_SOURCE -Iuserland/sh -o $@ \
		tests/fuzz/fuzz_sh.c $(SH_PARSERS)

# Seeds: a few commands of each kind.
fuzz-sh: $(BUILD)/fuzz/fuzz_sh
	@mkdir -p $(BUILD)/fuzz/corpus_sh
	printf '\000if a; then b | c > f 2>&1; fi\nfor x in "$$@"; do case $$x in a*) :;; esac; done <<EOF\n$$x\nEOF\n' \
		> $(BUILD)/fuzz/corpus_sh/script
	printf '\001x = (1 + 2) * y-- ? z <<= 3 : -4 %% 5' > $(BUILD)/fuzz/corpus_sh/arith
	printf '\002[!a-c]*\\?x[[:digit:]]\000bxy?x1' > $(BUILD)/fuzz/corpus_sh/pattern
	$(BUILD)/fuzz/fuzz_sh -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus_sh

fuzz: fuzz-elf fuzz-tar fuzz-services fuzz-path fuzz-tmpfs fuzz-ldisc fuzz-sh

.PHONY: fuzz fuzz-elf fuzz-tar fuzz-services fuzz-path fuzz-tmpfs fuzz-ldisc \
	fuzz-sh

.DEFAULT_GOAL := $(fuzz_saved_goal)
