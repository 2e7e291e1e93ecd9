/*
 * Unit tests for scheme paths (libc/path.c).
 *
 * Inputs and output buffers are exact heap copies, so ASan reports any
 * access past their ends.  Covered: path_split and path_resolve tables
 * (good and hostile inputs), buffer sizes one under and at the limit,
 * PATH_MAX, and properties of random paths: the result is normal, resolving
 * it again changes nothing, and resolving against cwd is the same as
 * resolving cwd + "/" + rest against "/".  `test_path --write-seed FILE`
 * writes a "cwd\0path" sample for the fuzzer (tests/fuzz/fuzz.mk).
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

#include <valence/path.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char *dup_exact(const char *s)
{
	char *copy;

	if (!s)
		return NULL;
	copy = malloc(strlen(s) + 1);
	assert_non_null(copy);
	memcpy(copy, s, strlen(s) + 1);
	return copy;
}

/* ---- path_split ---- */

/* Splits an exact copy of path; *rest_off is rest's offset in it. */
static int split(const char *path, char *scheme, size_t scheme_size,
		 long *rest_off)
{
	char *copy = dup_exact(path);
	const char *rest = (const char *)1;
	int ret = path_split(copy, scheme, scheme_size, &rest);

	if (ret == 0) {
		assert_non_null(rest);
		assert_true(rest >= copy && rest <= copy + strlen(copy));
		*rest_off = rest - copy;
	} else {
		assert_null(rest);
		*rest_off = -1;
	}
	free(copy);
	return ret;
}

static void test_split_table(void **state)
{
	static const struct {
		const char *path;
		int ret;
		const char *scheme, *rest;
	} cases[] = {
		{ "file:/etc/motd", 0, "file", "/etc/motd" },
		{ "disk.ahci:0p1", 0, "disk.ahci", "0p1" },
		{ "pci:00.02.0", 0, "pci", "00.02.0" },
		{ "/etc/motd", 0, "file", "/etc/motd" },
		{ "motd", 0, "file", "motd" },
		{ "", 0, "file", "" },
		{ "/a:b", 0, "file", "/a:b" },
		{ "a/b:c", 0, "file", "a/b:c" },
		{ "./a:b", 0, "file", "./a:b" },
		{ "file:motd", 0, "file", "motd" },
		{ "display:", 0, "display", "" },
		{ "ns:x:y", 0, "ns", "x:y" },
		{ "a:/x", 0, "a", "/x" },
		{ "http://x", 0, "http", "//x" },
		{ "0._-:z", 0, "0._-", "z" },
		{ ":x", -EINVAL, "", NULL },
		{ ":", -EINVAL, "", NULL },
		{ "::", -EINVAL, "", NULL },
		{ ":/x", -EINVAL, "", NULL },
		{ "File:/x", -EINVAL, "", NULL },
		{ "a b:x", -EINVAL, "", NULL },
		{ "a\tb:x", -EINVAL, "", NULL },
		{ "a*:x", -EINVAL, "", NULL },
		{ "a\\:x", -EINVAL, "", NULL },
		{ "\xff:x", -EINVAL, "", NULL },
		{ "caf\xc3\xa9:x", -EINVAL, "", NULL },
		{ "abcdefghijklmnopqrstuvwxyz01234:x", 0,
		  "abcdefghijklmnopqrstuvwxyz01234", "x" },
		{ "abcdefghijklmnopqrstuvwxyz012345:x", -ENAMETOOLONG, "",
		  NULL },
		{ "abcdefghijklmnopqrstuvwxyz01234X:x", -EINVAL, "", NULL },
	};
	char scheme[PATH_SCHEME_MAX + 1];
	long off;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret;

		memset(scheme, 'x', sizeof(scheme));
		ret = split(cases[i].path, scheme, sizeof(scheme), &off);
		if (ret != cases[i].ret)
			fail_msg("'%s': %d, want %d", cases[i].path, ret,
				 cases[i].ret);
		assert_string_equal(scheme, cases[i].scheme);
		if (cases[i].rest)
			assert_string_equal(cases[i].path + off, cases[i].rest);
	}
}

