/*
 * init's service list: parsing /etc/services lines into struct svc_entry,
 * and the restart policy.  See services.h for the contract and
 * docs/services.md for the format.
 *
 * A line is copied into a buffer of our own and cut into words in place;
 * each word is checked completely before anything is kept, so a bad line
 * never leaves a half-filled entry.  Only string.h functions that
 * libvalence also has (kernel/lib/string.c) are used.
 */
#include <stdarg.h>
#include <string.h>

#include "services.h"

#define ERR_WORD_MAX 40 /* longer words are cut short in messages */

struct parser {
	char buf[SVC_LINE_MAX + 1];
	char *next; /* first character not yet cut into a word */
	struct svc_entry *e;
	char *err;
	size_t errlen;
};

/* ---- messages ---- */

static void put_char(char *buf, size_t size, size_t *n, char c)
{
	if (*n + 1 < size)
		buf[(*n)++] = c;
}

static void put_unsigned(char *buf, size_t size, size_t *n, unsigned v,
			 unsigned base)
{
	char digits[12];
	int i = 0;

	do {
		digits[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i > 0)
		put_char(buf, size, n, digits[--i]);
}

/*
 * A tiny printf into buf[0, size): %s (cut after ERR_WORD_MAX characters,
 * so that a long word cannot push the rest of the message out), %u and %x
 * (unsigned).  Returns the length written, NUL not counted.
 */
static size_t vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t n = 0;

	if (!buf || size == 0)
		return 0;
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put_char(buf, size, &n, *fmt);
			continue;
		}
		if (!*++fmt)
			break;
		if (*fmt == 's') {
			const char *s = va_arg(ap, const char *);
			size_t len = strlen(s);

			for (size_t i = 0; i < len && i < ERR_WORD_MAX; i++)
				put_char(buf, size, &n, s[i]);
			if (len > ERR_WORD_MAX) {
				for (int i = 0; i < 3; i++)
					put_char(buf, size, &n, '.');
			}
		} else if (*fmt == 'u' || *fmt == 'x') {
			put_unsigned(buf, size, &n, va_arg(ap, unsigned),
				     *fmt == 'u' ? 10 : 16);
		}
	}
	buf[n] = '\0';
	return n;
}

static size_t __attribute__((format(printf, 3, 4)))
format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Writes the message to the caller's err and returns -EINVAL. */
static int __attribute__((format(printf, 2, 3)))
fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---- words and numbers ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *find_char(char *s, char c)
{
	for (; *s; s++) {
		if (*s == c)
			return s;
	}
	return NULL;
}

/*
 * Cuts the next word out of p->buf and sets *word to it, or to NULL at the
 * end of the line or at a '#' outside quotes (a comment).  With `quotes`
 * (the arguments after "--"), "..." keeps blanks and '#' inside a word and
 * the quotes are dropped; inside them a backslash may only escape '"' or
 * '\'.  Without, '"' and '\' are ordinary characters.  Returns 0 or
 * -EINVAL.
 */
static int next_word(struct parser *p, bool quotes, char **word)
{
	char *s = p->next, *d;
	bool quoted = false;

	*word = NULL;
	while (is_blank(*s))
		s++;
	if (*s == '#')
		*s = '\0';
	if (!*s) {
		p->next = s;
		return 0;
	}
	for (d = s, *word = s;; s++) {
		char c = *s;

		if (!c)
			break;
		if (quotes && c == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && (is_blank(c) || c == '#'))
			break;
		if (quoted && c == '\\' && s[1] != '"' && s[1] != '\\')
			return fail(p,
				    "bad escape in quotes: use \\\" or \\\\");
		if (quoted && c == '\\')
			c = *++s;
		*d++ = c; /* d never passes s: dropping quotes only shrinks */
	}
	if (quoted)
		return fail(p, "unterminated quote");
	if (*s == '#')
		*s = '\0'; /* the rest is a comment: the next call ends */
	p->next = *s ? s + 1 : s;
	*d = '\0';
	return 0;
}

/*
 * Parses s[0, n) as a decimal or 0x-prefixed hex number and nothing else.
 * Returns 0, -EINVAL when it is not one, or -ERANGE above UINT64_MAX.
 */
