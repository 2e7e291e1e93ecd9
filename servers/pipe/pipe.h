/*
 * pipe: the server of the scheme pipe:, anonymous pipes
 * (docs/servers.md).  Declarations shared by its files:
 *
 *   main.c   start-up (register pipe:), the receive loop, replies
 *   pipe.c   the pipes: PIPE_CREATE, the file protocol on the two ends,
 *            parked readers and writers, CLOSE
 *   ring.c   a pipe's bytes: a ring of 4 KiB chunks taken as needed
 *            (ring.h, pure C)
 *
 * Built with newlib, for malloc (ring chunks); it logs to the kernel log
 * ("pipe: ...") and never uses stdio, whose handles may be anything.
 */
#ifndef SERVERS_PIPE_PIPE_H
#define SERVERS_PIPE_PIPE_H

#include <stdbool.h>
#include <string.h>
#include <valence.h>
#include <valence/proto.h>
#include "ring.h"

#define PIPES_MAX	128  /* pipes alive at once, all clients: -ENFILE */
#define PIPES_PER_PROC	64   /* pipes one process made and are alive: -EMFILE */
#define WAITERS_MAX	1024 /* parked reads and writes, all pipes together */
#define PIPE_BUF_ATOMIC 4096 /* writes up to this size are never split */

/*
 * Badges.  The root is 0.  An end is (generation << 32) | (index + 1) << 1
 * | end, so that a call on an end of a pipe freed since (its slot maybe
 * reused) is told apart and answered -EBADF.
 */
#define BADGE_ROOT 0
#define END_READ   0
#define END_WRITE  1

/* ---- main.c ---- */

/* The port every connection of the server leads to. */
extern handle_t pipe_port;

/*
 * Answers call `rid` with `status` and no message.  The reply may be held
 * back and sent with the next receive (ipc_reply_recv); a caller that has
 * gone away is no error.
 */
void pipe_reply(uint64_t rid, long status);

/* Writes a line to the kernel log: "pipe: " and the formatted text. */
void pipe_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- pipe.c ---- */

/* Sets up the tables; call once before anything else here. */
void pipe_init(void);

/*
 * Answers (or parks) the call in *in, which is not a CLOSE.  Handles the
 * caller moved have been closed already.  Every reply goes through
 * pipe_reply(), but PIPE_CREATE's, which moves two handles.
 */
void pipe_request(const struct ipc_received *in);

/*
 * Whether the answer to *in depends on CLOSE notices that may still be
 * queued behind it: the kernel hands out queued calls before CLOSEs, so a
 * write that comes after the reader's close() would reach the server
 * first.  The loop then takes every message already waiting before it
 * answers (main.c).
 */
bool pipe_needs_sync(const struct ipc_received *in);

/* The kernel's CLOSE for `badge`: the last handle to an end is gone. */
void pipe_closed(uint64_t badge);

#endif
