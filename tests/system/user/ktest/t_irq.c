/*
 * Tests of interrupts delivered to user space and of I/O port grants:
 * ISA IRQ 4 (COM1) bound to a notification with the root IRQ handle, the
 * UART programmed through an ioport grant to raise its "transmitter
 * empty" interrupt, the bit arriving, irq_ack re-arming the line; and the
 * argument checks of irq_bind, irq_ack and ioport_create.
 *
 * COM1 is also the kernel's log console: we never write a data byte to it,
 * only IER and MCR, and put both back as they were.
 */
#include "ktest.h"

#define COM1		0x3f8
#define UART_IER	1
#define UART_IIR	2
#define UART_LCR	3
#define UART_MCR	4
#define IER_THRE	0x02
#define LCR_DLAB	0x80
#define MCR_OUT2	0x08
#define COM1_IRQ	4
#define IRQ_BIT		5

static uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* A new rising edge on the line: THRE interrupt off, then on again. */
static void uart_edge(uint8_t ier)
{
	outb(COM1 + UART_IER, ier & ~IER_THRE);
	inb(COM1 + UART_IIR);
	outb(COM1 + UART_IER, ier | IER_THRE);
}

/* Waits for IRQ_BIT; 0, -ETIMEDOUT, or -EIO if other bits came. */
static int wait_bit(handle_t n, uint64_t timeout)
{
	uint64_t bits = 0;
	int err = sys_notify_wait(n, timeout, &bits);

	if (err)
		return err;
	return bits == (1ull << IRQ_BIT) ? 0 : -EIO;
}

static void test_serial_irq(void)
{
	handle_t n = sys_notify_create(), io, irq;
	uint64_t bits = 0;
	uint8_t ier, mcr;

	REQUIRE_OK(n);
	io = sys_ioport_create(H_IOPORT_ROOT, COM1, 8);
	REQUIRE_OK(io);
	irq = sys_irq_bind(H_IRQ_ROOT, COM1_IRQ, n, IRQ_BIT);
	REQUIRE_OK(irq);
	/* a line binds once */
	CHECK_EQ(sys_irq_bind(H_IRQ_ROOT, COM1_IRQ, n, IRQ_BIT + 1), -EBUSY);
	REQUIRE_EQ(inb(COM1 + UART_LCR) & LCR_DLAB, 0);
	ier = inb(COM1 + UART_IER) & ~IER_THRE;
	mcr = inb(COM1 + UART_MCR);
	sys_notify_wait(n, 0, &bits);	/* drop anything stale */

	/* from here on no REQUIRE: the UART must be put back */
	outb(COM1 + UART_MCR, mcr | MCR_OUT2);
	outb(COM1 + UART_IER, ier | IER_THRE);
	CHECK_EQ(wait_bit(n, 5 * SEC), 0);

	/* the line is masked now: an edge waits for irq_ack */
	uart_edge(ier);
	CHECK_EQ(wait_bit(n, 50 * MS), -ETIMEDOUT);
	CHECK_EQ(sys_irq_ack(irq), 0);
	CHECK_EQ(wait_bit(n, 5 * SEC), 0);

	/* acknowledged: the line fires again */
	CHECK_EQ(sys_irq_ack(irq), 0);
	uart_edge(ier);
	CHECK_EQ(wait_bit(n, 5 * SEC), 0);
	CHECK_EQ(sys_irq_ack(irq), 0);

	outb(COM1 + UART_IER, ier);
	inb(COM1 + UART_IIR);		/* clears a pending THRE */
	outb(COM1 + UART_MCR, mcr);
	CHECK_EQ(inb(COM1 + UART_IER), ier);

	CHECK_EQ(sys_handle_close(irq), 0);
	/* unbound: the line can be bound again */
	irq = sys_irq_bind(H_IRQ_ROOT, COM1_IRQ, n, IRQ_BIT);
	CHECK_OK(irq);
	if (irq >= 0)
		sys_handle_close(irq);
	sys_handle_close(io);
	sys_handle_close(n);
}

