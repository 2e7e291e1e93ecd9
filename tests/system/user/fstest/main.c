/*
 * fstest: the system test of the initfs server, started by init with
 * `run=fstest` (handles: 0 = boot archive, 1 = IRQ root, 2 = I/O port
 * root, 3 = physical-range root).
 *
 * The first test plays init's part: it spawns bin/initfs with handles
 * 0, 1, 2 = a connection to fstest's port (stdio), 3 = another one
 * (ns), 4 = the boot archive, answers the server's NS_REGISTER and keeps
 * the root connection it moves.  The others talk to the server through
 * that root.  After each test the runner checks that the test left no
 * handle open and that the server is still alive.  Output:
 *
 *   fstest: <name>: ok
 *   fstest: <name>: FAILED (<file>:<line> <expr> got X)
 *   fstest: N passed, M failed
 *
 * main() returns M != 0, which init turns into QEMU's exit status.
 *
 * fstest is also the client process some tests need, started as
 * `fstest MODE` with handle 0 = the server's root:
 *
 *   hammer  opens, reads and closes a file in a loop until killed
 *   opener  opens and closes a file in a loop until killed
 *   hog     opens files until -EMFILE; with exactly INITFS_FILES_MAX
 *           open it dies of a page fault, else exits 2
 *   full    fills its handle table, then opens a file: exits 0 if that
 *           fails with -EMFILE (the reply's handle had no room)
 */
#include "fstest.h"

#define ARGS_MAX 64

handle_t ft_root = HANDLE_INVALID;
handle_t ft_port = HANDLE_INVALID;
handle_t ft_server = HANDLE_INVALID;

static const char *cur_name;
static bool cur_failed;

void ft_fail(const char *file, int line, const char *expr, long long got)
{
	const char *base = file;

	for (const char *p = file; *p; p++)
		if (*p == '/')
			base = p + 1;
	printf("fstest: %s: %s (%s:%d %s got %lld)\n", cur_name,
	       cur_failed ? "also" : "FAILED", base, line, expr, got);
	cur_failed = true;
}

/* ---- processes ---- */

handle_t ft_spawn(const char *prog, const char *arg, const handle_t *hs,
		  uint32_t n, uint32_t prio)
{
	char path[32], block[ARGS_MAX];
	size_t plen = strlen(prog), alen = arg ? strlen(arg) + 1 : 0;
	struct spawn_args a;
	const uint8_t *image;
	uint64_t size;

	if (plen + 5 > sizeof(path) || plen + 1 + alen > sizeof(block))
		return -E2BIG;
	memcpy(path, "bin/", 4);
	memcpy(path + 4, prog, plen + 1);
	if (!ft_archive_file(path, &image, &size))
		return -ENOENT;
	memcpy(block, prog, plen + 1);
	if (arg)
		memcpy(block + plen + 1, arg, alen);
	memset(&a, 0, sizeof(a));
	a.image = image;
	a.image_len = size;
	a.handles = hs;
	a.nhandles = n;
	a.priority = prio;
	a.args = block;
	a.args_len = plen + 1 + alen;
	a.name = prog;
	return sys_proc_spawn(&a);
}

int ft_wait(handle_t proc, uint64_t timeout)
{
	int status = -1;
	int err = sys_proc_wait(proc, &status, timeout);

	if (err < 0)
		return err;
	sys_handle_close(proc);
	return status;
}

/* ---- the first test: start the server, be its ns ---- */

static void t_start(void)
{
	struct handle_info info;
	struct ipc_received r;
	handle_t stdio, ns, archive;
	char name[16];

	ft_port = sys_port_create();
	REQUIRE_OK(ft_port);
	stdio = sys_conn_create(ft_port, BADGE_STDIO);
	ns = sys_conn_create(ft_port, BADGE_NS);
	archive = sys_handle_dup(H_BOOTFS,
				 RIGHT_READ | RIGHT_MAP | RIGHT_TRANSFER);
	REQUIRE_OK(stdio);
	REQUIRE_OK(ns);
	REQUIRE_OK(archive);
	{
		handle_t hs[] = { stdio, stdio, stdio, ns, archive };

		ft_server = ft_spawn("initfs", NULL, hs, 5, SERVER_PRIO);
	}
	/* The server has its own copies now. */
	sys_handle_close(stdio);
	sys_handle_close(ns);
	sys_handle_close(archive);
	REQUIRE_OK(ft_server);

	REQUIRE_EQ(sys_ipc_recv(ft_port, &r, 10 * SEC), 0);
	CHECK_EQ(r.msg.op, NS_REGISTER);
	CHECK_EQ(r.badge, BADGE_NS);
	CHECK_EQ(r.send_len, 6);
	memset(name, 0, sizeof(name));
	CHECK_EQ(sys_ipc_read(r.rid, 0, name, sizeof(name)), 6);
	CHECK(memcmp(name, "initfs", 7) == 0);
	CHECK_EQ(r.msg.nhandles, 1);
	if (r.msg.nhandles >= 1) {
		ft_root = r.msg.handles[0];
		CHECK_EQ(sys_handle_info(ft_root, &info), 0);
		CHECK_EQ(info.type, OBJ_CONN);
		CHECK(info.rights & RIGHT_WRITE);
	}
	CHECK_EQ(sys_ipc_reply(r.rid, 0, NULL), 0);
	REQUIRE(ft_root >= 0);
}