static void test_split_buffers(void **state)
{
	char big[2000], scheme[8];
	const char *rest;
	long off;

	/* The scheme buffer: exactly big enough, one short, empty. */
	memset(scheme, 'x', sizeof(scheme));
	assert_int_equal(split("abcdefg:x", scheme, 8, &off), 0);
	assert_string_equal(scheme, "abcdefg");
	memset(scheme, 'x', sizeof(scheme));
	assert_int_equal(split("abcdefgh:x", scheme, 8, &off), -ENAMETOOLONG);
	assert_string_equal(scheme, "");
	assert_int_equal(split("/x", scheme, 5, &off), 0);
	assert_string_equal(scheme, "file");
	memset(scheme, 'x', sizeof(scheme));
	assert_int_equal(split("/x", scheme, 4, &off), -ENAMETOOLONG);
	assert_string_equal(scheme, "");
	memset(scheme, 'x', sizeof(scheme));
	assert_int_equal(split("a:x", scheme, 0, &off), -ENAMETOOLONG);
	assert_int_equal(scheme[0], 'x');

	/* A huge scheme, and a huge file path (no limit on the rest). */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[1500] = ':';
	assert_int_equal(split(big, scheme, sizeof(scheme), &off),
			 -ENAMETOOLONG);
	big[0] = '/';
	assert_int_equal(split(big, scheme, sizeof(scheme), &off), 0);
	assert_int_equal(off, 0);

	/* NULL arguments. */
	rest = "x";
	assert_int_equal(path_split(NULL, scheme, sizeof(scheme), &rest),
			 -EINVAL);
	assert_null(rest);
	assert_int_equal(path_split("a:b", NULL, 8, &rest), -EINVAL);
	assert_int_equal(path_split("a:b", scheme, sizeof(scheme), NULL),
			 -EINVAL);
}

/* ---- path_resolve ---- */

/* Resolves exact copies into an exact out_size heap buffer. */
static int resolve(const char *cwd, const char *rest, size_t out_size,
		   char *result)
{
	char *c = dup_exact(cwd), *r = dup_exact(rest);
	char *out = malloc(out_size ? out_size : 1);
	int ret;

	assert_non_null(out);
	memset(out, 'x', out_size);
	ret = path_resolve(c, r, out_size ? out : out + 1, out_size);
	if (out_size) {
		assert_non_null(memchr(out, '\0', out_size));
		strcpy(result, out);
	}
	if (ret)
		assert_true(out_size == 0 || out[0] == '\0');
	free(out);
	free(r);
	free(c);
	return ret;
}