static int parse_u64(const char *s, size_t n, uint64_t *v)
{
	unsigned base = 10;
	size_t i = 0;

	*v = 0;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return -EINVAL;
	for (; i < n; i++) {
		unsigned d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned)(s[i] - 'a' + 10);
		else if (base == 16 && s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned)(s[i] - 'A' + 10);
		else
			return -EINVAL;
		if (*v > (UINT64_MAX - d) / base)
			return -ERANGE;
		*v = *v * base + d;
	}
	return 0;
}

/* Parses the whole of `value` as a number in 0..max, for key `key`. */
static int parse_ranged(struct parser *p, const char *key, const char *value,
			uint64_t max, uint64_t *v)
{
	int ret = parse_u64(value, strlen(value), v);

	if (ret == -EINVAL)
		return fail(p, "%s '%s' is not a number", key, value);
	if (ret || *v > max)
		return fail(p, "%s %s out of range 0..%u", key, value,
			    (unsigned)max);
	return 0;
}

/* 1..max characters from [a-z0-9_-], and '.' too when `dot`. */
static bool name_ok(const char *s, size_t max, bool dot)
{
	size_t n = strnlen(s, max + 1);

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || (dot && c == '.')))
			return false;
	}
	return true;
}

/* ---- keys ---- */

static int parse_restart(struct parser *p, char *v)
{
	if (strcmp(v, "on-failure") == 0)
		p->e->restart = SVC_RESTART_ON_FAILURE;
	else if (strcmp(v, "always") == 0)
		p->e->restart = SVC_RESTART_ALWAYS;
	else if (strcmp(v, "never") == 0)
		p->e->restart = SVC_RESTART_NEVER;
	else
		return fail(p,
			    "restart '%s' must be always, on-failure or never",
			    v);
	return 0;
}

static int parse_priority(struct parser *p, char *v)
{
	uint64_t n;
	int ret;

	if (strcmp(v, "driver") == 0) {
		p->e->priority = PRIO_DRIVER;
		return 0;
	}
	if (strcmp(v, "app") == 0) {
		p->e->priority = PRIO_APP;
		return 0;
	}
	if (parse_u64(v, strlen(v), &n) == -EINVAL)
		return fail(p, "priority '%s' must be driver, app or 0..%u", v,
			    PRIO_MAX);
	ret = parse_ranged(p, "priority", v, PRIO_MAX, &n);
	if (ret)
		return ret;
	p->e->priority = (uint32_t)n;
	return 0;
}

static int parse_ioport(struct parser *p, char *v)
{
	struct svc_entry *e = p->e;
	char *dash = find_char(v, '-');
	uint64_t first, last;
	int r1, r2;

	if (e->nioports == SVC_MAX_IOPORTS)
		return fail(p, "more than %u ioport ranges", SVC_MAX_IOPORTS);
	if (!dash)
		return fail(p, "ioport '%s' must be FIRST-LAST", v);
	r1 = parse_u64(v, (size_t)(dash - v), &first);
	r2 = parse_u64(dash + 1, strlen(dash + 1), &last);
	if (r1 == -EINVAL || r2 == -EINVAL)
		return fail(p, "ioport '%s' must be FIRST-LAST", v);
	if (r1 || r2 || first > 0xffff || last > 0xffff)
		return fail(p, "ioport %s out of range 0..0xffff", v);
	if (first > last)
		return fail(p, "ioport %s: first above last", v);
	for (uint32_t i = 0; i < e->nioports; i++) {
		if (first <= e->ioports[i].last && e->ioports[i].first <= last)
			return fail(p, "ioport %s overlaps an earlier range",
				    v);
	}
	e->ioports[e->nioports].first = (uint16_t)first;
	e->ioports[e->nioports].last = (uint16_t)last;
	e->nioports++;
	return 0;
}

static int parse_irq(struct parser *p, char *v)
{
	struct svc_entry *e = p->e;
	uint64_t irq;
	int ret;

	if (e->nirqs == SVC_MAX_IRQS)
		return fail(p, "more than %u irqs", SVC_MAX_IRQS);
	ret = parse_ranged(p, "irq", v, SVC_IRQ_MAX, &irq);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < e->nirqs; i++) {
		if (e->irqs[i] == irq)
			return fail(p, "irq %s given twice", v);
	}
	e->irqs[e->nirqs++] = (uint8_t)irq;
	return 0;
}

