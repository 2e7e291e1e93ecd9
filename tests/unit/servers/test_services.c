/*
 * Unit tests for init's service list (servers/init/services.c).
 *
 * Every line goes to svc_parse_line as an exact heap copy without a NUL,
 * so ASan reports any read past its end.  Covered: the example from
 * docs/services.md, defaults, every key, comments, quoting after "--",
 * many malformed lines with the text their message must contain, every
 * limit (one under and one over), the file reader (continuations, CRLF,
 * line numbers, bad and repeated lines skipped), back-off and restart
 * decisions.  `test_services --write-seed FILE` writes a sample list to
 * FILE (the fuzz corpus seed, see tests/fuzz/fuzz.mk).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "services.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static struct svc_entry e;
static char err[256];

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i])
			return false;
	}
	return true;
}

/* svc_parse_line on an exact, unterminated heap copy of s[0, len). */
static int parse_n(const char *s, size_t len)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, s, len);
	memset(err, 'x', sizeof(err));
	ret = svc_parse_line(copy, len, &e, err, sizeof(err));
	free(copy);
	assert_non_null(memchr(err, '\0', sizeof(err)));
	return ret;
}

static int parse(const char *s)
{
	return parse_n(s, strlen(s));
}

static void expect_ok(const char *s)
{
	int ret = parse(s);

	if (ret != 0)
		fail_msg("'%s': %d, %s", s, ret, err);
	assert_string_equal(err, "");
}

/* The line must be refused with a message containing `fragment`. */
static void expect_error(const char *s, const char *fragment)
{
	int ret = parse(s);

	if (ret != -EINVAL || !strstr(err, fragment))
		fail_msg("'%s': got %d '%s', want '%s'", s, ret, err, fragment);
	assert_true(all_zero(&e, sizeof(e)));
}

/* The arguments of e, joined with '|'. */
static const char *args_joined(void)
{
	static char buf[512];
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < e.nargs; i++) {
		const char *a = svc_arg(&e, i);

		assert_non_null(a);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
				      i ? "|" : "", a);
	}
	assert_null(svc_arg(&e, e.nargs));
	return buf;
}

static void test_serial_example(void **state)
{
	expect_ok("serial /bin/serial priority=driver ioport=0x3f8-0x3ff "
		  "irq=4 register=serial,log restart=always");
	assert_string_equal(e.name, "serial");
	assert_string_equal(e.binary, "/bin/serial");
	assert_int_equal(e.priority, PRIO_DRIVER);
	assert_int_equal(e.nioports, 1);
	assert_int_equal(e.ioports[0].first, 0x3f8);
	assert_int_equal(e.ioports[0].last, 0x3ff);
	assert_int_equal(e.nirqs, 1);
	assert_int_equal(e.irqs[0], 4);
	assert_int_equal(e.nregister, 2);
	assert_string_equal(e.register_names[0], "serial");
	assert_string_equal(e.register_names[1], "log");
	assert_int_equal(e.restart, SVC_RESTART_ALWAYS);
	assert_int_equal(e.nphys, 0);
	assert_false(e.see_all);
	assert_int_equal(e.nsee, 0);
	assert_int_equal(e.nneeds, 0);
	assert_int_equal(e.nargs, 0);
	assert_int_equal(e.line, 0);
}

/* The other example in docs/services.md. */
static void test_getty_example(void **state)
{
	expect_ok("getty /bin/getty see=tty,file needs=tty -- --term vt100 "
		  "\"Valence login: \"");
	assert_int_equal(e.nsee, 2);
	assert_int_equal(e.nneeds, 1);
	assert_string_equal(args_joined(), "--term|vt100|Valence login: ");
}

/* archive=yes hands the boot archive over (initfs). */
static void test_archive(void **state)
{
	expect_ok("initfs /bin/initfs archive=yes register=initfs");
	assert_true(e.archive);
	expect_ok("x /bin/x archive=no");
	assert_false(e.archive);
	expect_error("x /bin/x archive=1", "archive '1' must be yes or no");
	expect_error("x /bin/x archive=yes archive=no", "archive");
}

