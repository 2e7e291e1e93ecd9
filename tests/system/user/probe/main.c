/*
 * probe: a program for the shell's tests (shtest), standing in for the
 * utilities where a test needs a program that is not a built-in:
 *
 *   probe args A B ...   prints each argument in <...>, one a line
 *   probe env NAME       prints $NAME, or "(unset)"
 *   probe pwd            prints the working directory
 *   probe cat            copies standard input to standard output
 *   probe count          prints how many lines standard input has
 *   probe exit N         ends with status N
 *   probe err TEXT       prints TEXT on standard error
 *   probe segv           writes through a NULL pointer (SIGSEGV)
 *   probe kill SIG       sends itself signal number SIG
 *   probe sleep N        sleeps N seconds
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int copy(int count)
{
	char buf[512];
	ssize_t n;
	long lines = 0;

	while ((n = read(0, buf, sizeof(buf))) > 0) {
		if (count) {
			for (ssize_t i = 0; i < n; i++)
				lines += buf[i] == '\n';
		} else if (write(1, buf, (size_t)n) != n) {
			return 1;
		}
	}
	if (count)
		printf("%ld\n", lines);
	return n < 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : "";
	char cwd[1024];

	if (strcmp(cmd, "args") == 0) {
		for (int i = 2; i < argc; i++)
			printf("<%s>\n", argv[i]);
	} else if (strcmp(cmd, "env") == 0) {
		printf("%s\n", getenv(arg) ? getenv(arg) : "(unset)");
	} else if (strcmp(cmd, "pwd") == 0) {
		printf("%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "(error)");
	} else if (strcmp(cmd, "cat") == 0 || strcmp(cmd, "count") == 0) {
		return copy(cmd[1] == 'o');
	} else if (strcmp(cmd, "exit") == 0) {
		return atoi(arg);
	} else if (strcmp(cmd, "err") == 0) {
		fprintf(stderr, "%s\n", arg);
	} else if (strcmp(cmd, "segv") == 0) {
		fflush(stdout);
		/* cppcheck-suppress nullPointer ; on purpose */
		*(volatile int *)0 = 1;
	} else if (strcmp(cmd, "kill") == 0) {
		fflush(stdout);
		kill(getpid(), atoi(arg));
		pause();
	} else if (strcmp(cmd, "sleep") == 0) {
		sleep((unsigned)atoi(arg));
	} else {
		fprintf(stderr, "usage: probe args|env|pwd|cat|count|exit|err|"
				"segv|kill|sleep ...\n");
		return 2;
	}
	return 0;
}