/* BASE+SIZE[:wb|uc|wc] */
static int parse_phys(struct parser *p, char *v)
{
	struct svc_entry *e = p->e;
	char *plus = find_char(v, '+'), *colon;
	uint64_t base, size;
	uint32_t cache = MEM_CACHE_UC;
	int r1, r2;

	if (e->nphys == SVC_MAX_PHYS)
		return fail(p, "more than %u phys ranges", SVC_MAX_PHYS);
	if (!plus)
		return fail(p, "phys '%s' must be BASE+SIZE[:wb|uc|wc]", v);
	colon = find_char(plus, ':');
	if (colon) {
		if (strcmp(colon, ":wb") == 0)
			cache = MEM_CACHE_WB;
		else if (strcmp(colon, ":wc") == 0)
			cache = MEM_CACHE_WC;
		else if (strcmp(colon, ":uc") != 0)
			return fail(p,
				    "phys %s: cache mode must be wb, uc or wc",
				    v);
	}
	r1 = parse_u64(v, (size_t)(plus - v), &base);
	r2 = parse_u64(plus + 1,
		       colon ? (size_t)(colon - plus - 1) : strlen(plus + 1),
		       &size);
	if (r1 == -EINVAL || r2 == -EINVAL)
		return fail(p, "phys '%s' must be BASE+SIZE[:wb|uc|wc]", v);
	if (r1 || r2)
		return fail(p, "phys %s: number above 2^64", v);
	if (base % SVC_PAGE_SIZE)
		return fail(p, "phys %s: base not page-aligned", v);
	if (size == 0)
		return fail(p, "phys %s: size is zero", v);
	if (size % SVC_PAGE_SIZE)
		return fail(p, "phys %s: size not page-aligned", v);
	if (base + (size - 1) < base)
		return fail(p, "phys %s: range wraps past 2^64", v);
	for (uint32_t i = 0; i < e->nphys; i++) {
		const struct svc_phys *o = &e->phys[i];

		if (base <= o->base + (o->size - 1) &&
		    o->base <= base + (size - 1))
			return fail(p, "phys %s overlaps an earlier range", v);
	}
	e->phys[e->nphys].base = base;
	e->phys[e->nphys].size = size;
	e->phys[e->nphys].cache = cache;
	e->nphys++;
	return 0;
}

/* Appends scheme name v to names[0, *count) for `key`. */
static int add_scheme(struct parser *p, const char *key, const char *v,
		      char (*names)[SVC_SCHEME_MAX + 1], uint32_t max,
		      uint32_t *count)
{
	if (!*v)
		return fail(p, "%s: empty scheme name in the list", key);
	if (!name_ok(v, SVC_SCHEME_MAX, true))
		return fail(p, "scheme '%s' must be [a-z0-9._-], 1..%u chars",
			    v, SVC_SCHEME_MAX);
	for (uint32_t i = 0; i < *count; i++) {
		if (strcmp(names[i], v) == 0)
			return fail(p, "%s: scheme '%s' listed twice", key, v);
	}
	if (*count == max)
		return fail(p, "%s: more than %u schemes", key, max);
	memcpy(names[*count], v, strlen(v) + 1);
	(*count)++;
	return 0;
}

/* A comma-separated list of scheme names; cuts v in place. */
static int parse_schemes(struct parser *p, const char *key, char *v,
			 char (*names)[SVC_SCHEME_MAX + 1], uint32_t max,
			 uint32_t *count)
{
	char *comma;
	int ret;

	for (;; v = comma + 1) {
		comma = find_char(v, ',');
		if (comma)
			*comma = '\0';
		ret = add_scheme(p, key, v, names, max, count);
		if (ret || !comma)
			return ret;
	}
}

static int parse_register(struct parser *p, char *v)
{
	return parse_schemes(p, "register", v, p->e->register_names,
			     SVC_MAX_REGISTER, &p->e->nregister);
}

static int parse_see(struct parser *p, char *v)
{
	if (strcmp(v, "*") == 0) {
		p->e->see_all = true;
		return 0;
	}
	return parse_schemes(p, "see", v, p->e->see, SVC_MAX_SEE, &p->e->nsee);
}

static int parse_needs(struct parser *p, char *v)
{
	return parse_schemes(p, "needs", v, p->e->needs, SVC_MAX_NEEDS,
			     &p->e->nneeds);
}

/* A yes/no value for `key`, into *out. */
static int parse_yes_no(struct parser *p, const char *key, const char *v,
			bool *out)
{
	if (strcmp(v, "yes") == 0)
		*out = true;
	else if (strcmp(v, "no") == 0)
		*out = false;
	else
		return fail(p, "%s '%s' must be yes or no", key, v);
	return 0;
}

