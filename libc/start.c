/*
 * Process start, called by _start (crt0.S): turn the argument block into
 * argv and the environment, run the constructors, call main() and exit()
 * with its result.  exit() is newlib's for programs linked with newlib
 * (it runs atexit handlers and flushes stdio first) and libc/mini/exit.c's
 * for the others.
 */
#include <stdint.h>
#include <valence.h>

uint32_t valence_initial_handles;
uint32_t valence_pid;

/* The environment, NULL-terminated "NAME=value" strings (newlib's getenv,
   setenv and putenv use it; a program may replace it). */
char **environ;

int main(int argc, char **argv, char **envp);
/* libc/posix/inherit.c in programs linked with newlib. */
void __valence_inherit(char **envp) __attribute__((weak));
__attribute__((noreturn)) void exit(int status);

/* Bounds of the constructor arrays, from libc/user.ld. */
extern void (*__preinit_array_start[])(void);
extern void (*__preinit_array_end[])(void);
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

static void run_constructors(void)
{
	void (**fn)(void);

	/* The linker's bounds of one array: cppcheck cannot know that. */
	// cppcheck-suppress comparePointers
	for (fn = __preinit_array_start; fn < __preinit_array_end; fn++)
		(*fn)();
	// cppcheck-suppress comparePointers
	for (fn = __init_array_start; fn < __init_array_end; fn++)
		(*fn)();
}

/* The number of NUL-terminated strings in args[0, len). */
static uint64_t count_strings(const char *args, uint64_t len)
{
	uint64_t n = 0;

	for (uint64_t i = 0; args && i < len; i++)
		n += args[i] == '\0';
	return n;
}

/*
 * Points vec at the n NUL-terminated strings of args, which stay in
 * place: the first argc as argv, NULL, the rest as the environment, NULL.
 */
static void split_strings(const char *args, uint64_t n, uint64_t argc,
			  char **vec)
{
	uint64_t k = 0;

	for (uint64_t i = 0; i < n; i++) {
		if (i == argc)
			vec[k++] = NULL;
		vec[k++] = (char *)args;
		while (*args++ != '\0')
			;
	}
	if (n == argc)
		vec[k++] = NULL;
	vec[k] = NULL;
}

/*
 * Called by _start with the entry registers: the number of initial
 * handles, the argument block and its length, how many of its strings
 * are argv (0: all of them; the rest are the environment), and the pid.
 * Never returns.
 */
__attribute__((noreturn)) void __valence_start(uint32_t nhandles,
					       const char *args,
					       uint64_t args_len, uint32_t argc,
					       uint32_t pid)
{
	uint64_t n = count_strings(args, args_len);
	/* argv, NULL, the environment, NULL: at most SPAWN_MAX_ARGS + 2
	   pointers on a 256 KiB stack. */
	char *vec[n + 2];

	valence_initial_handles = nhandles;
	valence_pid = pid;
	if (argc == 0 || argc > n)
		argc = (uint32_t)n;
	split_strings(args, n, argc, vec);
	environ = &vec[argc + 1];
	if (__valence_inherit)
		__valence_inherit(environ);
	run_constructors();
	exit(main((int)argc, vec, environ));
}