/* control=yes lets a service stop others through ns: (NS_SVC_KILL). */
static void test_control(void **state)
{
	expect_ok("ctl /bin/ctl control=yes see=echo");
	assert_true(e.control);
	expect_ok("x /bin/x control=no");
	assert_false(e.control);
	expect_ok("x /bin/x");
	assert_false(e.control);
	expect_error("x /bin/x control=YES", "control 'YES' must be yes or no");
	expect_error("x /bin/x control=", "empty value for 'control'");
	expect_error("x /bin/x control=yes control=yes",
		     "key 'control' given twice");
}

/* klog=yes hands the kernel log over (the log server). */
static void test_klog(void **state)
{
	expect_ok("log /bin/log klog=yes register=log");
	assert_true(e.klog);
	assert_false(e.archive);
	expect_ok("x /bin/x klog=no archive=yes");
	assert_false(e.klog);
	assert_true(e.archive);
	expect_error("x /bin/x klog=on", "klog 'on' must be yes or no");
	expect_error("x /bin/x klog=yes klog=yes", "klog");
	expect_error("x /bin/x klog=", "empty value for 'klog'");
}

static void test_defaults(void **state)
{
	struct svc_entry want;

	expect_ok("hello /bin/hello");
	memset(&want, 0, sizeof(want));
	strcpy(want.name, "hello");
	strcpy(want.binary, "/bin/hello");
	want.restart = SVC_RESTART_ON_FAILURE;
	want.priority = PRIO_APP;
	assert_memory_equal(&e, &want, sizeof(e));

	/* Blanks anywhere, tabs, and a binary behind a scheme. */
	expect_ok("\t a-b_9 \t initfs:/bin/x\t ");
	assert_string_equal(e.name, "a-b_9");
	assert_string_equal(e.binary, "initfs:/bin/x");
	expect_ok("x /a:b");
	assert_string_equal(e.binary, "/a:b");
}

static void test_every_key(void **state)
{
	expect_ok("blk /bin/ahci restart=never priority=17 "
		  "ioport=0x60-0x60 ioport=100-0x6F irq=0 irq=23 irq=0x0b "
		  "phys=0xfee00000+0x1000 phys=0xfd000000+4096:wc "
		  "phys=0x100000+0x200000:wb phys=0xfec00000+0x1000:uc "
		  "register=disk.ahci see=file,log,ns needs=pci,log");
	assert_int_equal(e.restart, SVC_RESTART_NEVER);
	assert_int_equal(e.priority, 17);
	assert_int_equal(e.nioports, 2);
	assert_int_equal(e.ioports[0].first, 0x60);
	assert_int_equal(e.ioports[0].last, 0x60);
	assert_int_equal(e.ioports[1].first, 100);
	assert_int_equal(e.ioports[1].last, 0x6f);
	assert_int_equal(e.nirqs, 3);
	assert_int_equal(e.irqs[0], 0);
	assert_int_equal(e.irqs[1], 23);
	assert_int_equal(e.irqs[2], 11);
	assert_int_equal(e.nphys, 4);
	assert_int_equal(e.phys[0].base, 0xfee00000);
	assert_int_equal(e.phys[0].size, 0x1000);
	assert_int_equal(e.phys[0].cache, MEM_CACHE_UC);
	assert_int_equal(e.phys[1].base, 0xfd000000);
	assert_int_equal(e.phys[1].size, 4096);
	assert_int_equal(e.phys[1].cache, MEM_CACHE_WC);
	assert_int_equal(e.phys[2].cache, MEM_CACHE_WB);
	assert_int_equal(e.phys[3].cache, MEM_CACHE_UC);
	assert_int_equal(e.nregister, 1);
	assert_string_equal(e.register_names[0], "disk.ahci");
	assert_false(e.see_all);
	assert_int_equal(e.nsee, 3);
	assert_string_equal(e.see[0], "file");
	assert_string_equal(e.see[2], "ns");
	assert_int_equal(e.nneeds, 2);
	assert_string_equal(e.needs[0], "pci");
	assert_string_equal(e.needs[1], "log");

	expect_ok("sh /bin/sh see=* restart=on-failure priority=app");
	assert_true(e.see_all);
	assert_int_equal(e.nsee, 0);
	assert_int_equal(e.restart, SVC_RESTART_ON_FAILURE);
	assert_int_equal(e.priority, PRIO_APP);
	expect_ok("a /bin/a priority=0");
	assert_int_equal(e.priority, 0);
	expect_ok("a /bin/a priority=31 restart=always");
	assert_int_equal(e.priority, 31);

	/* The top page and all of the port space. */
	expect_ok("a /bin/a phys=0xfffffffffffff000+0x1000 ioport=0-0xffff "
		  "phys=0+0x1000");
	assert_int_equal(e.phys[0].base, 0xfffffffffffff000ull);
	assert_int_equal(e.ioports[0].last, 0xffff);
}

