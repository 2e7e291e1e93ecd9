/*
 * Unit tests for the kernel's ksnprintf / kvsnprintf (kernel/lib/printf.c).
 *
 * Covered: every conversion (%d %i %u %x %X %o %p %s %c %%), widths with
 * the '-' and '0' flags, the l / ll / z length modifiers, extreme values
 * (INT_MIN, LLONG_MIN, ULLONG_MAX), NULL strings and pointers, truncation
 * (the return value is the full length, the buffer is always terminated
 * and nothing past `size` is written), size 0, and odd format strings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <limits.h>
#include <sys/types.h>
#include <cmocka.h>

#include "lib.h"

#define BUF	256
#define SENTINEL 0x5a

static char out[BUF + 16];

/*
 * Formats into `out` with room for `size` bytes and checks that nothing
 * at or past out[size] was written.  Returns what ksnprintf returned.
 */
static int fmt_v(size_t size, const char *fmt, va_list ap)
{
	int n;

	memset(out, SENTINEL, sizeof(out));
	n = kvsnprintf(out, size, fmt, ap);
	for (size_t i = size; i < sizeof(out); i++)
		if ((unsigned char)out[i] != SENTINEL)
			fail_msg("byte %zu written with size %zu (\"%s\")", i,
				 size, fmt);
	return n;
}

