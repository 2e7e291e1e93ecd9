/*
 * Process start, called by _start (crt0.S): turn the argument block into
 * argc/argv, run the constructors, call main() and exit with its result.
 */
#include <valence.h>

#define START_MAX_ARGS 32

uint32_t valence_initial_handles;

/* Bounds of the constructor arrays, from libc/user.ld. */
extern void (*__preinit_array_start[])(void);
extern void (*__preinit_array_end[])(void);
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

static void run_constructors(void)
{
	void (**fn)(void);

	for (fn = __preinit_array_start; fn < __preinit_array_end; fn++)
		(*fn)();
	for (fn = __init_array_start; fn < __init_array_end; fn++)
		(*fn)();
}

/*
 * Points argv[0..] at the NUL-terminated strings of args[0, len) (they
 * stay in place) and returns how many there are, at most max.  A last
 * string without its NUL is dropped, as are strings beyond max.
 */
static int split_args(const char *args, uint64_t len, char **argv, int max)
{
	uint64_t start = 0, i;
	int argc = 0;

	if (!args)
		return 0;
	for (i = 0; i < len; i++) {
		if (args[i] != '\0')
			continue;
		if (argc == max) {
			puts_log("start: too many arguments, the rest dropped");
			break;
		}
		argv[argc++] = (char *)&args[start];
		start = i + 1;
	}
	return argc;
}

/*
 * Called by _start with the entry registers: the number of initial
 * handles, the argument block and its length.  Never returns: the
 * process exits with main()'s return value.
 */
int __valence_start(uint32_t nhandles, const char *args, uint64_t args_len)
{
	char *argv[START_MAX_ARGS + 1];
	int argc;

	valence_initial_handles = nhandles;
	argc = split_args(args, args_len, argv, START_MAX_ARGS);
	argv[argc] = NULL;
	run_constructors();
	sys_proc_exit(main(argc, argv));
}