static void test_blank_and_comments(void **state)
{
	static const char *const lines[] = {
		"",
		" ",
		"\t \t",
		"#",
		"# serial /bin/serial",
		"   #x",
		"#\"unterminated",
		"# -- \"",
	};

	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		memset(&e, 0x5a, sizeof(e));
		assert_int_equal(parse(lines[i]), 1);
		assert_string_equal(err, "");
		assert_true(all_zero(&e, sizeof(e)));
	}
	assert_int_equal(svc_parse_line(NULL, 0, &e, NULL, 0), 1);

	/* A comment ends the line, even in the middle of a word. */
	expect_ok("a /bin/a irq=4 # irq=5 prio=x");
	assert_int_equal(e.nirqs, 1);
	expect_ok("a /bin/a irq=4#5");
	assert_int_equal(e.irqs[0], 4);
	expect_ok("a /bin/a#x");
	assert_string_equal(e.binary, "/bin/a");
	expect_ok("a /bin/a -- x # y \"");
	assert_string_equal(args_joined(), "x");
	expect_error("a#x", "missing binary");
}

static void test_arguments(void **state)
{
	expect_ok("a /bin/a --");
	assert_int_equal(e.nargs, 0);
	assert_int_equal(e.args_len, 0);

	expect_ok("a /bin/a irq=1 -- -v  --baud=9600\tx");
	assert_int_equal(e.nargs, 3);
	assert_string_equal(args_joined(), "-v|--baud=9600|x");
	assert_int_equal(e.args_len, sizeof("-v--baud=9600x") - 1 + 3);
	assert_memory_equal(e.args, "-v\0--baud=9600\0x", e.args_len);
	assert_int_equal(e.nirqs, 1);

	/* Quotes group blanks and '#', "" is an empty argument. */
	expect_ok("a /bin/a -- \"hello  world\" \"\" \"#not a comment\" "
		  "x\"y z\"w \"a\\\"b\" \"c\\\\d\" --");
	assert_string_equal(args_joined(),
			    "hello  world||#not a comment|xy zw|a\"b|c\\d|--");

	/* Outside quotes a backslash is ordinary; keys after -- are args. */
	expect_ok("a /bin/a -- C:\\dir irq=99 a\\b");
	assert_string_equal(args_joined(), "C:\\dir|irq=99|a\\b");
	assert_int_equal(e.nirqs, 0);

	/* Before --, quotes are ordinary characters. */
	expect_error("a /bin/a register=\"x\"", "scheme '\"x\"'");
}

