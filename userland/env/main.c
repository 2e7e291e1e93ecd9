/*
 * env: prints the environment, or runs a command in a changed one.  -i
 * starts from an empty environment, -u NAME removes a variable, and each
 * NAME=VALUE operand sets one.  The command is looked up in PATH (default
 * /bin) unless its name holds a '/' or a scheme ':'.
 *
 * Until there is exec, the command is started as a child with vspawn()
 * (sharing standard input, output and error) and env waits for it and
 * ends with its status: its exit status, or 128 + the signal that ended
 * it.  A command that is not found gives 127, one that cannot be run 126.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <valence.h>
#include "util.h"

static const char usage[] = "env [-i] [-u NAME]... [NAME=VALUE]... "
			    "[COMMAND [ARG...]]\n"
			    "  -i       start with an empty environment\n"
			    "  -u NAME  remove NAME from the environment\n";

extern char **environ;

#define DEFAULT_PATH "/bin"

/* Starts `name` from the first directory of PATH that has it.  The
   process handle, or -1 with errno (ENOENT when no directory has it). */
static int spawn_in_path(const char *name, char **argv)
{
	const char *path = getenv("PATH");
	int saved = ENOENT;

	if (strchr(name, '/') || strchr(name, ':'))
		return vspawn(name, argv, environ);
	if (!path || !*path)
		path = DEFAULT_PATH;
	while (*path) {
		size_t len = strcspn(path, ":");
		char *full = malloc(len + strlen(name) + 2);
		struct stat st;
		int proc;

		if (!full) {
			errno = ENOMEM;
			return -1;
		}
		memcpy(full, path, len);
		full[len] = '\0';
		if (len == 0)
			strcpy(full, ".");
		strcat(full, "/");
		strcat(full, name);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
			proc = vspawn(full, argv, environ);
			free(full);
			return proc;
		}
		if (errno != ENOENT && errno != ENOTDIR)
			saved = errno;
		free(full);
		path += len;
		if (*path == ':')
			path++;
	}
	errno = saved;
	return -1;
}

int main(int argc, char **argv)
{
	static char *empty[1];
	int c, proc, status;

	util_prog = "env";
	while ((c = util_getopt(argc, argv, "hiu:", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		if (c == 'i')
			environ = empty;
		if (c == 'u' &&
		    (util_optarg[0] == '\0' || strchr(util_optarg, '=')))
			util_usage_error(usage, "cannot unset '%s'",
					 util_optarg);
		if (c == 'u')
			unsetenv(util_optarg);
	}
	for (; util_optind < argc && strchr(argv[util_optind], '=');
	     util_optind++) {
		char *eq = strchr(argv[util_optind], '=');

		if (eq == argv[util_optind])
			util_usage_error(usage, "cannot set '%s'",
					 argv[util_optind]);
		*eq = '\0';
		if (setenv(argv[util_optind], eq + 1, 1) < 0)
			util_die("%s", argv[util_optind]);
	}
	if (util_optind == argc) {
		for (char **e = environ; e && *e; e++)
			puts(*e);
		return util_finish(0);
	}
	proc = spawn_in_path(argv[util_optind], argv + util_optind);
	if (proc < 0) {
		int e = errno;

		util_warn("%s", argv[util_optind]);
		return e == ENOENT || e == ENOTDIR ? 127 : 126;
	}
	if (vwait(proc, &status) < 0)
		util_die("waiting for %s", argv[util_optind]);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
