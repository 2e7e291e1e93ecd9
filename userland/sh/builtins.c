/*
 * The built-in commands.  Each is int fn(argc, argv) returning its exit
 * status; errors go to stderr as "sh: NAME: what".  `help` prints the
 * table's usage and help texts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sh.h"

/* ---- small ones ---- */

static int bi_true(int argc, char **argv)
{
	return 0;
}

static int bi_false(int argc, char **argv)
{
	return 1;
}

static int usage(const char *name)
{
	const struct builtin *b = builtin_find(name);

	sh_error("usage: %s", b ? b->usage : name);
	return 2;
}

/* An optional count argument (break, continue, shift): 0 for bad. */
static long count_arg(int argc, char **argv, long dflt)
{
	long n;

	if (argc < 2)
		return dflt;
	if (argc > 2 || parse_int(argv[1], &n) < 0 || n < 0) {
		sh_error("%s: %s: bad count", argv[0], argv[1]);
		return -1;
	}
	return n;
}

/* ---- directories ---- */

static int bi_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : var_get("HOME");
	char cwd[1024], old[1024];
	int print = 0;

	if (argc > 2)
		return usage("cd");
	if (!dir || !*dir)
		dir = "/";
	if (strcmp(dir, "-") == 0) {
		dir = var_get("OLDPWD");
		if (!dir) {
			sh_error("cd: OLDPWD not set");
			return 1;
		}
		print = 1;
	}
	if (!getcwd(old, sizeof(old)))
		old[0] = '\0';
	if (chdir(dir) < 0) {
		sh_error("cd: %s: %s", dir, strerror(errno));
		return 1;
	}
	if (old[0])
		var_set("OLDPWD", old, V_EXPORT);
	if (getcwd(cwd, sizeof(cwd)))
		var_set("PWD", cwd, V_EXPORT);
	if (print)
		printf("%s\n", cwd);
	return 0;
}

static int bi_pwd(int argc, char **argv)
{
	char cwd[1024];

	if (!getcwd(cwd, sizeof(cwd))) {
		sh_error("pwd: %s", strerror(errno));
		return 1;
	}
	printf("%s\n", cwd);
	return 0;
}

/* ---- the shell itself ---- */

static int bi_exit(int argc, char **argv)
{
	static int warned;
	long n = sh.status;

	if (argc > 2) {
		sh_error("exit: too many arguments");
		return 1;
	}
	if (argc == 2 && parse_int(argv[1], &n) < 0) {
		sh_error("exit: %s: numeric argument required", argv[1]);
		n = 2;
	}
	if (sh.interactive && !sh.subshell && jobs_any_stopped() && !warned) {
		fprintf(stderr, "There are stopped jobs.\n");
		warned = 1;
		return 1;
	}
	sh_exit((int)(n & 0xff));
}

static int bi_export(int argc, char **argv)
{
	int st = 0, i = 1, readonly = strcmp(argv[0], "readonly") == 0;

	if (argc > 1 && strcmp(argv[1], "-p") == 0)
		i++;
	if (i == argc) {
		vars_print(1);
		return 0;
	}
	for (; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		int len = eq ? (int)(eq - argv[i]) : -1;

		if (!is_name(argv[i], len)) {
			sh_error("%s: '%s': not a valid name", argv[0],
				 argv[i]);
			st = 1;
			continue;
		}
		if (eq) {
			if (var_assign(argv[i],
				       readonly ? V_READONLY : V_EXPORT) < 0)
				st = 1;
		} else if (readonly) {
			const char *v = var_get(argv[i]);

			var_set(argv[i], v ? v : "", V_READONLY);
		} else {
			var_export(argv[i]);
		}
	}
	return st;
}

static int bi_unset(int argc, char **argv)
{
	int funcs = 0, vars = 0, st = 0, i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-f") == 0)
			funcs = 1;
		else if (strcmp(argv[i], "-v") == 0)
			vars = 1;
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else
			return usage("unset");
	}
	for (; i < argc; i++) {
		if (!is_name(argv[i], -1)) {
			sh_error("unset: '%s': not a valid name", argv[i]);
			st = 1;
			continue;
		}
		if (funcs) {
			func_unset(argv[i]);
			continue;
		}
		if (var_flags(argv[i]) >= 0 || vars) {
			if (var_unset(argv[i]) < 0)
				st = 1;
		} else {
			func_unset(argv[i]);
		}
	}
	return st;
}

