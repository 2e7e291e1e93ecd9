/*
 * libFuzzer target for init's service list (servers/init/services.c): any
 * input, as one line or as a whole file, must give a service, a blank line
 * or -EINVAL with a message, never a crash or sanitizer report, and every
 * accepted service must keep the promises of services.h (checked here
 * independently; a violation aborts).  Build and run: make fuzz-services.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr,                                        \
				"fuzz_services: invariant failed: %s\n",       \
				#cond);                                        \
			abort();                                               \
		}                                                              \
	} while (0)

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i])
			return false;
	}
	return true;
}

static bool chars_ok(const char *s, size_t size, size_t max, bool dot)
{
	size_t n = strnlen(s, size);

	if (n == 0 || n > max || n == size)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || (dot && c == '.')))
			return false;
	}
	return true;
}

static void check_schemes(char (*names)[SVC_SCHEME_MAX + 1], uint32_t n,
			  uint32_t max)
{
	CHECK(n <= max);
	for (uint32_t i = 0; i < n; i++) {
		CHECK(chars_ok(names[i], SVC_SCHEME_MAX + 1, SVC_SCHEME_MAX,
			       true));
		for (uint32_t j = 0; j < i; j++)
			CHECK(strcmp(names[i], names[j]) != 0);
	}
}

static void check_entry(struct svc_entry *e)
{
	uint32_t nuls = 0;

	CHECK(chars_ok(e->name, sizeof(e->name), SVC_NAME_MAX, false));
	CHECK(strnlen(e->binary, sizeof(e->binary)) < sizeof(e->binary));
	CHECK(e->binary[0] == '/' || strstr(e->binary, ":/"));
	CHECK(e->restart == SVC_RESTART_ON_FAILURE ||
	      e->restart == SVC_RESTART_ALWAYS ||
	      e->restart == SVC_RESTART_NEVER);
	CHECK(e->priority <= PRIO_MAX);

	CHECK(e->nioports <= SVC_MAX_IOPORTS);
	for (uint32_t i = 0; i < e->nioports; i++) {
		CHECK(e->ioports[i].first <= e->ioports[i].last);
		for (uint32_t j = 0; j < i; j++)
			CHECK(e->ioports[i].last < e->ioports[j].first ||
			      e->ioports[j].last < e->ioports[i].first);
	}
	CHECK(e->nirqs <= SVC_MAX_IRQS);
	for (uint32_t i = 0; i < e->nirqs; i++) {
		CHECK(e->irqs[i] <= SVC_IRQ_MAX);
		for (uint32_t j = 0; j < i; j++)
			CHECK(e->irqs[i] != e->irqs[j]);
	}
	CHECK(e->nphys <= SVC_MAX_PHYS);
	for (uint32_t i = 0; i < e->nphys; i++) {
		const struct svc_phys *p = &e->phys[i];

		CHECK(p->size && p->base % SVC_PAGE_SIZE == 0 &&
		      p->size % SVC_PAGE_SIZE == 0);
		CHECK(p->base + (p->size - 1) >= p->base);
		CHECK(p->cache == MEM_CACHE_WB || p->cache == MEM_CACHE_UC ||
		      p->cache == MEM_CACHE_WC);
		for (uint32_t j = 0; j < i; j++) {
			const struct svc_phys *q = &e->phys[j];

			CHECK(p->base + (p->size - 1) < q->base ||
			      q->base + (q->size - 1) < p->base);
		}
	}

	check_schemes(e->register_names, e->nregister, SVC_MAX_REGISTER);
	check_schemes(e->see, e->nsee, SVC_MAX_SEE);
	check_schemes(e->needs, e->nneeds, SVC_MAX_NEEDS);
	CHECK(!e->see_all || e->nsee == 0);

	CHECK(e->nargs <= SVC_MAX_ARGS && e->args_len <= SVC_ARGS_SIZE);
	for (uint32_t i = 0; i < e->args_len; i++)
		nuls += e->args[i] == '\0';
	CHECK(nuls == e->nargs);
	CHECK(e->args_len == 0 || e->args[e->args_len - 1] == '\0');
	for (uint32_t i = 0; i < e->nargs; i++)
		CHECK(svc_arg(e, i) >= e->args &&
		      svc_arg(e, i) < e->args + e->args_len);
	CHECK(svc_arg(e, e->nargs) == NULL);
}

static void check_result(int ret, struct svc_entry *e, const char *err,
			 size_t errlen)
{
	CHECK(ret == 0 || ret == 1 || ret == -EINVAL);
	CHECK(memchr(err, '\0', errlen) != NULL);
	if (ret == 0) {
		CHECK(err[0] == '\0');
		check_entry(e);
	} else {
		CHECK(all_zero(e, sizeof(*e)));
		CHECK((ret == -EINVAL) == (err[0] != '\0'));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct svc_reader r;
	struct svc_entry e, again;
	char err[128], small[9];
	const char *text = (const char *)data;
	uint32_t prev_line = 0, newlines = 0;
	int ret, ret2;

	/* The input as one line; the same answer with a tiny err. */
	memset(&e, 0x5a, sizeof(e));
	ret = svc_parse_line(text, size, &e, err, sizeof(err));
	check_result(ret, &e, err, sizeof(err));
	ret2 = svc_parse_line(text, size, &again, small, sizeof(small));
	CHECK(ret2 == ret && memcmp(&e, &again, sizeof(e)) == 0);
	CHECK(strncmp(err, small, sizeof(small) - 1) == 0);

	/* The input as a file. */
	for (size_t i = 0; i < size; i++)
		newlines += data[i] == '\n';
	svc_reader_init(&r, text, size);
	for (uint32_t calls = 0;; calls++) {
		CHECK(calls <= newlines + 1);
		memset(&e, 0x5a, sizeof(e));
		ret = svc_next(&r, &e, err, sizeof(err));
		check_result(ret, &e, err, sizeof(err));
		if (ret == 1)
			break;
		if (ret == 0) {
			CHECK(e.line > prev_line && e.line <= r.line);
			prev_line = e.line;
		} else {
			CHECK(strncmp(err, "line ", 5) == 0);
		}
	}
	CHECK(r.line <= newlines + 1);
	CHECK(r.nseen <= SVC_MAX_SERVICES);
	for (uint32_t i = 0; i < r.nseen; i++) {
		for (uint32_t j = 0; j < i; j++)
			CHECK(strcmp(r.seen[i], r.seen[j]) != 0);
	}
	return 0;
}
