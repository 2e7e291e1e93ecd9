/*
 * Shell variables (a hash table of name, value and flags), the
 * environment programs get (the exported ones), positional parameters
 * and functions.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

#define BUCKETS 64

struct var {
	struct var *next;
	char *name, *value; /* value NULL: declared (export X) but unset */
	int flags;
};

static struct var *table[BUCKETS];
static int nvars;

static unsigned hash(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % BUCKETS;
}

static struct var *lookup(const char *name)
{
	for (struct var *v = table[hash(name)]; v; v = v->next)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

static struct var *create(const char *name)
{
	struct var *v = lookup(name);
	unsigned h;

	if (v)
		return v;
	h = hash(name);
	v = xmalloc(sizeof(*v));
	v->name = xstrdup(name);
	v->value = NULL;
	v->flags = 0;
	v->next = table[h];
	table[h] = v;
	nvars++;
	return v;
}

const char *var_get(const char *name)
{
	struct var *v = lookup(name);

	return v ? v->value : NULL;
}

int var_flags(const char *name)
{
	struct var *v = lookup(name);

	return v && v->value ? v->flags : -1;
}

int var_set(const char *name, const char *value, int flags)
{
	struct var *v = create(name);

	if (v->flags & V_READONLY) {
		sh_error("%s: read-only variable", name);
		return -1;
	}
	free(v->value);
	v->value = xstrdup(value);
	v->flags |= flags;
	return 0;
}

int var_unset(const char *name)
{
	struct var **p = &table[hash(name)], *v;

	for (; (v = *p); p = &v->next) {
		if (strcmp(v->name, name) != 0)
			continue;
		if (v->flags & V_READONLY) {
			sh_error("%s: read-only variable", name);
			return -1;
		}
		*p = v->next;
		free(v->name);
		free(v->value);
		free(v);
		nvars--;
		return 0;
	}
	return 0;
}

void var_export(const char *name)
{
	create(name)->flags |= V_EXPORT;
}

int var_assign(const char *assignment, int flags)
{
	const char *eq = strchr(assignment, '=');
	char *name;
	int r;

	if (!eq)
		return -1;
	name = xstrndup(assignment, (size_t)(eq - assignment));
	r = var_set(name, eq + 1, flags);
	free(name);
	return r;
}

void vars_init(char **envp)
{
	char cwd[1024];

	for (; envp && *envp; envp++)
		if (is_assignment(*envp))
			var_assign(*envp, V_EXPORT);
	if (!var_get("PATH"))
		var_set("PATH", "/bin", V_EXPORT);
	if (!var_get("HOME"))
		var_set("HOME", "/", V_EXPORT);
	var_set("IFS", " \t\n", 0);
	if (!var_get("PS1"))
		var_set("PS1", "\\w \\$ ", 0);
	if (!var_get("PS2"))
		var_set("PS2", "> ", 0);
	if (getcwd(cwd, sizeof(cwd)))
		var_set("PWD", cwd, V_EXPORT);
	char ppid[16];

	snprintf(ppid, sizeof(ppid), "%d", (int)getppid());
	var_set("PPID", ppid, 0);
}

char **vars_environ(void)
{
	char **env = xmalloc((size_t)(nvars + 1) * sizeof(char *));
	int n = 0;

	for (int i = 0; i < BUCKETS; i++) {
		for (struct var *v = table[i]; v; v = v->next) {
			struct strbuf b = { 0 };

			if (!(v->flags & V_EXPORT) || !v->value)
				continue;
			sb_adds(&b, v->name);
			sb_addc(&b, '=');
			sb_adds(&b, v->value);
			env[n++] = sb_take(&b);
		}
	}
	env[n] = NULL;
	return env;
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(struct var *const *)a)->name,
		      (*(struct var *const *)b)->name);
}

/* value in single quotes, ' as '\'' */
static void print_quoted(const char *s)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

void vars_print(int exported_only)
{
	struct var **all = xmalloc((size_t)(nvars + 1) * sizeof(*all));
	int n = 0;

	for (int i = 0; i < BUCKETS; i++)
		for (struct var *v = table[i]; v; v = v->next)
			if (!exported_only || (v->flags & V_EXPORT))
				all[n++] = v;
	qsort(all, (size_t)n, sizeof(*all), by_name);
	for (int i = 0; i < n; i++) {
		if (exported_only)
			printf("export ");
		fputs(all[i]->name, stdout);
		if (all[i]->value) {
			putchar('=');
			print_quoted(all[i]->value);
		}
		putchar('\n');
	}
	free(all);
}

/* ---- positional parameters ---- */

struct params params;

void params_set(int n, char **v)
{
	char **copy = xmalloc((size_t)(n + 1) * sizeof(char *));

	for (int i = 0; i < n; i++)
		copy[i] = xstrdup(v[i]);
	copy[n] = NULL;
	for (int i = 0; i < params.n; i++)
		free(params.v[i]);
	free(params.v);
	params.n = n;
	params.v = copy;
}

void params_swap(struct params *p)
{
	struct params t = params;

	params = *p;
	*p = t;
}

/* ---- functions ---- */

struct func {
	struct func *next;
	char *name;
	struct node *body;
};

static struct func *funcs;

void func_define(const char *name, struct node *body)
{
	struct func *f;

	for (f = funcs; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			break;
	if (!f) {
		f = xmalloc(sizeof(*f));
		f->name = xstrdup(name);
		f->body = NULL;
		f->next = funcs;
		funcs = f;
	}
	arena_ref(body->arena); /* before the old one goes: it may be it */
	if (f->body)
		arena_release(f->body->arena);
	f->body = body;
}

struct node *func_get(const char *name)
{
	for (struct func *f = funcs; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f->body;
	return NULL;
}

int func_unset(const char *name)
{
	for (struct func **p = &funcs, *f; (f = *p); p = &f->next) {
		if (strcmp(f->name, name) != 0)
			continue;
		*p = f->next;
		arena_release(f->body->arena);
		free(f->name);
		free(f);
		return 0;
	}
	return -1;
}
