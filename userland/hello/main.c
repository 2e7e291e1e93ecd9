/*
 * hello: the first ordinary C program.  It uses what any portable program
 * does, from newlib: printf, malloc, its arguments and environment, and
 * a file read with fopen (file:/etc/motd, from the boot archive).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv)
{
	const char *motd = argc > 1 ? argv[1] : "/etc/motd";
	char line[256], *copy;
	FILE *f;

	printf("hello from %s, a newlib program on Valence\n", argv[0]);
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		printf("env: %s\n", *e);
	printf("HOME is %s\n", getenv("HOME") ? getenv("HOME") : "not set");

	copy = malloc(strlen(argv[0]) + 1);
	if (!copy) {
		perror("hello: malloc");
		return 1;
	}
	strcpy(copy, argv[0]);
	printf("malloc gave %p, holding \"%s\"\n", (void *)copy, copy);
	free(copy);

	f = fopen(motd, "r");
	if (!f) {
		fprintf(stderr, "hello: cannot open %s: %s\n", motd,
			strerror(errno));
		return 2;
	}
	printf("--- %s ---\n", motd);
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	fclose(f);
	return 0;
}
