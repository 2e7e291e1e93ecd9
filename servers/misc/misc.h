/*
 * misc: the server of the schemes null:, zero: and rand: (docs/servers.md).
 * Declarations shared by its files:
 *
 *   main.c      start-up (seed, register the three schemes) and the loop
 *   device.c    the file protocol for the three devices
 *   entropy.c   seed material: RDSEED, RDRAND, or the TSC and the clock
 *   rng.c       the ChaCha20 generator of rand: (rng.h, pure C)
 *   chacha20.c  ChaCha20 itself, RFC 8439 (chacha20.h, pure C)
 */
#ifndef SERVERS_MISC_MISC_H
#define SERVERS_MISC_MISC_H

#include <stdbool.h>
#include <valence.h>
#include <valence/proto.h>
#include "rng.h"

/* The devices; a root connection's badge is its device number. */
#define MISC_NULL    1
#define MISC_ZERO    2
#define MISC_RAND    3
#define MISC_DEVICES 4 /* 1 + the last */

/*
 * Badges: bits 0-7 the device, bit 8 set for an open file (clear for the
 * scheme's root), bits 9-10 the open file's access mode (VO_RDONLY,
 * VO_WRONLY or VO_RDWR).  An open file has no other state, so the server
 * keeps none for it: CLOSE has nothing to free and there is no limit on
 * open files but the clients' handle tables.
 */
#define BADGE_DEVICE	  0xffu
#define BADGE_OPEN	  (1u << 8)
#define BADGE_MODE_SHIFT  9
#define BADGE_MODE(badge) (((badge) >> BADGE_MODE_SHIFT) & VO_ACCMODE)

#define MISC_IO_MAX (256u << 10) /* bytes one read or write moves, at most */
#define MISC_CHUNK  4096	 /* bytes copied to or from a caller at once */

/* ---- device.c ---- */

/* One call being answered. */
struct request {
	struct ipc_received in;
	struct ipc_msg out; /* the reply's words and handles */
};

/*
 * Answers the call in r->in (not a CLOSE): fills r->out and returns the
 * reply's status.  When r->out.nhandles is 1, handles[0] is a new
 * connection; if the reply cannot carry it the caller closes it.
 */
long device_request(struct request *r);

/* The scheme name of device dev ("null", ...), or NULL. */
const char *device_scheme(uint32_t dev);

/* The port every connection of the server leads to (main.c). */
extern handle_t misc_port;

/* ---- entropy.c ---- */

enum entropy_source {
	ENTROPY_RDSEED,
	ENTROPY_RDRAND,
	ENTROPY_TIMING, /* the weak fallback: TSC and clock readings */
};

#define ENTROPY_MAX 512 /* bytes entropy_gather may fill */

/*
 * Fills out[0, ENTROPY_MAX) with seed material from the best source the
 * CPU has (RDSEED, else RDRAND, else timing jitter) and returns how many
 * bytes it filled; *source says which source it was.
 */
size_t entropy_gather(uint8_t out[ENTROPY_MAX], enum entropy_source *source);

/* "RDSEED", "RDRAND" or "the TSC and clock (weak)". */
const char *entropy_source_name(enum entropy_source source);

/* ---- the generator of rand: (main.c) ---- */

extern struct rng misc_rng;

/* Reseeds misc_rng when rng_reseed_due says so. */
void misc_rng_maybe_reseed(void);

#endif