/* Not declared __printf, so formats gcc would reject can be tried too. */
static int fmt_n(size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_v(size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * Checks the complete output of one format (failures are reported at the
 * caller's line); gcc checks the arguments against the format.
 */
static void __attribute__((format(printf, 4, 5)))
expect_at(const char *file, int line, const char *want, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_v(BUF, fmt, ap);
	va_end(ap);
	_assert_string_equal(out, want, file, line);
	_assert_int_equal((unsigned long)n, strlen(want), file, line);
}
#define expect(...) expect_at(__FILE__, __LINE__, __VA_ARGS__)

/* ---- conversions ---- */

static void test_plain_text(void **state)
{
	expect("", "%s", "");
	expect("hello, world", "hello, world");
	expect("100%", "100%%");
	expect("%%", "%%%%");
	assert_int_equal(fmt_n(BUF, ""), 0);
	assert_string_equal(out, "");
}

static void test_signed(void **state)
{
	expect("0", "%d", 0);
	expect("42", "%d", 42);
	expect("-7", "%i", -7);
	expect("2147483647", "%d", INT_MAX);
	expect("-2147483648", "%d", INT_MIN);
	expect("-2147483648", "%i", INT_MIN);
	expect("9223372036854775807", "%ld", LONG_MAX);
	expect("-9223372036854775808", "%ld", LONG_MIN);
	expect("-9223372036854775808", "%lld", LLONG_MIN);
	expect("9223372036854775807", "%lli", LLONG_MAX);
	expect("-1", "%ld", -1L);
	expect("-5", "%zd", (ssize_t)-5);
	expect("a-1b2c", "a%db%dc", -1, 2);
}

static void test_unsigned(void **state)
{
	expect("0", "%u", 0u);
	expect("3000000000", "%u", 3000000000u);
	expect("4294967295", "%u", UINT_MAX);
	expect("4294967295", "%u", (unsigned)-1);
	expect("18446744073709551615", "%lu", ULONG_MAX);
	expect("18446744073709551615", "%llu", ULLONG_MAX);
	expect("18446744073709551615", "%zu", SIZE_MAX);
	expect("4096", "%zu", (size_t)4096);
}

static void test_hex_octal(void **state)
{
	expect("0", "%x", 0u);
	expect("beef", "%x", 0xbeefu);
	expect("BEEF", "%X", 0xbeefu);
	expect("ffffffff", "%x", UINT_MAX);
	expect("ffffffffffffffff", "%lx", ULONG_MAX);
	expect("FFFFFFFFFFFFFFFF", "%llX", ULLONG_MAX);
	expect("ffff800000000000", "%lx", 0xffff800000000000UL);
	expect("1000", "%zx", (size_t)4096);
	expect("0", "%o", 0u);
	expect("10", "%o", 8u);
	expect("777", "%o", 0777u);
	expect("37777777777", "%o", UINT_MAX);
	expect("1777777777777777777777", "%llo", ULLONG_MAX);
	expect("123456789abcdef0", "%lx", 0x123456789abcdef0UL);
	expect("123456789ABCDEF0", "%lX", 0x123456789abcdef0UL);
}

static void test_pointer(void **state)
{
	expect("0x0000000000000000", "%p", (void *)0);
	expect("0x00000000deadbeef", "%p", (void *)0xdeadbeefUL);
	expect("0xffff800000001000", "%p", (void *)0xffff800000001000UL);
	expect("[0xffffffffffffffff]", "[%p]", (void *)UINTPTR_MAX);
}

static void test_string_and_char(void **state)
{
	const char *volatile null = NULL;

	expect("hi", "%s", "hi");
	expect("(null)", "%s", null);
	expect("<  (null)>", "<%8s>", null);
	expect("a", "%c", 'a');
	expect("x%y", "%c%%%c", 'x', 'y');
	expect("\xff", "%c", 0xff);

	/* A NUL character is output (and counted) like any other. */
	assert_int_equal(fmt_n(BUF, "a%cb", 0), 3);
	assert_memory_equal(out, "a\0b", 4);
}

/* ---- widths and flags ---- */

static void test_width_numbers(void **state)
{
	expect("   42", "%5d", 42);
	expect("42   |", "%-5d|", 42);
	expect("00042", "%05d", 42);
	expect("  -42", "%5d", -42);
	expect("-0042", "%05d", -42);
	expect("-42  |", "%-5d|", -42);
	/* '-' beats '0' (gcc warns about the combination: unchecked call) */
	assert_int_equal(fmt_n(BUF, "%-05d|", 42), 6);
	assert_string_equal(out, "42   |");
	assert_int_equal(fmt_n(BUF, "%0-5d|", -42), 6);
	assert_string_equal(out, "-42  |");
	expect("12345", "%2d", 12345);
	expect("-12345", "%3d", -12345);
	expect("42", "%0d", 42);
	expect("     0", "%6u", 0u);
	expect("0000beef", "%08x", 0xbeefu);
	expect("BEEF    |", "%-8X|", 0xbeefu);
	expect("   777", "%6o", 0777u);
	expect("0000000000001000", "%016lx", 0x1000UL);
	expect("-000000000000000000009223372036854775808", "%040lld",
	       LLONG_MIN);
	expect("                    18446744073709551615", "%40llu",
	       ULLONG_MAX);
	expect("      4096", "%10zu", (size_t)4096);
}

static void test_width_strings(void **state)
{
	expect("       abc", "%10s", "abc");
	expect("abc       |", "%-10s|", "abc");
	expect("abcdef", "%2s", "abcdef");
	expect("abcdef", "%-6s", "abcdef");
	expect("   ", "%3s", "");
}

/*
 * lib.h documents a width for the conversions; %c ignores it (printf.c
 * emits the character alone).
 */
static void test_width_char(void **state)
{
	expect("  x", "%3c", 'x');
	expect("x  |", "%-3c|", 'x');
}

/* ---- truncation ---- */

static void test_truncation(void **state)
{
	/* The return value is always the full length. */
	assert_int_equal(fmt_n(5, "hello world"), 11);
	assert_string_equal(out, "hell");
	assert_int_equal(fmt_n(12, "hello world"), 11);
	assert_string_equal(out, "hello world");
	assert_int_equal(fmt_n(11, "hello world"), 11);
	assert_string_equal(out, "hello worl");
	assert_int_equal(fmt_n(1, "hello"), 5);
	assert_string_equal(out, "");

	/* Inside a number, inside padding, inside a string argument. */
	assert_int_equal(fmt_n(4, "%d", -123456), 7);
	assert_string_equal(out, "-12");
	assert_int_equal(fmt_n(4, "%10d", 7), 10);
	assert_string_equal(out, "   ");
	assert_int_equal(fmt_n(4, "%05d", -7), 5);
	assert_string_equal(out, "-00");
	assert_int_equal(fmt_n(6, "ab%scd", "0123456789"), 14);
	assert_string_equal(out, "ab012");
	assert_int_equal(fmt_n(3, "%p", (void *)0), 18);
	assert_string_equal(out, "0x");
	assert_int_equal(fmt_n(2, "%c%c%c", 'a', 'b', 'c'), 3);
	assert_string_equal(out, "a");

	/* Every size from 1 to past the end of one long format. */
	for (size_t size = 1; size < 40; size++) {
		const char *full = "x=-42 y=0000beef s=(null) 100%";
		size_t want = strlen(full);

		assert_int_equal(fmt_n(size, "x=%d y=%08x s=%s 100%%", -42,
				       0xbeefu, (const char *)NULL),
				 want);
		assert_int_equal(strlen(out), MIN(want, size - 1));
		assert_memory_equal(out, full, strlen(out));
	}
}

static void test_size_zero(void **state)
{
	assert_int_equal(fmt_n(0, "hello %d", 12345), 11);
	/* fmt_n checked that not a single byte was written. */
	assert_int_equal(fmt_n(0, ""), 0);
	/* With size 0 the buffer may be NULL. */
	assert_int_equal(ksnprintf(NULL, 0, "%s-%d", "hello", 42), 8);
}

/* ---- odd formats ---- */

static void test_odd_formats(void **state)
{
	/* Unknown conversions are printed as they are. */
	assert_int_equal(fmt_n(BUF, "a%qb"), 4);
	assert_string_equal(out, "a%qb");
	assert_int_equal(fmt_n(BUF, "%5q"), 2);
	assert_string_equal(out, "%q");
	/* A lone '%' at the very end is dropped, and the loop stops. */
	assert_int_equal(fmt_n(BUF, "abc%"), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(fmt_n(BUF, "%-05"), 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_hex_octal),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_string_and_char),
		cmocka_unit_test(test_width_numbers),
		cmocka_unit_test(test_width_strings),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_size_zero),
		cmocka_unit_test(test_odd_formats),
		cmocka_unit_test(test_width_char),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
