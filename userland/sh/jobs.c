/*
 * Jobs: the processes of one pipeline (or one program, or one
 * background list), their states as waitpid reports them, and job
 * control: the terminal goes to the foreground job's process group and
 * comes back to the shell when it ends or stops; fg and bg continue a
 * stopped job with SIGCONT.
 *
 * Every wait is waitpid(-1, ..., WUNTRACED): whichever child it reports
 * is filed under its job, foreground or not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sh.h"

#define JOBS_MAX 256

static struct job *table[JOBS_MAX];

static int job_done(const struct job *j);
static int job_stopped(const struct job *j);
static void jobs_notify(void);
static int njobs;	      /* slots in use in table[] */
static int current, previous; /* ids of %+ and %- */

void jobs_init(void)
{
	/* a forked child has no jobs of its own: forget the parent's */
	for (int i = 0; i < JOBS_MAX; i++) {
		if (!table[i])
			continue;
		free(table[i]->procs);
		free(table[i]->text);
		free(table[i]);
		table[i] = NULL;
	}
	njobs = current = previous = 0;
}

static struct job *by_id(int id)
{
	for (int i = 0; i < JOBS_MAX; i++)
		if (table[i] && table[i]->id == id)
			return table[i];
	return NULL;
}

/* The smallest id not in use. */
static int free_id(void)
{
	for (int id = 1;; id++)
		if (!by_id(id))
			return id;
}

/* Drops the jobs that ended and were reported, to make room. */
static void jobs_compact(void)
{
	for (int i = 0; i < JOBS_MAX; i++)
		if (table[i] && job_done(table[i]) && !table[i]->foreground)
			job_free(table[i]);
}

struct job *job_new(const char *text)
{
	struct job *j;
	int slot;

	if (njobs == JOBS_MAX)
		jobs_compact();
	for (slot = 0; slot < JOBS_MAX && table[slot]; slot++)
		;
	if (slot == JOBS_MAX) { /* still full: the oldest slot is forgotten */
		job_free(table[0]);
		slot = 0;
	}
	j = xmalloc(sizeof(*j));
	memset(j, 0, sizeof(*j));
	j->id = free_id();
	j->text = xstrdup(text);
	table[slot] = j;
	njobs++;
	return j;
}

void job_add_proc(struct job *j, pid_t pid)
{
	j->procs =
		xrealloc(j->procs, (size_t)(j->nprocs + 1) * sizeof(*j->procs));
	j->procs[j->nprocs].pid = pid;
	j->procs[j->nprocs].status = 0;
	j->procs[j->nprocs].state = PS_RUNNING;
	j->nprocs++;
}

static void set_current(int id)
{
	if (id == current)
		return;
	previous = current;
	current = id;
}

void job_free(struct job *j)
{
	if (!j)
		return;
	for (int i = 0; i < JOBS_MAX; i++) {
		if (table[i] != j)
			continue;
		table[i] = NULL;
		njobs--;
	}
	if (current == j->id) {
		current = previous;
		previous = 0;
	} else if (previous == j->id) {
		previous = 0;
	}
	if (!current || !by_id(current)) { /* the newest left, if any */
		current = 0;
		for (int i = 0; i < JOBS_MAX; i++)
			if (table[i] && table[i] != j &&
			    !table[i]->foreground && table[i]->id > current)
				current = table[i]->id;
	}
	free(j->procs);
	free(j->text);
	free(j);
}

/* Whether every process of j has ended. */
static int job_done(const struct job *j)
{
	for (int i = 0; i < j->nprocs; i++)
		if (j->procs[i].state != PS_DONE)
			return 0;
	return 1;
}

/* Whether j is stopped: none runs, at least one is stopped. */
static int job_stopped(const struct job *j)
{
	int stopped = 0;

	for (int i = 0; i < j->nprocs; i++) {
		if (j->procs[i].state == PS_RUNNING)
			return 0;
		stopped |= j->procs[i].state == PS_STOPPED;
	}
	return stopped;
}

/* The shell's status for a wait status. */
static int exit_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	if (WIFSTOPPED(st))
		return 128 + WSTOPSIG(st);
	return 1;
}

/* The status of j's last process, as $? has it. */
static int job_status(const struct job *j)
{
	return j->nprocs ? exit_code(j->procs[j->nprocs - 1].status) : 0;
}

