/*
 * A terminal (docs/servers.md, "tty"): the line discipline (ldisc.c)
 * between a device and the processes that read and write it, plus what
 * POSIX puts around it: parked reads with VMIN and VTIME, writes that go
 * out a chunk at a time and wait while output is stopped, the
 * controlling terminal of a session and its foreground process group,
 * and the TTY_* messages.
 *
 * Job control.  Sessions and process groups are the kernel's; the server
 * asks it (PC_GETSID, PC_GETPGID) about the pid it stamps on each call.
 * A caller in the terminal's session but not in its foreground group is
 * in the background: its read sends SIGTTIN to its group and waits, and
 * is served only once the group is in the foreground again (as a read
 * Linux restarts after the stop); a write with TOSTOP does the same with
 * SIGTTOU.  A caller that catches the signal has its call taken back by
 * the kernel (EINTR); the server finds that out when its answer fails.
 * The server cannot know whether the signal is ignored, so a background
 * reader that ignores SIGTTIN waits too, where Linux would answer EIO.
 */
#include <signal.h>
#include <stdlib.h>
#include "tty.h"

#define DECISECOND 100000000ull /* ns: VTIME counts these */

enum job {
	JOB_FG,
	JOB_BG,
	JOB_GONE
};

struct tty *ttys[TTY_UNITS_MAX];
uint32_t tty_count;

static uint8_t chunk_in[TTY_CHUNK], chunk_out[2 * TTY_CHUNK];
static uint8_t read_buf[LDISC_INPUT_MAX];

int tty_create(uint32_t unit, const char *path, handle_t dev)
{
	struct tty *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->unit = unit;
	memcpy(t->device, path, strnlen(path, TTY_DEVICE_MAX));
	t->dev = dev;
	ldisc_init(&t->ld);
	t->ws.ws_row = 24;
	t->ws.ws_col = 80;
	ttys[unit] = t;
	return 0;
}

static void reply(uint64_t rid, long status)
{
	sys_ipc_reply(rid, status, NULL); /* -ESRCH: the caller is gone */
}

/* ---- job control ---- */

static long proc_ctl(uint32_t op, uint64_t a, uint64_t b)
{
	return sys_proc_ctl(op, a, b, 0, 0);
}

/* Sends sig to process group pgrp (never to init's, or to "all"). */
static void signal_group(uint32_t pgrp, int sig)
{
	if (pgrp > 1)
		proc_ctl(PC_KILL, (uint64_t) - (int64_t)pgrp, (uint64_t)sig);
}

/*
 * Whether process pid may use t now: JOB_FG unless it is in t's session
 * and not in the foreground group (JOB_BG, with its group in *pgrp), or
 * gone.
 */
static enum job job_of(const struct tty *t, uint32_t pid, uint32_t *pgrp)
{
	long sid, pg;

	if (!t->session)
		return JOB_FG;
	sid = proc_ctl(PC_GETSID, pid, 0);
	if (sid < 0)
		return JOB_GONE;
	if ((uint32_t)sid != t->session)
		return JOB_FG; /* not its controlling terminal */
	pg = proc_ctl(PC_GETPGID, pid, 0);
	if (pg < 0)
		return JOB_GONE;
	if (pgrp)
		*pgrp = (uint32_t)pg;
	return (uint32_t)pg == t->pgrp ? JOB_FG : JOB_BG;
}

/* Whether the caller's session is the one t is the terminal of. */
static bool in_session(const struct tty *t, uint32_t pid)
{
	return t->session && proc_ctl(PC_GETSID, pid, 0) == (long)t->session;
}

/* ---- waiters ---- */

/* Records call `in` (through open file f) in list[*count]; false when
   the list is full even after dropping callers that are gone. */
static bool park(struct tty_waiter *list, uint32_t *count,
		 const struct tty_file *f, const struct ipc_received *in,
		 uint64_t len)
{
	struct tty_waiter *w;

	if (*count == TTY_WAITERS_MAX) {
		for (uint32_t i = *count; i-- > 0;) {
			if (sys_ipc_write(list[i].rid, 0, NULL, 0) != -ESRCH)
				continue;
			memmove(&list[i], &list[i + 1],
				(*count - i - 1) * sizeof(*list));
			(*count)--;
		}
		if (*count == TTY_WAITERS_MAX)
			return false;
	}
	w = &list[(*count)++];
	w->rid = in->rid;
	w->badge = in->badge;
	w->pid = in->pid;
	w->nonblock = (f->flags & VO_NONBLOCK) != 0;
	w->len = len;
	w->done = 0;
	w->start_ns = sys_clock_get();
	return true;
}

