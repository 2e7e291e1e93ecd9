/*
 * Kernel command line: space-separated words, each `key=value` or a bare
 * `key` (kernel/lib/cmdline.c).  Values may be quoted with "...".
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "types.h"

#define CMDLINE_MAX_OPTS 32
#define CMDLINE_MAX_LEN	 512

struct cmdline_opt {
	const char *key;
	const char *value; /* "" for a bare key */
};

struct cmdline {
	char buf[CMDLINE_MAX_LEN];
	struct cmdline_opt opts[CMDLINE_MAX_OPTS];
	unsigned count;
};

/*
 * Splits `text` into options, keeping its own copy.  Returns 0, or
 * -E2BIG when the text or the number of options is over the limits (the
 * options that fit are kept), or -EINVAL on an unterminated quote.
 */
int cmdline_parse(struct cmdline *cl, const char *text);

/* Returns the value of the last `key` given, or NULL when absent. */
const char *cmdline_get(const struct cmdline *cl, const char *key);

/* True when `key` is present with any value. */
bool cmdline_has(const struct cmdline *cl, const char *key);

#endif
