/*
 * env: prints the environment, or runs a command in a changed one.  -i
 * starts from an empty environment, -u NAME removes a variable, and each
 * NAME=VALUE operand sets one.  The command replaces env (execve), so its
 * exit status is the status; it is looked up in PATH (default /bin)
 * unless its name holds a '/' or a scheme ':'.  A command that is not
 * found gives 127, one that cannot be run 126.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util.h"

static const char usage[] = "env [-i] [-u NAME]... [NAME=VALUE]... "
			    "[COMMAND [ARG...]]\n"
			    "  -i       start with an empty environment\n"
			    "  -u NAME  remove NAME from the environment\n";

extern char **environ;

#define DEFAULT_PATH "/bin"

/*
 * Runs `name` from the first directory of PATH that has it.  Returns
 * only when it could not: -1 with errno (ENOENT when no directory has it,
 * else the most telling error met, as EACCES or ENOEXEC).
 */
static int exec_in_path(const char *name, char **argv)
{
	const char *path = getenv("PATH");
	int saved = ENOENT;

	if (strchr(name, '/') || strchr(name, ':'))
		return execve(name, argv, environ);
	if (!path || !*path)
		path = DEFAULT_PATH;
	while (*path) {
		size_t len = strcspn(path, ":");
		char *full = malloc(len + strlen(name) + 3);

		if (!full) {
			errno = ENOMEM;
			return -1;
		}
		memcpy(full, path, len);
		full[len] = '\0';
		if (len == 0)
			strcpy(full, "."); /* an empty entry: the cwd */
		strcat(full, "/");
		strcat(full, name);
		execve(full, argv, environ);
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
	int c, err;

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
	exec_in_path(argv[util_optind], argv + util_optind);
	err = errno;
	util_warn("%s", argv[util_optind]);
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}
