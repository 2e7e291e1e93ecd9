/*
 * sh: the Valence shell (docs/shell.md).
 *
 *   sh [-eilux] [-c COMMAND [NAME [ARG...]]]
 *   sh [-eilux] FILE [ARG...]
 *   sh [-eilux] [-s] [ARG...]          commands from standard input
 *
 * Interactive when reading standard input from a terminal (or -i): then
 * it shows a prompt, edits lines, keeps a history and, when it can make
 * the terminal its own (setsid and TIOCSCTTY for a login shell, -l),
 * runs every job in a process group of its own with job control.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sh.h"

struct shell sh;

#define HISTORY_LINES 200

void sh_exit(int status)
{
	fflush(stdout);
	if (sh.subshell)
		_exit(status);
	if (sh.jobctl) {
		jobs_hangup();
		if (sh.have_tmodes)
			term_set_modes(&sh.tmodes);
	}
	exit(status);
}

static void on_signal(int sig)
{
	if (sig == SIGINT)
		sh.interrupted = 1;
	else
		sh.suspended = 1;
}

/*
 * Makes the terminal on fd 0 ours: a login shell starts a session and
 * takes the terminal as its controlling one; then the shell gets a
 * process group of its own and the foreground.  Job control is on only
 * if all that works.
 */
static void take_terminal(void)
{
	if (tcgetattr(0, &sh.tmodes) < 0)
		return; /* a character device, but no terminal server */
	sh.have_tmodes = 1;
	sh.editing = 1;
	if (sh.login || tcgetpgrp(0) <= 0) {
		setsid();
		if (ioctl(0, TIOCSCTTY, 0) == 0)
			sh.login = 1; /* a new session on this terminal */
	}
	signal(SIGTTOU, SIG_IGN); /* tcsetpgrp from the background */
	if (getpgrp() != getpid())
		setpgid(0, 0);
	sh.pgid = getpgrp();
	if (tcsetpgrp(0, sh.pgid) < 0)
		return;
	sh.jobctl = 1;
}

/* A login on a terminal begins with /etc/motd, if there is one. */
static void print_motd(void)
{
	char buf[512];
	ssize_t n;
	int fd = open("/etc/motd", O_RDONLY);

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	fflush(stdout);
}

static void setup_interactive(void)
{
	struct sigaction sa;

	sh.interactive = 1;
	take_terminal();
	/* ^C and ^Z are caught, not ignored: one that reaches the shell
	   just before a job gets the terminal is passed on to it, and ^C
	   stops a loop of built-ins */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	signal(SIGQUIT, SIG_IGN);
	if (sh.jobctl) {
		sigaction(SIGTSTP, &sa, NULL);
		signal(SIGTTIN, SIG_IGN);
		signal(SIGTTOU, SIG_IGN);
	}
	history_init(&sh_history, HISTORY_LINES);
	if (sh.login)
		print_motd();
}

/* Reads a whole script file; NULL after reporting why not. */
static char *read_script(const char *path, int *status)
{
	struct strbuf b = { 0 };
	char buf[4096];
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		sh_error("%s: %s", path, strerror(errno));
		*status = errno == ENOENT ? 127 : 126;
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		sh_error("%s: Is a directory", path);
		*status = 126;
		return NULL;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sb_add(&b, buf, (size_t)n);
	close(fd);
	if (n < 0) {
		sh_error("%s: %s", path, strerror(errno));
		sb_free(&b);
		*status = 126;
		return NULL;
	}
	if (b.len && memchr(b.s, '\0', b.len)) {
		sh_error("%s: cannot execute binary file", path);
		sb_free(&b);
		*status = 126;
		return NULL;
	}
	return sb_take(&b);
}

static __attribute__((noreturn)) void usage(void)
{
	fputs("usage: sh [-eilux] [-c COMMAND [NAME [ARG...]] | FILE [ARG...] "
	      "| -s [ARG...]]\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	extern char **environ;
	const char *command = NULL;
	int i, force_interactive = 0, from_stdin = 0, st = 0;
	struct source *src;

	sh.pid = getpid();
	sh.arg0 = argv[0] ? argv[0] : "sh";
	if (sh.arg0[0] == '-')
		sh.login = 1;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			switch (*o) {
			case 'c':
				if (++i >= argc)
					usage();
				command = argv[i];
				break;
			case 'e':
				sh.opt_errexit = 1;
				break;
			case 'i':
				force_interactive = 1;
				break;
			case 'l':
				sh.login = 1;
				break;
			case 's':
				from_stdin = 1;
				break;
			case 'u':
				sh.opt_nounset = 1;
				break;
			case 'x':
				sh.opt_xtrace = 1;
				break;
			default:
				usage();
			}
			if (command)
				break;
		}
		if (command) {
			i++;
			break;
		}
	}
	vars_init(environ);
	if (command) {
		if (i < argc)
			sh.arg0 = argv[i++];
		params_set(argc - i, argv + i);
		src = source_string(NULL, command);
		source_exec_last(src);
	} else if (i < argc && !from_stdin) {
		char *text = read_script(argv[i], &st);

		if (!text)
			return st;
		sh.arg0 = argv[i++];
		params_set(argc - i, argv + i);
		src = source_string(sh.arg0, text);
		free(text);
	} else {
		params_set(argc - i, argv + i);
		src = source_stdin();
		if (force_interactive || (isatty(0) && isatty(2)))
			setup_interactive();
	}
	st = run_source(src);
	source_free(src);
	if (sh.interactive)
		fputs("exit\n", stderr);
	sh_exit(sh.interrupted && !sh.interactive ? 130 : st);
}
