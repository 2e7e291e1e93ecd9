/*
 * serial: the driver of the PC's first serial port, a 16550 UART at
 * 0x3f8 on IRQ 4 (COM1), serving serial:0 (docs/drivers.md, "serial").
 *
 * Its services line grants exactly `ioport=0x3f8-0x3ff irq=4`, which
 * arrive as handles 4 (the ports) and 5, 6 (notification, irq).
 *
 * The kernel writes its own log to the same UART by polling, so the
 * driver leaves the line as the kernel set it up (speed, 8N1, FIFOs) and
 * only turns on the receive interrupts (IER) and OUT2 (MCR), which
 * connects the UART's interrupt to the PIC/IOAPIC.  It transmits by
 * polling too; output of the two can interleave, byte by byte.
 *
 * Received bytes go to chardev (drivers/lib/chardev.h), which keeps them
 * for readers: a 4 KiB ring, with what does not fit dropped and counted.
 */
#include "chardev.h"

/* The UART's registers, from its base port. */
#define UART_BASE 0x3f8
#define UART_RBR  0 /* receive buffer (read) */
#define UART_THR  0 /* transmit holding (write) */
#define UART_IER  1 /* interrupt enable */
#define UART_IIR  2 /* interrupt identification (read) */
#define UART_LCR  3 /* line control */
#define UART_MCR  4 /* modem control */
#define UART_LSR  5 /* line status */
#define UART_MSR  6 /* modem status */
#define UART_SCR  7 /* scratch */

#define IER_RX_DATA   0x01 /* received data available (and FIFO timeout) */
#define IER_RX_STATUS 0x04 /* receiver line status: errors, break */
#define IIR_NONE      0x01 /* no interrupt pending */
#define IIR_ID	      0x0e
#define IIR_MODEM     0x00
#define IIR_STATUS    0x06
#define LCR_DLAB      0x80
#define MCR_OUT2      0x08
#define LSR_DATA      0x01
#define LSR_ERRORS    0x1e /* overrun, parity, framing, break */
#define LSR_THR_EMPTY 0x20

#define TX_SPINS   1000000 /* polls of LSR before a byte is given up */
#define IRQ_ROUNDS 64	   /* bounded: a broken UART cannot hang us */
#define RX_BATCH   64
#define RX_MAX	   4096 /* bytes one uart_receive takes at most */

static uint32_t rx_errors; /* line status errors seen */

/* Counts a receive error; logs the 1st, 2nd, 4th, 8th, ... */
static void rx_error(uint8_t lsr)
{
	rx_errors++;
	if ((rx_errors & (rx_errors - 1)) == 0)
		printf("serial: receive error (LSR 0x%x): %u so far\n", lsr,
		       rx_errors);
}

static uint8_t uart_in(uint16_t reg)
{
	return inb(UART_BASE + reg);
}

static void uart_out(uint16_t reg, uint8_t v)
{
	outb(UART_BASE + reg, v);
}

/* A UART is there when its scratch register keeps what is written. */
static bool uart_present(void)
{
	uint8_t old = uart_in(UART_SCR);
	bool ok;

	uart_out(UART_SCR, 0x5a);
	ok = uart_in(UART_SCR) == 0x5a;
	uart_out(UART_SCR, 0xa5);
	ok = ok && uart_in(UART_SCR) == 0xa5;
	uart_out(UART_SCR, old);
	return ok;
}

/* Moves what the receiver holds into unit 0's ring (bounded). */
static void uart_receive(void)
{
	uint8_t buf[RX_BATCH];
	size_t n = 0;
	uint8_t lsr;

	for (int i = 0; i < RX_MAX && ((lsr = uart_in(UART_LSR)) & LSR_DATA);
	     i++) {
		if (lsr & LSR_ERRORS)
			rx_error(lsr);
		buf[n++] = uart_in(UART_RBR);
		if (n == sizeof(buf)) {
			chardev_input(0, buf, n);
			n = 0;
		}
	}
	if (n)
		chardev_input(0, buf, n);
}

/* driver_ops.interrupt: serve the UART until it stops asking. */
static void uart_interrupt(struct driver *d, uint32_t index)
{
	for (int i = 0; i < IRQ_ROUNDS; i++) {
		uint8_t iir = uart_in(UART_IIR), lsr;

		if (iir & IIR_NONE)
			break;
		if ((iir & IIR_ID) == IIR_STATUS) {
			lsr = uart_in(UART_LSR); /* reading it clears it */
			if (lsr & LSR_ERRORS)
				rx_error(lsr);
		} else if ((iir & IIR_ID) == IIR_MODEM) {
			uart_in(UART_MSR);
		}
		/* received data and FIFO timeouts; reading IIR cleared THRE */
		uart_receive();
	}
}

/* chardev_ops.write: poll the transmitter, byte by byte. */
static long uart_write(uint32_t unit, const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t spins = 0;
		uint8_t lsr;

		while (!((lsr = uart_in(UART_LSR)) & LSR_THR_EMPTY)) {
			if (lsr & LSR_DATA)
				uart_receive(); /* do not lose input meanwhile
						 */
			if (++spins == TX_SPINS)
				return i ? (long)i : -EIO;
		}
		uart_out(UART_THR, buf[i]);
	}
	return (long)n;
}

/* Receive interrupts on, OUT2 on; speed and framing stay the kernel's. */
static void uart_start(void)
{
	uart_out(UART_MCR, uart_in(UART_MCR) | MCR_OUT2);
	uart_out(UART_IER, IER_RX_DATA | IER_RX_STATUS);
	/* Take what came before, so the line drops and can rise again. */
	uart_interrupt(NULL, 0);
}

static const struct chardev_ops serial_dev = {
	.units = 1,
	.write = uart_write,
};

static const struct driver_ops serial_ops = {
	.request = chardev_request,
	.close = chardev_close,
	.interrupt = uart_interrupt,
};

int main(int argc, char **argv)
{
	static struct driver d;
	long err;

	err = driver_init(&d, "serial", 1, 1, 0);
	if (err < 0)
		return 1;
	if (!uart_present()) {
		printf("serial: no UART at 0x%x\n", UART_BASE);
		return 0; /* nothing to drive: do not ask for a restart */
	}
	if (uart_in(UART_LCR) & LCR_DLAB) {
		printf("serial: the UART is not set up (DLAB on)\n");
		return 0;
	}
	if (chardev_init(&d, &serial_dev) < 0)
		return 1;
	uart_start();
	err = driver_register(&d, "serial");
	if (err < 0) {
		printf("serial: cannot register serial: error %ld\n", err);
		return 1;
	}
	driver_serve(&d, &serial_ops);
}