static void unpark(struct tty_waiter *list, uint32_t *count, uint32_t i)
{
	memmove(&list[i], &list[i + 1], (*count - i - 1) * sizeof(*list));
	(*count)--;
}

/* ---- output ---- */

/* Sends bytes to the device; output is dropped while it is broken. */
static void dev_write(struct tty *t, const uint8_t *b, size_t n)
{
	while (n > 0 && t->dev >= 0) {
		long r = file_write(t->dev, b, n);

		if (r <= 0) {
			if (!t->dev_failed)
				tty_log("%u: writing to %s failed: error %ld; "
					"output is dropped until it is back",
					t->unit, t->device, r);
			t->dev_failed = true;
			return;
		}
		b += r;
		n -= (size_t)r;
	}
}

/* Sends the echo the line discipline has made, unless output is
   stopped. */
static void flush_echo(struct tty *t)
{
	size_t n = t->ld.echo_len;

	if (!n || t->ld.stopped)
		return;
	dev_write(t, t->ld.echo, n);
	ldisc_echo_taken(&t->ld, n);
}

/*
 * Sends the next chunk of the first waiting write; answers it once all
 * of it is out.
 */
static void write_chunk(struct tty *t)
{
	struct tty_waiter *w = &t->writers[0];
	uint64_t left = w->len - w->done;
	size_t used, k;
	long n;

	flush_echo(t);
	n = sys_ipc_read(w->rid, w->done, chunk_in,
			 left < TTY_CHUNK ? (size_t)left : TTY_CHUNK);
	if (n <= 0) {
		/* gone (-ESRCH): no answer; a bad buffer: what went, or
		   -EFAULT */
		if (n != -ESRCH)
			reply(w->rid, w->done ? (long)w->done : -EFAULT);
		unpark(t->writers, &t->nwriters, 0);
		return;
	}
	k = ldisc_output(&t->ld, chunk_in, (size_t)n, chunk_out,
			 sizeof(chunk_out), &used);
	dev_write(t, chunk_out, k);
	w->done += (uint64_t)n;
	if (w->done == w->len) {
		reply(w->rid, (long)w->len);
		unpark(t->writers, &t->nwriters, 0);
	}
}

/* Moves the held background writes that may go now to the writers. */
static void release_held(struct tty *t)
{
	bool tostop = (t->ld.t.c_lflag & TOSTOP) != 0;

	for (uint32_t i = 0; i < t->nheld;) {
		enum job j = job_of(t, t->held[i].pid, NULL);

		if (j == JOB_BG && tostop) {
			i++;
			continue;
		}
		if (j != JOB_GONE && t->nwriters < TTY_WAITERS_MAX)
			t->writers[t->nwriters++] = t->held[i];
		else if (j != JOB_GONE)
			reply(t->held[i].rid, -EAGAIN);
		unpark(t->held, &t->nheld, i);
	}
}

long tty_write(struct tty *t, const struct tty_file *f,
	       const struct ipc_received *in)
{
	uint32_t pg = 0;
	enum job j;

	if (in->send_len == 0)
		return 0;
	j = job_of(t, in->pid, &pg);
	if (j == JOB_GONE)
		return -ESRCH;
	if (j == JOB_BG && (t->ld.t.c_lflag & TOSTOP)) {
		signal_group(pg, SIGTTOU);
		if (f->flags & VO_NONBLOCK)
			return -EAGAIN;
		if (!park(t->held, &t->nheld, f, in, in->send_len))
			return -EAGAIN;
		return TTY_NO_REPLY;
	}
	if ((f->flags & VO_NONBLOCK) && t->ld.stopped)
		return -EAGAIN;
	if (!park(t->writers, &t->nwriters, f, in, in->send_len))
		return -EAGAIN;
	return TTY_NO_REPLY; /* tty_work sends it */
}

/* ---- input and reads ---- */

/* Logs input lost to a full buffer, once a read has made room. */
static void report_dropped(struct tty *t)
{
	uint64_t d = t->ld.dropped;

	if (d == t->dropped_reported)
		return;
	tty_log("%u: input buffer was full: %llu bytes dropped (%llu in all)",
		t->unit, (unsigned long long)(d - t->dropped_reported),
		(unsigned long long)d);
	t->dropped_reported = d;
}