/* set [-efux] [+efux] [-- args]: options and positional parameters. */
static int bi_set(int argc, char **argv)
{
	int i = 1;

	if (argc == 1) {
		vars_print(0);
		return 0;
	}
	for (; i < argc; i++) {
		const char *a = argv[i];
		int on = a[0] == '-';

		if (strcmp(a, "--") == 0) {
			i++;
			params_set(argc - i, argv + i);
			return 0;
		}
		if ((a[0] != '-' && a[0] != '+') || !a[1])
			break;
		for (a++; *a; a++) {
			switch (*a) {
			case 'e':
				sh.opt_errexit = on;
				break;
			case 'f':
				sh.opt_noglob = on;
				break;
			case 'u':
				sh.opt_nounset = on;
				break;
			case 'x':
				sh.opt_xtrace = on;
				break;
			default:
				sh_error("set: -%c: unknown option", *a);
				return 2;
			}
		}
	}
	if (i < argc)
		params_set(argc - i, argv + i);
	return 0;
}

static int bi_shift(int argc, char **argv)
{
	long n = count_arg(argc, argv, 1);

	if (n < 0)
		return 1;
	if (n > params.n) {
		sh_error("shift: can't shift that many");
		return 1;
	}
	params_set(params.n - (int)n, params.v + n);
	return 0;
}

static int bi_break(int argc, char **argv)
{
	long n = count_arg(argc, argv, 1);

	if (n < 1)
		return 1;
	if (sh.loop_depth == 0)
		return 0; /* not in a loop: nothing to do */
	if (n > sh.loop_depth)
		n = sh.loop_depth;
	if (argv[0][0] == 'b')
		sh.breaking = (int)n;
	else
		sh.continuing = (int)n;
	return 0;
}

static int bi_return(int argc, char **argv)
{
	long n = sh.status;

	if (argc > 1 && parse_int(argv[1], &n) < 0) {
		sh_error("return: %s: numeric argument required", argv[1]);
		n = 2;
	}
	if (sh.func_depth == 0) {
		sh_error(
			"return: can only return from a function or a . script");
		return 1;
	}
	sh.returning = 1;
	sh.status = (int)(n & 0xff);
	return sh.status;
}

/* Reads all of a file into a string: NULL (errno) on failure. */
static char *read_file(const char *path)
{
	struct strbuf b = { 0 };
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sb_add(&b, buf, (size_t)n);
	close(fd);
	if (n < 0) {
		sb_free(&b);
		return NULL;
	}
	return sb_take(&b);
}

static int bi_dot(int argc, char **argv)
{
	const char *saved_script = sh.script;
	int saved_line = sh.lineno, st;
	char *path, *text;

	if (argc < 2)
		return usage(".");
	path = strchr(argv[1], '/') || strchr(argv[1], ':')
		       ? xstrdup(argv[1])
		       : find_in_path(argv[1]);
	if (!path) { /* POSIX looks in $PATH; then try the name as it is */
		path = xstrdup(argv[1]);
	}
	text = read_file(path);
	if (!text) {
		sh_error("%s: %s", argv[1], strerror(errno));
		free(path);
		return 1;
	}
	sh.script = path;
	sh.func_depth++; /* return leaves the file */
	st = exec_text(text, path);
	sh.func_depth--;
	if (sh.returning) {
		sh.returning = 0;
		st = sh.status;
	}
	sh.script = saved_script;
	sh.lineno = saved_line;
	free(text);
	free(path);
	return st;
}

static int bi_eval(int argc, char **argv)
{
	struct strbuf b = { 0 };
	int st;

	for (int i = 1; i < argc; i++) {
		if (i > 1)
			sb_addc(&b, ' ');
		sb_adds(&b, argv[i]);
	}
	st = exec_text(b.s ? b.s : "", NULL);
	sb_free(&b);
	return st;
}

/* ---- output ---- */

/* Prints s with echo -e's escapes; returns 1 when \c says stop. */
static int echo_escaped(const char *s)
{
	static const char from[] = "\\abefnrtv", to[] = "\\\a\b\033\f\n\r\t\v";

	for (; *s; s++) {
		const char *e;

		if (*s != '\\' || !s[1]) {
			putchar(*s);
			continue;
		}
		s++;
		if (*s == 'c')
			return 1;
		e = strchr(from, *s);
		if (e) {
			putchar(to[e - from]);
		} else if (*s == '0') {
			int v = 0;

			for (int i = 0; i < 3 && s[1] >= '0' && s[1] <= '7';
			     i++)
				v = v * 8 + (*++s - '0');
			putchar(v);
		} else {
			putchar('\\');
			putchar(*s);
		}
	}
	return 0;
}

