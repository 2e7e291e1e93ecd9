/*
 * Running the tree: simple commands (built-ins, functions, programs),
 * pipelines, lists and compound commands, redirections, and finding a
 * program through $PATH.
 *
 * Every program, pipeline and background list is a job (jobs.c): with
 * job control, its processes share a process group of their own, which
 * gets the terminal while it runs in the foreground.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sh.h"

#define FD_USER_MAX    9     /* redirections name 0..9 */
#define FD_SAVE_BASE   10    /* where the shell keeps what they replace */
#define FD_NS	       3     /* PROC_H_NS: every process's ns: */
#define HEREDOC_INLINE 32768 /* bodies up to this go straight into a pipe */

static int cond_depth; /* > 0: in a condition, set -e does not apply */

/* Whether a break, continue, return or Ctrl-C stops what runs now. */
static int jumping(void)
{
	return sh.breaking || sh.continuing || sh.returning || sh.interrupted;
}

/* ---- redirections ---- */

struct saved_fds {
	int n, cap;
	struct {
		int fd, copy; /* copy -1: fd was closed before */
	} * v;
};

static void save_fd(struct saved_fds **save, int fd)
{
	struct saved_fds *s;

	if (!save)
		return;
	if (!*save)
		*save = calloc(1, sizeof(**save));
	s = *save;
	if (!s)
		return;
	for (int i = 0; i < s->n; i++)
		if (s->v[i].fd == fd)
			return; /* the first copy is the one to restore */
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4;
		s->v = xrealloc(s->v, (size_t)s->cap * sizeof(*s->v));
	}
	s->v[s->n].fd = fd;
	s->v[s->n].copy = fcntl(fd, F_DUPFD_CLOEXEC, FD_SAVE_BASE);
	s->n++;
}

/* Puts back what redirect() saved, and frees it (s may be NULL). */
static void redirect_restore(struct saved_fds *s)
{
	if (!s)
		return;
	fflush(stdout);
	for (int i = s->n - 1; i >= 0; i--) {
		if (s->v[i].copy >= 0) {
			dup2(s->v[i].copy, s->v[i].fd);
			close(s->v[i].copy);
		} else {
			close(s->v[i].fd);
		}
	}
	free(s->v);
	free(s);
}

