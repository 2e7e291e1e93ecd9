/*
 * init: the first process.  It starts with the kernel's handles INIT_H_*
 * (the boot archive, the roots of physical ranges, interrupt lines and
 * I/O ports, and the kernel log) and the kernel command line as its
 * arguments.
 *
 * Normally it reads the service list etc/services from the boot archive
 * (docs/services.md), starts each service with exactly what its line
 * grants, restarts those that end per their policy with a back-off, and
 * serves on one port:
 *  - ns:, the name service (NS_REGISTER, NS_LOOKUP, NS_WAIT), and
 *    NS_SVC_KILL for the services whose line says control=yes;
 *  - the standard input, output and error of the services: output goes to
 *    the kernel log, one line at a time, after "[name] "; input is empty.
 * See docs/abi.md ("Scheme protocols") for the messages.
 *
 * Kernel tests use `run=NAME` (and `test=user` = `run=ktest`): init then
 * starts no services, runs bin/NAME with the INIT_H_* handles as 0..3,
 * waits for it and leaves QEMU through the isa-debug-exit port with the
 * result.  `make bench` uses `run=bench`.
 */
#include <valence.h>
#include <valence/proto.h>
#include "services.h"
#include "tar.h"

#define QEMU_EXIT_PORT 0xf4
#define EXIT_PASS      0x10 /* QEMU exits with 33 */
#define EXIT_FAIL      0x11 /* QEMU exits with 35 */

#define SERVICES_PATH "etc/services" /* services=PATH picks another */
#define MAX_NAMES     64	     /* registered schemes */
#define MAX_WAITS     64	     /* parked NS_WAIT calls */
#define WAITER_STACK  8192 /* per service, for the thread that waits on it */
#define SECOND	      1000000000ull

/* Badges of the connections to init's port: kind in the top byte. */
#define BADGE_NS    (1ull << 56)
#define BADGE_STDIO (2ull << 56)
#define BADGE_EXIT  (3ull << 56) /* the waiter threads report here */
#define BADGE_KIND  (0xffull << 56)
#define BADGE_SVC   0xffffu

/* Private message from a waiter thread: w[0] service, w[1] wait status. */
#define INIT_EXITED 0x7000

/* What a handler returns when it does not want the loop to reply: not a
   status (a count >= 0 or -errno), so a 1-byte write is not taken for it. */
#define NO_REPLY (-0x7fffffffL - 1)

struct service {
	struct svc_entry e;
	handle_t proc;	     /* the running instance, or -1 */
	uint64_t started_ns; /* when it was started */
	uint64_t restart_at; /* 0, or when to start it again */
	unsigned failures;   /* restarts in a row without a healthy run */
	bool waiting;	     /* for its `needs` */
	bool watched;	     /* a waiter thread reports its end */
	uint64_t kill_rid;   /* a parked NS_SVC_KILL of it, or 0 */
	char line[128];	     /* output not yet ending in a newline */
	uint32_t line_len;
};

struct name {
	char name[SCHEME_NAME_MAX + 1];
	handle_t root; /* a connection to the scheme's port */
	int owner;     /* service index */
};

struct wait {
	uint64_t rid;
	char name[SCHEME_NAME_MAX + 1];
	int svc;
	uint64_t deadline; /* 0: none */
};

static const void *bootfs;
static uint64_t bootfs_size;
static handle_t port = -1, exit_conn = -1;
static struct service services[SVC_MAX_SERVICES];
static uint32_t nservices;
static struct name names[MAX_NAMES];
static struct wait waits[MAX_WAITS];
static uint8_t waiter_stacks[SVC_MAX_SERVICES][WAITER_STACK]
	__attribute__((aligned(16)));
static struct svc_reader reader;
static const char *services_path = SERVICES_PATH;

static int map_bootfs(void)
{
	long va = vm_map_whole(INIT_H_BOOTFS, VM_READ, &bootfs_size);

	if (va < 0)
		return (int)va;
	bootfs = (const void *)va;
	return 0;
}

