/*
 * The pipes (docs/servers.md, "pipe").  A pipe is a ring of bytes
 * (ring.c) and two connections, its read end and its write end, which
 * PIPE_CREATE hands to the caller.  Duplicated handles (dup, fork) share
 * an end, so each end has exactly one connection and one CLOSE; the pipe
 * is freed when both have come.
 *
 * A read that finds the pipe empty while the write end is open, and a
 * write that finds too little room while the read end is open, are
 * parked: their reply ids wait in the pipe's queue of readers or writers
 * (first come, first served) and are answered when data, room or a CLOSE
 * comes.  Invariants: readers wait only while the pipe is empty; the
 * first writer waits only while its next piece does not fit.
 */
#include <errno.h>
#include "pipe.h"

struct waiter {
	struct waiter *next;
	uint64_t rid;
	uint64_t len;  /* bytes the caller asked for or offered */
	uint64_t done; /* a write: bytes of it already in the pipe */
};

struct waitq {
	struct waiter *head, *tail;
};

struct pipe {
	bool used;
	bool open[2];	   /* END_READ, END_WRITE: not closed yet */
	uint32_t flags[2]; /* each end's VO_NONBLOCK | VO_APPEND */
	uint32_t gen;	   /* bumped when freed: old badges go stale */
	uint32_t owner;	   /* pid that made it, for PIPES_PER_PROC */
	uint32_t uid, gid; /* the creator's, for FS_STAT */
	uint64_t ino;	   /* a number no other pipe had */
	struct ring ring;
	struct waitq readers, writers;
};

static struct pipe pipes[PIPES_MAX];
static struct waiter waiter_pool[WAITERS_MAX];
static struct waiter *free_waiters;
static uint64_t next_ino = 1;

void pipe_init(void)
{
	for (int i = 0; i < WAITERS_MAX; i++) {
		waiter_pool[i].next = free_waiters;
		free_waiters = &waiter_pool[i];
	}
	for (int i = 0; i < PIPES_MAX; i++)
		ring_init(&pipes[i].ring);
}

/* ---- badges ---- */

static uint64_t end_badge(const struct pipe *p, int end)
{
	uint64_t index = (uint64_t)(p - pipes);

	return (uint64_t)p->gen << 32 | (index + 1) << 1 | (uint64_t)end;
}

/* The live pipe an end's badge names, or NULL (stale or made up). */
static struct pipe *badge_pipe(uint64_t badge, int *end)
{
	uint64_t index = ((badge & 0xffffffffu) >> 1) - 1;
	struct pipe *p;

	if (badge == BADGE_ROOT || index >= PIPES_MAX)
		return NULL;
	p = &pipes[index];
	if (!p->used || p->gen != (uint32_t)(badge >> 32))
		return NULL;
	*end = (int)(badge & 1);
	return p;
}

/* ---- wait queues ---- */

static struct waiter *waiter_new(uint64_t rid, uint64_t len)
{
	struct waiter *w = free_waiters;

	if (!w)
		return NULL;
	free_waiters = w->next;
	w->next = NULL;
	w->rid = rid;
	w->len = len;
	w->done = 0;
	return w;
}

static void waitq_push(struct waitq *q, struct waiter *w)
{
	w->next = NULL;
	if (q->tail)
		q->tail->next = w;
	else
		q->head = w;
	q->tail = w;
}

/* Removes the first waiter of q and returns it to the pool. */
static void waitq_drop_head(struct waitq *q)
{
	struct waiter *w = q->head;

	q->head = w->next;
	if (!q->head)
		q->tail = NULL;
	w->next = free_waiters;
	free_waiters = w;
}

/* Answers every waiter of q with `status` (or a write's count so far). */
static void waitq_answer_all(struct waitq *q, long status)
{
	while (q->head) {
		struct waiter *w = q->head;

		pipe_reply(w->rid, w->done ? (long)w->done : status);
		waitq_drop_head(q);
	}
}

/* ---- moving bytes between a caller and the ring ---- */

static long copy_from_caller(void *ctx, uint64_t off, uint8_t *mem, size_t n)
{
	return sys_ipc_read(*(uint64_t *)ctx, off, mem, n);
}

static long copy_to_caller(void *ctx, uint64_t off, uint8_t *mem, size_t n)
{
	return sys_ipc_write(*(uint64_t *)ctx, off, mem, n);
}

