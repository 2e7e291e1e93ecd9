/*
 * tty: the terminal server, scheme tty: (docs/servers.md, "tty").
 * Declarations shared by its files:
 *
 *   main.c   start-up (the devices, register tty:), the reader threads,
 *            the receive loop and its timers
 *   file.c   open files: FS_OPEN on the root, the file protocol's
 *            bookkeeping (FS_STAT, FS_SETFL, ...), CLOSE
 *   tty.c    a terminal: reads (VMIN, VTIME, parked readers), writes
 *            (output processing, ^S), job control, the TTY_* messages
 *   ldisc.c  the line discipline, pure C (ldisc.h)
 *
 * Built with newlib (vsnprintf for the log, <signal.h>); it logs to the
 * kernel log ("tty: ...") and never uses stdio, whose handles may be
 * anything.  Everything runs on the main thread but the reading of the
 * devices: each device has a thread parked in FS_READ on it, which hands
 * the bytes to the main thread with a call on the server's own port.
 */
#ifndef SERVERS_TTY_TTY_H
#define SERVERS_TTY_TTY_H

#include <stdbool.h>
#include <string.h>
#include <valence.h>
#include <valence/proto.h>
#include "ldisc.h"

#define TTY_UNITS_MAX	 4   /* terminals: tty:0 .. tty:3 */
#define TTY_DEVICE_MAX	 63  /* a device path, "serial:0" */
#define TTY_FILES_MAX	 64  /* open files, all terminals: -ENFILE */
#define TTY_WAITERS_MAX	 64  /* parked reads, and writes, per terminal */
#define TTY_CHUNK	 512 /* bytes of a write handled at a time */
#define TTY_SESSION_POLL 1000000000ull /* ns between session leader checks */

/* What a handler returns when it answered (or parked) the call itself. */
#define TTY_NO_REPLY (-0x7fffffffL - 1)

/*
 * Badges.  The root is 0; an open file is (generation << 32) | (slot +
 * 1); the reader threads' connections have bit 63 and the unit.
 */
#define BADGE_ROOT     0
#define BADGE_INTERNAL (1ull << 63)

/* The reader threads' messages to the main thread (badge BADGE_INTERNAL). */
#define TTY_INT_INPUT 0x7f00 /* send: bytes read from the device */
#define TTY_INT_DEVICE                                                         \
	0x7f01 /* handles[0]: the device, opened again;                        \
		  w[0]: the error that ended the old one */

/* A call parked until it can be answered: a read, or a write. */
struct tty_waiter {
	uint64_t rid;
	uint64_t badge; /* the open file it came through */
	uint32_t pid;	/* the caller, for job control */
	bool nonblock;
	uint64_t len;  /* bytes asked for, or offered */
	uint64_t done; /* a write: bytes of it already out */
	uint64_t start_ns;
};

struct tty {
	uint32_t unit;
	char device[TTY_DEVICE_MAX + 1]; /* what it reads and writes */
	handle_t dev;			 /* the device, for output; -1: none */
	bool dev_failed;		 /* an output error was logged */
	struct ldisc ld;
	struct vwinsize ws;
	uint32_t session; /* the session it is the controlling terminal of */
	uint32_t pgrp;	  /* its foreground process group */
	uint64_t session_check_ns; /* when to see whether the leader lives */
	uint64_t last_input_ns;	   /* when the last byte came (VTIME) */
	uint64_t timers_done_ns;   /* deadlines up to here were served */
	uint64_t dropped_reported; /* ld.dropped already logged */

	struct tty_waiter readers[TTY_WAITERS_MAX]; /* oldest first */
	uint32_t nreaders;
	struct tty_waiter writers[TTY_WAITERS_MAX]; /* going out in order */
	uint32_t nwriters;
	struct tty_waiter held[TTY_WAITERS_MAX]; /* background, TOSTOP */
	uint32_t nheld;
};

/* An open file: a terminal and the flags of this open. */
struct tty_file {
	bool used;
	uint32_t gen;
	uint32_t unit;
	uint32_t flags; /* access mode, VO_NONBLOCK, VO_APPEND */
};

/* ---- main.c ---- */

extern handle_t tty_port;

/* Writes a line to the kernel log: "tty: " and the formatted text. */
void tty_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- tty.c ---- */

extern struct tty *ttys[TTY_UNITS_MAX]; /* [0, tty_count) */
extern uint32_t tty_count;

/* Makes terminal `unit` (ttys[unit]) on the device `path`, whose output
   goes to `dev`.  Returns 0 or -ENOMEM. */
int tty_create(uint32_t unit, const char *path, handle_t dev);

/* Bytes from the device. */
void tty_input(struct tty *t, const uint8_t *bytes, size_t n);

/* The device was opened again (the old one failed with `err`). */
void tty_device(struct tty *t, handle_t dev, long err);

/*
 * The file protocol's reads and writes, and the TTY_* messages, on open
 * file f.  Return the status to reply with, or TTY_NO_REPLY when the call
 * was answered or parked.
 */
long tty_read(struct tty *t, const struct tty_file *f,
	      const struct ipc_received *in);
long tty_write(struct tty *t, const struct tty_file *f,
	       const struct ipc_received *in);
long tty_control(struct tty *t, const struct ipc_received *in);

/* Answers the calls parked through open file `badge`, which was closed. */
void tty_file_closed(struct tty *t, uint64_t badge);

/*
 * The work between messages: timers that are due (VTIME, the session
 * leader check) and one chunk of waiting output.  Returns how long the
 * loop may wait for the next message: 0 while output waits, IPC_FOREVER
 * when nothing is timed.
 */
uint64_t tty_work(struct tty *t);

/* ---- file.c ---- */

/* Answers a call on the root (badge 0). */
long file_root(const struct ipc_received *in);

/* Answers a call on an open file. */
long file_request(const struct ipc_received *in);

/* The kernel's CLOSE of an open file's last handle. */
void file_closed(uint64_t badge);

#endif