static void test_errors(void **state)
{
	static const struct {
		const char *line, *fragment;
	} cases[] = {
		{ "Serial /bin/serial",
		  "name 'Serial' must be [a-z0-9_-], 1..15 chars" },
		{ "se.rial /bin/serial", "name 'se.rial' must be" },
		{ "serial", "missing binary after the name 'serial'" },
		{ "serial   # /bin/serial", "missing binary" },
		{ "serial -- /bin/serial", "missing binary" },
		{ "serial bin/serial",
		  "binary 'bin/serial' must be /path or scheme:/path" },
		{ "serial irq=4",
		  "binary 'irq=4' must be /path or scheme:/path" },
		{ "serial :/bin/x", "must be /path or scheme:/path" },
		{ "serial Init:/bin/x", "must be /path or scheme:/path" },
		{ "serial initfs:bin/x", "must be /path or scheme:/path" },
		{ "s /bin/s prio=1", "unknown key 'prio'" },
		{ "s /bin/s IRQ=1", "unknown key 'IRQ'" },
		{ "s /bin/s =4", "unknown key ''" },
		{ "s /bin/s irq", "expected key=value or --, got 'irq'" },
		{ "s /bin/s -", "expected key=value or --, got '-'" },
		{ "s /bin/s ---", "expected key=value or --, got '---'" },
		{ "s /bin/s irq=", "empty value for 'irq'" },
		{ "s /bin/s see=", "empty value for 'see'" },
		{ "s /bin/s restart=", "empty value for 'restart'" },
		{ "s /bin/s irq=24", "irq 24 out of range 0..23" },
		{ "s /bin/s irq=0x18", "irq 0x18 out of range 0..23" },
		{ "s /bin/s irq=99999999999999999999999",
		  "irq 99999999999999999999999 out of range 0..23" },
		{ "s /bin/s irq=-1", "irq '-1' is not a number" },
		{ "s /bin/s irq=4x", "irq '4x' is not a number" },
		{ "s /bin/s irq=0x", "irq '0x' is not a number" },
		{ "s /bin/s irq=+4", "irq '+4' is not a number" },
		{ "s /bin/s irq=4 irq=5 irq=4", "irq 4 given twice" },
		{ "s /bin/s restart=sometimes",
		  "restart 'sometimes' must be always, on-failure or never" },
		{ "s /bin/s restart=always restart=always",
		  "key 'restart' given twice" },
		{ "s /bin/s priority=32", "priority 32 out of range 0..31" },
		{ "s /bin/s priority=18446744073709551616",
		  "priority 18446744073709551616 out of range 0..31" },
		{ "s /bin/s priority=high",
		  "priority 'high' must be driver, app or 0..31" },
		{ "s /bin/s priority=1 priority=2",
		  "key 'priority' given twice" },
		{ "s /bin/s ioport=0x3ff-0x3f8",
		  "ioport 0x3ff-0x3f8: first above last" },
		{ "s /bin/s ioport=0x3f8",
		  "ioport '0x3f8' must be FIRST-LAST" },
		{ "s /bin/s ioport=0x3f8-", "must be FIRST-LAST" },
		{ "s /bin/s ioport=-0x3f8", "must be FIRST-LAST" },
		{ "s /bin/s ioport=1-2-3", "must be FIRST-LAST" },
		{ "s /bin/s ioport=a-b", "must be FIRST-LAST" },
		{ "s /bin/s ioport=0x3f8-0x10000",
		  "ioport 0x3f8-0x10000 out of range 0..0xffff" },
		{ "s /bin/s ioport=0x3f8-99999999999999999999999",
		  "out of range 0..0xffff" },
		{ "s /bin/s ioport=0x3f8-0x3ff ioport=0x3f0-0x3f8",
		  "ioport 0x3f0-0x3f8 overlaps an earlier range" },
		{ "s /bin/s ioport=1-9 ioport=2-3", "overlaps" },
		{ "s /bin/s phys=0xfee00000",
		  "phys '0xfee00000' must be BASE+SIZE[:wb|uc|wc]" },
		{ "s /bin/s phys=+0x1000", "must be BASE+SIZE" },
		{ "s /bin/s phys=0x1000+", "must be BASE+SIZE" },
		{ "s /bin/s phys=0x1000+0x1000+0x1000", "must be BASE+SIZE" },
		{ "s /bin/s phys=0x1000:wb+0x1000", "must be BASE+SIZE" },
		{ "s /bin/s phys=0xfee00001+0x1000",
		  "phys 0xfee00001+0x1000: base not page-aligned" },
		{ "s /bin/s phys=0xfee00000+0",
		  "phys 0xfee00000+0: size is zero" },
		{ "s /bin/s phys=0xfee00000+0x800", "size not page-aligned" },
		{ "s /bin/s phys=0xfffffffffffff000+0x2000",
		  "range wraps past 2^64" },
		{ "s /bin/s phys=0x2000+0xfffffffffffff000",
		  "range wraps past 2^64" },
		{ "s /bin/s phys=0x10000000000000000+0x1000",
		  "number above 2^64" },
		{ "s /bin/s phys=0x1000+0x1000:xx",
		  "phys 0x1000+0x1000:xx: cache mode must be wb, uc or wc" },
		{ "s /bin/s phys=0x1000+0x1000:", "cache mode" },
		{ "s /bin/s phys=0x1000+0x1000:WB", "cache mode" },
		{ "s /bin/s phys=0x1000+0x1000:wb:wb", "cache mode" },
		{ "s /bin/s phys=0x1000+0x2000 phys=0x2000+0x1000",
		  "phys 0x2000+0x1000 overlaps an earlier range" },
		{ "s /bin/s register=Serial",
		  "scheme 'Serial' must be [a-z0-9._-], 1..31 chars" },
		{ "s /bin/s register=a,,b",
		  "register: empty scheme name in the list" },
		{ "s /bin/s register=a,", "register: empty scheme name" },
		{ "s /bin/s register=,a", "register: empty scheme name" },
		{ "s /bin/s register=a,b,a",
		  "register: scheme 'a' listed twice" },
		{ "s /bin/s register=a register=b",
		  "key 'register' given twice" },
		{ "s /bin/s register=a:b", "scheme 'a:b' must be" },
		{ "s /bin/s see=*,file", "scheme '*' must be" },
		{ "s /bin/s see=**", "scheme '**' must be" },
		{ "s /bin/s see=* see=*", "key 'see' given twice" },
		{ "s /bin/s needs=pci,pci",
		  "needs: scheme 'pci' listed twice" },
		{ "s /bin/s -- \"abc", "unterminated quote" },
		{ "s /bin/s -- abc\"", "unterminated quote" },
		{ "s /bin/s -- \"a\\nb\"",
		  "bad escape in quotes: use \\\" or \\\\" },
		{ "s /bin/s -- \"a\\\"", "unterminated quote" },
		{ "s /bin/s\x01", "control character 0x1 in the line" },
		{ "s /bin/s -- \"\x1b[0m\"", "control character 0x1b" },
		{ "s /bin/s\x7f", "control character 0x7f" },
		{ "s /bin/s\r", "control character 0xd" },
		{ "s /bin/s\n", "control character 0xa" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_error(cases[i].line, cases[i].fragment);

	/* A NUL byte inside the given length. */
	assert_int_equal(parse_n("s /bin/s\0irq=4", 14), -EINVAL);
	assert_non_null(strstr(err, "control character 0x0"));
}

/* "a /bin/a " followed by `count` copies of fmt (one %u: the index). */
static const char *repeat(const char *head, const char *fmt, unsigned count)
{
	static char buf[SVC_LINE_MAX * 2];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "%s", head);

	for (unsigned i = 0; i < count; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, fmt, i, i);
	assert_true(n < sizeof(buf));
	return buf;
}

static void test_limits(void **state)
{
	char line[SVC_LINE_MAX * 2];

	expect_ok(repeat("a /bin/a", " irq=%u", SVC_MAX_IRQS));
	assert_int_equal(e.nirqs, 8);
	expect_error(repeat("a /bin/a", " irq=%u", SVC_MAX_IRQS + 1),
		     "more than 8 irqs");
	expect_ok(repeat("a /bin/a", " ioport=%u-%u", SVC_MAX_IOPORTS));
	assert_int_equal(e.nioports, 8);
	expect_error(repeat("a /bin/a", " ioport=%u-%u", SVC_MAX_IOPORTS + 1),
		     "more than 8 ioport ranges");
	expect_ok(repeat("a /bin/a", " phys=0x%u000000+0x1000", SVC_MAX_PHYS));
	assert_int_equal(e.nphys, 8);
	assert_int_equal(e.phys[7].base, 0x7000000);
	expect_error(
		repeat("a /bin/a", " phys=0x%u000000+0x1000", SVC_MAX_PHYS + 1),
		"more than 8 phys ranges");

	expect_ok(repeat("a /bin/a register=s", ",s%u", SVC_MAX_REGISTER - 1));
	assert_int_equal(e.nregister, 8);
	expect_error(repeat("a /bin/a register=s", ",s%u", SVC_MAX_REGISTER),
		     "register: more than 8 schemes");
	expect_ok(repeat("a /bin/a see=s", ",s%u", SVC_MAX_SEE - 1));
	assert_int_equal(e.nsee, 16);
	expect_error(repeat("a /bin/a see=s", ",s%u", SVC_MAX_SEE),
		     "see: more than 16 schemes");
	expect_ok(repeat("a /bin/a needs=s", ",s%u", SVC_MAX_NEEDS - 1));
	assert_int_equal(e.nneeds, 8);
	expect_error(repeat("a /bin/a needs=s", ",s%u", SVC_MAX_NEEDS),
		     "needs: more than 8 schemes");

	/* Names, binaries and scheme names: the longest, and one more. */
	expect_ok("abcdefghijklmno /bin/a");
	assert_string_equal(e.name, "abcdefghijklmno");
	expect_error("abcdefghijklmnop /bin/a", "1..15 chars");
	memset(line, 0, sizeof(line));
	memcpy(line, "a /", 3);
	memset(line + 3, 'b', SVC_BINARY_MAX - 1);
	expect_ok(line);
	assert_int_equal(strlen(e.binary), SVC_BINARY_MAX);
	line[3 + SVC_BINARY_MAX - 1] = 'b';
	expect_error(line, "longer than 63 chars");
	expect_ok("a /bin/a register=abcdefghijklmnopqrstuvwxyz.-_01");
	assert_string_equal(e.register_names[0],
			    "abcdefghijklmnopqrstuvwxyz.-_01");
	expect_error("a /bin/a register=abcdefghijklmnopqrstuvwxyz.-_012",
		     "1..31 chars");
	expect_ok("a abcdefghijklmnopqrstuvwxyz.-_01:/x");
	expect_error("a abcdefghijklmnopqrstuvwxyz.-_012:/x",
		     "must be /path or scheme:/path");

	/* Arguments: 16, and 256 bytes with their NULs. */
	expect_ok(repeat("a /bin/a --", " %u", SVC_MAX_ARGS));
	assert_int_equal(e.nargs, 16);
	expect_error(repeat("a /bin/a --", " %u", SVC_MAX_ARGS + 1),
		     "more than 16 arguments");
	/* 15 arguments of 16 bytes + one of 16: 256 in all. */
	expect_ok(repeat("a /bin/a --", " %015u", 16));
	assert_int_equal(e.args_len, 256);
	assert_string_equal(svc_arg(&e, 15), "000000000000015");
	expect_error(repeat("a /bin/a -- x", " %015u", 16),
		     "more than 16 arguments");
	/* 17 + 15 * 16 = 257 bytes. */
	expect_error(repeat("a /bin/a -- xxxxxxxxxxxxxxxx", " %015u", 15),
		     "arguments longer than 256 bytes in all");

	/* The line: 512 characters, and 513. */
	memset(line, 0, sizeof(line));
	memcpy(line, "a /bin/a", 8);
	memset(line + 8, ' ', SVC_LINE_MAX - 8);
	expect_ok(line);
	line[SVC_LINE_MAX] = ' ';
	expect_error(line, "line longer than 512 chars");
}

static void test_error_message_handling(void **state)
{
	char small[8];
	char big[40];

	/* Cut to the buffer, always terminated; no buffer at all. */
	memset(small, 'x', sizeof(small));
	assert_int_equal(
		svc_parse_line("s /bin/s prio=1", 15, &e, small, sizeof(small)),
		-EINVAL);
	assert_string_equal(small, "unknown");
	memset(small, 'x', sizeof(small));
	assert_int_equal(svc_parse_line("s /bin/s prio=1", 15, &e, small, 1),
			 -EINVAL);
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'x');
	assert_int_equal(svc_parse_line("s /bin/s prio=1", 15, &e, NULL, 0),
			 -EINVAL);
	assert_int_equal(svc_parse_line("s /bin/s prio=1", 15, &e, NULL, 99),
			 -EINVAL);

	/* A long word is cut short so that the message still says why. */
	expect_error(repeat("s /bin/s irq=", "%u", 30),
		     "irq 0123456789101112131415161718192021222324... out of "
		     "range 0..23");

	/* Success clears an old message. */
	memset(big, 'x', sizeof(big));
	assert_int_equal(svc_parse_line("s /bin/s", 8, &e, big, sizeof(big)),
			 0);
	assert_string_equal(big, "");
}

