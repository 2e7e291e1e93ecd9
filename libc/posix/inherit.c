/*
 * What a program passes on to the program it starts (execve, vspawn)
 * besides argv and the environment: the working directory and the umask.
 * They travel as two last environment strings, VALENCE_CWD=... and
 * VALENCE_UMASK=..., which the new program's start-up takes out of its
 * environment again before main() runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valence/path.h>
#include "posix.h"

#define CWD_KEY	  "VALENCE_CWD="
#define UMASK_KEY "VALENCE_UMASK="

extern unsigned int __umask;

int __add_inherited(char *block, size_t *len)
{
	char umask_str[sizeof(UMASK_KEY) + 8];
	size_t clen = sizeof(CWD_KEY) - 1 + strlen(__cwd) + 1;

	snprintf(umask_str, sizeof(umask_str), UMASK_KEY "%o", __umask);
	if (clen + strlen(umask_str) + 1 > SPAWN_MAX_ARGS - *len)
		return -E2BIG;
	memcpy(block + *len, CWD_KEY, sizeof(CWD_KEY) - 1);
	strcpy(block + *len + sizeof(CWD_KEY) - 1, __cwd);
	*len += clen;
	strcpy(block + *len, umask_str);
	*len += strlen(umask_str) + 1;
	return 0;
}

/* Called by start.c before main(): takes the two strings out of envp. */
void __valence_inherit(char **envp)
{
	char **out = envp;

	for (char **e = envp; *e; e++) {
		if (strncmp(*e, CWD_KEY, sizeof(CWD_KEY) - 1) == 0 &&
		    (*e)[sizeof(CWD_KEY) - 1] == '/' &&
		    strlen(*e) - (sizeof(CWD_KEY) - 1) < PATH_MAX)
			strcpy(__cwd, *e + sizeof(CWD_KEY) - 1);
		else if (strncmp(*e, UMASK_KEY, sizeof(UMASK_KEY) - 1) == 0)
			__umask = (unsigned)strtoul(*e + sizeof(UMASK_KEY) - 1,
						    NULL, 8) &
				  0777;
		else
			*out++ = *e;
	}
	*out = NULL;
}
