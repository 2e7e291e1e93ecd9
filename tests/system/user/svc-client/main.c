/*
 * svc-client: the init service test (tests/system/init_cases.py), started
 * by init from etc/services.test.  From the point of view of a service it
 * checks:
 *
 *  - ns: policy: what its see= and register= allow, and no more;
 *  - a server that exits is restarted and can be looked up again;
 *  - a service in a crash loop (crashy) is restarted with back-off while
 *    the rest keeps working: echo answers calls all along;
 *  - a service that uses an I/O port it was not granted (svc-rogue) is
 *    ended, and restarted; svc-rogue itself checks what it is refused;
 *  - NS_SVC_KILL (its line says control=yes): a killed service is
 *    restarted, its old connections fail with -EPIPE, the new instance
 *    can be found with NS_WAIT and works.
 *
 * It prints `svc-client: N passed, M failed` through its standard output
 * (init logs it as "[client] ...") and leaves QEMU through the
 * isa-debug-exit port, which its line grants (handle 4).
 */
#include "../svc.h"

#define MS		  1000000ull
#define CRASH_INSTANCES	  3 /* crashy instances to see come and go */
#define CRASH_WATCH_LIMIT (20000 * MS)

static bool echo_works(handle_t conn, uint64_t v)
{
	uint64_t out = 0;

	return svc_call(conn, ECHO_ADD, v, &out) == 0 && out == v + 1;
}

static uint64_t object_id(handle_t h)
{
	struct handle_info hi;

	return sys_handle_info(h, &hi) == 0 ? hi.object_id : 0;
}

static void check_policy(handle_t echo)
{
	handle_t port = sys_port_create();

	svc_check(echo_works(echo, 41), "a call through the looked-up root", 0);
	SVC_CHECK_EQ(svc_ns(NS_LOOKUP, "quitter", -1, 0), -EACCES,
		     "ns: a scheme not in see= is -EACCES");
	SVC_CHECK_EQ(svc_ns(NS_LOOKUP, "nosuch", -1, 0), -EACCES,
		     "ns: an unknown scheme not in see= is -EACCES too");
	SVC_CHECK_EQ(svc_ns(NS_LOOKUP, "Bad!", -1, 0), -EINVAL,
		     "ns: a bad name is -EINVAL");
	SVC_CHECK_EQ(svc_ns(NS_REGISTER, "client", sys_conn_create(port, 0), 0),
		     -EACCES,
		     "ns: registering a name not in register= is -EACCES");
	SVC_CHECK_EQ(svc_ns(NS_REGISTER, "echo", sys_conn_create(port, 0), 0),
		     -EACCES, "ns: someone else's scheme cannot be taken");
	sys_handle_close(port);
}

/* The server exits (status 3): init restarts it (on-failure). */
static handle_t check_exit_restart(handle_t conn)
{
	handle_t again;

	SVC_CHECK_EQ(svc_call(conn, ECHO_EXIT, 0, NULL), -EPIPE,
		     "a call to a server that exits returns -EPIPE");
	SVC_CHECK_EQ(svc_call(conn, ECHO_ADD, 1, NULL), -EPIPE,
		     "the old root stays dead");
	sys_handle_close(conn);
	again = svc_ns(NS_WAIT, "echo", -1, 0);
	svc_check(again > 0, "ns: NS_WAIT gets the restarted server", again);
	svc_check(echo_works(again, 1), "the restarted server answers", 0);
	return again;
}

/*
 * crashy registers and dies at once, again and again.  Watch it with
 * NS_WAIT: each new instance has a new root (a new object id).  Between
 * looks, call echo, which must answer every time.  The third instance
 * seen is at least the third started, which init delays by at least
 * 100 ms (SVC_BACKOFF_FIRST_MS) after the previous one ended, and the
 * previous one was seen before it ended.
 */
static void check_crash_loop(handle_t echo)
{
	uint64_t ids[CRASH_INSTANCES], at[CRASH_INSTANCES];
	uint64_t start = sys_clock_get();
	long calls = 0, bad_calls = 0;
	int seen = 0;

	while (seen < CRASH_INSTANCES &&
	       sys_clock_get() - start < CRASH_WATCH_LIMIT) {
		handle_t h = svc_ns(NS_WAIT, "crashy", -1, 50 * MS);

		if (h > 0) {
			uint64_t id = object_id(h);

			if (id && (seen == 0 || id != ids[seen - 1])) {
				ids[seen] = id;
				at[seen++] = sys_clock_get();
			}
			sys_handle_close(h);
		}
		if (!echo_works(echo, (uint64_t)calls))
			bad_calls++;
		calls++;
		sys_sleep(5 * MS);
	}
	SVC_CHECK_EQ(seen, CRASH_INSTANCES,
		     "crash loop: new instances of crashy keep coming");
	svc_check(seen == CRASH_INSTANCES &&
			  at[CRASH_INSTANCES - 1] - at[CRASH_INSTANCES - 2] >=
				  100 * MS,
		  "crash loop: restarts are spaced by the back-off",
		  seen == CRASH_INSTANCES
			  ? (long)((at[seen - 1] - at[seen - 2]) / MS)
			  : -1);
	svc_check(calls >= 10 && bad_calls == 0,
		  "crash loop: echo answered every call meanwhile", bad_calls);
}