/* Gives reader w what one read gets now and answers it. */
static void deliver(struct tty *t, const struct tty_waiter *w)
{
	size_t consume, max = w->len < sizeof(read_buf) ? (size_t)w->len
							: sizeof(read_buf);
	size_t n = ldisc_peek(&t->ld, read_buf, max, &consume);
	/* 0 bytes still probes the caller: an end of file is not given to
	   one that is gone. */
	long r = sys_ipc_write(w->rid, 0, read_buf, n);

	if (r == -ESRCH)
		return; /* gone: it takes nothing */
	if (r < 0 || (size_t)r != n) {
		reply(w->rid, -EFAULT);
		return;
	}
	ldisc_consume(&t->ld, consume);
	reply(w->rid, (long)n);
	report_dropped(t);
}

/* When reader w's VTIME runs out (0: it has no timer running now). */
static uint64_t read_deadline(const struct tty *t, const struct tty_waiter *w)
{
	uint64_t vtime = t->ld.t.c_cc[VTIME] * DECISECOND, from = w->start_ns;

	if ((t->ld.t.c_lflag & ICANON) || !vtime)
		return 0;
	if (t->ld.t.c_cc[VMIN] == 0)
		return from + vtime; /* from the read */
	if (!ldisc_available(&t->ld))
		return 0; /* the timer starts with the first byte */
	if (t->last_input_ns > from)
		from = t->last_input_ns;
	return from + vtime; /* since the last byte */
}

/*
 * Answers reader w if the input allows it now (POSIX's four cases of
 * VMIN and VTIME in non-canonical mode).  Returns whether it was
 * answered.
 */
static bool try_read(struct tty *t, const struct tty_waiter *w, uint64_t now)
{
	size_t avail = ldisc_available(&t->ld), need = t->ld.t.c_cc[VMIN];
	uint64_t deadline;

	if (t->ld.t.c_lflag & ICANON) {
		if (!ldisc_readable(&t->ld))
			return false;
		deliver(t, w);
		return true;
	}
	if (need > w->len)
		need = (size_t)w->len;
	deadline = read_deadline(t, w);
	if ((avail && avail >= need) || (!avail && !need && !deadline) ||
	    (deadline && now >= deadline)) {
		deliver(t, w); /* 0 bytes when VMIN is 0 and time is up */
		return true;
	}
	return false;
}

/* Serves the parked readers in order; background ones wait. */
static void serve_readers(struct tty *t)
{
	uint64_t now = sys_clock_get();

	for (uint32_t i = 0; i < t->nreaders;) {
		enum job j = job_of(t, t->readers[i].pid, NULL);

		if (j == JOB_BG) {
			i++;
			continue;
		}
		if (j == JOB_FG && !try_read(t, &t->readers[i], now))
			break; /* the ones behind it wait their turn */
		unpark(t->readers, &t->nreaders, i);
	}
}

long tty_read(struct tty *t, const struct tty_file *f,
	      const struct ipc_received *in)
{
	uint32_t pg = 0;
	enum job j;
	const struct tty_waiter *w;

	if (in->recv_len == 0)
		return 0;
	j = job_of(t, in->pid, &pg);
	if (j == JOB_GONE)
		return -ESRCH;
	if (j == JOB_BG) {
		signal_group(pg, SIGTTIN);
		if (f->flags & VO_NONBLOCK)
			return -EAGAIN;
	}
	if (!park(t->readers, &t->nreaders, f, in, in->recv_len))
		return -EAGAIN;
	if (j == JOB_BG)
		return TTY_NO_REPLY;
	serve_readers(t);
	/* Serving only removes readers: if this one is left, it is last. */
	w = t->nreaders ? &t->readers[t->nreaders - 1] : NULL;
	if (w && w->rid == in->rid) {
		bool poll = !(t->ld.t.c_lflag & ICANON) &&
			    !t->ld.t.c_cc[VMIN] && !t->ld.t.c_cc[VTIME];
		bool nonblock = w->nonblock;

		if (nonblock || poll) { /* it would wait behind others */
			unpark(t->readers, &t->nreaders, t->nreaders - 1);
			return nonblock ? -EAGAIN : 0;
		}
	}
	return TTY_NO_REPLY;
}