static void test_resolve_table(void **state)
{
	static const struct {
		const char *cwd, *rest;
		int ret;
		const char *out;
	} cases[] = {
		{ "/", "etc/motd", 0, "/etc/motd" },
		{ "/home/ann", "../bob//x/.", 0, "/home/bob/x" },
		{ "/home/ann", "notes", 0, "/home/ann/notes" },
		{ "/x", "/../etc/", 0, "/etc" },
		{ "/", ".", 0, "/" },
		{ "/", "..", 0, "/" },
		{ "/", "/", 0, "/" },
		{ "/", "////", 0, "/" },
		{ "/", "./", 0, "/" },
		{ "/a/b", ".", 0, "/a/b" },
		{ "/a/b", "..", 0, "/a" },
		{ "/a/b", "../..", 0, "/" },
		{ "/a/b", "../../../..", 0, "/" },
		{ "/a/b", "../../../../c", 0, "/c" },
		{ "/a/b/", "c", 0, "/a/b/c" },
		{ "//a//b//", "./c/./", 0, "/a/b/c" },
		{ "/a/./b/../c", "d", 0, "/a/c/d" },
		{ "/..", "x", 0, "/x" },
		{ "/", "a/../../b", 0, "/b" },
		{ "/", "...", 0, "/..." },
		{ "/", ".hidden/..x/x..", 0, "/.hidden/..x/x.." },
		{ "/", "a..b/.../. ./..", 0, "/a..b/..." },
		{ "/a:b", "c", 0, "/a:b/c" },
		{ "/", "file:x", 0, "/file:x" },
		{ "/", " a /\xff\x01", 0, "/ a /\xff\x01" },
		{ NULL, "/etc", 0, "/etc" },
		{ "relative", "/x", 0, "/x" },
		{ "", "/x", 0, "/x" },
		{ NULL, "etc", -EINVAL, "" },
		{ "relative", "x", -EINVAL, "" },
		{ "", "x", -EINVAL, "" },
		{ "./a", "x", -EINVAL, "" },
		{ "/", "", -EINVAL, "" },
		{ "/", NULL, -EINVAL, "" },
		{ NULL, NULL, -EINVAL, "" },
	};
	char out[PATH_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret = resolve(cases[i].cwd, cases[i].rest, PATH_MAX, out);

		if (ret != cases[i].ret || strcmp(out, cases[i].out) != 0)
			fail_msg("'%s' + '%s': %d '%s', want %d '%s'",
				 cases[i].cwd ? cases[i].cwd : "(null)",
				 cases[i].rest ? cases[i].rest : "(null)", ret,
				 out, cases[i].ret, cases[i].out);
	}
}

static void test_resolve_buffers(void **state)
{
	char out[PATH_MAX * 2], *s;

	/* "/etc" needs 5 bytes. */
	assert_int_equal(resolve("/", "etc/", 5, out), 0);
	assert_string_equal(out, "/etc");
	assert_int_equal(resolve("/", "etc/", 4, out), -ENAMETOOLONG);
	assert_int_equal(resolve("/", "..", 2, out), 0);
	assert_string_equal(out, "/");
	assert_int_equal(resolve("/", "..", 1, out), -ENAMETOOLONG);
	assert_int_equal(resolve("/", "..", 0, out), -ENAMETOOLONG);
	assert_int_equal(path_resolve("/", "x", NULL, 10), -EINVAL);

	s = calloc(1, PATH_MAX * 2);
	assert_non_null(s);

	/* 1023 characters fit PATH_MAX, 1024 do not, whatever out_size. */
	memset(s, 'a', PATH_MAX - 2);
	assert_int_equal(resolve("/", s, PATH_MAX, out), 0);
	assert_int_equal(strlen(out), PATH_MAX - 1);
	assert_int_equal(resolve("/", s, PATH_MAX - 1, out), -ENAMETOOLONG);
	s[PATH_MAX - 2] = 'a';
	assert_int_equal(resolve("/", s, sizeof(out), out), -ENAMETOOLONG);

	/* The same through cwd. */
	s[0] = '/';
	s[PATH_MAX - 2] = '\0';
	assert_int_equal(resolve(s, ".", PATH_MAX, out), 0);
	assert_int_equal(resolve(s, "b", sizeof(out), out), -ENAMETOOLONG);
	assert_int_equal(resolve(s, "/b", sizeof(out), out), 0);

	/* A rest or cwd of PATH_MAX characters is refused even if it shrinks.
	 */
	memset(s, 0, PATH_MAX * 2);
	for (size_t i = 0; i + 2 <= PATH_MAX - 2; i += 2)
		memcpy(s + i, "./", 2);
	strcat(s, ".");
	assert_int_equal(strlen(s), PATH_MAX - 1);
	assert_int_equal(resolve("/a", s, PATH_MAX, out), 0);
	assert_string_equal(out, "/a");
	strcat(s, "/");
	assert_int_equal(resolve("/a", s, PATH_MAX, out), -ENAMETOOLONG);
	s[0] = '/';
	assert_int_equal(resolve(s, "ok", PATH_MAX, out), -ENAMETOOLONG);
	assert_int_equal(resolve(s, "/ok", PATH_MAX, out), 0);
	assert_string_equal(out, "/ok");

	/* A step past the limit fails even if ".." would bring it back. */
	memset(s, 0, PATH_MAX * 2);
	s[0] = '/';
	memset(s + 1, 'b', 1000);
	assert_int_equal(resolve(s, "cccccccccccccccccccc", PATH_MAX, out), 0);
	assert_int_equal(
		resolve(s, "cccccccccccccccccccccccccccccc/..", PATH_MAX, out),
		-ENAMETOOLONG);
	free(s);
}

