/*
 * libdriver: what every driver does the same way, so that a driver is its
 * device code plus a struct of callbacks (docs/drivers.md):
 *
 *   - the start-up handles init hands over from the driver's services
 *     line, checked and named (driver_init);
 *   - I/O port access (inb/outb ... below);
 *   - registering its scheme with ns: (driver_register);
 *   - the loop (driver_serve): calls on the driver's port go to
 *     ops->request, CLOSE notices to ops->close, and each interrupt to
 *     ops->interrupt, all on the one main thread, so a driver needs no
 *     locks.  A helper thread per interrupt line waits on its
 *     notification and turns each interrupt into a call on the port;
 *     the loop acknowledges the line (irq_ack) once ops->interrupt has
 *     quieted the device.
 *
 * Character devices get the file protocol on top of this from
 * chardev.h.  Messages name the driver: "serial: ...".
 */
#ifndef DRIVERS_LIB_DRIVER_H
#define DRIVERS_LIB_DRIVER_H

#include <stdbool.h>
#include <valence.h>
#include <valence/proto.h>

#define DRIVER_MAX_IOPORTS 8 /* as many as a services line may grant */
#define DRIVER_MAX_IRQS	   8
#define DRIVER_MAX_PHYS	   8

/*
 * Badges with this bit set belong to libdriver (the interrupt threads'
 * connections); a driver's own badges must leave it clear.
 */
#define DRIVER_BADGE_LIB (1ull << 63)

/* A handler's return value: "I replied (or parked the call) myself". */
#define DRIVER_ANSWERED INT64_MIN

struct driver {
	const char *name; /* for messages, "serial" */
	handle_t port;	  /* where the driver's calls arrive */
	/* From the services line, in its order (docs/services.md). */
	uint32_t nioports, nirqs, nphys;
	handle_t ioport[DRIVER_MAX_IOPORTS];  /* one per ioport= */
	handle_t irq_notify[DRIVER_MAX_IRQS]; /* one pair per irq= */
	handle_t irq[DRIVER_MAX_IRQS];
	handle_t phys[DRIVER_MAX_PHYS]; /* one per phys= */
};

struct driver_ops {
	/*
	 * A call from a client.  Returns the status to reply with, or
	 * DRIVER_ANSWERED when the handler replied itself or kept the
	 * reply id to answer later.  Handles the client moved with the
	 * call are closed before this runs.
	 */
	long (*request)(struct driver *d, const struct ipc_received *r);
	/* The last handle to the connection with this badge was closed. */
	void (*close)(struct driver *d, uint64_t badge);
	/*
	 * Interrupt line `index` (the index-th irq= of the services line)
	 * fired: handle the device until it no longer asserts the line.
	 * The loop calls irq_ack after this returns.
	 */
	void (*interrupt)(struct driver *d, uint32_t index);
};

/*
 * Takes the handles init passed after PROC_H_NS: `nioports` I/O port
 * ranges, then `nirqs` (notification, irq) pairs, then `nphys` memory
 * objects, as the driver's services line grants them, checks each one's
 * type, and makes the driver's port.  Returns 0, or -EINVAL (with a
 * message saying which handle is wrong) or another -errno.
 */
int driver_init(struct driver *d, const char *name, uint32_t nioports,
		uint32_t nirqs, uint32_t nphys);

/*
 * Registers `scheme` with ns:, giving it a connection with badge 0 to
 * the driver's port (the scheme's root).  Returns ns's status: 0,
 * -EACCES (the line has no register= for it), -EEXIST, ...
 */
long driver_register(struct driver *d, const char *scheme);

/* The loop; never returns. */
__attribute__((noreturn)) void driver_serve(struct driver *d,
					    const struct driver_ops *ops);

/*
 * Handles the messages already waiting on the port, without blocking (at
 * most 64), then returns; from inside a handler, for a table that is full
 * now but may be freed by CLOSE notices still queued (the kernel delivers
 * a port's calls before its CLOSEs).  Does nothing when called from
 * inside itself or before driver_serve.
 */
void driver_drain(struct driver *d);

/* ---- I/O ports: allowed only inside the driver's ioport= ranges ---- */

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

#endif
