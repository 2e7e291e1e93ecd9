/*
 * Lifetimes: open files freed by CLOSE, the cap on open files, shared
 * offsets through duplicated handles, clients that die in the middle of
 * a call or holding files, and servers whose start-up fails.
 */
#include "fstest.h"

static void t_open_close_many(void)
{
	for (int i = 0; i < INITFS_FILES_MAX + 100; i++) {
		char c = 0;
		handle_t f = fs_open(HELLO_PATH, VO_RDONLY);

		if (f < 0) {
			ft_fail(__FILE__, __LINE__, "open number i", i);
			CHECK_EQ(f, 0);
			return;
		}
		CHECK_EQ(fs_read(f, &c, 1), 1);
		CHECK_EQ(c, 'H');
		sys_handle_close(f);
	}
	CHECK_EQ(fs_count_openable(), INITFS_FILES_MAX);
}

static handle_t held[INITFS_FILES_MAX + 1];

/* At the cap -EMFILE; a close makes room at once for the next open. */
static void t_cap(void)
{
	int n = 0;
	handle_t f;

	while (n <= INITFS_FILES_MAX &&
	       (f = fs_open(HELLO_PATH, VO_RDONLY)) >= 0)
		held[n++] = f;
	CHECK_EQ(n, INITFS_FILES_MAX);
	CHECK_EQ(f, -EMFILE);
	/* Directories count too; the root connection still answers. */
	CHECK_EQ(fs_open("bin", VO_RDONLY), -EMFILE);
	CHECK_EQ(fs_open("nope", VO_RDONLY), -ENOENT);
	for (int round = 0; round < 3 && n > 0; round++) {
		sys_handle_close(held[--n]);
		f = fs_open(HELLO_PATH, VO_RDONLY);
		CHECK(f >= 0);
		if (f >= 0)
			held[n++] = f;
	}
	/* The files held still work. */
	for (int i = 0; i < n; i += 37) {
		char c = 0;

		CHECK_EQ(fs_read(held[i], &c, 1), 1);
		CHECK_EQ(c, 'H');
	}
	while (n > 0)
		sys_handle_close(held[--n]);
	CHECK_EQ(fs_count_openable(), INITFS_FILES_MAX);
}

static void t_dup_shares_offset(void)
{
	char buf[8];
	handle_t a = fs_open(HELLO_PATH, VO_RDONLY), b;

	REQUIRE_OK(a);
	b = sys_handle_dup(a, RIGHTS_SAME);
	REQUIRE_OK(b);
	CHECK_EQ(fs_read(a, buf, 5), 5);
	CHECK(memcmp(buf, "Hello", 5) == 0);
	CHECK_EQ(fs_read(b, buf, 5), 5);
	CHECK(memcmp(buf, " from", 5) == 0);
	CHECK_EQ(fs_seek(b, 0, VSEEK_SET), 0);
	CHECK_EQ(fs_seek(a, 0, VSEEK_CUR), 0);
	/* The record lives until the last handle closes. */
	sys_handle_close(a);
	CHECK_EQ(fs_read(b, buf, 5), 5);
	CHECK(memcmp(buf, "Hello", 5) == 0);
	sys_handle_close(b);
	CHECK_EQ(fs_count_openable(), INITFS_FILES_MAX);
}

/* Kernel objects alive, all processes counted. */
static uint64_t live_objects(void)
{
	struct sys_stats st;

	return sys_sys_stats(&st) < 0 ? 0 : st.objects;
}

/* Runs a client mode to its end; its wait status or -errno. */
static int run_client(const char *mode, uint64_t timeout)
{
	handle_t child = ft_spawn("fstest", mode, &ft_root, 1, CLIENT_PRIO);
	int status;

	if (child < 0)
		return child;
	status = ft_wait(child, timeout);
	if (status < 0) {
		sys_proc_kill(child, SIG_KILL);
		ft_wait(child, 5 * SEC);
	}
	return status;
}

/*
 * Clients killed at moments that fall anywhere in their calls: waiting
 * for the server, holding a parked reply id, about to take an open
 * file's connection.  The server (above them in priority) must answer
 * the dead with a stale reply id and go on; nothing may leak.
 */
static void t_client_dies_mid_call(void)
{
	uint64_t before = live_objects(), now = 0;

	for (int i = 0; i < 40; i++) {
		const char *mode = i % 2 ? "opener" : "hammer";
		handle_t child =
			ft_spawn("fstest", mode, &ft_root, 1, CLIENT_PRIO);

		REQUIRE_OK(child);
		sys_sleep((uint64_t)(1 + i % 6) * MS + (uint64_t)i * 37000);
		CHECK_EQ(sys_proc_kill(child, SIG_KILL), 0);
		CHECK_EQ(ft_wait(child, 5 * SEC), WAIT_SIGNALED(SIG_KILL));
	}
	CHECK_EQ(fs_count_openable(), INITFS_FILES_MAX);
	/* The server kept no connection a dead client should have had. */
	for (int i = 0; i < 100 && (now = live_objects()) != before; i++)
		sys_sleep(10 * MS);
	CHECK_EQ(now, before);
}

