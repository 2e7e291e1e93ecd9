/*
 * The history of typed lines: the last `max` of them, oldest first.  A
 * line equal to the one before it, or blank, is not added again.
 */
#include <stdlib.h>
#include <string.h>
#include "sh.h"

struct history sh_history;

void history_init(struct history *h, int max)
{
	h->lines = calloc((size_t)max, sizeof(char *));
	h->n = 0;
	h->max = h->lines ? max : 0;
}

void history_add(struct history *h, const char *line)
{
	size_t len = strlen(line);

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (h->max == 0 || strspn(line, " \t") >= len)
		return;
	if (h->n && strlen(h->lines[h->n - 1]) == len &&
	    memcmp(h->lines[h->n - 1], line, len) == 0)
		return;
	if (h->n == h->max) {
		free(h->lines[0]);
		memmove(h->lines, h->lines + 1,
			(size_t)(h->max - 1) * sizeof(char *));
		h->n--;
	}
	h->lines[h->n++] = xstrndup(line, len);
}

const char *history_get(const struct history *h, int i)
{
	return i >= 0 && i < h->n ? h->lines[i] : NULL;
}

void history_free(struct history *h)
{
	for (int i = 0; i < h->n; i++)
		free(h->lines[i]);
	free(h->lines);
	h->lines = NULL;
	h->n = h->max = 0;
}