/*
 * Moves what fits of writer w's bytes into p.  A write of at most
 * PIPE_BUF_ATOMIC bytes goes in whole or not at all.  Returns the bytes
 * moved now (0: no room yet) or -errno from the copy: -ESRCH when the
 * caller is gone, -EFAULT for a bad buffer, -ENOMEM.
 */
static long write_some(struct pipe *p, struct waiter *w)
{
	uint64_t left = w->len - w->done;
	long n;

	if (w->len <= PIPE_BUF_ATOMIC && ring_room(&p->ring) < left)
		return 0;
	if (ring_room(&p->ring) == 0)
		return 0;
	n = ring_put(&p->ring, left, copy_from_caller, &w->rid, w->done);
	if (n > 0)
		w->done += (uint64_t)n;
	return n;
}

/*
 * Gives the pipe's bytes to the parked readers, first come first served.
 * Returns whether any byte moved.
 */
static bool serve_readers(struct pipe *p)
{
	bool moved = false;

	while (p->readers.head && p->ring.len) {
		struct waiter *w = p->readers.head;
		long n = ring_get(&p->ring, w->len, copy_to_caller, &w->rid, 0);

		if (n > 0)
			moved = true;
		if (n != -ESRCH) /* a reader that is gone gets nothing */
			pipe_reply(w->rid, n);
		waitq_drop_head(&p->readers);
	}
	return moved;
}

/*
 * Lets the parked writers put their bytes in, first come first served,
 * answering each once all its bytes are in.  Returns whether any byte
 * moved.
 */
static bool serve_writers(struct pipe *p)
{
	bool moved = false;

	while (p->writers.head) {
		struct waiter *w = p->writers.head;
		long n = write_some(p, w);

		if (n == 0)
			break; /* no room for it yet */
		if (n > 0) {
			moved = true;
			if (w->done < w->len)
				break; /* the pipe is full again */
			pipe_reply(w->rid, (long)w->done);
		} else if (n != -ESRCH) {
			pipe_reply(w->rid, w->done ? (long)w->done : n);
		}
		waitq_drop_head(&p->writers);
	}
	return moved;
}

/* After data or room came: serve the waiters until nothing moves. */
static void pipe_settle(struct pipe *p)
{
	bool moved;

	do {
		moved = serve_readers(p);
		moved |= serve_writers(p);
	} while (moved);
}

/* ---- PIPE_CREATE ---- */

#define CAP_LOG_INTERVAL 10000000000ull /* 10 s between cap messages */

/* Says in the log that a cap refused a pipe, at most every 10 s each. */
static void log_cap(uint32_t pid, long err)
{
	static uint64_t last[2]; /* EMFILE, ENFILE */
	uint64_t now = sys_clock_get(), *when = &last[err == -ENFILE];

	if (*when && now - *when < CAP_LOG_INTERVAL)
		return;
	*when = now;
	if (err == -EMFILE)
		pipe_log("pid %u has %d pipes, the most one process may have: "
			 "EMFILE",
			 pid, PIPES_PER_PROC);
	else
		pipe_log("all %d pipes are in use: ENFILE", PIPES_MAX);
}

static struct pipe *pipe_alloc(uint32_t pid, long *err)
{
	struct pipe *free_slot = NULL;
	int mine = 0;

	for (int i = 0; i < PIPES_MAX; i++) {
		if (!pipes[i].used && !free_slot)
			free_slot = &pipes[i];
		else if (pipes[i].used && pipes[i].owner == pid)
			mine++;
	}
	if (mine >= PIPES_PER_PROC) {
		*err = -EMFILE;
		return NULL;
	}
	if (!free_slot)
		*err = -ENFILE;
	return free_slot;
}

/*
 * PIPE_CREATE: w[0] 0 or VO_NONBLOCK (both ends).  Replies itself, with
 * the two ends in handles[0] (read) and handles[1] (write).
 */