static void t_client_dies_holding_files(void)
{
	CHECK_EQ(run_client("hog", 20 * SEC), WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(fs_count_openable(), INITFS_FILES_MAX);
	CHECK_EQ(run_client("hog", 20 * SEC), WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(fs_count_openable(), INITFS_FILES_MAX);
}

/* The reply's connection finds no room in the client: it closes. */
static void t_client_table_full(void)
{
	CHECK_EQ(run_client("full", 20 * SEC), WAIT_EXITED(0));
	CHECK_EQ(fs_count_openable(), INITFS_FILES_MAX);
}

/* Starts another initfs with the given handles; its process or -errno. */
static handle_t spawn_server(int nhandles, handle_t ns)
{
	handle_t stdio = sys_conn_create(ft_port, BADGE_STDIO);
	handle_t archive = sys_handle_dup(H_BOOTFS, RIGHTS_SAME);
	handle_t hs[] = { stdio, stdio, stdio, ns, archive };
	handle_t p;

	if (stdio < 0 || archive < 0)
		return stdio < 0 ? stdio : archive;
	p = ft_spawn("initfs", NULL, hs, (uint32_t)nhandles, SERVER_PRIO);
	sys_handle_close(stdio);
	sys_handle_close(archive);
	return p;
}

/* Receives on ft_port until a call comes (CLOSEs of stdio skipped). */
static int recv_call(struct ipc_received *r)
{
	int err;

	while ((err = sys_ipc_recv(ft_port, r, 10 * SEC)) == 0 &&
	       r->msg.op == IPC_OP_CLOSE)
		;
	return err;
}

/* ns refuses the name: the second server logs why and exits 1. */
static void t_register_refused(void)
{
	handle_t ns = sys_conn_create(ft_port, BADGE_NS);
	struct ipc_received r;
	handle_t p;

	REQUIRE_OK(ns);
	p = spawn_server(5, ns);
	sys_handle_close(ns);
	REQUIRE_OK(p);
	CHECK_EQ(recv_call(&r), 0);
	CHECK_EQ(r.msg.op, NS_REGISTER);
	CHECK_EQ(r.msg.nhandles, 1);
	for (uint32_t i = 0; i < r.msg.nhandles && i < IPC_HANDLES; i++)
		sys_handle_close(r.msg.handles[i]);
	CHECK_EQ(sys_ipc_reply(r.rid, -EEXIST, NULL), 0);
	CHECK_EQ(ft_wait(p, 10 * SEC), WAIT_EXITED(1));
	while (sys_ipc_recv(ft_port, &r, 0) == 0) /* its stdio's CLOSE */
		;
}

/* Without the archive (or without ns) it cannot start: exit 1. */
static void t_start_without_handles(void)
{
	struct ipc_received r;
	handle_t p, notify, ns = sys_conn_create(ft_port, BADGE_NS);

	REQUIRE_OK(ns);
	p = spawn_server(4, ns);
	sys_handle_close(ns);
	REQUIRE_OK(p);
	CHECK_EQ(ft_wait(p, 10 * SEC), WAIT_EXITED(1));

	/* Handle 4 is not a memory object. */
	notify = sys_notify_create();
	REQUIRE_OK(notify);
	{
		handle_t stdio = sys_conn_create(ft_port, BADGE_STDIO);
		handle_t hs[] = { stdio, stdio, stdio, stdio, notify };

		REQUIRE_OK(stdio);
		p = ft_spawn("initfs", NULL, hs, 5, SERVER_PRIO);
		sys_handle_close(stdio);
		sys_handle_close(notify);
	}
	REQUIRE_OK(p);
	CHECK_EQ(ft_wait(p, 10 * SEC), WAIT_EXITED(1));
	while (sys_ipc_recv(ft_port, &r, 0) == 0)
		;
}

const struct ft_case ft_life_cases[] = {
	{ "open and close 356 files", t_open_close_many },
	{ "the cap on open files, and room after a close", t_cap },
	{ "a duplicated handle shares the offset", t_dup_shares_offset },
	{ "clients killed in the middle of calls", t_client_dies_mid_call },
	{ "a client dies holding every file", t_client_dies_holding_files },
	{ "a client without room for the open file", t_client_table_full },
	{ "a second initfs refused by ns exits 1", t_register_refused },
	{ "initfs without its handles exits 1", t_start_without_handles },
	{ NULL, NULL },
};
