/*
 * kill: sends a signal (TERM unless told) to processes by pid; a negative
 * pid names a process group (after "--", or as -s SIG -PGID).  -l lists
 * the signal names, or gives the name of a number (or of an exit status
 * above 128, as a shell reports a killed program).  Signal 0 only checks
 * that the process exists.
 *
 * What a signal does is the kernel's (docs/libc.md): until there are
 * handlers in other processes, it ends the target unless its default
 * action is to be ignored or to stop.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "util.h"

static const char usage[] = "kill [-s SIGNAL | -SIGNAL] PID...\n"
			    "       kill -l [NUMBER]\n"
			    "  -s SIGNAL  the signal, by name (TERM, SIGTERM) "
			    "or number\n"
			    "  -l         list the signal names\n";

static const struct {
	const char *name;
	int number;
} signals[] = {
	{ "HUP", SIGHUP },     { "INT", SIGINT },	{ "QUIT", SIGQUIT },
	{ "ILL", SIGILL },     { "TRAP", SIGTRAP },	{ "ABRT", SIGABRT },
	{ "EMT", SIGEMT },     { "FPE", SIGFPE },	{ "KILL", SIGKILL },
	{ "BUS", SIGBUS },     { "SEGV", SIGSEGV },	{ "SYS", SIGSYS },
	{ "PIPE", SIGPIPE },   { "ALRM", SIGALRM },	{ "TERM", SIGTERM },
	{ "URG", SIGURG },     { "STOP", SIGSTOP },	{ "TSTP", SIGTSTP },
	{ "CONT", SIGCONT },   { "CHLD", SIGCHLD },	{ "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU },   { "IO", SIGIO },		{ "XCPU", SIGXCPU },
	{ "XFSZ", SIGXFSZ },   { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH }, { "USR1", SIGUSR1 },	{ "USR2", SIGUSR2 },
};

#define NSIGNALS (sizeof(signals) / sizeof(signals[0]))

static const char *signal_name(int n)
{
	for (size_t i = 0; i < NSIGNALS; i++) {
		if (signals[i].number == n)
			return signals[i].name;
	}
	return NULL;
}

/* A signal by name ("TERM", "SIGTERM", any case) or number; -1 if none. */
static int signal_number(const char *s)
{
	long long n;

	if (isdigit((unsigned char)s[0]))
		return util_parse_long(s, 0, NSIG - 1, &n) == 0 ? (int)n : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < NSIGNALS; i++) {
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].number;
	}
	return -1;
}

static int list(int argc, char **argv, int first)
{
	long long n;

	if (first == argc) {
		for (size_t i = 0; i < NSIGNALS; i++)
			printf("%2d %s\n", signals[i].number, signals[i].name);
		return util_finish(0);
	}
	for (int i = first; i < argc; i++) {
		const char *name;

		if (util_parse_long(argv[i], 0, 255, &n) < 0)
			util_usage_error(usage, "invalid signal number '%s'",
					 argv[i]);
		name = signal_name((int)(n > 128 ? n - 128 : n));
		if (!name) {
			util_warnx("%s: unknown signal", argv[i]);
			util_finish(1);
			return 1;
		}
		puts(name);
	}
	return util_finish(0);
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, status = 0, i = 1;

	util_prog = "kill";
	if (argc > 1 && strcmp(argv[1], "-h") == 0)
		util_usage(usage, 0);
	if (argc > 1 && strcmp(argv[1], "-l") == 0)
		return list(argc, argv, 2);
	if (argc > 1 && strcmp(argv[1], "-s") == 0) {
		if (argc < 3)
			util_usage_error(usage, "option -s needs an argument");
		sig = signal_number(argv[2]);
		if (sig < 0)
			util_usage_error(usage, "unknown signal '%s'", argv[2]);
		i = 3;
	} else if (argc > 1 && argv[1][0] == '-' && argv[1][1] &&
		   strcmp(argv[1], "--") != 0) {
		sig = signal_number(argv[1] + 1);
		if (sig < 0)
			util_usage_error(usage, "unknown signal '%s'",
					 argv[1] + 1);
		i = 2;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i == argc)
		util_usage_error(usage, "missing PID");
	for (; i < argc; i++) {
		long long pid;

		if (util_parse_long(argv[i], -0x7fffffffll, 0x7fffffffll,
				    &pid) < 0)
			util_usage_error(usage, "invalid pid '%s'", argv[i]);
		if (kill((pid_t)pid, sig) < 0) {
			util_warn("%s", argv[i]);
			status = 1;
		}
	}
	return status;
}