static void do_create(const struct ipc_received *in)
{
	uint64_t flags = in->msg.w[0];
	struct ipc_msg out;
	struct pipe *p;
	handle_t ends[2];
	long err = 0;

	if (flags & ~(uint64_t)VO_NONBLOCK) {
		pipe_reply(in->rid, -EINVAL);
		return;
	}
	p = pipe_alloc(in->pid, &err);
	if (!p) {
		log_cap(in->pid, err);
		pipe_reply(in->rid, err);
		return;
	}
	p->gen++;
	for (int end = 0; end < 2; end++) {
		ends[end] = sys_conn_create(pipe_port, end_badge(p, end));
		if (ends[end] < 0) {
			if (end == 1) /* its CLOSE finds no pipe: ignored */
				sys_handle_close(ends[0]);
			pipe_reply(in->rid, ends[end]);
			return;
		}
	}
	p->used = true;
	p->open[END_READ] = p->open[END_WRITE] = true;
	p->flags[END_READ] = p->flags[END_WRITE] = (uint32_t)flags;
	p->owner = in->pid;
	p->uid = in->uid;
	p->gid = in->gid;
	p->ino = next_ino++;
	memset(&out, 0, sizeof(out));
	out.nhandles = 2;
	out.handles[0] = ends[END_READ];
	out.handles[1] = ends[END_WRITE];
	if (sys_ipc_reply(in->rid, 0, &out) < 0) {
		/* The caller is gone: the CLOSEs of these free the pipe. */
		sys_handle_close(ends[0]);
		sys_handle_close(ends[1]);
	}
}

/* ---- the file protocol on an end ---- */

static void do_read(const struct ipc_received *in, struct pipe *p, int end)
{
	struct waiter *w;
	uint64_t rid = in->rid;
	long n;

	if (end != END_READ) {
		pipe_reply(rid, -EBADF);
		return;
	}
	if (in->recv_len == 0) {
		pipe_reply(rid, 0);
		return;
	}
	if (p->ring.len) {
		n = ring_get(&p->ring, in->recv_len, copy_to_caller, &rid, 0);
		pipe_reply(rid, n);
		if (n > 0)
			pipe_settle(p); /* room for the writers */
		return;
	}
	if (!p->open[END_WRITE]) {
		pipe_reply(rid, 0); /* the end of the data */
		return;
	}
	if (p->flags[END_READ] & VO_NONBLOCK) {
		pipe_reply(rid, -EAGAIN);
		return;
	}
	w = waiter_new(rid, in->recv_len);
	if (!w) {
		pipe_reply(rid, -ENOMEM);
		return;
	}
	waitq_push(&p->readers, w);
}

static void do_write(const struct ipc_received *in, struct pipe *p, int end)
{
	struct waiter *w, scratch;
	bool nonblock = p->flags[END_WRITE] & VO_NONBLOCK;
	long n;

	if (end != END_WRITE) {
		pipe_reply(in->rid, -EBADF);
		return;
	}
	if (in->send_len == 0) {
		pipe_reply(in->rid, 0);
		return;
	}
	if (!p->open[END_READ]) {
		pipe_reply(in->rid, -EPIPE);
		return;
	}
	/* A write waits behind those already waiting, unless it may not wait
	   at all (O_NONBLOCK), when it takes whatever room there is. */
	scratch = (struct waiter){ .rid = in->rid, .len = in->send_len };
	n = 0;
	if (!p->writers.head || nonblock)
		n = write_some(p, &scratch);
	if (n < 0 && n != -ESRCH)
		pipe_reply(in->rid, n);
	if (n > 0)
		serve_readers(p);
	if (n < 0 || scratch.done == scratch.len) {
		if (scratch.done)
			pipe_reply(in->rid, (long)scratch.done);
		pipe_settle(p);
		return;
	}
	if (nonblock) {
		pipe_reply(in->rid,
			   scratch.done ? (long)scratch.done : -EAGAIN);
		return;
	}
	w = waiter_new(in->rid, in->send_len);
	if (!w) {
		pipe_reply(in->rid,
			   scratch.done ? (long)scratch.done : -ENOMEM);
		return;
	}
	w->done = scratch.done;
	waitq_push(&p->writers, w);
	pipe_settle(p);
}

/* FS_STAT: a FIFO whose size is the bytes in the pipe. */
static long do_stat(const struct ipc_received *in, struct pipe *p)
{
	struct vstat st;
	long n;

	if (in->recv_len < sizeof(st))
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	st.ino = p->ino;
	st.size = p->ring.len;
	st.mode = VS_IFIFO | 0600;
	st.nlink = 1;
	st.uid = p->uid;
	st.gid = p->gid;
	st.blksize = PIPE_BUF_ATOMIC;
	n = sys_ipc_write(in->rid, 0, &st, sizeof(st));
	if (n < 0)
		return n;
	return n == (long)sizeof(st) ? 0 : -EFAULT;
}