/* Starts `path` (in the boot archive; a leading "initfs:" or '/' is
   allowed) with the given handles, arguments and priority. */
static handle_t spawn(const char *path, const handle_t *handles, uint32_t n,
		      const char *args, uint32_t args_len, uint32_t prio,
		      const char *name)
{
	struct tar_entry e;
	struct spawn_args a;
	int err;

	if (strncmp(path, "initfs:", 7) == 0)
		path += 7;
	while (*path == '/')
		path++;
	err = tar_find(bootfs, bootfs_size, path, &e);
	if (err)
		return err;
	memset(&a, 0, sizeof(a));
	a.image = e.data;
	a.image_len = e.size;
	a.handles = handles;
	a.nhandles = n;
	a.priority = prio;
	a.args = args;
	a.args_len = args_len;
	a.name = name;
	return sys_proc_spawn(&a);
}

/* ---- kernel-test mode: run=NAME ---- */

static void qemu_exit(uint8_t code)
{
	handle_t io = sys_ioport_create(INIT_H_IOPORT, QEMU_EXIT_PORT, 4);

	if (io >= 0)
		__asm__ volatile("outl %0, %1"
				 :
				 : "a"((uint32_t)code),
				   "Nd"((uint16_t)QEMU_EXIT_PORT));
	printf("init: could not leave QEMU (%d)\n", io);
}

static int run(const char *name)
{
	handle_t hs[] = { INIT_H_BOOTFS, INIT_H_IRQ, INIT_H_IOPORT,
			  INIT_H_PHYS };
	char path[64];
	size_t len = strlen(name);
	handle_t child;
	int status = -1;
	long err;

	if (len > sizeof(path) - 5)
		return -1;
	memcpy(path, "bin/", 4);
	memcpy(path + 4, name, len + 1);
	child = spawn(path, hs, 4, name, (uint32_t)len + 1, 0, name);
	if (child < 0) {
		printf("init: cannot start %s: error %d\n", name, child);
		return -1;
	}
	err = sys_proc_wait(child, &status, IPC_FOREVER);
	if (err < 0) {
		printf("init: waiting for %s failed: %ld\n", name, err);
		return -1;
	}
	printf("init: %s ended with wait status 0x%x\n", name, status);
	return status;
}

/* ---- starting services ---- */

static struct name *find_name(const char *s)
{
	for (int i = 0; i < MAX_NAMES; i++)
		if (names[i].root >= 0 && strcmp(names[i].name, s) == 0)
			return &names[i];
	return NULL;
}