/* echo [-neE] args: as userland/echo. */
static int bi_echo(int argc, char **argv)
{
	int i = 1, newline = 1, escapes = 0;

	for (; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1] ||
		    strspn(a + 1, "neE") != strlen(a + 1))
			break;
		for (a++; *a; a++) {
			if (*a == 'n')
				newline = 0;
			else
				escapes = *a == 'e';
		}
	}
	for (int first = i; i < argc; i++) {
		if (i > first)
			putchar(' ');
		if (escapes ? echo_escaped(argv[i])
			    : (fputs(argv[i], stdout), 0))
			return 0;
	}
	if (newline)
		putchar('\n');
	return 0;
}

static const char *const keywords[] = {
	"if", "then", "elif", "else", "fi",   "while", "until", "for",
	"in", "do",   "done", "case", "esac", "{",     "}",	"!",
};

static int bi_type(int argc, char **argv)
{
	int st = 0;

	for (int i = 1; i < argc; i++) {
		const char *name = argv[i];
		int found = 0;
		char *path;

		for (size_t k = 0; k < sizeof(keywords) / sizeof(*keywords);
		     k++)
			if (strcmp(name, keywords[k]) == 0)
				found = 1;
		if (found) {
			printf("%s is a shell keyword\n", name);
		} else if (func_get(name)) {
			printf("%s is a function\n", name);
		} else if (builtin_find(name)) {
			printf("%s is a shell builtin\n", name);
		} else if ((path = find_in_path(name))) {
			struct stat st_;

			if (stat(path, &st_) == 0) {
				printf("%s is %s\n", name, path);
			} else {
				sh_error("type: %s: not found", name);
				st = 1;
			}
			free(path);
		} else {
			sh_error("type: %s: not found", name);
			st = 1;
		}
	}
	return st;
}

static int bi_help(int argc, char **argv)
{
	if (argc > 1) {
		int st = 0;

		for (int i = 1; i < argc; i++) {
			const struct builtin *b = builtin_find(argv[i]);

			if (!b) {
				sh_error("help: no help for '%s'", argv[i]);
				st = 1;
				continue;
			}
			printf("%s\n    %s\n", b->usage, b->help);
		}
		return st;
	}
	printf("sh, the Valence shell.  Built-in commands "
	       "(help NAME for one):\n\n");
	for (const struct builtin *b = builtins; b->name; b++)
		printf("  %-28s %s\n", b->usage, b->help);
	printf("\nThe language: docs/shell.md.  Keys: Left/Right, Home/End "
	       "(^A/^E), ^U ^K ^W,\nUp/Down for history, ^C drops the line, "
	       "^D on an empty line leaves.\n");
	return 0;
}

/* ---- jobs ---- */

static int bi_jobs(int argc, char **argv)
{
	int pids = 0, longform = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-p") == 0)
			pids = 1;
		else if (strcmp(argv[i], "-l") == 0)
			longform = 1;
		else
			return usage("jobs");
	}
	jobs_print(pids, longform);
	return 0;
}

static struct job *find_or_complain(const char *cmd, const char *spec)
{
	struct job *j = job_find(spec);

	if (!j)
		sh_error("%s: %s: no such job", cmd, spec ? spec : "current");
	return j;
}

static int bi_fg(int argc, char **argv)
{
	struct job *j;

	if (!sh.jobctl) {
		sh_error("%s: no job control in this shell", argv[0]);
		return 1;
	}
	if (argv[0][0] == 'f') {
		j = find_or_complain("fg", argc > 1 ? argv[1] : NULL);
		return j ? job_continue(j, 1) : 1;
	}
	if (argc == 1) {
		j = find_or_complain("bg", NULL);
		return j ? job_continue(j, 0) : 1;
	}
	for (int i = 1; i < argc; i++) {
		j = find_or_complain("bg", argv[i]);
		if (!j)
			return 1;
		job_continue(j, 0);
	}
	return 0;
}

static int bi_wait(int argc, char **argv)
{
	int st = 0;

	if (argc == 1)
		return jobs_wait_all();
	for (int i = 1; i < argc; i++) {
		struct job *j = job_find(argv[i]);

		if (!j) {
			sh_error("wait: %s: no such job or child", argv[i]);
			st = 127;
			continue;
		}
		st = job_wait(j);
	}
	return st;
}