/* A descriptor reading the here-document's body. */
static int heredoc_fd(const char *body)
{
	size_t len = strlen(body);
	int p[2];
	pid_t pid;

	if (pipe(p) < 0) {
		sh_error("cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	if (len <= HEREDOC_INLINE) { /* fits in the pipe: no writer needed */
		if (len && write(p[1], body, len) != (ssize_t)len) {
			sh_error("here-document: %s", strerror(errno));
			close(p[0]);
			close(p[1]);
			return -1;
		}
		close(p[1]);
		return p[0];
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		while (len) {
			ssize_t n = write(p[1], body, len);

			if (n <= 0)
				_exit(1);
			body += n;
			len -= (size_t)n;
		}
		_exit(0);
	}
	close(p[1]);
	if (pid < 0) {
		sh_error("fork: %s", strerror(errno));
		close(p[0]);
		return -1;
	}
	return p[0];
}

/* The descriptor a >&N or <&N names: N, -2 for '-', or -1 (reported). */
static int dup_source(const char *word)
{
	long n;

	if (strcmp(word, "-") == 0)
		return -2;
	if (parse_int(word, &n) < 0 || n < 0 || n > FD_USER_MAX) {
		sh_error("%s: bad file descriptor", word);
		return -1;
	}
	if (fcntl((int)n, F_GETFD) < 0) {
		sh_error("%ld: bad file descriptor", n);
		return -1;
	}
	return (int)n;
}

static int open_flags(enum redir_kind kind)
{
	switch (kind) {
	case R_OUT:
		return O_WRONLY | O_CREAT | O_TRUNC;
	case R_APPEND:
		return O_WRONLY | O_CREAT | O_APPEND;
	case R_RDWR:
		return O_RDWR | O_CREAT;
	default:
		return O_RDONLY;
	}
}

/* One redirection; what it replaces goes to save (if given). */
static int redirect_one(struct redir *r, struct saved_fds **save)
{
	int fd = r->fd, src, opened = 0;
	char *word;

	if (fd > FD_USER_MAX) {
		sh_error("%d: redirections name descriptors 0 to %d", fd,
			 FD_USER_MAX);
		return -1;
	}
	if (fd == FD_NS) {
		sh_error(
			"3: descriptor 3 is the name service (ns:) in Valence; "
			"use 0-2 or 4-9");
		return -1;
	}
	if (r->kind == R_HEREDOC) {
		word = r->expand ? expand_heredoc(r->target)
				 : xstrdup(r->target);
		if (!word)
			return -1;
		src = heredoc_fd(word);
		free(word);
		if (src < 0)
			return -1;
		opened = 1;
	} else {
		word = expand_one(r->target, EX_TILDE);
		if (!word)
			return -1;
		if (r->kind == R_DUPIN || r->kind == R_DUPOUT) {
			src = dup_source(word);
		} else {
			src = open(word, open_flags(r->kind), 0666);
			if (src < 0)
				sh_error("%s: %s", word, strerror(errno));
			opened = 1;
		}
		free(word);
		if (src == -1)
			return -1;
	}
	save_fd(save, fd);
	if (src == -2) { /* >&- */
		close(fd);
		return 0;
	}
	if (src != fd) {
		if (dup2(src, fd) < 0) {
			sh_error("%d: %s", fd, strerror(errno));
			if (opened)
				close(src);
			return -1;
		}
		if (opened)
			close(src);
	}
	return 0;
}

/* Applies the redirections in order; with save, what they replace is
   kept there for redirect_restore.  0, or -1 (reported). */
static int redirect(struct redir *r, struct saved_fds **save)
{
	fflush(stdout);
	for (; r; r = r->next)
		if (redirect_one(r, save) < 0)
			return -1;
	return 0;
}

/* ---- finding and starting programs ---- */

/* The next entry of a $PATH-like list at *p: "initfs:/bin" is one entry
   (a scheme), not two. */
static char *path_entry(const char **p)
{
	const char *s = *p, *e = s;

	while (*e && (isalnum((unsigned char)*e) || strchr("._-", *e)))
		e++;
	if (*e == ':' && e[1] == '/' && e > s)
		e++; /* a scheme's colon */
	while (*e && *e != ':')
		e++;
	*p = *e ? e + 1 : e;
	return xstrndup(s, (size_t)(e - s));
}

static int is_program(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	return (st.st_mode & 0111) ? 0 : -EACCES;
}

char *find_in_path(const char *name)
{
	const char *path = var_get("PATH"), *p;
	int err = -ENOENT;

	if (!*name) {
		errno = ENOENT;
		return NULL;
	}
	if (strchr(name, '/') || strchr(name, ':')) {
		int r = is_program(name);

		if (r == 0)
			return xstrdup(name);
		errno = -r;
		return NULL;
	}
	if (!path)
		path = "/bin";
	for (p = path;;) {
		int at_end = *p == '\0';
		char *dir = path_entry(&p);
		struct strbuf b = { 0 };
		int r;

		sb_adds(&b, *dir ? dir : ".");
		if (b.s[b.len - 1] != '/')
			sb_addc(&b, '/');
		sb_adds(&b, name);
		free(dir);
		r = is_program(b.s);
		if (r == 0)
			return sb_take(&b);
		if (r == -EACCES || r == -EISDIR)
			err = -EACCES;
		sb_free(&b);
		if (at_end || *p == '\0')
			break;
	}
	errno = -err;
	return NULL;
}

/* In a forked child: the signals the shell handles back to their
   defaults, as the program to come expects them. */
static void child_reset_signals(void)
{
	static const int sigs[] = { SIGINT,  SIGQUIT, SIGTSTP,
				    SIGTTIN, SIGTTOU, SIGCHLD };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
}

/* A file that is not a program: a #! line names its interpreter; text
   without one is a shell script; anything else cannot run. */
static int exec_script(const char *path, char **argv, char **envp)
{
	char head[256], *interp, *arg = NULL, *e;
	struct strvec v = { 0 };
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 126;
	n = read(fd, head, sizeof(head) - 1);
	close(fd);
	if (n < 0)
		n = 0;
	head[n] = '\0';
	if (n >= 2 && head[0] == '#' && head[1] == '!') {
		e = strchr(head, '\n');
		if (e)
			*e = '\0';
		interp = head + 2;
		while (*interp == ' ' || *interp == '\t')
			interp++;
		for (e = interp; *e && *e != ' ' && *e != '\t'; e++)
			;
		if (*e) {
			*e++ = '\0';
			while (*e == ' ' || *e == '\t')
				e++;
			arg = *e ? e : NULL;
			if (arg) /* one argument, trailing blanks dropped */
				for (e = arg + strlen(arg);
				     e > arg &&
				     (e[-1] == ' ' || e[-1] == '\t' ||
				      e[-1] == '\r');)
					*--e = '\0';
		}
		if (!*interp) {
			sh_error("%s: #! names no interpreter", path);
			return 126;
		}
	} else if (memchr(head, '\0', (size_t)n)) {
		sh_error("%s: cannot execute binary file", path);
		return 126;
	} else {
		interp = "/bin/sh";
	}
	sv_add(&v, xstrdup(interp));
	if (arg)
		sv_add(&v, xstrdup(arg));
	sv_add(&v, xstrdup(path));
	for (int i = 1; argv[i]; i++)
		sv_add(&v, xstrdup(argv[i]));
	execve(interp, v.v, envp);
	sh_error("%s: %s: bad interpreter: %s", path, interp, strerror(errno));
	sv_free(&v);
	return 126;
}

/* execve, with the #! and plain-script fallbacks; returns only when it
   failed, with the status to report (126, 127). */
static int exec_program(const char *path, char **argv, char **envp)
{
	int err;

	fflush(stdout);
	execve(path, argv, envp);
	err = errno;
	if (err == ENOEXEC)
		return exec_script(path, argv, envp);
	sh_error("%s: %s", argv[0], strerror(err));
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

/* In a child: finds argv[0] and runs it.  Never returns. */
static __attribute__((noreturn)) void run_program(char **argv,
						  struct strvec *assign)
{
	char *path = find_in_path(argv[0]);
	char **env;

	if (!path) {
		int err = errno;

		if (strchr(argv[0], '/') || strchr(argv[0], ':'))
			sh_error("%s: %s", argv[0], strerror(err));
		else if (err == EACCES)
			sh_error("%s: Permission denied", argv[0]);
		else
			sh_error("%s: command not found", argv[0]);
		fflush(stdout);
		_exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
	}
	for (int i = 0; i < assign->n; i++)
		var_assign(assign->v[i], V_EXPORT);
	env = vars_environ();
	_exit(exec_program(path, argv, env));
}

/* ---- jobs of one process ---- */

/*
 * Forks a process of job j.  The child joins the job's process group
 * (the first one founds it) and, in the foreground, takes the terminal;
 * its signals are back to their defaults.  Returns the pid, 0 in the
 * child, -1 (reported) on failure.
 */
static pid_t fork_job(struct job *j, int fg)
{
	sigset_t keys, old;
	pid_t pid;

	/* The keyboard's signals wait across the fork: one that comes
	   before the child has its default actions back kills it then,
	   rather than running the shell's handler in it. */
	sigemptyset(&keys);
	sigaddset(&keys, SIGINT);
	sigaddset(&keys, SIGTSTP);
	sigaddset(&keys, SIGQUIT);
	sigprocmask(SIG_BLOCK, &keys, &old);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		sh.subshell++;
		child_reset_signals();
		if (!fg && !sh.jobctl) {
			/* POSIX: without job control, a background job
			   ignores the keyboard's signals */
			signal(SIGINT, SIG_IGN);
			signal(SIGQUIT, SIG_IGN);
		}
		if (sh.jobctl) {
			pid_t me = getpid();

			/* tcsetpgrp from the background: no SIGTTOU yet */
			signal(SIGTTOU, SIG_IGN);
			setpgid(0, j->pgid ? j->pgid : me);
			if (fg)
				tcsetpgrp(0, j->pgid ? j->pgid : me);
			signal(SIGTTOU, SIG_DFL);
		}
		sigprocmask(SIG_SETMASK, &old, NULL);
		sh.jobctl = sh.interactive = sh.editing = 0;
		jobs_init();
		return 0;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		sh_error("fork: %s", strerror(errno));
		return -1;
	}
	if (sh.jobctl) {
		if (!j->pgid)
			j->pgid = pid;
		setpgid(pid, j->pgid);
	}
	job_add_proc(j, pid);
	return pid;
}

/* Without job control a background job reads nothing from the
   keyboard: its input is null: unless redirected. */
static void background_stdin(void)
{
	int fd = open("null:", O_RDONLY);

	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
}

/* The job's end: waits in the foreground, or leaves it running. */
static int job_finish(struct job *j, int fg)
{
	if (fg)
		return job_wait_fg(j);
	job_background(j);
	return 0;
}

/* Runs n in a child process of its own, as a job. */
static int run_in_child(struct node *n, int fg, const char *text)
{
	struct job *j = job_new(text ? text : "");
	pid_t pid = fork_job(j, fg);

	if (pid < 0) {
		job_free(j);
		return 1;
	}
	if (pid == 0) {
		if (!fg && !sh.jobctl)
			background_stdin();
		sh_exit(exec_node(n, X_NOFORK));
	}
	return job_finish(j, fg);
}

/* ---- simple commands ---- */

/* Variables set for the length of one built-in or function. */
struct tmpvar {
	char *name, *old;
	int flags;
};

static struct tmpvar *tmpvars_set(struct strvec *assign)
{
	struct tmpvar *t = xmalloc((size_t)(assign->n + 1) * sizeof(*t));

	for (int i = 0; i < assign->n; i++) {
		const char *a = assign->v[i], *eq = strchr(a, '=');
		const char *old;

		t[i].name = xstrndup(a, (size_t)(eq - a));
		old = var_get(t[i].name);
		t[i].old = old ? xstrdup(old) : NULL;
		t[i].flags = var_flags(t[i].name);
		var_set(t[i].name, eq + 1, 0);
	}
	return t;
}

static void tmpvars_restore(struct tmpvar *t, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		if (t[i].old)
			var_set(t[i].name, t[i].old, 0);
		else
			var_unset(t[i].name);
		free(t[i].name);
		free(t[i].old);
	}
	free(t);
}