/* Sends the signal of an ldisc event to the foreground group. */
static void input_signal(struct tty *t, unsigned event)
{
	static const int sig[] = { 0, SIGINT, SIGQUIT, SIGTSTP };

	flush_echo(t); /* "^C" first */
	if (t->pgrp)
		signal_group(t->pgrp, sig[event & LDISC_SIGNAL]);
}

void tty_input(struct tty *t, const uint8_t *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned r = ldisc_input(&t->ld, bytes[i]);

		if (r & LDISC_SIGNAL)
			input_signal(t, r);
		if (t->ld.echo_len > LDISC_ECHO_MAX / 4)
			flush_echo(t);
	}
	t->last_input_ns = sys_clock_get();
	flush_echo(t);
	serve_readers(t);
}

void tty_device(struct tty *t, handle_t dev, long err)
{
	if (t->dev >= 0)
		sys_handle_close(t->dev);
	t->dev = dev;
	t->dev_failed = false;
	tty_log("%u: %s failed (error %ld) and was opened again", t->unit,
		t->device, err);
}

/* ---- the controlling terminal ---- */

/*
 * The session leader is gone: SIGHUP and SIGCONT to the foreground
 * group, and the terminal belongs to no session any more.
 */
static void hang_up(struct tty *t)
{
	tty_log("%u: session %u has ended: SIGHUP to group %u", t->unit,
		t->session, t->pgrp);
	signal_group(t->pgrp, SIGHUP);
	signal_group(t->pgrp, SIGCONT);
	t->session = 0;
	t->pgrp = 0;
	release_held(t);
	serve_readers(t);
}

/* Whether the leader of t's session still lives (else it hangs up). */
static bool session_alive(struct tty *t)
{
	if (!t->session)
		return false;
	if (proc_ctl(PC_GETSID, t->session, 0) == (long)t->session)
		return true;
	hang_up(t);
	return false;
}

/* TTY_SETCTTY: caller pid's session takes t. */
static long set_ctty(struct tty *t, uint32_t pid)
{
	long sid = proc_ctl(PC_GETSID, pid, 0), pg;

	if (sid < 0)
		return sid;
	if ((uint32_t)sid != pid)
		return -EPERM; /* not a session leader */
	if (t->session == (uint32_t)sid)
		return 0;
	if (session_alive(t))
		return -EPERM; /* another session's terminal */
	for (uint32_t i = 0; i < tty_count; i++)
		if (ttys[i]->session == (uint32_t)sid && session_alive(ttys[i]))
			return -EPERM; /* the session has one already */
	pg = proc_ctl(PC_GETPGID, pid, 0);
	if (pg < 0)
		return pg;
	t->session = (uint32_t)sid;
	t->pgrp = (uint32_t)pg;
	t->session_check_ns = sys_clock_get() + TTY_SESSION_POLL;
	release_held(t);
	serve_readers(t);
	return 0;
}

/* TTY_SETPGRP: group pg of t's session becomes the foreground. */
static long set_pgrp(struct tty *t, uint32_t pid, uint64_t pg)
{
	long sid;

	if (pg == 0 || pg > INT32_MAX)
		return -EINVAL;
	if (!in_session(t, pid))
		return -ENOTTY;
	if (pg == 1)
		return -EPERM; /* init's */
	/* The group's leader tells its session; a group whose leader has
	   gone lives in the session the leader had, which we cannot ask. */
	sid = proc_ctl(PC_GETSID, pg, 0);
	if (sid >= 0 && (uint32_t)sid != t->session)
		return -EPERM;
	if (proc_ctl(PC_KILL, (uint64_t) - (int64_t)pg, 0) < 0)
		return -EPERM; /* no such group */
	t->pgrp = (uint32_t)pg;
	release_held(t);
	serve_readers(t);
	return 0;
}

/* ---- TTY_* ---- */

static long get_attr(struct tty *t, const struct ipc_received *in)
{
	if (in->recv_len < sizeof(struct termios))
		return -EINVAL;
	if (sys_ipc_write(in->rid, 0, &t->ld.t, sizeof(struct termios)) !=
	    sizeof(struct termios))
		return -EFAULT;
	return 0;
}