/* ---- the reader ---- */

static struct svc_reader rd;

static int next(void)
{
	memset(&e, 0x5a, sizeof(e));
	memset(err, 'x', sizeof(err));
	return svc_next(&rd, &e, err, sizeof(err));
}

static void expect_next_ok(const char *name, uint32_t line)
{
	int ret = next();

	if (ret != 0)
		fail_msg("want %s: %d, %s", name, ret, err);
	assert_string_equal(e.name, name);
	assert_int_equal(e.line, line);
	assert_string_equal(err, "");
}

static void expect_next_error(const char *message)
{
	int ret = next();

	if (ret != -EINVAL || strcmp(err, message) != 0)
		fail_msg("got %d '%s', want '%s'", ret, err, message);
	assert_true(all_zero(&e, sizeof(e)));
}

static void expect_end(void)
{
	assert_int_equal(next(), 1);
	assert_string_equal(err, "");
	assert_true(all_zero(&e, sizeof(e)));
	assert_int_equal(next(), 1);
}

/* Starts the reader on an exact heap copy of text (freed by the caller). */
static char *reader_on(const char *text)
{
	size_t len = strlen(text);
	char *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	memcpy(copy, text, len);
	svc_reader_init(&rd, copy, len);
	return copy;
}

static const char sample[] =
	"# /etc/services: what init starts\n"
	"\n"
	"serial /bin/serial priority=driver ioport=0x3f8-0x3ff irq=4 \\\n"
	"       register=serial,log restart=always\n"
	"  # indented comment\n"
	"ps2 /bin/ps2 priority=driver ioport=0x60-0x60 ioport=0x64-0x64 "
	"irq=1 irq=12 register=kbd,mouse\n"
	"bad /bin/bad prio=1\n"
	"display /bin/display phys=0xfd000000+0x300000:wc \\\r\n"
	"\tregister=display see=kbd,mouse needs=kbd   # after ps2\r\n"
	"serial /bin/serial2\n"
	"sh /bin/sh see=* -- -l \"two words\"";