static void xtrace(struct strvec *assign, struct strvec *argv)
{
	struct strbuf b = { 0 };

	sb_adds(&b, "+");
	for (int i = 0; i < assign->n; i++) {
		sb_addc(&b, ' ');
		sb_adds(&b, assign->v[i]);
	}
	for (int i = 0; i < argv->n; i++) {
		sb_addc(&b, ' ');
		sb_adds(&b, argv->v[i]);
	}
	sb_addc(&b, '\n');
	fflush(stdout);
	write(2, b.s, b.len);
	sb_free(&b);
}

static int call_function(struct node *body, struct strvec *argv)
{
	struct params saved = { .n = argv->n - 1, .v = argv->v + 1 };
	int st;

	if (sh.calls >= CALL_MAX) {
		sh_error("%s: functions nested too deeply (%d)", argv->v[0],
			 CALL_MAX);
		return 1;
	}
	sh.calls++;
	/* the function's parameters are argv[1..]: swap them in */
	params_swap(&saved);
	sh.func_depth++;
	arena_ref(body->arena); /* it may unset or redefine itself */
	st = exec_node(body, 0);
	arena_release(body->arena);
	sh.func_depth--;
	if (sh.returning) {
		sh.returning = 0;
		st = sh.status;
	}
	params_swap(&saved);
	sh.calls--;
	return st;
}