/* Files a wait report under its process; 0, or -1 for a stranger. */
static int job_update(pid_t pid, int st)
{
	for (int i = 0; i < JOBS_MAX; i++) {
		struct job *j = table[i];

		if (!j)
			continue;
		for (int k = 0; k < j->nprocs; k++) {
			if (j->procs[k].pid != pid)
				continue;
			j->procs[k].status = st;
			j->procs[k].state =
				WIFSTOPPED(st) ? PS_STOPPED : PS_DONE;
			j->notified = 0;
			return 0;
		}
	}
	return -1;
}

/* Waits for one report about any child; -1 when there are none left. */
static int wait_one(int options)
{
	int st;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &st, options);
		if (pid > 0) {
			job_update(pid, st);
			return 0;
		}
		if (pid == 0)
			return -1; /* WNOHANG: nothing yet */
		if (errno != EINTR)
			break;
		if (sh.interrupted && !(options & WUNTRACED))
			return -1; /* Ctrl-C ends the wait builtin */
	}
	/* ECHILD: whatever we still think runs was reaped elsewhere */
	for (int i = 0; i < JOBS_MAX; i++)
		for (int k = 0; table[i] && k < table[i]->nprocs; k++)
			table[i]->procs[k].state = PS_DONE;
	return -1;
}

/* ---- the terminal ---- */

/* A caught ^C takes back the call it lands in (EINTR): try again. */
int term_set_modes(const struct termios *t)
{
	int r;

	while ((r = tcsetattr(0, TCSADRAIN, t)) < 0 && errno == EINTR)
		;
	return r;
}

static int term_set_pgrp(pid_t pgid)
{
	int r;

	while ((r = tcsetpgrp(0, pgid)) < 0 && errno == EINTR)
		;
	return r;
}

/* The terminal's foreground to group pgid (job control only). */
static void term_give(pid_t pgid)
{
	if (sh.jobctl && pgid > 0)
		term_set_pgrp(pgid);
}

void term_take(void)
{
	if (!sh.jobctl)
		return;
	term_set_pgrp(sh.pgid);
	if (sh.have_tmodes)
		term_set_modes(&sh.tmodes);
}

/* ---- signals ---- */

static const struct {
	int sig;
	const char *name, *message;
} signals[] = {
	{ SIGHUP, "HUP", "Hangup" },
	{ SIGINT, "INT", "Interrupt" },
	{ SIGQUIT, "QUIT", "Quit" },
	{ SIGILL, "ILL", "Illegal instruction" },
	{ SIGTRAP, "TRAP", "Trace/breakpoint trap" },
	{ SIGABRT, "ABRT", "Aborted" },
	{ SIGFPE, "FPE", "Floating point exception" },
	{ SIGKILL, "KILL", "Killed" },
	{ SIGBUS, "BUS", "Bus error" },
	{ SIGSEGV, "SEGV", "Segmentation fault" },
	{ SIGSYS, "SYS", "Bad system call" },
	{ SIGPIPE, "PIPE", "Broken pipe" },
	{ SIGALRM, "ALRM", "Alarm clock" },
	{ SIGTERM, "TERM", "Terminated" },
	{ SIGURG, "URG", "Urgent I/O condition" },
	{ SIGSTOP, "STOP", "Stopped (signal)" },
	{ SIGTSTP, "TSTP", "Stopped" },
	{ SIGCONT, "CONT", "Continued" },
	{ SIGCHLD, "CHLD", "Child exited" },
	{ SIGTTIN, "TTIN", "Stopped (tty input)" },
	{ SIGTTOU, "TTOU", "Stopped (tty output)" },
	{ SIGXCPU, "XCPU", "CPU time limit exceeded" },
	{ SIGXFSZ, "XFSZ", "File size limit exceeded" },
	{ SIGVTALRM, "VTALRM", "Virtual timer expired" },
	{ SIGPROF, "PROF", "Profiling timer expired" },
	{ SIGWINCH, "WINCH", "Window changed" },
	{ SIGUSR1, "USR1", "User defined signal 1" },
	{ SIGUSR2, "USR2", "User defined signal 2" },
};
#define NSIGNALS ((int)(sizeof(signals) / sizeof(signals[0])))

/* What a shell says of a process killed by sig, or NULL. */
static const char *signal_message(int sig)
{
	for (int i = 0; i < NSIGNALS; i++)
		if (signals[i].sig == sig)
			return signals[i].message;
	return NULL;
}