static int parse_archive(struct parser *p, char *v)
{
	return parse_yes_no(p, "archive", v, &p->e->archive);
}

static int parse_control(struct parser *p, char *v)
{
	return parse_yes_no(p, "control", v, &p->e->control);
}

static int parse_klog(struct parser *p, char *v)
{
	return parse_yes_no(p, "klog", v, &p->e->klog);
}

static const struct key {
	const char *name;
	bool repeats;
	int (*parse)(struct parser *p, char *value);
} keys[] = {
	{ "restart", false, parse_restart },
	{ "priority", false, parse_priority },
	{ "ioport", true, parse_ioport },
	{ "irq", true, parse_irq },
	{ "phys", true, parse_phys },
	{ "register", false, parse_register },
	{ "see", false, parse_see },
	{ "needs", false, parse_needs },
	{ "archive", false, parse_archive },
	{ "control", false, parse_control },
	{ "klog", false, parse_klog },
};

/* One key=value word; *given has a bit per key seen on the line. */
static int parse_option(struct parser *p, char *word, uint32_t *given)
{
	char *eq = find_char(word, '=');

	if (!eq)
		return fail(p, "expected key=value or --, got '%s'", word);
	*eq = '\0';
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(word, keys[i].name) != 0)
			continue;
		if (!eq[1])
			return fail(p, "empty value for '%s'", word);
		if ((*given & (1u << i)) && !keys[i].repeats)
			return fail(p, "key '%s' given twice", word);
		*given |= 1u << i;
		return keys[i].parse(p, eq + 1);
	}
	return fail(p, "unknown key '%s'", word);
}

/* ---- lines ---- */

/* Everything after "--": arguments, packed into e->args. */
static int parse_args(struct parser *p)
{
	struct svc_entry *e = p->e;
	char *word;
	size_t len;
	int ret;

	for (;;) {
		ret = next_word(p, true, &word);
		if (ret || !word)
			return ret;
		if (e->nargs == SVC_MAX_ARGS)
			return fail(p, "more than %u arguments", SVC_MAX_ARGS);
		len = strlen(word) + 1;
		if (len > SVC_ARGS_SIZE - e->args_len)
			return fail(p, "arguments longer than %u bytes in all",
				    SVC_ARGS_SIZE);
		memcpy(e->args + e->args_len, word, len);
		e->args_len += (uint32_t)len;
		e->nargs++;
	}
}

/* An absolute path, optionally behind a scheme: /bin/x, initfs:/bin/x. */
static bool binary_ok(const char *s)
{
	char scheme[SVC_SCHEME_MAX + 2];
	size_t n = 0;

	while (s[n] && s[n] != ':' && s[n] != '/')
		n++;
	if (s[n] == ':') {
		if (n > SVC_SCHEME_MAX)
			return false;
		memcpy(scheme, s, n);
		scheme[n] = '\0';
		if (!name_ok(scheme, SVC_SCHEME_MAX, true))
			return false;
		s += n + 1;
	}
	return s[0] == '/';
}

static int parse(struct parser *p)
{
	struct svc_entry *e = p->e;
	char *name, *binary, *word;
	uint32_t given = 0;
	int ret;

	next_word(p, false, &name); /* cannot fail without quotes */
	if (!name)
		return 1;
	if (!name_ok(name, SVC_NAME_MAX, false))
		return fail(p, "name '%s' must be [a-z0-9_-], 1..%u chars",
			    name, SVC_NAME_MAX);
	memcpy(e->name, name, strlen(name) + 1);
	e->restart = SVC_RESTART_ON_FAILURE;
	e->priority = PRIO_APP;

	next_word(p, false, &binary);
	if (!binary || strcmp(binary, "--") == 0)
		return fail(p, "missing binary after the name '%s'", name);
	if (strlen(binary) > SVC_BINARY_MAX)
		return fail(p, "binary '%s' longer than %u chars", binary,
			    SVC_BINARY_MAX);
	if (!binary_ok(binary))
		return fail(p, "binary '%s' must be /path or scheme:/path",
			    binary);
	memcpy(e->binary, binary, strlen(binary) + 1);

	for (;;) {
		next_word(p, false, &word);
		if (!word)
			return 0;
		if (strcmp(word, "--") == 0)
			return parse_args(p);
		ret = parse_option(p, word, &given);
		if (ret)
			return ret;
	}
}