static void test_reader(void **state)
{
	char *text = reader_on(sample);

	expect_next_ok("serial", 3);
	assert_int_equal(e.nregister, 2);
	assert_int_equal(e.restart, SVC_RESTART_ALWAYS);
	expect_next_ok("ps2", 6);
	assert_int_equal(e.nirqs, 2);
	expect_next_error("line 7: unknown key 'prio'");
	expect_next_ok("display", 8);
	assert_int_equal(e.phys[0].cache, MEM_CACHE_WC);
	assert_int_equal(e.nneeds, 1);
	assert_string_equal(e.needs[0], "kbd");
	expect_next_error("line 10: service 'serial' already defined on "
			  "line 3");
	expect_next_ok("sh", 11);
	assert_true(e.see_all);
	assert_string_equal(args_joined(), "-l|two words");
	expect_end();
	free(text);

	/* The repeated and the bad names were not kept. */
	assert_int_equal(rd.nseen, 4);
}

static void test_reader_continuations(void **state)
{
	char *text, *big;

	/* A backslash continues a comment too; and inside quotes. */
	text = reader_on("# a /bin/a \\\n"
			 "b /bin/b\n"
			 "c /bin/c -- \"x\\\n"
			 "y\"\n"
			 "d /bin/d \\\n"
			 "\\\n"
			 "\n"
			 "e /bin/e \\");
	expect_next_ok("c", 3);
	assert_string_equal(args_joined(), "x y");
	expect_next_ok("d", 5);
	expect_next_ok("e", 8);
	expect_end();
	free(text);

	/* Only a backslash at the very end continues; CRLF and bare CR. */
	text = reader_on("a /bin/a \\ \nb /bin/b\r\n\r\nc /bin/c\r\r\n");
	expect_next_error("line 1: expected key=value or --, got '\\'");
	expect_next_ok("b", 2);
	expect_next_error("line 4: control character 0xd in the line");
	expect_end();
	free(text);

	/* A joined line over 512 characters is one error; then it goes on. */
	big = malloc(2 * SVC_LINE_MAX);
	assert_non_null(big);
	memset(big, ' ', 2 * SVC_LINE_MAX);
	memcpy(big, "a /bin/a", 8);
	memcpy(big + 300, "\\\n", 2);
	memcpy(big + 600, "\\\n \nb /bin/b\n", 13);
	big[613] = '\0';
	text = reader_on(big);
	expect_next_error("line 1: longer than 512 chars");
	expect_next_ok("b", 4);
	expect_end();
	free(text);

	/* Exactly 512 after joining (the backslash becomes a space). */
	memset(big, ' ', 2 * SVC_LINE_MAX);
	memcpy(big, "a /bin/a", 8);
	memcpy(big + 299, "\\\n", 2);
	big[301 + 212] = '\0';
	text = reader_on(big);
	expect_next_ok("a", 1);
	expect_end();
	free(text);
	free(big);
}