const char *signal_name(int sig)
{
	for (int i = 0; i < NSIGNALS; i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	return NULL;
}

int signal_number(const char *name)
{
	long n;

	if (parse_int(name, &n) == 0)
		return n >= 0 && n < 32 ? (int)n : -1;
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (int i = 0; i < NSIGNALS; i++)
		if (strcasecmp(signals[i].name, name) == 0)
			return signals[i].sig;
	return -1;
}

/* "Done", "Exit 3", "Segmentation fault", "Running", "Stopped" */
static void state_text(const struct job *j, char *buf, size_t size)
{
	int st;

	if (!job_done(j)) {
		snprintf(buf, size, "%s",
			 job_stopped(j) ? "Stopped" : "Running");
		return;
	}
	st = j->procs[j->nprocs - 1].status;
	if (WIFSIGNALED(st)) {
		const char *m = signal_message(WTERMSIG(st));

		if (m)
			snprintf(buf, size, "%s", m);
		else
			snprintf(buf, size, "Signal %d", WTERMSIG(st));
	} else if (WEXITSTATUS(st)) {
		snprintf(buf, size, "Exit %d", WEXITSTATUS(st));
	} else {
		snprintf(buf, size, "Done");
	}
}

static void job_line(const struct job *j, int with_pid)
{
	char state[40];
	char mark = j->id == current ? '+' : j->id == previous ? '-' : ' ';

	state_text(j, state, sizeof(state));
	printf("[%d]%c ", j->id, mark);
	if (with_pid)
		printf("%d ",
		       (int)j->pgid ? (int)j->pgid : (int)j->procs[0].pid);
	printf(" %-22s %s%s\n", state, j->text,
	       !job_done(j) && !job_stopped(j) ? " &" : "");
}

/* ---- waiting ---- */

/* What a foreground job's end says on the terminal. */
static void report_fg_end(const struct job *j)
{
	for (int i = 0; i < j->nprocs; i++) {
		int st = j->procs[i].status, sig;
		const char *m;

		if (!WIFSIGNALED(st))
			continue;
		sig = WTERMSIG(st);
		if (sig == SIGINT) {
			/* Ctrl-C: an interactive shell stops the loop around
			   it too; a script got the SIGINT itself */
			if (sh.interactive) {
				sh.interrupted = 1;
				fputs("\n", stderr);
			}
			return;
		}
		if (sig == SIGPIPE)
			continue; /* the reader went away first: as it should */
		m = signal_message(sig);
		if (m)
			fprintf(stderr, "%s\n", m);
		else
			fprintf(stderr, "Killed by signal %d\n", sig);
		return;
	}
}

int job_wait_fg(struct job *j)
{
	int st;

	j->foreground = 1;
	term_give(j->pgid);
	if (sh.jobctl && j->pgid > 0) {
		/* ^C or ^Z typed after the line, before the job had the
		   terminal, reached the shell: they were meant for the job */
		if (sh.interrupted)
			kill(-j->pgid, SIGINT);
		if (sh.suspended)
			kill(-j->pgid, SIGTSTP);
		sh.interrupted = sh.suspended = 0;
	}
	while (!job_done(j) && !job_stopped(j))
		if (wait_one(WUNTRACED) < 0)
			break;
	if (sh.jobctl && job_stopped(j)) {
		j->saved_modes = tcgetattr(0, &j->tmodes) == 0;
	}
	term_take();
	j->foreground = 0;
	if (job_stopped(j)) {
		/* the report is the stop: 128 + SIGTSTP */
		int stop = 0;

		for (int i = 0; i < j->nprocs; i++)
			if (j->procs[i].state == PS_STOPPED)
				stop = j->procs[i].status;
		set_current(j->id);
		j->notified = 1;
		fflush(stdout);
		if (sh.interactive)
			fputs("\n", stderr);
		job_line(j, 0);
		fflush(stdout);
		return exit_code(stop);
	}
	report_fg_end(j);
	st = job_status(j);
	job_free(j);
	return st;
}

void job_background(struct job *j)
{
	sh.last_bg = j->nprocs ? j->procs[j->nprocs - 1].pid : 0;
	set_current(j->id);
	if (sh.interactive)
		fprintf(stderr, "[%d] %d\n", j->id, (int)sh.last_bg);
}

void jobs_reap(int report)
{
	while (wait_one(WNOHANG | WUNTRACED) == 0)
		;
	if (report)
		jobs_notify();
}

/* Tells the jobs that ended (and forgets them) or stopped since the
   last time. */
static void jobs_notify(void)
{
	for (int i = 0; i < JOBS_MAX; i++) {
		struct job *j = table[i];

		if (!j || j->foreground || j->notified)
			continue;
		if (job_done(j)) {
			fflush(stdout);
			job_line(j, 0);
			job_free(j);
		} else if (job_stopped(j)) {
			job_line(j, 0);
			j->notified = 1;
		}
	}
	fflush(stdout);
}

struct job *job_find(const char *spec)
{
	long n;

	if (!spec || strcmp(spec, "%%") == 0 || strcmp(spec, "%+") == 0 ||
	    strcmp(spec, "%") == 0)
		return current ? by_id(current) : NULL;
	if (strcmp(spec, "%-") == 0)
		return previous ? by_id(previous) : NULL;
	if (spec[0] == '%') {
		struct job *found = NULL;
		int contains = spec[1] == '?';
		const char *s = spec + 1 + contains;

		if (parse_int(s, &n) == 0)
			return by_id((int)n);
		for (int i = 0; i < JOBS_MAX; i++) {
			struct job *j = table[i];

			if (!j || !*s)
				continue;
			if (contains ? !strstr(j->text, s)
				     : strncmp(j->text, s, strlen(s)) != 0)
				continue;
			if (found)
				return NULL; /* ambiguous */
			found = j;
		}
		return found;
	}
	if (parse_int(spec, &n) == 0)
		for (int i = 0; i < JOBS_MAX; i++)
			for (int k = 0; table[i] && k < table[i]->nprocs; k++)
				if (table[i]->procs[k].pid == (pid_t)n)
					return table[i];
	return NULL;
}

int job_continue(struct job *j, int foreground)
{
	if (sh.jobctl)
		kill(-j->pgid, SIGCONT);
	else
		for (int i = 0; i < j->nprocs; i++)
			kill(j->procs[i].pid, SIGCONT);
	for (int i = 0; i < j->nprocs; i++)
		if (j->procs[i].state == PS_STOPPED)
			j->procs[i].state = PS_RUNNING;
	j->notified = 0;
	if (foreground) {
		printf("%s\n", j->text);
		fflush(stdout);
		if (j->saved_modes)
			term_set_modes(&j->tmodes);
		return job_wait_fg(j);
	}
	set_current(j->id);
	printf("[%d]%c %s &\n", j->id, j->id == current ? '+' : ' ', j->text);
	return 0;
}

void jobs_print(int pids_only, int longform)
{
	int last = 0;

	jobs_reap(0);
	for (int i = 0; i < JOBS_MAX; i++)
		if (table[i] && table[i]->id > last)
			last = table[i]->id;
	for (int id = 1; id <= last; id++) {
		struct job *j = by_id(id);

		if (!j || j->foreground)
			continue;
		if (pids_only) {
			printf("%d\n",
			       (int)(j->pgid ? j->pgid : j->procs[0].pid));
			continue;
		}
		job_line(j, longform);
		if (job_done(j)) {
			job_free(j);
		} else if (job_stopped(j)) {
			j->notified = 1;
		}
	}
	fflush(stdout);
}

int jobs_any_stopped(void)
{
	for (int i = 0; i < JOBS_MAX; i++)
		if (table[i] && job_stopped(table[i]))
			return 1;
	return 0;
}

void jobs_hangup(void)
{
	for (int i = 0; i < JOBS_MAX; i++) {
		struct job *j = table[i];

		if (!j || job_done(j) || !sh.jobctl || j->pgid <= 0)
			continue;
		kill(-j->pgid, SIGHUP);
		if (job_stopped(j))
			kill(-j->pgid, SIGCONT);
	}
}

/* Waits for job j to end (stops do not count): its status. */
static int job_wait_end(struct job *j)
{
	int id = j->id, st;

	while (!job_done(j))
		if (wait_one(0) < 0)
			break;
	if (!job_done(j))
		return 128 + SIGINT; /* interrupted */
	st = job_status(j);
	if (by_id(id) == j)
		job_free(j);
	return st;
}

int jobs_wait_all(void)
{
	for (int i = 0; i < JOBS_MAX; i++) {
		if (!table[i] || table[i]->foreground)
			continue;
		job_wait_end(table[i]);
		if (sh.interrupted)
			return 128 + SIGINT;
	}
	return 0;
}

/* For the wait built-in: one job's end. */
int job_wait(struct job *j)
{
	return job_wait_end(j);
}