static int run_builtin(const struct builtin *b, struct node *n,
		       struct strvec *argv, struct strvec *assign)
{
	struct saved_fds *save = NULL;
	struct tmpvar *tmp = NULL;
	int st;

	if (b->fn == NULL) /* exec without a command: redirections stay */
		return redirect(n->redirs, NULL) < 0 ? 1 : 0;
	if (redirect(n->redirs, &save) < 0) {
		redirect_restore(save);
		return 1;
	}
	if (b->special) {
		for (int i = 0; i < assign->n; i++)
			var_assign(assign->v[i], 0);
	} else {
		tmp = tmpvars_set(assign);
	}
	st = b->fn(argv->n, argv->v);
	fflush(stdout);
	if (tmp)
		tmpvars_restore(tmp, assign->n);
	redirect_restore(save);
	return st;
}

/* Expands the words and assignments of a simple command: 0 or -1. */
static int expand_command(struct node *n, struct strvec *argv,
			  struct strvec *assign)
{
	for (char **w = n->cmd.words; *w; w++)
		if (expand_word(*w, EX_FULL, argv) < 0)
			return -1;
	for (char **a = n->cmd.assign; *a; a++) {
		const char *eq = strchr(*a, '=');
		char *v = expand_one(eq + 1, EX_TILDE | EX_ASSIGN);
		struct strbuf b = { 0 };

		if (!v)
			return -1;
		sb_add(&b, *a, (size_t)(eq - *a + 1));
		sb_adds(&b, v);
		free(v);
		sv_add(assign, sb_take(&b));
	}
	return 0;
}

