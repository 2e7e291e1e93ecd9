/* The kernel command line, split into key=value options. */
#include "cmdline.h"
#include "lib.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Copies one word from *src into *dst, removing double quotes.  Stops at
 * the first unquoted space; *eq gets the first '=', quoted or not, so
 * that "key=a b" and key="a b" mean the same.  Returns -EINVAL on an
 * unterminated quote.
 */
static int copy_word(const char **src, char **dst, char *end, char **eq)
{
	bool quoted = false;
	const char *s = *src;
	char *d = *dst;

	*eq = NULL;
	for (; *s && (quoted || !is_space(*s)); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (d + 1 >= end)
			return -E2BIG;
		if (*s == '=' && !*eq)
			*eq = d;
		*d++ = *s;
	}
	if (quoted)
		return -EINVAL;
	if (d >= end)
		return -E2BIG;
	*d++ = '\0';
	*src = s;
	*dst = d;
	return 0;
}

int cmdline_parse(struct cmdline *cl, const char *text)
{
	char *d = cl->buf, *end = cl->buf + sizeof(cl->buf), *word, *eq;
	int err;

	cl->count = 0;
	if (!text)
		return 0;
	for (;;) {
		while (is_space(*text))
			text++;
		if (!*text)
			return 0;
		if (cl->count == CMDLINE_MAX_OPTS)
			return -E2BIG;
		word = d;
		err = copy_word(&text, &d, end, &eq);
		if (err)
			return err;
		if (eq) {
			*eq = '\0';
			cl->opts[cl->count].value = eq + 1;
		} else {
			cl->opts[cl->count].value =
				d - 1; /* the "" at the end */
		}
		cl->opts[cl->count].key = word;
		if (*word)
			cl->count++;
	}
}

const char *cmdline_get(const struct cmdline *cl, const char *key)
{
	for (unsigned i = cl->count; i > 0; i--)
		if (strcmp(cl->opts[i - 1].key, key) == 0)
			return cl->opts[i - 1].value;
	return NULL;
}

bool cmdline_has(const struct cmdline *cl, const char *key)
{
	return cmdline_get(cl, key) != NULL;
}
