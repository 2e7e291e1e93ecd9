/*
 * libFuzzer target for the shell's parsers (userland/sh): the first byte
 * of the input picks what the rest is fed to:
 *
 *   0  the lexer and parser (parse.c, lex.c), command after command,
 *      as the last text there is and as text more lines may follow
 *   1  $((...)) (arith.c), with variables set and read
 *   2  patterns (match.c): pattern NUL string, whole, prefix and suffix
 *
 * Whatever the input, nothing may crash, trip a sanitizer or leak.  The
 * shell's error messages go to stderr as usual.  Build and run: make
 * fuzz-sh.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

struct shell sh;

void sh_exit(int status)
{
	(void)status;
	abort(); /* nothing here may end the shell */
}

static void parse_all(const char *s, size_t len, int final)
{
	size_t pos = 0;

	while (pos <= len) {
		struct arena *a = arena_new();
		struct node *n;
		size_t used;
		int lines, r;
		char msg[200];

		r = parse_next(s + pos, len - pos, final, 1, a, &n, &used,
			       &lines, msg, sizeof(msg));
		arena_release(a);
		if (r != P_OK || used == 0)
			break;
		pos += used;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	size_t len;
	long v;

	if (size < 1)
		return 0;
	len = size - 1;
	s = malloc(len + 1);
	if (!s)
		return 0;
	memcpy(s, data + 1, len);
	s[len] = '\0';
	switch (data[0] % 3) {
	case 0:
		parse_all(s, len, 1);
		parse_all(s, len, 0);
		break;
	case 1:
		arith_eval(s, &v);
		break;
	default: {
		size_t plen = strlen(s);
		const char *str = plen < len ? s + plen + 1 : "";

		pattern_match(s, str);
		pattern_prefix(s, str, 0);
		pattern_suffix(s, str, 1);
		break;
	}
	}
	free(s);
	return 0;
}