static int exec_simple(struct node *n, int flags)
{
	struct strvec argv = { 0 }, assign = { 0 };
	const struct builtin *b;
	struct node *f;
	int st, subst;

	sh.lineno = n->line;
	expand_subst_status();
	if (expand_command(n, &argv, &assign) < 0) {
		sv_free(&argv);
		sv_free(&assign);
		return 1;
	}
	subst = expand_subst_status();
	if (sh.opt_xtrace && (argv.n || assign.n))
		xtrace(&assign, &argv);
	if (argv.n == 0) { /* assignments and redirections only */
		struct saved_fds *save = NULL;

		st = subst >= 0 ? subst : 0;
		for (int i = 0; i < assign.n; i++)
			if (var_assign(assign.v[i], 0) < 0)
				st = 1;
		if (redirect(n->redirs, &save) < 0)
			st = 1;
		redirect_restore(save);
		sv_free(&assign);
		sv_free(&argv);
		return st;
	}
	f = func_get(argv.v[0]);
	b = f ? NULL : builtin_find(argv.v[0]);
	if (f) {
		struct saved_fds *save = NULL;
		struct tmpvar *tmp;

		if (redirect(n->redirs, &save) < 0) {
			st = 1;
		} else {
			tmp = tmpvars_set(&assign);
			st = call_function(f, &argv);
			tmpvars_restore(tmp, assign.n);
		}
		redirect_restore(save);
	} else if (b && !(b->fn == NULL && argv.n > 1)) {
		st = run_builtin(b, n, &argv, &assign);
	} else if (flags & X_NOFORK) {
		if (b) { /* exec CMD ...: the program replaces this process */
			free(argv.v[0]);
			memmove(argv.v, argv.v + 1,
				(size_t)argv.n * sizeof(char *));
			argv.n--;
		}
		if (redirect(n->redirs, NULL) < 0)
			sh_exit(1);
		run_program(argv.v, &assign);
	} else if (b) { /* exec CMD ... in the shell itself */
		if (redirect(n->redirs, NULL) < 0) {
			st = 1;
		} else {
			child_reset_signals();
			if (sh.jobctl)
				term_take();
			run_program(argv.v + 1, &assign);
		}
	} else {
		struct job *j = job_new(n->text ? n->text : argv.v[0]);
		pid_t pid = fork_job(j, 1);

		if (pid == 0) {
			if (redirect(n->redirs, NULL) < 0)
				_exit(1);
			run_program(argv.v, &assign);
		}
		if (pid < 0) {
			job_free(j);
			st = 1;
		} else {
			st = job_wait_fg(j);
		}
	}
	sv_free(&argv);
	sv_free(&assign);
	return st;
}

