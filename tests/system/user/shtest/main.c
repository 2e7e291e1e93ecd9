/*
 * shtest: runs every case of cases.c through bin/sh (shtest.h), prints
 * "pass: NAME", "FAIL: NAME" with what differed, or "skipped: NAME: why",
 * then "shtest: N passed, M failed, K skipped", and leaves QEMU through
 * the isa-debug-exit port its services line grants (handle 4).
 *
 * Case i runs in /sht/c<i>, reads /sht/in and writes
 * /sht/out and /sht/err, so its directory holds only what it makes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valence.h>
#include "shtest.h"

#define QEMU_EXIT_PORT 0xf4
#define H_EXIT_PORT    4 /* after stdin, stdout, stderr and ns: */

#define ROOT	    "/sht"
#define RUN_TIMEOUT (120 * 1000000000ull)
#define CAPTURE_MAX (256u << 10)

static void qemu_exit(int pass)
{
	uint32_t v = pass ? 16 : 17; /* QEMU exits with 2v + 1: 33 or 35 */

	if (valence_initial_handles <= H_EXIT_PORT)
		return; /* not granted: an ordinary run */
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(QEMU_EXIT_PORT));
}

static int write_file(const char *path, const char *text, unsigned mode)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		return -1;
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	close(fd);
	return chmod(path, mode);
}

/* The file's contents (up to CAPTURE_MAX), NUL-terminated; *len. */
static char *read_file(const char *path, size_t *len)
{
	char *buf = malloc(CAPTURE_MAX + 1);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	*len = 0;
	if (!buf)
		return NULL;
	buf[0] = '\0';
	if (fd < 0)
		return buf;
	while (*len < CAPTURE_MAX &&
	       (n = read(fd, buf + *len, CAPTURE_MAX - *len)) > 0)
		*len += (size_t)n;
	close(fd);
	buf[*len] = '\0';
	return buf;
}

/* want with "@D" replaced by dir (malloc'd). */
static char *expand_want(const char *want, const char *dir)
{
	size_t n = 1;
	char *out, *o;

	for (const char *p = want; *p; p++)
		n += (p[0] == '@' && p[1] == 'D') ? strlen(dir) : 1;
	out = o = malloc(n);
	if (!out)
		return NULL;
	for (const char *p = want; *p; p++) {
		if (p[0] == '@' && p[1] == 'D') {
			strcpy(o, dir);
			o += strlen(dir);
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

/* Prints s with its control characters escaped, as C would. */
static void print_escaped(const char *label, const char *s, size_t len)
{
	printf("    %s \"", label);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			printf("\\n");
		else if (c == '\t')
			printf("\\t");
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\"\n");
}

/* Compares one capture with what the case wants: 1 if they match. */
static int check_capture(const char *what, const char *want, const char *dir,
			 const char *path)
{
	size_t len;
	char *got = read_file(path, &len);
	char *w = expand_want(want ? want : "", dir);
	int ok = got && w && strlen(w) == len && memcmp(w, got, len) == 0;

	if (!ok && got && w) {
		printf("  %s differs:\n", what);
		print_escaped("want", w, strlen(w));
		print_escaped("got ", got, len);
	}
	free(got);
	free(w);
	return ok;
}

static int have_utilities(void)
{
	struct stat st;

	return stat("/bin/seq", &st) == 0 && stat("/bin/grep", &st) == 0 &&
	       stat("/bin/wc", &st) == 0;
}

/* Starts sh for case c in dir (vspawn passes the working directory on)
   with the capture files: its status, or -1 after printing why. */
static int run(const struct sh_case *c, const char *dir)
{
	char *env[] = { "PATH=/bin", "HOME=/", NULL };
	const char *argv[CASE_ARGS_MAX + 4];
	int fds[3], n = 0, proc, st = 0, r;

	argv[n++] = "sh";
	if (c->script) {
		argv[n++] = "-c";
		argv[n++] = c->script;
	}
	for (int i = 0; i < CASE_ARGS_MAX && c->args[i]; i++)
		argv[n++] = c->args[i];
	argv[n] = NULL;
	if (write_file(ROOT "/in", c->input ? c->input : "", 0644) < 0) {
		printf("  cannot write " ROOT "/in: %s\n", strerror(errno));
		return -1;
	}
	fds[0] = open(ROOT "/in", O_RDONLY);
	fds[1] = open(ROOT "/out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	fds[2] = open(ROOT "/err", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0) {
		printf("  cannot open the capture files: %s\n",
		       strerror(errno));
		return -1;
	}
	if (chdir(dir) < 0) {
		printf("  cannot enter %s: %s\n", dir, strerror(errno));
		return -1;
	}
	proc = vspawn_with("/bin/sh", (char *const *)argv, env, fds);
	chdir("/");
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	if (proc < 0) {
		printf("  cannot start /bin/sh: %s\n", strerror(errno));
		return -1;
	}
	r = sys_proc_wait(proc, &st, RUN_TIMEOUT);
	if (r < 0) {
		printf("  sh did not end in time (%d): killed\n", r);
		sys_proc_kill(proc, SIGKILL);
		sys_proc_wait(proc, &st, IPC_FOREVER);
		sys_handle_close(proc);
		return -1;
	}
	sys_handle_close(proc);
	if (WIFSIGNALED(st)) {
		printf("  sh was killed by signal %d\n", WTERMSIG(st));
		return -1;
	}
	return WEXITSTATUS(st);
}

/* One case: 1 passed, 0 failed, -1 skipped. */
static int run_case(const struct sh_case *c, int index)
{
	char dir[32], path[128];
	int st, ok = 1;

	if ((c->flags & NEEDS_UTILS) && !have_utilities()) {
		printf("skipped: %s: needs seq, grep and wc in /bin\n",
		       c->name);
		return -1;
	}
	snprintf(dir, sizeof(dir), ROOT "/c%d", index);
	if (mkdir(dir, 0755) < 0) {
		printf("FAIL: %s\n  mkdir %s: %s\n", c->name, dir,
		       strerror(errno));
		return 0;
	}
	for (int i = 0; i < CASE_FILES_MAX && c->files[i].path; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, c->files[i].path);
		if (write_file(path, c->files[i].text, c->files[i].mode) < 0) {
			printf("FAIL: %s\n  cannot write %s: %s\n", c->name,
			       path, strerror(errno));
			return 0;
		}
	}
	printf("run: %s\n", c->name);
	fflush(stdout);
	st = run(c, dir);
	if (st < 0)
		ok = 0;
	if (st >= 0 && st != c->status) {
		printf("  status %d, want %d\n", st, c->status);
		ok = 0;
	}
	if (!check_capture("stdout", c->out, dir, ROOT "/out"))
		ok = 0;
	if (!check_capture("stderr", c->err, dir, ROOT "/err"))
		ok = 0;
	printf("%s: %s\n", ok ? "pass" : "FAIL", c->name);
	fflush(stdout);
	return ok;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0;

	printf("shtest: starting (pid %d)\n", (int)getpid());
	if (mkdir(ROOT, 0755) < 0 && errno != EEXIST) {
		printf("shtest: mkdir " ROOT ": %s\n", strerror(errno));
		qemu_exit(0);
		return 1;
	}
	for (int i = 0; sh_cases[i].name; i++) {
		int r = run_case(&sh_cases[i], i);

		if (r > 0)
			passed++;
		else if (r == 0)
			failed++;
		else
			skipped++;
	}
	printf("shtest: %d passed, %d failed, %d skipped\n", passed, failed,
	       skipped);
	fflush(stdout);
	qemu_exit(failed == 0);
	return failed ? 1 : 0;
}
