/*
 * libFuzzer target for scheme paths (libc/path.c).  The input is
 * "cwd\0path" (or just a path, with cwd "/"); path_split and path_resolve
 * must return one of their documented values without a crash or
 * sanitizer report, and their results must keep the promises of
 * valence/path.h (checked here independently; a violation aborts).  Build
 * and run: make fuzz-path.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valence/path.h>

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_path: invariant failed: %s\n",   \
				#cond);                                        \
			abort();                                               \
		}                                                              \
	} while (0)

static bool scheme_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > PATH_SCHEME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* "/" or "/x/y" with no empty, "." or ".." component. */
static void check_normal(const char *p)
{
	const char *s = p + 1;

	CHECK(p[0] == '/');
	CHECK(strlen(p) < PATH_MAX);
	if (!*s)
		return;
	for (;;) {
		const char *end = strchr(s, '/');
		size_t n = end ? (size_t)(end - s) : strlen(s);

		CHECK(n > 0);
		CHECK(!(n == 1 && s[0] == '.'));
		CHECK(!(n == 2 && s[0] == '.' && s[1] == '.'));
		if (!end)
			return;
		s = end + 1;
	}
}

static void check_split(const char *path)
{
	char scheme[PATH_SCHEME_MAX + 1];
	const char *rest;
	const char *colon = strchr(path, ':'), *slash = strchr(path, '/');
	bool has_scheme = colon && (!slash || colon < slash);
	int ret = path_split(path, scheme, sizeof(scheme), &rest);

	CHECK(ret == 0 || ret == -EINVAL || ret == -ENAMETOOLONG);
	if (ret) {
		CHECK(scheme[0] == '\0' && rest == NULL);
		CHECK(has_scheme);
		return;
	}
	CHECK(scheme_ok(scheme));
	if (has_scheme) {
		CHECK(rest == colon + 1);
		CHECK(strncmp(path, scheme, (size_t)(colon - path)) == 0 &&
		      strlen(scheme) == (size_t)(colon - path));
	} else {
		CHECK(strcmp(scheme, "file") == 0 && rest == path);
	}
}

static void check_resolve(const char *cwd, const char *rest)
{
	char out[PATH_MAX], again[PATH_MAX];
	size_t len;
	int ret = path_resolve(cwd, rest, out, sizeof(out));

	CHECK(ret == 0 || ret == -EINVAL || ret == -ENAMETOOLONG);
	if (ret) {
		CHECK(out[0] == '\0');
		return;
	}
	check_normal(out);
	/* A normal path is its own result, in exactly its size. */
	len = strlen(out);
	CHECK(path_resolve(cwd, out, again, len + 1) == 0);
	CHECK(strcmp(out, again) == 0);
	CHECK(path_resolve(NULL, out, again, len) == -ENAMETOOLONG);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	const char *cwd = "/", *path;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	path = buf;
	if (strlen(buf) < size) {
		cwd = buf;
		path = buf + strlen(buf) + 1;
	}
	check_split(path);
	check_split(cwd);
	check_resolve(cwd, path);
	check_resolve("/", path);
	check_resolve(NULL, path);
	free(buf);
	return 0;
}