static void test_reader_edges(void **state)
{
	char small[10];
	char *text;

	svc_reader_init(&rd, NULL, 5);
	expect_end();
	text = reader_on("");
	expect_end();
	free(text);
	text = reader_on("\n\n# only comments\n   \n");
	expect_end();
	assert_int_equal(rd.line, 4);
	free(text);

	/* Text after a NUL is still read; the NUL line is an error. */
	svc_reader_init(&rd, "a /bin/a\0\nb /bin/b\n", 19);
	expect_next_error("line 1: control character 0x0 in the line");
	expect_next_ok("b", 2);
	expect_end();

	/* Messages are cut to the buffer; err may be NULL. */
	svc_reader_init(&rd, "x\nx /bin/x\nx /bin/x\n", 20);
	assert_int_equal(svc_next(&rd, &e, small, sizeof(small)), -EINVAL);
	assert_string_equal(small, "line 1: m");
	assert_int_equal(svc_next(&rd, &e, NULL, 0), 0);
	assert_int_equal(svc_next(&rd, &e, small, 3), -EINVAL);
	assert_string_equal(small, "li");
	assert_int_equal(svc_next(&rd, &e, small, 0), 1);
}

static void test_reader_too_many(void **state)
{
	char *buf = malloc((SVC_MAX_SERVICES + 2) * 32);
	size_t n = 0;

	assert_non_null(buf);
	for (unsigned i = 0; i < SVC_MAX_SERVICES + 1; i++)
		n += (size_t)sprintf(buf + n, "s%u /bin/s\n", i);
	sprintf(buf + n, "s0 /bin/s\n");
	svc_reader_init(&rd, buf, strlen(buf));
	for (unsigned i = 0; i < SVC_MAX_SERVICES; i++)
		assert_int_equal(next(), 0);
	expect_next_error("line 65: more than 64 services");
	expect_next_error("line 66: service 's0' already defined on line 1");
	expect_end();
	free(buf);
}