static void test_irq_bad_args(void)
{
	handle_t n = sys_notify_create(), nr, root_ro, irq;
	struct handle_info info;

	REQUIRE_OK(n);
	nr = sys_handle_dup(n, RIGHT_READ);
	REQUIRE_OK(nr);
	CHECK_EQ(sys_handle_info(H_IRQ_ROOT, &info), 0);
	CHECK(info.rights & RIGHT_DUP);
	root_ro = sys_handle_dup(H_IRQ_ROOT, info.rights & ~RIGHT_MANAGE);
	CHECK_OK(root_ro);
	CHECK_EQ(sys_irq_bind(root_ro, COM1_IRQ, n, 0), -EPERM);
	CHECK_EQ(sys_irq_bind(H_IRQ_ROOT, COM1_IRQ, nr, 0), -EPERM);
	CHECK_EQ(sys_irq_bind(H_IRQ_ROOT, IRQ_LINE_COUNT, n, 0), -EINVAL);
	CHECK_EQ(sys_irq_bind(H_IRQ_ROOT, 100000, n, 0), -EINVAL);
	CHECK_EQ(sys_irq_bind(H_IRQ_ROOT, 0xffffffffu, n, 0), -EINVAL);
	CHECK_EQ(sys_irq_bind(H_IRQ_ROOT, COM1_IRQ, n, 64), -EINVAL);
	CHECK_EQ(sys_irq_bind(H_IRQ_ROOT, COM1_IRQ, n, 0xffffffffu), -EINVAL);
	/* a bound line is not a root */
	irq = sys_irq_bind(H_IRQ_ROOT, 3, n, 0);
	CHECK_OK(irq);
	if (irq >= 0) {
		CHECK_EQ(sys_irq_bind(irq, COM1_IRQ, n, 0), -EPERM);
		sys_handle_close(irq);
	}
	CHECK(sys_irq_ack(H_IRQ_ROOT) < 0);
	sys_handle_close(root_ro);
	sys_handle_close(nr);
	sys_handle_close(n);
}

static void test_ioport_bad_args(void)
{
	handle_t io, sub, ro;
	struct handle_info info;

	CHECK_EQ(sys_ioport_create(H_IOPORT_ROOT, 0x80, 0), -EINVAL);
	CHECK_EQ(sys_ioport_create(H_IOPORT_ROOT, 0xffff, 2), -EINVAL);
	CHECK_EQ(sys_ioport_create(H_IOPORT_ROOT, 0x10000, 1), -EINVAL);
	CHECK_EQ(sys_ioport_create(H_IOPORT_ROOT, 0, 0x10001), -EINVAL);
	CHECK_EQ(sys_ioport_create(H_IOPORT_ROOT, 0xffffffffu, 2), -EINVAL);
	CHECK_EQ(sys_handle_info(H_IOPORT_ROOT, &info), 0);
	ro = sys_handle_dup(H_IOPORT_ROOT, info.rights & ~RIGHT_MANAGE);
	CHECK_OK(ro);
	CHECK_EQ(sys_ioport_create(ro, 0x80, 1), -EPERM);
	sys_handle_close(ro);
	/* a derived range gives no more than it has */
	io = sys_ioport_create(H_IOPORT_ROOT, 0x70, 0x10);
	REQUIRE_OK(io);
	CHECK(sys_ioport_create(io, 0x60, 0x20) < 0);
	CHECK(sys_ioport_create(io, 0x7f, 2) < 0);
	sub = sys_ioport_create(io, 0x78, 8);
	if (sub >= 0)
		sys_handle_close(sub);
	/* Bug: a base above the parent's end wrapped the range check. */
	CHECK_EQ(sys_ioport_create(io, 0xcf8, 8), -EINVAL);
	CHECK_EQ(sys_ioport_create(io, 0x80, 1), -EINVAL);
	CHECK_EQ(sys_ioport_create(io, 0x10000, 0x100000), -EINVAL);
	CHECK_EQ(sys_ioport_create(io, 0x70, 0x11), -EINVAL);
	sys_handle_close(io);
}

const struct kt_case kt_irq_cases[] = {
	{ "serial IRQ 4 delivered to a user handler", test_serial_irq, 0 },
	{ "irq_bind and irq_ack bad arguments", test_irq_bad_args, 0 },
	{ "ioport_create bad arguments", test_ioport_bad_args, 0 },
	{ NULL, NULL, 0 },
};