static bool listed(const char list[][SCHEME_NAME_MAX + 1], uint32_t n,
		   const char *s)
{
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* The waiter thread: reports when the service's process ends. */
static void waiter(uint64_t arg)
{
	uint32_t i = (uint32_t)arg;
	struct ipc_msg m;
	int status = 0;

	sys_proc_wait(services[i].proc, &status, IPC_FOREVER);
	memset(&m, 0, sizeof(m));
	m.op = INIT_EXITED;
	m.w[0] = i;
	m.w[1] = (uint32_t)status;
	sys_ipc_call(exit_conn, &m, NULL);
	sys_thread_exit(0);
}

/* Closes the handles in hs[0, n) that are valid. */
static void close_all(const handle_t *hs, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (hs[i] >= 0)
			sys_handle_close(hs[i]);
}

/*
 * Makes the capabilities of service i: standard handles, then one ioport
 * handle per range, a (notification, irq) pair per line, a memory object
 * per physical range, the boot archive and the kernel log, in that order
 * (docs/services.md).  Returns how many, or -errno.
 */
static int make_handles(uint32_t i, handle_t *hs, uint32_t max)
{
	const struct svc_entry *e = &services[i].e;
	uint32_t n = 0;
	handle_t h;

#define ADD(expr)                                                              \
	do {                                                                   \
		if (n == max)                                                  \
			return -E2BIG;                                         \
		h = (expr);                                                    \
		if (h < 0)                                                     \
			return h;                                              \
		hs[n++] = h;                                                   \
	} while (0)
	ADD(sys_conn_create(port, BADGE_STDIO | i));
	ADD(sys_handle_dup(hs[0], RIGHTS_SAME));
	ADD(sys_handle_dup(hs[0], RIGHTS_SAME));
	ADD(sys_conn_create(port, BADGE_NS | i));
	for (uint32_t k = 0; k < e->nioports; k++)
		ADD(sys_ioport_create(INIT_H_IOPORT, e->ioports[k].first,
				      e->ioports[k].last - e->ioports[k].first +
					      1u));
	for (uint32_t k = 0; k < e->nirqs; k++) {
		handle_t nt;

		ADD(sys_notify_create());
		nt = hs[n - 1];
		ADD(sys_irq_bind(INIT_H_IRQ, e->irqs[k], nt, 0));
	}
	for (uint32_t k = 0; k < e->nphys; k++)
		ADD(sys_mem_create_phys(INIT_H_PHYS, e->phys[k].base,
					e->phys[k].size, e->phys[k].cache));
	if (e->archive)
		ADD(sys_handle_dup(INIT_H_BOOTFS,
				   RIGHT_READ | RIGHT_MAP | RIGHT_TRANSFER));
	if (e->klog)
		ADD(sys_handle_dup(INIT_H_KLOG,
				   RIGHT_READ | RIGHT_MAP | RIGHT_TRANSFER));
#undef ADD
	return (int)n;
}

static void start(uint32_t i)
{
	struct service *s = &services[i];
	handle_t hs[SPAWN_MAX_HANDLES];
	char args[SVC_ARGS_SIZE + SVC_NAME_MAX + 1];
	size_t nlen = strlen(s->e.name);
	handle_t th;
	int n;

	s->restart_at = 0;
	s->waiting = false;
	for (uint32_t k = 0; k < SPAWN_MAX_HANDLES; k++)
		hs[k] = -1;
	n = make_handles(i, hs, SPAWN_MAX_HANDLES);
	if (n < 0) {
		printf("init: %s: cannot make its handles: error %d\n",
		       s->e.name, n);
		close_all(hs, SPAWN_MAX_HANDLES);
		return;
	}
	memcpy(args, s->e.name, nlen + 1);
	memcpy(args + nlen + 1, s->e.args, s->e.args_len);
	s->proc = spawn(s->e.binary, hs, (uint32_t)n, args,
			(uint32_t)(nlen + 1 + s->e.args_len), s->e.priority,
			s->e.name);
	close_all(hs, (uint32_t)n);
	if (s->proc < 0) {
		printf("init: %s: cannot start %s: error %d\n", s->e.name,
		       s->e.binary, s->proc);
		s->proc = -1;
		return;
	}
	s->started_ns = sys_clock_get();
	s->watched = false;
	th = sys_thread_create(
		waiter, (uint64_t)(uintptr_t)&waiter_stacks[i + 1][0], i);
	if (th < 0) {
		printf("init: %s: no waiter thread (%d): it will not be "
		       "restarted\n",
		       s->e.name, th);
		return;
	}
	s->watched = true;
	sys_handle_close(th);
}

/* Starts the services whose `needs` are all registered now. */
static void start_ready(void)
{
	for (uint32_t i = 0; i < nservices; i++) {
		struct service *s = &services[i];
		bool ready = s->waiting;

		for (uint32_t k = 0; ready && k < s->e.nneeds; k++)
			ready = find_name(s->e.needs[k]) != NULL;
		if (ready)
			start(i);
	}
}

/* Writes the service's pending output line to the log as "[name] text". */
static void flush_line(struct service *s)
{
	char buf[sizeof(s->line) + SVC_NAME_MAX + 8];
	size_t n = strlen(s->e.name);

	buf[0] = '[';
	memcpy(buf + 1, s->e.name, n);
	buf[n + 1] = ']';
	buf[n + 2] = ' ';
	memcpy(buf + n + 3, s->line, s->line_len);
	sys_debug_log(buf, n + 3 + s->line_len);
	s->line_len = 0;
}

/* A service ended: forget its names, log why, plan its restart. */
static void ended(uint32_t i, int status)
{
	struct service *s = &services[i];
	uint64_t now = sys_clock_get(), delay;

	for (int k = 0; k < MAX_NAMES; k++) {
		if (names[k].root >= 0 && names[k].owner == (int)i) {
			sys_handle_close(names[k].root);
			names[k].root = -1;
		}
	}
	if (s->proc >= 0)
		sys_handle_close(s->proc);
	s->proc = -1;
	if (s->line_len)
		flush_line(s); /* its last words, without a newline */
	if ((status & 0x7f) != 0)
		printf("init: %s killed by signal %d\n", s->e.name,
		       status & 0x7f);
	else
		printf("init: %s exited with status %d\n", s->e.name,
		       (status >> 8) & 0xff);
	if (s->kill_rid) {
		sys_ipc_reply(s->kill_rid, 0, NULL); /* NS_SVC_KILL is done */
		s->kill_rid = 0;
	}
	if (!svc_should_restart(s->e.restart, status))
		return;
	if (now - s->started_ns >= SVC_STABLE_MS * 1000000ull)
		s->failures = 0;
	delay = svc_backoff_ms(s->failures++) * 1000000ull;
	printf("init: restarting %s in %u ms\n", s->e.name,
	       (unsigned)(delay / 1000000));
	s->restart_at = now + (delay ? delay : 1);
}

/* ---- ns: ---- */

/* Reads the scheme name lent as the send buffer of call `r`. */
static int read_name(const struct ipc_received *r, char *out)
{
	long n;

	if (r->send_len == 0 || r->send_len > SCHEME_NAME_MAX)
		return -EINVAL;
	n = sys_ipc_read(r->rid, 0, out, r->send_len);
	if (n != (long)r->send_len)
		return n < 0 ? (int)n : -EINVAL;
	out[n] = '\0';
	for (long k = 0; k < n; k++) {
		char c = out[k];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return -EINVAL;
	}
	return 0;
}

/* Replies to `rid` with a copy of the root of `nm`. */
static void reply_root(uint64_t rid, const struct name *nm)
{
	struct ipc_msg m;
	handle_t h = sys_handle_dup(nm->root, RIGHTS_SAME);

	if (h < 0) {
		sys_ipc_reply(rid, h, NULL);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.nhandles = 1;
	m.handles[0] = h;
	if (sys_ipc_reply(rid, 0, &m) < 0)
		sys_handle_close(h); /* the caller is gone */
}

static bool may_see(uint32_t svc, const char *name)
{
	const struct svc_entry *e = &services[svc].e;

	return e->see_all || listed(e->see, e->nsee, name);
}

static long ns_register(const struct ipc_received *r, uint32_t svc)
{
	const struct svc_entry *e = &services[svc].e;
	struct handle_info info;
	char name[SCHEME_NAME_MAX + 1];
	int err = read_name(r, name), free_slot = -1;

	if (err)
		return err;
	if (!listed(e->register_names, e->nregister, name))
		return -EACCES;
	if (r->msg.nhandles != 1 ||
	    sys_handle_info(r->msg.handles[0], &info) < 0 ||
	    info.type != OBJ_CONN)
		return -EINVAL;
	if (find_name(name))
		return -EEXIST;
	for (int k = 0; k < MAX_NAMES && free_slot < 0; k++)
		if (names[k].root < 0)
			free_slot = k;
	if (free_slot < 0)
		return -ENOMEM;
	memcpy(names[free_slot].name, name, sizeof(name));
	names[free_slot].root = r->msg.handles[0];
	names[free_slot].owner = (int)svc;
	printf("init: %s registered %s:\n", e->name, name);
	for (int k = 0; k < MAX_WAITS; k++) {
		if (waits[k].rid && strcmp(waits[k].name, name) == 0 &&
		    may_see((uint32_t)waits[k].svc, name)) {
			reply_root(waits[k].rid, &names[free_slot]);
			waits[k].rid = 0;
		}
	}
	start_ready();
	return 0;
}

/* Returns NO_REPLY when the call was parked or answered here. */
static long ns_lookup(const struct ipc_received *r, uint32_t svc, bool wait)
{
	char name[SCHEME_NAME_MAX + 1];
	struct name *nm;
	int err = read_name(r, name);

	if (err)
		return err;
	if (!may_see(svc, name))
		return -EACCES;
	nm = find_name(name);
	if (nm) {
		reply_root(r->rid, nm);
		return NO_REPLY;
	}
	if (!wait)
		return -ENOENT;
	for (int k = 0; k < MAX_WAITS; k++) {
		if (!waits[k].rid) {
			waits[k].rid = r->rid;
			memcpy(waits[k].name, name, sizeof(name));
			waits[k].svc = (int)svc;
			waits[k].deadline =
				r->msg.w[0] ? sys_clock_get() + r->msg.w[0] : 0;
			return NO_REPLY;
		}
	}
	return -ENOMEM;
}

static struct service *find_service(const char *name)
{
	for (uint32_t i = 0; i < nservices; i++)
		if (strcmp(services[i].e.name, name) == 0)
			return &services[i];
	return NULL;
}

/*
 * NS_SVC_KILL from service svc: kills the service named in the send
 * buffer.  The reply waits until ended() has dropped its schemes, so
 * that a client's NS_WAIT afterwards finds the next instance, never the
 * dead one.  Returns NO_REPLY when the call was parked.
 */
static long ns_svc_kill(const struct ipc_received *r, uint32_t svc)
{
	char name[SCHEME_NAME_MAX + 1];
	struct service *t;
	int err;

	if (!services[svc].e.control)
		return -EACCES;
	err = read_name(r, name);
	if (err)
		return err;
	t = find_service(name);
	if (!t)
		return -ENOENT;
	if (t->proc < 0)
		return -ESRCH;
	if (t->kill_rid)
		return -EBUSY;
	err = sys_proc_kill(t->proc, SIG_KILL);
	if (err)
		return err;
	printf("init: %s asked to stop %s\n", services[svc].e.name, t->e.name);
	if (!t->watched)
		return 0; /* nobody will report its end: answer now */
	t->kill_rid = r->rid;
	return NO_REPLY;
}

/* ---- standard output ---- */

static long stdio_write(const struct ipc_received *r, struct service *s)
{
	char chunk[256];
	uint64_t done = 0;

	while (done < r->send_len) {
		long n = sys_ipc_read(r->rid, done, chunk, sizeof(chunk));

		if (n <= 0)
			return done ? (long)done : n;
		for (long k = 0; k < n; k++) {
			if (chunk[k] == '\n' ||
			    s->line_len == sizeof(s->line)) {
				flush_line(s);
				if (chunk[k] == '\n')
					continue;
			}
			s->line[s->line_len++] = chunk[k];
		}
		done += (uint64_t)n;
	}
	return (long)done;
}

/*
 * A service's standard handles are a character device, as a terminal is
 * (so newlib line-buffers its stdout).
 */
static long stdio_stat(const struct ipc_received *r)
{
	struct vstat st;

	memset(&st, 0, sizeof(st));
	st.mode = VS_IFCHR | 0620;
	st.nlink = 1;
	st.blksize = 1024;
	return sys_ipc_write(r->rid, 0, &st, sizeof(st)) == sizeof(st)
		       ? 0
		       : -EINVAL;
}

/* ---- the loop ---- */

/* Returns the status to reply with, or NO_REPLY. */
static long handle(const struct ipc_received *r)
{
	uint64_t kind = r->badge & BADGE_KIND;
	uint32_t svc = (uint32_t)(r->badge & BADGE_SVC);

	if (r->msg.op == IPC_OP_CLOSE)
		return NO_REPLY;
	if (svc >= nservices && kind != BADGE_EXIT)
		return -EBADF;
	switch (kind) {
	case BADGE_NS:
		if (r->msg.op == NS_REGISTER)
			return ns_register(r, svc);
		if (r->msg.op == NS_LOOKUP || r->msg.op == NS_WAIT)
			return ns_lookup(r, svc, r->msg.op == NS_WAIT);
		if (r->msg.op == NS_SVC_KILL)
			return ns_svc_kill(r, svc);
		return -ENOSYS;
	case BADGE_STDIO:
		if (r->msg.op == FS_WRITE)
			return stdio_write(r, &services[svc]);
		if (r->msg.op == FS_READ)
			return 0; /* no input: end of file */
		if (r->msg.op == FS_STAT)
			return stdio_stat(r);
		return r->msg.op == FS_SEEK ? -ESPIPE : -ENOSYS;
	case BADGE_EXIT:
		if (r->msg.op == INIT_EXITED && r->msg.w[0] < nservices)
			ended((uint32_t)r->msg.w[0], (int)r->msg.w[1]);
		return 0;
	}
	return -EBADF;
}

/* Restarts that are due, NS_WAITs that timed out; the next deadline. */
static uint64_t timers(void)
{
	uint64_t now = sys_clock_get(), next = UINT64_MAX;

	for (uint32_t i = 0; i < nservices; i++) {
		uint64_t at = services[i].restart_at;

		if (at && at <= now)
			start(i);
		else if (at && at < next)
			next = at;
	}
	for (int k = 0; k < MAX_WAITS; k++) {
		uint64_t at = waits[k].deadline;

		if (!waits[k].rid || !at)
			continue;
		if (at <= now) {
			sys_ipc_reply(waits[k].rid, -ETIMEDOUT, NULL);
			waits[k].rid = 0;
		} else if (at < next) {
			next = at;
		}
	}
	return next == UINT64_MAX ? IPC_FOREVER : next - now;
}

static __attribute__((noreturn)) void serve(void)
{
	struct ipc_received r;

	for (;;) {
		uint64_t timeout = timers();
		int err = sys_ipc_recv(port, &r, timeout);
		long status;

		if (err == -ETIMEDOUT)
			continue;
		if (err < 0) {
			printf("init: ipc_recv failed: %d\n", err);
			sys_sleep(SECOND);
			continue;
		}
		status = handle(&r);
		/* Only a registration keeps the handle it brought. */
		if (!(status == 0 && r.msg.op == NS_REGISTER &&
		      (r.badge & BADGE_KIND) == BADGE_NS))
			close_all(r.msg.handles, r.msg.nhandles);
		if (status != NO_REPLY && r.rid)
			sys_ipc_reply(r.rid, status, NULL);
	}
}

static void read_services(void)
{
	struct tar_entry f;
	char err[160];
	int rc;

	if (tar_find(bootfs, bootfs_size, services_path, &f)) {
		printf("init: no %s in the boot archive: no services\n",
		       services_path);
		return;
	}
	svc_reader_init(&reader, f.data, f.size);
	while (nservices < SVC_MAX_SERVICES &&
	       (rc = svc_next(&reader, &services[nservices].e, err,
			      sizeof(err))) != 1) {
		if (rc < 0) {
			printf("init: %s: %s (line skipped)\n", services_path,
			       err);
			continue;
		}
		services[nservices].proc = -1;
		services[nservices].waiting = true;
		nservices++;
	}
}

int main(int argc, char **argv)
{
	const char *prog = NULL;
	int err;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "test=user") == 0)
			prog = "ktest";
		else if (strncmp(argv[i], "run=", 4) == 0)
			prog = argv[i] + 4;
		else if (strncmp(argv[i], "services=", 9) == 0)
			services_path = argv[i] + 9;
	}
	err = map_bootfs();
	if (err < 0) {
		printf("init: cannot map the boot archive: error %d\n", err);
		return 1;
	}
	if (prog)
		qemu_exit(run(prog) == 0 ? EXIT_PASS : EXIT_FAIL);

	for (int k = 0; k < MAX_NAMES; k++)
		names[k].root = -1;
	port = sys_port_create();
	exit_conn = port >= 0 ? sys_conn_create(port, BADGE_EXIT) : -1;
	if (exit_conn < 0) {
		printf("init: cannot create its port\n");
		return 1;
	}
	read_services();
	printf("init: %u services\n", nservices);
	start_ready();
	serve();
}
