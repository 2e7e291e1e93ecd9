/*
 * The process calls newlib needs: exit, pid, the heap, time.  fork, exec,
 * wait and kill are in unix.c, signals in signal.c, fcntl in fcntl.c.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include "posix.h"

/* ---- exit and pid ---- */

void _exit(int status)
{
	sys_proc_exit(status & 0xff);
}

pid_t getpid(void)
{
	return (pid_t)valence_pid;
}

/* ---- the heap ---- */

/*
 * The break lives in [HEAP_BASE, HEAP_END): below where vm_map(0, ...)
 * places mappings, far above the program.  It grows by mapping fresh
 * memory objects of HEAP_CHUNK each at the end of what is mapped, and a
 * shrink unmaps the whole chunks above the new break.  Only whole chunks:
 * a memory object lives while any page of it is mapped, so unmapping part
 * of one would hold the rest of its memory until the process ends.
 */
#define HEAP_BASE  0x010000000000ull
#define HEAP_END   0x100000000000ull
#define HEAP_CHUNK (256u << 10)

static uint64_t brk_now = HEAP_BASE, mapped_end = HEAP_BASE;

/* Maps chunks until new_brk (<= HEAP_END) is covered: 0 or -errno. */
static int heap_grow(uint64_t new_brk)
{
	while (mapped_end < new_brk) {
		handle_t mem = sys_mem_create(HEAP_CHUNK, 0);
		long va;

		if (mem < 0)
			return mem;
		va = sys_vm_map(mem, mapped_end, 0, HEAP_CHUNK,
				VM_READ | VM_WRITE);
		sys_handle_close(mem); /* the mapping keeps the memory */
		if (va < 0)
			return (int)va;
		mapped_end += HEAP_CHUNK;
	}
	return 0;
}

void *sbrk(ptrdiff_t incr)
{
	uint64_t old = brk_now, new_brk = brk_now + (uint64_t)incr;
	uint64_t keep;
	int err;

	if ((incr > 0 && (uint64_t)incr > HEAP_END - brk_now) ||
	    (incr < 0 && (uint64_t)-incr > brk_now - HEAP_BASE)) {
		__posix_ret(-ENOMEM);
		return (void *)-1;
	}
	if (new_brk > mapped_end) {
		err = heap_grow(new_brk);
		if (err) {
			__posix_ret(-ENOMEM);
			return (void *)-1;
		}
	}
	keep = (new_brk + HEAP_CHUNK - 1) & ~(uint64_t)(HEAP_CHUNK - 1);
	if (keep < mapped_end && sys_vm_unmap(keep, mapped_end - keep) == 0)
		mapped_end = keep;
	brk_now = new_brk;
	return (void *)old;
}

/* ---- time ---- */

/*
 * There is no wall clock yet (no RTC driver): the time of day is the time
 * since boot, so differences are right and dates start at 1970.
 */
int gettimeofday(struct timeval *tv, void *tz)
{
	uint64_t ns = sys_clock_get();

	(void)tz;
	if (tv) {
		tv->tv_sec = (time_t)(ns / 1000000000);
		tv->tv_usec = (suseconds_t)(ns % 1000000000 / 1000);
	}
	return 0;
}

static uint64_t start_ns;

__attribute__((constructor)) static void note_start(void)
{
	start_ns = sys_clock_get();
}

/*
 * Clock ticks (CLK_TCK a second) since boot.  The kernel does not count
 * CPU time per process yet, so the user time is the time since the
 * process started and the system time 0; clock() is built on this.
 */
clock_t times(struct tms *t)
{
	uint64_t now = sys_clock_get();
	uint64_t tick_ns = 1000000000 / CLK_TCK;

	if (t) {
		t->tms_utime = (clock_t)((now - start_ns) / tick_ns);
		t->tms_stime = 0;
		t->tms_cutime = 0;
		t->tms_cstime = 0;
	}
	return (clock_t)(now / tick_ns);
}

/* CLOCK_MONOTONIC counts from boot; so does CLOCK_REALTIME, for now. */
int clock_gettime(clockid_t id, struct timespec *ts)
{
	uint64_t ns = sys_clock_get();

	if (id != CLOCK_MONOTONIC && id != CLOCK_REALTIME)
		return (int)__posix_ret(-EINVAL);
	if (!ts)
		return (int)__posix_ret(-EFAULT);
	ts->tv_sec = (time_t)(ns / 1000000000);
	ts->tv_nsec = (long)(ns % 1000000000);
	return 0;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!req)
		return (int)__posix_ret(-EFAULT);
	if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1000000000)
		return (int)__posix_ret(-EINVAL);
	uint64_t ns, start, spent;
	int r;

	ns = (uint64_t)req->tv_sec >= UINT64_MAX / 1000000000 - 1
		     ? UINT64_MAX
		     : (uint64_t)req->tv_sec * 1000000000 +
			       (uint64_t)req->tv_nsec;
	start = sys_clock_get();
	r = sys_sleep(ns);
	if (r == -EINTR && rem) { /* a signal handler ran: what is left */
		uint64_t left;

		spent = sys_clock_get() - start;
		left = spent >= ns ? 0 : ns - spent;
		rem->tv_sec = (time_t)(left / 1000000000);
		rem->tv_nsec = (long)(left % 1000000000);
	}
	return (int)__posix_ret(r);
}

unsigned sleep(unsigned seconds)
{
	struct timespec ts = { .tv_sec = seconds, .tv_nsec = 0 }, rem = { 0 };

	if (nanosleep(&ts, &rem) == 0)
		return 0;
	return (unsigned)rem.tv_sec + (rem.tv_nsec > 0); /* interrupted */
}

int usleep(useconds_t us)
{
	struct timespec ts = { .tv_sec = us / 1000000,
			       .tv_nsec = (long)(us % 1000000) * 1000 };

	return nanosleep(&ts, NULL);
}

/* ---- memory ---- */

/* newlib has memalign but not the POSIX name. */
int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = memalign(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

/* ---- randomness ---- */

/* Up to 256 bytes from rand: (servers/misc), as OpenBSD's getentropy. */
int getentropy(void *buf, size_t len)
{
	handle_t fd;
	long n = 0, r = 0;

	if (len > 256)
		return (int)__posix_ret(-EIO);
	fd = scheme_open("rand:", VO_RDONLY, 0, NULL);
	if (fd < 0)
		return (int)__posix_ret(-EIO);
	while ((size_t)n < len) {
		r = file_read(fd, (char *)buf + n, len - (size_t)n);
		if (r <= 0)
			break;
		n += r;
	}
	sys_handle_close(fd);
	return (size_t)n == len ? 0 : (int)__posix_ret(-EIO);
}

POSIX_ALIAS(getpid);
POSIX_ALIAS(sbrk);
POSIX_ALIAS(gettimeofday);
POSIX_ALIAS(times);
