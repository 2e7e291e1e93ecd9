/*
 * ttytest: the system test of the terminal server (servers/tty) and of
 * libc's termios and terminal ioctls, run inside Valence as a service
 * (tests/system/tty_cases.py, initfs/etc/services.tty).  It opens tty:0
 * (the serial console) itself; its own output goes to init's log.  Where
 * a test wants typing it prints "ttytest: waiting for NAME" and the
 * case's serial_input types the text for NAME into COM1.  Each t_*.c file
 * adds tests to the table in main.c.  Run as `ttytest stdio` it is the
 * service that checks init's stdio=tty:0 (stdio.c).
 */
#ifndef TTYTEST_H
#define TTYTEST_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <valence.h>

void fail(const char *file, int line, const char *expr, long long got);
#define CHECK_FAIL fail
#include "../check.h"

/* Checks that `call` returns -1 with errno `e`. */
#define CHECK_ERR(call, e)                                                     \
	do {                                                                   \
		errno = 0;                                                     \
		long long _r = (long long)(call);                              \
		CHECK_EQ(_r, -1);                                              \
		CHECK_EQ(errno, e);                                            \
	} while (0)

#define MS 1000000ull /* ns */

struct test {
	const char *name;
	void (*fn)(void);
};

extern const struct test canon_tests[], raw_tests[], job_tests[], proto_tests[],
	life_tests[];

/* Run first, while tty:0 is no session's terminal yet (t_job.c). */
void job_hangup(void);

/* ---- main.c ---- */

extern int tty; /* tty:0, read-write; our controlling terminal */
extern struct termios defaults; /* its settings at the start */

/* ---- util.c ---- */

/* Prints "ttytest: waiting for NAME": the harness then types NAME's text. */
void ask(const char *name);

/* Reads one read(2) from tty into buf (NUL-terminated); the count. */
long read_str(char *buf, size_t size);

/* Changes the settings: clear, then set, these c_lflag / c_iflag bits. */
int set_lflag(tcflag_t clear, tcflag_t set);
int set_iflag(tcflag_t clear, tcflag_t set);

/* Raw mode (cfmakeraw) with these VMIN and VTIME. */
int set_raw(int vmin, int vtime);

/* Waits up to `ms` for at least n bytes to be readable (fstat's size). */
bool wait_readable(long n, int ms);

/* Milliseconds on the monotonic clock. */
uint64_t now_ms(void);

/* Waits up to `ms` for child pid's next state change, as waitpid with
   WUNTRACED; its pid or 0 on timeout, the status in *st. */
pid_t wait_child(pid_t pid, int *st, int ms);

/* Memory shared with forked children (a memory object mapped before the
   fork).  At least 4 KiB. */
volatile int *shared_page(void);

/* Puts the terminal back: settings, foreground group, flags. */
void tty_reset(void);

/* ---- stdio.c ---- */

int stdio_main(void);

#endif