static long set_attr(struct tty *t, const struct ipc_received *in)
{
	struct termios n;
	bool was_stopped = t->ld.stopped;

	if (in->msg.w[0] > VTCSAFLUSH || in->send_len < sizeof(n))
		return -EINVAL;
	if (sys_ipc_read(in->rid, 0, &n, sizeof(n)) != sizeof(n))
		return -EFAULT;
	if (in->msg.w[0] == VTCSAFLUSH)
		ldisc_flush_input(&t->ld);
	ldisc_set_termios(&t->ld, &n);
	if (was_stopped && !t->ld.stopped)
		flush_echo(t);
	release_held(t);
	serve_readers(t);
	return 0;
}

static long get_winsize(struct tty *t, const struct ipc_received *in)
{
	if (in->recv_len < sizeof(t->ws))
		return -EINVAL;
	if (sys_ipc_write(in->rid, 0, &t->ws, sizeof(t->ws)) != sizeof(t->ws))
		return -EFAULT;
	return 0;
}

static long set_winsize(struct tty *t, const struct ipc_received *in)
{
	struct vwinsize ws;

	if (in->send_len < sizeof(ws))
		return -EINVAL;
	if (sys_ipc_read(in->rid, 0, &ws, sizeof(ws)) != sizeof(ws))
		return -EFAULT;
	if (memcmp(&ws, &t->ws, sizeof(ws)) == 0)
		return 0; /* no change, no signal */
	t->ws = ws;
	/* The answer first: the caller may be in the foreground group, and
	   a signal it catches would take its call back (EINTR). */
	reply(in->rid, 0);
	if (t->pgrp)
		signal_group(t->pgrp, SIGWINCH);
	return TTY_NO_REPLY;
}

static long flush_queues(struct tty *t, uint64_t which)
{
	if (which > VTCIOFLUSH)
		return -EINVAL;
	if (which != VTCOFLUSH)
		ldisc_flush_input(&t->ld);
	if (which != VTCIFLUSH)
		t->ld.echo_len = 0;
	return 0;
}

long tty_control(struct tty *t, const struct ipc_received *in)
{
	switch (in->msg.op) {
	case TTY_GETATTR:
		return get_attr(t, in);
	case TTY_SETATTR:
		return set_attr(t, in);
	case TTY_GETPGRP:
		if (!in_session(t, in->pid))
			return -ENOTTY;
		return t->pgrp;
	case TTY_SETPGRP:
		return set_pgrp(t, in->pid, in->msg.w[0]);
	case TTY_GETWINSZ:
		return get_winsize(t, in);
	case TTY_SETWINSZ:
		return set_winsize(t, in);
	case TTY_SETCTTY:
		return set_ctty(t, in->pid);
	case TTY_FLUSH:
		return flush_queues(t, in->msg.w[0]);
	}
	return -ENOSYS;
}

/* ---- open files and time ---- */

/* Answers (-EBADF) and forgets the calls in list that came through
   badge. */
static void drop_badge(struct tty_waiter *list, uint32_t *count, uint64_t badge)
{
	for (uint32_t i = 0; i < *count;) {
		if (list[i].badge != badge) {
			i++;
			continue;
		}
		reply(list[i].rid, -EBADF);
		unpark(list, count, i);
	}
}

void tty_file_closed(struct tty *t, uint64_t badge)
{
	drop_badge(t->readers, &t->nreaders, badge);
	drop_badge(t->writers, &t->nwriters, badge);
	drop_badge(t->held, &t->nheld, badge);
}

uint64_t tty_work(struct tty *t)
{
	uint64_t now = sys_clock_get(), next = IPC_FOREVER;
	bool due = false;

	if (t->session && now >= t->session_check_ns) {
		t->session_check_ns = now + TTY_SESSION_POLL;
		session_alive(t);
	}
	/* Deadlines in (timers_done_ns, now] have come since the last
	   look; later ones set the wait. */
	for (uint32_t i = 0; i < t->nreaders; i++) {
		uint64_t d = read_deadline(t, &t->readers[i]);

		if (!d)
			continue;
		if (d > t->timers_done_ns && d <= now)
			due = true;
		else if (d > now && d - now < next)
			next = d - now;
	}
	t->timers_done_ns = now;
	if (due)
		serve_readers(t);
	if (t->nwriters && !t->ld.stopped) {
		write_chunk(t);
		if (t->nwriters)
			next = 0; /* more to send after a look at the port */
	}
	if (t->session) {
		uint64_t d = t->session_check_ns > now
				     ? t->session_check_ns - now
				     : 0;

		if (d < next)
			next = d;
	}
	return next;
}