static int bi_kill(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, st = 0;

	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		for (int s = 1; s < 32; s++)
			if (signal_name(s))
				printf("%2d %s\n", s, signal_name(s));
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		sig = signal_number(argv[2]);
		i = 3;
	} else if (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
		sig = signal_number(argv[1] + 1);
		i = 2;
	}
	if (sig < 0) {
		sh_error("kill: %s: unknown signal", argv[i - 1]);
		return 1;
	}
	if (i == argc)
		return usage("kill");
	for (; i < argc; i++) {
		pid_t target;
		long n;

		if (argv[i][0] == '%') {
			struct job *j = find_or_complain("kill", argv[i]);

			if (!j) {
				st = 1;
				continue;
			}
			target = sh.jobctl && j->pgid ? -j->pgid
						      : j->procs[0].pid;
		} else if (parse_int(argv[i], &n) == 0) {
			target = (pid_t)n;
		} else {
			sh_error("kill: %s: not a pid or job", argv[i]);
			st = 1;
			continue;
		}
		if (kill(target, sig) < 0) {
			sh_error("kill: %s: %s", argv[i], strerror(errno));
			st = 1;
		}
	}
	return st;
}

/* ---- input ---- */

/* One byte at a time, so that what follows stays for the next reader. */
static int read_line(struct strbuf *line, int raw)
{
	for (;;) {
		char c;
		ssize_t n = read(0, &c, 1);

		if (n < 0 && errno == EINTR) {
			if (sh.interrupted)
				return -1;
			continue;
		}
		if (n <= 0)
			return line->len ? 0 : -1; /* the end of the input */
		if (c == '\n')
			return 0;
		if (c == '\\' && !raw) {
			n = read(0, &c, 1);
			if (n <= 0)
				return 0;
			if (c == '\n')
				continue;    /* a continuation */
			sb_addc(line, '\\'); /* kept: splitting honours it */
		}
		sb_addc(line, c);
	}
}

/* Splits a line read by `read` into the variables: backslashes quote. */
static int read_assign(char **names, int count, const char *s, int raw)
{
	const char *ifs = var_get("IFS");
	int st = 0;

	if (!ifs)
		ifs = " \t\n";
	for (int i = 0; i < count; i++) {
		struct strbuf v = { 0 };
		int last = i == count - 1;
		size_t trail = 0; /* trailing IFS white space of the last */

		while (*s && strchr(ifs, *s) && strchr(" \t\n", *s))
			s++;
		while (*s) {
			if (!raw && *s == '\\' && s[1]) {
				sb_addc(&v, s[1]);
				s += 2;
				trail = v.len;
				continue;
			}
			if (strchr(ifs, *s)) {
				if (!last)
					break;
				if (!strchr(" \t\n", *s))
					trail = v.len + 1;
				sb_addc(&v, *s++);
				continue;
			}
			sb_addc(&v, *s++);
			trail = v.len;
		}
		if (last && v.len > trail) { /* trailing IFS white space */
			v.s[trail] = '\0';
			v.len = trail;
		}
		if (!last && *s) { /* the delimiter and white space around */
			while (*s && strchr(ifs, *s) && strchr(" \t\n", *s))
				s++;
			if (*s && strchr(ifs, *s))
				s++;
		}
		if (var_set(names[i], v.s ? v.s : "", 0) < 0)
			st = 1;
		sb_free(&v);
	}
	return st;
}

static int bi_read(int argc, char **argv)
{
	struct strbuf line = { 0 };
	char *reply[] = { "REPLY" };
	int raw = 0, i = 1, st;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-r") == 0) {
			raw = 1;
		} else if (strcmp(argv[i], "-p") == 0 && i + 1 < argc) {
			fputs(argv[++i], stderr);
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			return usage("read");
		}
	}
	for (int k = i; k < argc; k++) {
		if (!is_name(argv[k], -1)) {
			sh_error("read: '%s': not a valid name", argv[k]);
			return 2;
		}
	}
	fflush(stdout);
	st = read_line(&line, raw) < 0 ? 1 : 0;
	if (i == argc)
		read_assign(reply, 1, line.s ? line.s : "", 1);
	else if (read_assign(argv + i, argc - i, line.s ? line.s : "", raw))
		st = 2;
	sb_free(&line);
	return st;
}