/* Asks svc-rogue for the results of its own checks. */
static void check_rogue_results(handle_t rogue, const char *what)
{
	struct ipc_msg m;
	long err;

	memset(&m, 0, sizeof(m));
	m.op = ROGUE_RESULTS;
	err = sys_ipc_call(rogue, &m, NULL);
	svc_check(err == 0 && m.w[0] == ROGUE_CHECKS && m.w[1] == 0, what,
		  err ? err : (long)(m.w[0] * 1000 + m.w[1]));
}

/*
 * svc-rogue runs with a grant of port 0x80 and IRQ 5 only; it reports
 * how its reaching further was refused.  Then `in` and `out` on other
 * ports end it (our call fails with -EPIPE) and init restarts it.
 */
static void check_rogue(handle_t echo)
{
	handle_t rogue = svc_ns(NS_WAIT, "rogue", -1, 0);

	svc_check(rogue > 0, "rogue: found", rogue);
	check_rogue_results(rogue, "rogue: every ungranted resource refused");
	SVC_CHECK_EQ(svc_call(rogue, ROGUE_IN, 0, NULL), -EPIPE,
		     "rogue: `in` on a port not granted ends it");
	sys_handle_close(rogue);
	svc_check(echo_works(echo, 7), "echo works after rogue's end", 0);

	rogue = svc_ns(NS_WAIT, "rogue", -1, 0);
	svc_check(rogue > 0, "rogue: restarted after the fault", rogue);
	check_rogue_results(rogue, "rogue: the new instance is refused too");
	SVC_CHECK_EQ(svc_call(rogue, ROGUE_OUT, 0, NULL), -EPIPE,
		     "rogue: `out` to a port not granted ends it");
	sys_handle_close(rogue);
	svc_check(echo_works(echo, 8), "echo works after rogue's second end",
		  0);
}

/* NS_SVC_KILL: this service's line says control=yes. */
static handle_t check_kill(handle_t echo)
{
	uint64_t old_id = object_id(echo);
	handle_t again;
	long first;

	SVC_CHECK_EQ(svc_ns(NS_SVC_KILL, "nosuch", -1, 0), -ENOENT,
		     "kill: an unknown service is -ENOENT");
	SVC_CHECK_EQ(svc_ns(NS_SVC_KILL, "Bad!", -1, 0), -EINVAL,
		     "kill: a bad name is -EINVAL");
	SVC_CHECK_EQ(svc_ns(NS_SVC_KILL, "", -1, 0), -EINVAL,
		     "kill: an empty name is -EINVAL");
	/* quitter exits at once and is never restarted. */
	first = svc_ns(NS_SVC_KILL, "quitter", -1, 0);
	svc_check(first == 0 || first == -ESRCH,
		  "kill: quitter, running or not", first);
	SVC_CHECK_EQ(svc_ns(NS_SVC_KILL, "quitter", -1, 0), -ESRCH,
		     "kill: a service that is not running is -ESRCH");

	svc_check(echo_works(echo, 20), "kill: echo works before", 0);
	SVC_CHECK_EQ(svc_ns(NS_SVC_KILL, "echo", -1, 0), 0,
		     "kill: echo is killed");
	SVC_CHECK_EQ(svc_call(echo, ECHO_ADD, 1, NULL), -EPIPE,
		     "kill: the old connection gives -EPIPE");
	SVC_CHECK_EQ(svc_call(echo, ECHO_ADD, 1, NULL), -EPIPE,
		     "kill: and stays dead");
	sys_handle_close(echo);
	again = svc_ns(NS_WAIT, "echo", -1, 0);
	svc_check(again > 0 && object_id(again) != old_id,
		  "kill: NS_WAIT gives the new instance", again);
	svc_check(again > 0 && echo_works(again, 30),
		  "kill: the new instance answers", 0);
	return again;
}

int main(int argc, char **argv)
{
	handle_t echo = svc_ns(NS_LOOKUP, "echo", -1, 0);

	svc_check(echo > 0, "ns: lookup of a scheme the line lets it see",
		  echo);
	check_policy(echo);
	echo = check_exit_restart(echo);
	check_crash_loop(echo);
	check_rogue(echo);
	echo = check_kill(echo);
	svc_check(echo_works(echo, 99), "echo works at the end", 0);
	svc_summary("svc-client");
	svc_qemu_exit();
	return svc_failed != 0;
}