/* ---- properties of random paths ---- */

static uint32_t rng = 12345;

static uint32_t rand_next(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

static void rand_path(char *buf, size_t max)
{
	static const char *const parts[] = { "/",  "/",	 ".", "..", "a",
					     "bc", "..", "/", ".x", ":" };
	size_t n = 0, count = rand_next() % 12;

	buf[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		const char *p = parts[rand_next() % ARRAY_SIZE(parts)];

		if (n + strlen(p) + 1 > max)
			break;
		strcpy(buf + n, p);
		n += strlen(p);
	}
}

/* "/" or "/x/y": no empty, "." or ".." component, no trailing slash. */
static void expect_normal(const char *p)
{
	assert_int_equal(p[0], '/');
	if (!p[1])
		return;
	assert_null(strstr(p, "//"));
	assert_null(strstr(p, "/./"));
	assert_null(strstr(p, "/../"));
	assert_int_not_equal(p[strlen(p) - 1], '/');
	assert_false(strlen(p) >= 2 && strcmp(p + strlen(p) - 2, "/.") == 0);
	assert_false(strlen(p) >= 3 && strcmp(p + strlen(p) - 3, "/..") == 0);
}

static void test_resolve_properties(void **state)
{
	char cwd[64], rest[64], joined[130], out[PATH_MAX], again[PATH_MAX],
		via_root[PATH_MAX];

	for (int i = 0; i < 20000; i++) {
		rand_path(cwd + 1, sizeof(cwd) - 1);
		cwd[0] = '/';
		rand_path(rest, sizeof(rest));
		if (!rest[0]) {
			assert_int_equal(resolve(cwd, rest, PATH_MAX, out),
					 -EINVAL);
			continue;
		}
		assert_int_equal(resolve(cwd, rest, PATH_MAX, out), 0);
		expect_normal(out);

		/* Normal paths resolve to themselves, from any cwd. */
		assert_int_equal(resolve("/elsewhere", out, PATH_MAX, again),
				 0);
		assert_string_equal(again, out);

		/* cwd + rest is the same as "/" + cwd/rest. */
		snprintf(joined, sizeof(joined), "%s/%s", cwd, rest);
		assert_int_equal(resolve("/", joined, PATH_MAX, via_root), 0);
		if (rest[0] == '/')
			assert_int_equal(resolve("/", rest, PATH_MAX, via_root),
					 0);
		assert_string_equal(via_root, out);

		/*
		 * A normal path needs exactly its own size (a path with ".."
		 * may need more on the way: see path.h).
		 */
		assert_int_equal(resolve("/", out, strlen(out) + 1, again), 0);
		assert_string_equal(again, out);
		assert_int_equal(resolve("/", out, strlen(out), again),
				 -ENAMETOOLONG);
	}
}

static int write_seed(const char *path)
{
	static const char seed[] = "/home/ann\0../bob//x/./file:y";
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(seed, 1, sizeof(seed) - 1, f) != sizeof(seed) - 1)
		return 1;
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_table),
		cmocka_unit_test(test_split_buffers),
		cmocka_unit_test(test_resolve_table),
		cmocka_unit_test(test_resolve_buffers),
		cmocka_unit_test(test_resolve_properties),
	};

	if (argc == 3 && strcmp(argv[1], "--write-seed") == 0)
		return write_seed(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
