/*
 * init's service list (/etc/services): one service per line, naming its
 * binary, the capabilities it is granted, its restart policy and its
 * arguments.  docs/services.md describes the format for people writing
 * lines; this header is the contract for code.
 *
 *     NAME BINARY [key=value ...] [-- ARG ...]
 *
 * The parser is pure C (string.h only, no allocation, no global state) so
 * that init and the host tests share it.  The text is untrusted in the
 * sense that a bad line must be reported, never crash or grant more than
 * it says: every field is checked, and a line is either accepted whole or
 * rejected whole.
 */
#ifndef SERVERS_INIT_SERVICES_H
#define SERVERS_INIT_SERVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <valence/abi.h>
#include <valence/errno.h>

#define SVC_LINE_MAX	 512 /* characters in a line, continuations joined */
#define SVC_NAME_MAX	 15  /* [a-z0-9_-] */
#define SVC_BINARY_MAX	 63
#define SVC_SCHEME_MAX	 31 /* [a-z0-9._-] */
#define SVC_MAX_IOPORTS	 8
#define SVC_MAX_IRQS	 8
#define SVC_MAX_PHYS	 8
#define SVC_MAX_REGISTER 8
#define SVC_MAX_SEE	 16
#define SVC_MAX_NEEDS	 8
#define SVC_MAX_ARGS	 16
#define SVC_ARGS_SIZE	 256 /* the argument block, every NUL included */
#define SVC_IRQ_MAX	 (IRQ_LINE_MSI_FIRST - 1) /* ISA IRQs and GSIs */
#define SVC_PAGE_SIZE	 4096
#define SVC_MAX_SERVICES 64 /* per file (svc_next) */

enum svc_restart {
	SVC_RESTART_ON_FAILURE = 0, /* the default */
	SVC_RESTART_ALWAYS = 1,
	SVC_RESTART_NEVER = 2,
};

struct svc_ioport {
	uint16_t first, last; /* inclusive, first <= last */
};

struct svc_phys {
	uint64_t base, size; /* page-aligned, size > 0, no wrap past 2^64 */
	uint32_t cache;	     /* MEM_CACHE_WB, _UC (the default) or _WC */
};

/*
 * One service.  Every string is NUL-terminated inside the struct, so an
 * entry can be copied with memcpy and kept.  Lists hold `n*` valid items.
 */
struct svc_entry {
	char name[SVC_NAME_MAX + 1];
	char binary[SVC_BINARY_MAX + 1];
	enum svc_restart restart;
	uint32_t priority; /* PRIO_MIN..PRIO_MAX; default PRIO_APP */
	uint32_t line;	   /* first line in the file (svc_next), else 0 */

	uint32_t nioports;
	struct svc_ioport ioports[SVC_MAX_IOPORTS]; /* never overlapping */
	uint32_t nirqs;
	uint8_t irqs[SVC_MAX_IRQS]; /* 0..SVC_IRQ_MAX, no repeats */
	uint32_t nphys;
	struct svc_phys phys[SVC_MAX_PHYS]; /* never overlapping */

	/* Scheme names, no repeats inside one list. */
	uint32_t nregister; /* it may register these with ns: */
	char register_names[SVC_MAX_REGISTER][SVC_SCHEME_MAX + 1];
	bool see_all;  /* see=*: it may open every scheme (nsee is 0) */
	uint32_t nsee; /* otherwise only these (none by default) */
	char see[SVC_MAX_SEE][SVC_SCHEME_MAX + 1];
	bool archive;	 /* archive=yes: it gets the boot archive */
	bool control;	 /* control=yes: it may stop services (NS_SVC_KILL) */
	bool klog;	 /* klog=yes: it gets the kernel log (read-only) */
	uint32_t nneeds; /* start it once these are registered */
	char needs[SVC_MAX_NEEDS][SVC_SCHEME_MAX + 1];

	/*
	 * The arguments after "--" (argv[1..]), quotes removed, packed one
	 * after the other, each with its NUL: nargs strings in
	 * args[0, args_len).  init puts argv[0] in front to make the
	 * spawn_args block.
	 */
	uint32_t nargs;
	uint32_t args_len;
	char args[SVC_ARGS_SIZE];
};

/*
 * Parses one logical line: line[0, len), continuations already joined, no
 * line break (the text need not be NUL-terminated; a NUL byte in it is an
 * error).  Returns 0 with *out filled, 1 for a blank or comment-only line
 * (*out zeroed), or -EINVAL for a malformed line: *out is zeroed and err
 * gets a message without a line number, such as "unknown key 'prio'" (cut
 * to errlen, always NUL-terminated when errlen > 0; err may be NULL when
 * errlen is 0).  out->line is left 0.
 */
int svc_parse_line(const char *line, size_t len, struct svc_entry *out,
		   char *err, size_t errlen);

/*
 * Walks a whole service list.  Keeps the names seen so far to refuse a
 * repeated one; only text[0, size) is read, and the text must stay
 * unchanged while the reader is in use.
 */
struct svc_reader {
	const char *text;
	size_t size;
	size_t pos;	/* where the next physical line starts */
	uint32_t line;	/* number of the last physical line read, from 1 */
	uint32_t nseen; /* accepted services */
	char seen[SVC_MAX_SERVICES][SVC_NAME_MAX + 1];
	uint32_t seen_line[SVC_MAX_SERVICES];
};

/* Starts a reader over text[0, size). */
void svc_reader_init(struct svc_reader *r, const char *text, size_t size);

/*
 * Reads the next service.  Lines end with '\n' (a '\r' before it is
 * dropped); a line whose last character is '\' continues on the next one,
 * the backslash and line break becoming one space, even inside a comment.
 * Blank and comment lines are skipped.
 *
 * Returns 0 with *out filled (out->line = its first line), 1 at the end of
 * the text, or -EINVAL for a bad line: a parse error, a joined line over
 * SVC_LINE_MAX, a name already used (the first one stays), or more than
 * SVC_MAX_SERVICES services.  err then reads "line 7: ...".  After an
 * error the reader is past the bad line: call again to go on.
 */
int svc_next(struct svc_reader *r, struct svc_entry *out, char *err,
	     size_t errlen);

/*
 * Returns the i-th argument after "--" (0-based), or NULL when i >= nargs.
 */
const char *svc_arg(const struct svc_entry *e, uint32_t i);

/*
 * Whether init restarts a service that ended with wait status `status`
 * (WAIT_EXITED / WAIT_SIGNALED in valence/abi.h): ALWAYS yes, NEVER no,
 * ON_FAILURE unless it exited with status 0 (WAIT_EXITED(0)); being
 * killed by any signal is a failure.
 */
bool svc_should_restart(enum svc_restart policy, int status);

/*
 * Crash-loop back-off: how long init waits before restarting a service
 * that has died `recent_failures` times before this death without staying
 * up SVC_STABLE_MS in between (the caller keeps that count and resets it
 * to 0 once a run lasts SVC_STABLE_MS).  0 ms for the first restart, then
 * 100, 200, 400, ... ms, never more than SVC_BACKOFF_MAX_MS.
 */
#define SVC_BACKOFF_FIRST_MS 100
#define SVC_BACKOFF_MAX_MS   10000
#define SVC_STABLE_MS	     30000
uint64_t svc_backoff_ms(unsigned recent_failures);

#endif
