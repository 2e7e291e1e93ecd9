/*
 * The receive loop of a file server (initfs, tmpfs): each server's
 * file.c provides file_request, file_close and file_can_open below, and
 * its main.c calls fsloop_serve with its port.  Both files of a server
 * compile this source into it (servers/<name>/prog.mk).
 */
#ifndef SERVERS_LIB_FSLOOP_H
#define SERVERS_LIB_FSLOOP_H

#include <stdbool.h>
#include <valence.h>

/* One call being answered. */
struct request {
	struct ipc_received in;
	struct ipc_msg out; /* the reply's words and handles */
	uint64_t opened;    /* FS_OPEN: the new open file's badge */
};

/*
 * Provided by the server.  file_request answers the call in r->in (not a
 * CLOSE): fills r->out and returns the reply's status; when
 * r->out.nhandles is 1, handles[0] is a connection for a new open file
 * whose badge is r->opened, and if the reply fails the loop closes it
 * and calls file_close(r->opened).  file_close frees the open file of a
 * badge (CLOSE); file_can_open says whether an open file record is free.
 */
long file_request(struct request *r);
void file_close(uint64_t badge);
bool file_can_open(void);

/* The port every connection of the server leads to (fsloop_serve's). */
extern handle_t fsloop_port;

/*
 * Serves, without waiting, the messages already queued on the port,
 * until an open-file record is free or none are left.  Used when FS_OPEN
 * finds every record taken: the CLOSE a client sent before its call
 * reaches the server only after the calls queued behind it.  Does
 * nothing when called again from a message it serves.
 */
void fsloop_drain(void);

/*
 * Answers calls on `port` forever.  A reply without handles goes out
 * with the next receive (ipc_reply_recv); one that moves a connection is
 * sent alone, so that a failure is known to be the reply's and the
 * connection can be closed.  `name` starts its messages.
 */
__attribute__((noreturn)) void fsloop_serve(const char *name, handle_t port);

#endif
