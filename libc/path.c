/*
 * Scheme paths: splitting `scheme:rest` and resolving file paths against
 * the working directory.  See valence/path.h.  Only string functions that
 * libvalence has (kernel/lib/string.c) are used.
 */
#include <stdbool.h>
#include <string.h>
#include <valence/path.h>

static bool scheme_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

int path_split(const char *path, char *scheme, size_t scheme_size,
	       const char **rest)
{
	size_t n = 0;

	if (rest)
		*rest = NULL;
	if (scheme && scheme_size)
		scheme[0] = '\0';
	if (!path || !scheme || !rest)
		return -EINVAL;
	while (path[n] && path[n] != ':' && path[n] != '/')
		n++;
	if (path[n] != ':') {
		/* No scheme: a file path, absolute or relative. */
		if (scheme_size < sizeof("file"))
			return -ENAMETOOLONG;
		memcpy(scheme, "file", sizeof("file"));
		*rest = path;
		return 0;
	}
	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!scheme_char_ok(path[i]))
			return -EINVAL;
	}
	if (n > PATH_SCHEME_MAX || n >= scheme_size)
		return -ENAMETOOLONG;
	memcpy(scheme, path, n);
	scheme[n] = '\0';
	*rest = path + n + 1;
	return 0;
}

/*
 * Applies the components of s to the normal absolute path out[0, *len)
 * ("/" or "/a/b", no trailing slash), keeping it under `limit` bytes with
 * its NUL.  Returns 0 or -ENAMETOOLONG.
 */
static int add_components(char *out, size_t *len, size_t limit, const char *s)
{
	while (*s) {
		size_t n = 0;

		while (*s == '/')
			s++;
		while (s[n] && s[n] != '/')
			n++;
		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* an empty component or ".": nothing to do */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (*len > 1 && out[*len - 1] != '/')
				(*len)--;
			if (*len > 1)
				(*len)--; /* the slash before it, unless root */
		} else {
			size_t sep = *len > 1 ? 1 : 0;

			if (*len + sep + n + 1 > limit)
				return -ENAMETOOLONG;
			if (sep)
				out[(*len)++] = '/';
			memcpy(out + *len, s, n);
			*len += n;
		}
		s += n;
	}
	return 0;
}

int path_resolve(const char *cwd, const char *rest, char *out, size_t out_size)
{
	size_t limit = out_size < PATH_MAX ? out_size : PATH_MAX, len = 1;
	int ret;

	if (!out)
		return -EINVAL;
	if (out_size)
		out[0] = '\0';
	if (!rest || !rest[0])
		return -EINVAL;
	if (rest[0] != '/' && (!cwd || cwd[0] != '/'))
		return -EINVAL;
	if (strnlen(rest, PATH_MAX) == PATH_MAX ||
	    (rest[0] != '/' && strnlen(cwd, PATH_MAX) == PATH_MAX))
		return -ENAMETOOLONG;
	if (limit < 2)
		return -ENAMETOOLONG;
	out[0] = '/';
	ret = rest[0] == '/' ? 0 : add_components(out, &len, limit, cwd);
	if (!ret)
		ret = add_components(out, &len, limit, rest);
	if (ret) {
		out[0] = '\0';
		return ret;
	}
	out[len] = '\0';
	return 0;
}