/* ---- restarts ---- */

static void test_backoff(void **state)
{
	static const uint64_t want[] = { 0,    100,  200,  400,	  800,
					 1600, 3200, 6400, 10000, 10000 };

	for (unsigned i = 0; i < ARRAY_SIZE(want); i++)
		assert_int_equal(svc_backoff_ms(i), want[i]);
	assert_int_equal(svc_backoff_ms(63), SVC_BACKOFF_MAX_MS);
	assert_int_equal(svc_backoff_ms(64), SVC_BACKOFF_MAX_MS);
	assert_int_equal(svc_backoff_ms(1000), SVC_BACKOFF_MAX_MS);
	assert_int_equal(svc_backoff_ms(UINT32_MAX), SVC_BACKOFF_MAX_MS);
}

static void test_should_restart(void **state)
{
	static const int statuses[] = {
		WAIT_EXITED(0),		 WAIT_EXITED(1),
		WAIT_EXITED(255),	 WAIT_SIGNALED(SIG_SEGV),
		WAIT_SIGNALED(SIG_KILL),
	};

	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++) {
		int s = statuses[i];

		assert_true(svc_should_restart(SVC_RESTART_ALWAYS, s));
		assert_false(svc_should_restart(SVC_RESTART_NEVER, s));
		assert_int_equal(svc_should_restart(SVC_RESTART_ON_FAILURE, s),
				 s != 0);
	}
}

/* The sample list, as the fuzzer's seed. */
static int write_seed(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f ||
	    fwrite(sample, 1, sizeof(sample) - 1, f) != sizeof(sample) - 1)
		return 1;
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serial_example),
		cmocka_unit_test(test_getty_example),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_archive),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_klog),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_blank_and_comments),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_error_message_handling),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_reader_continuations),
		cmocka_unit_test(test_reader_edges),
		cmocka_unit_test(test_reader_too_many),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_should_restart),
	};

	if (argc == 3 && strcmp(argv[1], "--write-seed") == 0)
		return write_seed(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