int svc_parse_line(const char *line, size_t len, struct svc_entry *out,
		   char *err, size_t errlen)
{
	struct parser p;
	int ret;

	memset(out, 0, sizeof(*out));
	p.e = out;
	p.err = err;
	p.errlen = err ? errlen : 0;
	if (p.errlen)
		err[0] = '\0';
	if (len > SVC_LINE_MAX)
		return fail(&p, "line longer than %u chars", SVC_LINE_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(&p, "control character 0x%x in the line",
				    c);
	}
	if (len)
		memcpy(p.buf, line, len);
	p.buf[len] = '\0';
	p.next = p.buf;
	ret = parse(&p);
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}

/* ---- the whole file ---- */

void svc_reader_init(struct svc_reader *r, const char *text, size_t size)
{
	memset(r, 0, sizeof(*r));
	r->text = text;
	r->size = text ? size : 0;
}

/*
 * Joins physical lines into buf[SVC_LINE_MAX] while they end in '\'.
 * Returns the joined length; above SVC_LINE_MAX only the count goes on.
 */
static size_t read_line(struct svc_reader *r, char *buf)
{
	size_t len = 0;
	bool more = true;

	while (more && r->pos < r->size) {
		const char *s = r->text + r->pos;
		size_t n = 0, left = r->size - r->pos;

		while (n < left && s[n] != '\n')
			n++;
		r->pos += n < left ? n + 1 : n;
		r->line++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		more = n > 0 && s[n - 1] == '\\';
		for (size_t i = 0; i < n; i++, len++) {
			if (len < SVC_LINE_MAX)
				buf[len] = more && i == n - 1 ? ' ' : s[i];
		}
	}
	return len;
}

int svc_next(struct svc_reader *r, struct svc_entry *out, char *err,
	     size_t errlen)
{
	char buf[SVC_LINE_MAX], *tail;
	size_t len, n;
	uint32_t first;
	int ret;

	if (!err)
		errlen = 0;
	while (r->pos < r->size) {
		first = r->line + 1;
		len = read_line(r, buf);
		/* Every message starts "line N: "; tail is the rest. */
		n = format(err, errlen, "line %u: ", first);
		tail = errlen ? err + n : NULL;
		if (len > SVC_LINE_MAX) {
			format(tail, errlen - n, "longer than %u chars",
			       SVC_LINE_MAX);
			goto bad;
		}
		ret = svc_parse_line(buf, len, out, tail, errlen - n);
		if (ret == 1)
			continue;
		if (ret)
			return ret;
		for (uint32_t i = 0; i < r->nseen; i++) {
			if (strcmp(r->seen[i], out->name) == 0) {
				format(tail, errlen - n,
				       "service '%s' already defined on line %u",
				       out->name, r->seen_line[i]);
				goto bad;
			}
		}
		if (r->nseen == SVC_MAX_SERVICES) {
			format(tail, errlen - n, "more than %u services",
			       SVC_MAX_SERVICES);
			goto bad;
		}
		memcpy(r->seen[r->nseen], out->name, sizeof(out->name));
		r->seen_line[r->nseen++] = first;
		out->line = first;
		if (errlen)
			err[0] = '\0';
		return 0;
	}
	if (errlen)
		err[0] = '\0';
	memset(out, 0, sizeof(*out));
	return 1;
bad:
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

const char *svc_arg(const struct svc_entry *e, uint32_t i)
{
	const char *s = e->args;

	if (i >= e->nargs)
		return NULL;
	while (i--)
		s += strlen(s) + 1;
	return s;
}

/* ---- restarts ---- */

bool svc_should_restart(enum svc_restart policy, int status)
{
	switch (policy) {
	case SVC_RESTART_ALWAYS:
		return true;
	case SVC_RESTART_NEVER:
		return false;
	case SVC_RESTART_ON_FAILURE:
	default:
		return status != WAIT_EXITED(0);
	}
}

uint64_t svc_backoff_ms(unsigned recent_failures)
{
	uint64_t ms;

	if (recent_failures == 0)
		return 0;
	if (recent_failures > 8) /* 100 << 7 is past the cap already */
		return SVC_BACKOFF_MAX_MS;
	ms = (uint64_t)SVC_BACKOFF_FIRST_MS << (recent_failures - 1);
	return ms < SVC_BACKOFF_MAX_MS ? ms : SVC_BACKOFF_MAX_MS;
}