/* ---- pipelines ---- */

static int exec_pipeline(struct node *n, int fg)
{
	struct job *j;
	int sync[2] = { -1, -1 }, prev = -1, st, i;

	if (n->pipe.n == 1) { /* ! command */
		cond_depth++;
		st = exec_node(n->pipe.cmds[0], 0);
		cond_depth--;
		return !st;
	}
	j = job_new(n->text);
	/* With job control the children wait on `sync` until all have
	   joined the group: a first one that ended at once would take the
	   group with it. */
	if (sh.jobctl && pipe2(sync, O_CLOEXEC) < 0)
		sync[0] = sync[1] = -1;
	for (i = 0; i < n->pipe.n; i++) {
		int p[2] = { -1, -1 };
		pid_t pid;

		if (i < n->pipe.n - 1 && pipe(p) < 0) {
			sh_error("cannot make a pipe: %s", strerror(errno));
			break;
		}
		pid = fork_job(j, fg);
		if (pid == 0) {
			if (sync[0] >= 0) {
				char c;

				close(sync[1]);
				while (read(sync[0], &c, 1) < 0 &&
				       errno == EINTR)
					;
				close(sync[0]);
			}
			if (prev >= 0) {
				dup2(prev, 0);
				close(prev);
			} else if (!fg && !sh.jobctl) {
				background_stdin();
			}
			if (p[1] >= 0) {
				close(p[0]);
				dup2(p[1], 1);
				close(p[1]);
			}
			sh_exit(exec_node(n->pipe.cmds[i], X_NOFORK));
		}
		if (prev >= 0)
			close(prev);
		prev = p[0];
		if (p[1] >= 0)
			close(p[1]);
		if (pid < 0) {
			if (prev >= 0)
				close(prev);
			prev = -1;
			break;
		}
	}
	if (prev >= 0)
		close(prev);
	if (sync[0] >= 0) {
		close(sync[0]);
		close(sync[1]); /* the children go on */
	}
	if (j->nprocs == 0) {
		job_free(j);
		return 1;
	}
	if (i < n->pipe.n && sh.jobctl)
		kill(-j->pgid, SIGTERM); /* a pipeline cut short */
	st = job_finish(j, fg);
	return n->pipe.bang ? !st : st;
}

/* ---- compound commands ---- */

static int exec_loop(struct node *n)
{
	int st = 0;

	sh.loop_depth++;
	for (;;) {
		int c;

		cond_depth++;
		c = exec_node(n->cond.cond, 0);
		cond_depth--;
		if (jumping() && !sh.breaking && !sh.continuing)
			break;
		if (sh.breaking || sh.continuing) {
			/* break or continue in the condition */
		} else if ((c == 0) != (n->type == N_WHILE)) {
			break;
		} else {
			st = exec_node(n->cond.body, 0);
		}
		if (sh.breaking) {
			sh.breaking--;
			break;
		}
		if (sh.continuing && --sh.continuing)
			break; /* continue N: an outer loop goes on */
		if (jumping())
			break;
	}
	sh.loop_depth--;
	return st;
}

static int exec_for(struct node *n)
{
	struct strvec words = { 0 };
	int st = 0;

	if (!n->loop.words) {
		for (int i = 0; i < params.n; i++)
			sv_add(&words, xstrdup(params.v[i]));
	} else {
		for (char **w = n->loop.words; *w; w++) {
			if (expand_word(*w, EX_FULL, &words) < 0) {
				sv_free(&words);
				return 1;
			}
		}
	}
	sh.loop_depth++;
	for (int i = 0; i < words.n; i++) {
		if (var_set(n->loop.var, words.v[i], 0) < 0) {
			st = 1;
			break;
		}
		st = exec_node(n->loop.body, 0);
		if (sh.breaking) {
			sh.breaking--;
			break;
		}
		if (sh.continuing && --sh.continuing)
			break;
		if (jumping())
			break;
	}
	sh.loop_depth--;
	sv_free(&words);
	return st;
}

