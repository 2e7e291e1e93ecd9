/*
 * bre: POSIX basic regular expressions, for grep.  A pattern is parsed
 * into a tree, compiled into a small program for a nondeterministic
 * machine, and run over a line by keeping every live state at once
 * (Thompson's construction; Pike's simulation without captures), so a
 * match costs O(line length x program size) and no pattern can make it
 * take exponential time.
 *
 * Covered (docs/userland.md): ordinary characters, ".", "*", "^" at the
 * start and "$" at the end of the pattern (or of a group or an
 * alternative), bracket expressions with ranges, negation and the
 * [:class:] names, backslash escapes of the special characters, groups
 * "\(" "\)", intervals "\{m\}" "\{m,\}" "\{m,n\}" (n <= 255), and the GNU
 * extensions "\|" (alternation), "\+" (one or more) and "\?" (zero or
 * one).  Not covered: back-references ("\1": an error), collating
 * elements and equivalence classes ("[.x.]", "[=x=]": an error).
 * A line never holds '\n'; "." matches any other byte, NUL included.
 */
#ifndef USERLAND_GREP_BRE_H
#define USERLAND_GREP_BRE_H

#include <stddef.h>
#include <stdint.h>

#define BRE_ICASE   1 /* letters match either case */
#define BRE_LITERAL 2 /* the pattern is a fixed string (grep -F) */
#define BRE_WHOLE   4 /* the pattern must match the whole line (-x) */

#define BRE_DUP_MAX  255   /* the largest interval count */
#define BRE_PROG_MAX 32768 /* instructions in a compiled pattern */

struct bre_inst;

struct bre {
	struct bre_inst *prog;
	int len;	     /* instructions */
	uint32_t (*sets)[8]; /* the bracket expressions, 256 bits each */
	int nsets;
	int flags;
	/* The matcher's working memory, sized by len. */
	uint32_t *stamp, mark;
	int *cur, *next, *stack;
};

/*
 * Compiles `pattern` (pattern_len bytes; it may hold NUL) with BRE_*
 * `flags` into *re.  Returns 0, or -1 with a message in err (err_size
 * bytes) for a bad pattern or when memory runs out.
 */
int bre_compile(struct bre *re, const char *pattern, size_t pattern_len,
		int flags, char *err, size_t err_size);

/* Whether re matches somewhere in line[0, len) (all of it with
   BRE_WHOLE): 1 or 0. */
int bre_match(const struct bre *re, const char *line, size_t len);

/* Frees what bre_compile() allocated. */
void bre_free(struct bre *re);

#endif