/*
 * FS_SETFL: w[0] the end's new VO_NONBLOCK | VO_APPEND flags; with w[1] =
 * 1 only returns them, with the end's access mode.
 */
static long do_setfl(const struct ipc_received *in, struct pipe *p, int end)
{
	uint64_t flags = in->msg.w[0];

	if (in->msg.w[1] == 1)
		return (long)(p->flags[end] |
			      (end == END_READ ? VO_RDONLY : VO_WRONLY));
	if (in->msg.w[1] != 0 || (flags & ~(uint64_t)(VO_NONBLOCK | VO_APPEND)))
		return -EINVAL;
	p->flags[end] = (uint32_t)flags;
	return 0;
}

static void end_request(const struct ipc_received *in, struct pipe *p, int end)
{
	long status;

	switch (in->msg.op) {
	case FS_READ:
		do_read(in, p, end);
		return;
	case FS_WRITE:
		do_write(in, p, end);
		return;
	case FS_STAT:
		status = do_stat(in, p);
		break;
	case FS_SETFL:
		status = do_setfl(in, p, end);
		break;
	case FS_SEEK:
		status = -ESPIPE;
		break;
	case FS_READDIR:
		status = -ENOTDIR;
		break;
	case FS_TRUNCATE:
	case FS_FSYNC:
		status = -EINVAL; /* as POSIX says for a pipe */
		break;
	case PIPE_CREATE:
	case FS_OPEN:
	case FS_MKDIR:
	case FS_UNLINK:
	case FS_RENAME:
	case FS_SYMLINK:
	case FS_READLINK:
	case FS_PATHSTAT:
	case FS_LINK:
		status = -EBADF; /* they go to the root */
		break;
	default:
		status = -ENOSYS;
	}
	pipe_reply(in->rid, status);
}

/* ---- on the root ---- */

static void root_request(const struct ipc_received *in)
{
	long status;

	switch (in->msg.op) {
	case PIPE_CREATE:
		do_create(in);
		return;
	case FS_OPEN:
		status = -ENOENT; /* pipes have no names */
		break;
	case FS_READ:
	case FS_WRITE:
	case FS_SEEK:
	case FS_STAT:
	case FS_READDIR:
	case FS_TRUNCATE:
	case FS_FSYNC:
	case FS_SETFL:
		status = -EBADF; /* they need an end */
		break;
	default:
		status = -ENOSYS;
	}
	pipe_reply(in->rid, status);
}

void pipe_request(const struct ipc_received *in)
{
	struct pipe *p;
	int end = 0;

	if (in->badge == BADGE_ROOT) {
		root_request(in);
		return;
	}
	p = badge_pipe(in->badge, &end);
	if (!p) {
		pipe_reply(in->rid, -EBADF); /* an end freed meanwhile */
		return;
	}
	end_request(in, p, end);
}

bool pipe_needs_sync(const struct ipc_received *in)
{
	struct pipe *p;
	int end = 0;

	if (in->badge == BADGE_ROOT)
		return in->msg.op == PIPE_CREATE; /* the caps count pipes */
	p = badge_pipe(in->badge, &end);
	if (!p)
		return false;
	if (in->msg.op == FS_WRITE)
		return p->open[END_READ]; /* -EPIPE or not */
	if (in->msg.op == FS_READ)
		return !p->ring.len && p->open[END_WRITE] &&
		       (p->flags[END_READ] & VO_NONBLOCK); /* 0 or -EAGAIN */
	return false;
}

/* ---- CLOSE ---- */

static void pipe_release(struct pipe *p)
{
	ring_free(&p->ring);
	p->used = false;
	p->gen++;
	p->owner = 0;
}

void pipe_closed(uint64_t badge)
{
	struct pipe *p;
	int end = 0;

	p = badge_pipe(badge, &end);
	if (!p || !p->open[end])
		return;
	p->open[end] = false;
	if (end == END_READ) {
		/* Readers still parked were racing their own close. */
		waitq_answer_all(&p->readers, -EBADF);
		waitq_answer_all(&p->writers, -EPIPE);
		ring_free(&p->ring); /* nobody can read it any more */
	} else {
		waitq_answer_all(&p->writers, -EBADF);
		waitq_answer_all(&p->readers, 0); /* the end of the data */
	}
	if (!p->open[END_READ] && !p->open[END_WRITE])
		pipe_release(p);
}
