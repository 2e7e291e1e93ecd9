/*
 * Patterns: * any string, ? any character, [abc] [a-z] [!x] [^x] and
 * [[:alpha:]]-style classes, \c the character c.  Used by case, by
 * ${x#pattern} and friends, and for pathnames (glob_expand).
 */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sh.h"

static int class_has(const char *name, size_t n, unsigned char c)
{
	static const struct {
		const char *name;
		int (*fn)(int);
	} classes[] = {
		{ "alpha", isalpha },	{ "digit", isdigit },
		{ "alnum", isalnum },	{ "upper", isupper },
		{ "lower", islower },	{ "space", isspace },
		{ "punct", ispunct },	{ "print", isprint },
		{ "graph", isgraph },	{ "cntrl", iscntrl },
		{ "xdigit", isxdigit }, { "blank", isblank },
	};

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strlen(classes[i].name) == n &&
		    memcmp(classes[i].name, name, n) == 0)
			return classes[i].fn(c) != 0;
	return 0;
}

/*
 * p is just after a '['.  Returns the pattern after the closing ']' and
 * whether c is in the bracket in *hit, or NULL when the bracket does not
 * close (then '[' is an ordinary character).
 */
static const char *bracket(const char *p, unsigned char c, int *hit)
{
	int neg = 0, found = 0;
	const char *start;

	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	start = p;
	for (;;) {
		unsigned char lo, hi;

		if (*p == '\0')
			return NULL;
		if (*p == ']' && p != start)
			break;
		if (p[0] == '[' && p[1] == ':') {
			const char *end = strstr(p + 2, ":]");

			if (end) {
				found |= class_has(p + 2, (size_t)(end - p - 2),
						   c);
				p = end + 2;
				continue;
			}
		}
		if (*p == '\\' && p[1])
			p++;
		lo = (unsigned char)*p++;
		hi = lo;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			p++;
			if (*p == '\\' && p[1])
				p++;
			hi = (unsigned char)*p++;
		}
		if (c >= lo && c <= hi)
			found = 1;
	}
	*hit = found != neg;
	return p + 1;
}

int pattern_match(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;

	for (;;) {
		const char *next;
		int hit = 0;

		if (*p == '*') {
			while (*p == '*')
				p++;
			if (*p == '\0')
				return 1;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*s == '\0')
			return *p == '\0';
		if (*p == '?') {
			next = p + 1;
			hit = 1;
		} else if (*p == '[' &&
			   (next = bracket(p + 1, (unsigned char)*s, &hit))) {
			/* hit says */
		} else if (*p == '\\' && p[1]) {
			hit = p[1] == *s;
			next = p + 2;
		} else {
			hit = *p != '\0' && *p == *s;
			next = p + 1;
		}
		if (hit) {
			p = next;
			s++;
			continue;
		}
		if (!star_p)
			return 0;
		p = star_p;
		s = ++star_s;
	}
}

long pattern_prefix(const char *pat, const char *str, int longest)
{
	size_t len = strlen(str);
	char *buf = xmalloc(len + 1);
	long found = -1;

	for (size_t i = 0; i <= len; i++) {
		size_t n = longest ? len - i : i;

		memcpy(buf, str, n);
		buf[n] = '\0';
		if (pattern_match(pat, buf)) {
			found = (long)n;
			break;
		}
	}
	free(buf);
	return found;
}

long pattern_suffix(const char *pat, const char *str, int longest)
{
	size_t len = strlen(str);

	for (size_t i = 0; i <= len; i++) {
		size_t n = longest ? len - i : i;

		if (pattern_match(pat, str + len - n))
			return (long)n;
	}
	return -1;
}

/* Whether the pattern has an unquoted *, ? or [. */
static int pattern_has_magic(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '*' || *p == '?' || *p == '[')
			return 1;
	}
	return 0;
}

/* p without its backslash quotes (malloc'd). */
static char *pattern_unquote(const char *p)
{
	struct strbuf b = { 0 };

	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		sb_addc(&b, *p);
	}
	return sb_take(&b);
}

/* ---- pathnames ---- */

/* Matches the components of rest below base (which ends in / or is ""). */
static void glob_in(const char *base, const char *rest, struct strvec *out)
{
	struct strbuf path = { 0 };
	const char *slash;
	char *comp;
	DIR *d;
	struct dirent *e;

	while (*rest == '/') /* base ends in one already */
		rest++;
	if (*rest == '\0') { /* the pattern ended in '/': directories only */
		struct stat st;

		if (stat(base, &st) == 0 && S_ISDIR(st.st_mode))
			sv_add(out, xstrdup(base));
		return;
	}
	slash = strchr(rest, '/');
	comp = xstrndup(rest, slash ? (size_t)(slash - rest) : strlen(rest));
	if (!pattern_has_magic(comp)) {
		char *lit = pattern_unquote(comp);
		struct stat st;

		sb_adds(&path, base);
		sb_adds(&path, lit);
		free(lit);
		if (slash) {
			sb_addc(&path, '/');
			glob_in(path.s, slash, out);
		} else if (lstat(path.s, &st) == 0) {
			sv_add(out, sb_take(&path));
		}
		sb_free(&path);
		free(comp);
		return;
	}
	d = opendir(*base ? base : ".");
	if (!d) {
		free(comp);
		return;
	}
	while ((e = readdir(d))) {
		const char *name = e->d_name;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (name[0] == '.' && comp[0] != '.')
			continue; /* hidden unless the pattern says . */
		if (!pattern_match(comp, name))
			continue;
		path.len = 0;
		sb_adds(&path, base);
		sb_adds(&path, name);
		if (slash) {
			sb_addc(&path, '/');
			glob_in(path.s, slash, out);
		} else {
			sv_add(out, xstrdup(path.s));
		}
	}
	closedir(d);
	sb_free(&path);
	free(comp);
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int glob_expand(const char *pat, struct strvec *out)
{
	int first = out->n;
	struct strbuf base = { 0 };
	const char *rest = pat;

	/* a scheme ("initfs:") and leading slashes start the base */
	const char *colon = strchr(pat, ':'), *slash = strchr(pat, '/');

	if (colon && (!slash || colon < slash)) {
		char *scheme = xstrndup(pat, (size_t)(colon - pat + 1));

		if (!pattern_has_magic(scheme)) {
			sb_adds(&base, scheme);
			rest = colon + 1;
		}
		free(scheme);
	}
	while (*rest == '/') {
		sb_addc(&base, '/');
		rest++;
	}
	glob_in(base.s ? base.s : "", rest, out);
	sb_free(&base);
	if (out->n > first)
		qsort(out->v + first, (size_t)(out->n - first), sizeof(char *),
		      by_string);
	return out->n - first;
}