static const struct ft_case start_case = {
	"the server starts and registers as initfs", t_start
};

/* ---- running ---- */

static const struct ft_case *const groups[] = {
	ft_file_cases,
	ft_error_cases,
	ft_dir_cases,
	ft_life_cases,
};

static uint8_t open_before[HANDLE_MAX / 8];

static void snapshot(void)
{
	struct handle_info info;

	memset(open_before, 0, sizeof(open_before));
	for (int h = 0; h < HANDLE_MAX; h++)
		if (sys_handle_info(h, &info) == 0)
			open_before[h / 8] |= (uint8_t)(1u << (h % 8));
}

/* Closes and reports the handles the test left open. */
static void check_handles(void)
{
	struct handle_info info;
	int n = 0;

	for (int h = 0; h < HANDLE_MAX; h++) {
		if (open_before[h / 8] & (1u << (h % 8)))
			continue;
		if (sys_handle_info(h, &info) == 0) {
			printf("fstest: %s: left handle %d open (type %u)\n",
			       cur_name, h, info.type);
			sys_handle_close(h);
			n++;
		}
	}
	if (n)
		ft_fail(__FILE__, __LINE__, "no handle left open", n);
}

/* Runs one test; returns false when the server is gone (stop). */
static bool run_case(const struct ft_case *c, bool check_leaks)
{
	int status = 0, err;

	cur_name = c->name;
	cur_failed = false;
	snapshot();
	c->fn();
	if (check_leaks)
		check_handles();
	err = ft_server >= 0 ? sys_proc_wait(ft_server, &status, 0) : -EBADF;
	if (err != -ETIMEDOUT) {
		printf("fstest: %s: the server is gone (%d, wait status "
		       "0x%x)\n",
		       c->name, err, status);
		ft_fail(__FILE__, __LINE__, "the server is alive", err);
	}
	if (!cur_failed)
		printf("fstest: %s: ok\n", c->name);
	return err == -ETIMEDOUT && ft_root >= 0;
}

static int run_all(void)
{
	int passed = 0, failed = 0, err;
	uint64_t start = sys_clock_get();
	bool going;

	printf("fstest: starting with %u handles\n", valence_initial_handles);
	err = ft_archive_map();
	if (err < 0) {
		printf("fstest: cannot map the boot archive (%d)\n", err);
		printf("fstest: 0 passed, 1 failed\n");
		return 1;
	}
	going = run_case(&start_case, false);
	if (cur_failed)
		failed++;
	else
		passed++;
	for (size_t g = 0; going && g < sizeof(groups) / sizeof(groups[0]);
	     g++) {
		for (const struct ft_case *c = groups[g]; going && c->name;
		     c++) {
			going = run_case(c, true);
			if (cur_failed)
				failed++;
			else
				passed++;
		}
	}
	if (!going)
		printf("fstest: stopping: no server\n");
	if (ft_server >= 0) {
		sys_proc_kill(ft_server, SIG_KILL);
		ft_wait(ft_server, 5 * SEC);
	}
	printf("fstest: took %u ms\n",
	       (unsigned)((sys_clock_get() - start) / MS));
	printf("fstest: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}

/* ---- client modes ---- */

static __attribute__((noreturn)) void child_hammer(void)
{
	static uint8_t buf[65536];

	for (;;) {
		handle_t f = fs_open(BIG_PATH, VO_RDONLY);

		if (f < 0)
			continue;
		while (fs_read(f, buf, sizeof(buf)) > 0)
			;
		sys_handle_close(f);
	}
}

static __attribute__((noreturn)) void child_opener(void)
{
	for (;;) {
		handle_t f = fs_open(HELLO_PATH, VO_RDONLY);

		if (f >= 0)
			sys_handle_close(f);
	}
}

static int child_hog(void)
{
	handle_t f;
	int n = 0;

	while ((f = fs_open(HELLO_PATH, VO_RDONLY)) >= 0)
		n++;
	if (f != -EMFILE || n != INITFS_FILES_MAX)
		return 2;
	*(volatile uint32_t *)(uintptr_t)0x1000 = 1; /* never mapped */
	return 3;
}

static int child_full(void)
{
	handle_t h;

	while ((h = sys_handle_dup(ft_root, RIGHTS_SAME)) >= 0)
		;
	if (h != -EMFILE)
		return 2;
	return fs_open(HELLO_PATH, VO_RDONLY) == -EMFILE ? 0 : 3;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return run_all();
	ft_root = 0;
	if (strcmp(argv[1], "hammer") == 0)
		child_hammer();
	if (strcmp(argv[1], "opener") == 0)
		child_opener();
	if (strcmp(argv[1], "hog") == 0)
		return child_hog();
	if (strcmp(argv[1], "full") == 0)
		return child_full();
	printf("fstest: unknown mode %s\n", argv[1]);
	return 9;
}
