/* COM1 (0x3f8), polled: the kernel log's first and most reliable sink. */
#include "arch.h"
#include "x86.h"

#define COM1	      0x3f8
#define LSR_THR_EMPTY 0x20

static bool present;

void arch_serial_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB on */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1, DLAB off */
	outb(COM1 + 2, 0xc7); /* FIFOs on and cleared */
	outb(COM1 + 4, 0x1e); /* loopback, to check that a UART is there */
	outb(COM1 + 0, 0xa5);
	present = inb(COM1 + 0) == 0xa5;
	outb(COM1 + 4, 0x0f); /* normal operation */
}

static void put(char c)
{
	/* Bounded wait: a stuck UART must not hang the kernel. */
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & LSR_THR_EMPTY); i++)
		;
	outb(COM1, (uint8_t)c);
}

void arch_serial_write(const char *s, size_t n)
{
	if (!present)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}