static int exec_case(struct node *n)
{
	char *word = expand_one(n->cas.word, EX_TILDE);

	if (!word)
		return 1;
	for (struct case_item *it = n->cas.items; it; it = it->next) {
		for (char **p = it->patterns; *p; p++) {
			char *pat = expand_pattern(*p);
			int hit = pat && pattern_match(pat, word);

			free(pat);
			if (hit) {
				free(word);
				return exec_node(it->body, 0);
			}
		}
	}
	free(word);
	return 0;
}

static int exec_if(struct node *n)
{
	int c;

	cond_depth++;
	c = exec_node(n->cond.cond, 0);
	cond_depth--;
	if (jumping())
		return c;
	if (c == 0)
		return exec_node(n->cond.body, 0);
	return n->cond.els ? exec_node(n->cond.els, 0) : 0;
}

/* A compound command run in the shell, with its redirections around. */
static int exec_compound(struct node *n, int flags)
{
	struct saved_fds *save = NULL;
	int st;

	if (redirect(n->redirs, &save) < 0) {
		redirect_restore(save);
		return 1;
	}
	switch (n->type) {
	case N_IF:
		st = exec_if(n);
		break;
	case N_WHILE:
	case N_UNTIL:
		st = exec_loop(n);
		break;
	case N_FOR:
		st = exec_for(n);
		break;
	case N_CASE:
		st = exec_case(n);
		break;
	case N_SUBSHELL: /* we are the subshell's process already */
		st = exec_node(n->group.body, flags);
		break;
	default: /* N_GROUP */
		st = exec_node(n->group.body, 0);
		break;
	}
	redirect_restore(save);
	return st;
}

static int exec_and_or(struct node *n, int flags)
{
	int st;

	cond_depth++;
	st = exec_node(n->bin.a, 0);
	cond_depth--;
	if (jumping())
		return st;
	if ((n->type == N_AND) == (st == 0))
		st = exec_node(n->bin.b, flags);
	return st;
}

int exec_node(struct node *n, int flags)
{
	int st;

	if (!n)
		return 0;
	if (jumping())
		return sh.status;
	switch (n->type) {
	case N_CMD:
		st = exec_simple(n, flags);
		break;
	case N_PIPE:
		st = exec_pipeline(n, 1);
		break;
	case N_AND:
	case N_OR:
		st = exec_and_or(n, flags);
		break;
	case N_SEQ:
		exec_node(n->bin.a, 0);
		st = jumping() ? sh.status : exec_node(n->bin.b, flags);
		break;
	case N_BG:
		if (n->bin.a->type == N_PIPE && n->bin.a->pipe.n > 1)
			exec_pipeline(n->bin.a, 0);
		else
			run_in_child(n->bin.a, 0, n->text);
		st = 0;
		break;
	case N_SUBSHELL:
		st = (flags & X_NOFORK) ? exec_compound(n, flags)
					: run_in_child(n, 1, n->text);
		break;
	case N_FUNC:
		func_define(n->func.name, n->func.body);
		st = 0;
		break;
	default:
		st = exec_compound(n, flags);
		break;
	}
	sh.status = st;
	if (sh.opt_errexit && st != 0 && cond_depth == 0 && !jumping() &&
	    (n->type == N_CMD || n->type == N_PIPE || n->type == N_SUBSHELL))
		sh_exit(st);
	return st;
}

int exec_text(const char *text, const char *what)
{
	struct source *src;
	int st;

	if (sh.calls >= CALL_MAX) {
		sh_error("eval and . nested too deeply (%d)", CALL_MAX);
		return 1;
	}
	sh.calls++;
	src = source_string(what, text);
	st = run_source(src);
	source_free(src);
	sh.calls--;
	return st;
}