static int bi_umask(int argc, char **argv)
{
	mode_t m;
	char *end;
	long v;

	if (argc == 1) {
		m = umask(0);
		umask(m);
		printf("%04o\n", (unsigned)m);
		return 0;
	}
	v = strtol(argv[1], &end, 8);
	if (*end || v < 0 || v > 0777) {
		sh_error("umask: %s: an octal mode, as 022", argv[1]);
		return 1;
	}
	umask((mode_t)v);
	return 0;
}

static int bi_history(int argc, char **argv)
{
	for (int i = 0; i < sh_history.n; i++)
		printf("%5d  %s\n", i + 1, history_get(&sh_history, i));
	return 0;
}

/* ---- the table ---- */

const struct builtin builtins[] = {
	{ ":", bi_true, 1, ":", "does nothing, successfully" },
	{ ".", bi_dot, 1, ". FILE", "runs the commands of FILE in this shell" },
	{ "[", builtin_test, 0, "[ EXPR ]", "test EXPR" },
	{ "bg", bi_fg, 0, "bg [%JOB...]",
	  "continues stopped jobs in the background" },
	{ "break", bi_break, 1, "break [N]", "leaves N loops (1)" },
	{ "cd", bi_cd, 0, "cd [DIR | -]",
	  "changes directory: to $HOME (or /) without DIR, to $OLDPWD with -" },
	{ "continue", bi_break, 1, "continue [N]",
	  "goes on with the next round of the Nth loop (1)" },
	{ "echo", bi_echo, 0, "echo [-neE] [WORD...]",
	  "prints the words; -n: no newline, -e: \\n \\t ... escapes" },
	{ "eval", bi_eval, 1, "eval [WORD...]", "runs the words as a command" },
	{ "exec", NULL, 1, "exec [COMMAND [ARG...]]",
	  "replaces the shell with COMMAND; without one, keeps the redirections" },
	{ "exit", bi_exit, 1, "exit [N]",
	  "leaves the shell with status N (that of the last command)" },
	{ "export", bi_export, 1, "export [NAME[=VALUE]...]",
	  "gives variables to the programs started from now on" },
	{ "false", bi_false, 0, "false", "fails" },
	{ "fg", bi_fg, 0, "fg [%JOB]", "continues a job in the foreground" },
	{ "help", bi_help, 0, "help [NAME...]",
	  "this list, or the help of one built-in" },
	{ "history", bi_history, 0, "history", "lists the lines typed so far" },
	{ "jobs", bi_jobs, 0, "jobs [-lp]",
	  "lists the jobs: -l with process groups, -p only those" },
	{ "kill", bi_kill, 0, "kill [-SIG | -s SIG] PID|%JOB... | -l",
	  "sends a signal (TERM) to processes or jobs" },
	{ "pwd", bi_pwd, 0, "pwd", "prints the working directory" },
	{ "read", bi_read, 0, "read [-r] [-p PROMPT] [NAME...]",
	  "reads a line into variables, split on $IFS ($REPLY without names)" },
	{ "readonly", bi_export, 1, "readonly [NAME[=VALUE]...]",
	  "makes variables read-only" },
	{ "return", bi_return, 1, "return [N]",
	  "leaves a function or a . script with status N" },
	{ "set", bi_set, 1, "set [-efux] [+efux] [-- ARG...]",
	  "options (-e stop on error, -f no pathnames, -u unset is an error, -x trace) and $1..." },
	{ "shift", bi_shift, 1, "shift [N]",
	  "drops the first N positional parameters (1)" },
	{ "source", bi_dot, 1, "source FILE", "as ." },
	{ "test", builtin_test, 0, "test EXPR",
	  "checks files, strings and numbers: -e -f -d -r -w -x -s -n -z = != -eq -ne -lt -le -gt -ge ! -a -o ( )" },
	{ "true", bi_true, 0, "true", "succeeds" },
	{ "type", bi_type, 0, "type NAME...",
	  "says what a name runs: keyword, function, built-in or program" },
	{ "umask", bi_umask, 0, "umask [MODE]",
	  "prints or sets the file creation mask (octal)" },
	{ "unset", bi_unset, 1, "unset [-fv] NAME...",
	  "removes variables (-v) or functions (-f)" },
	{ "wait", bi_wait, 0, "wait [PID|%JOB...]",
	  "waits for background jobs to end" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct builtin *builtin_find(const char *name)
{
	for (const struct builtin *b = builtins; b->name; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}
