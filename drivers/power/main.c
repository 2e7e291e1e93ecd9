/*
 * power: reboots and powers the machine off, serving `power:` (see
 * docs/drivers.md).  Open "" for writing and write "reboot" or
 * "poweroff" (a newline after it is fine): `echo poweroff > power:`.
 *
 * Its services line grants these I/O ports, in this order:
 *
 *   0x604-0x605    the ACPI PM1a control block of QEMU's q35 and pc
 *   0xb004-0xb005  the same on Bochs and old QEMU
 *   0x64           the keyboard controller (pulse the reset line)
 *   0xcf9          the chipset's reset control register (Intel and AMD)
 *
 * Rebooting tries the reset register, then the keyboard controller.
 * Powering off writes SLP_EN with the sleep type QEMU and Bochs use for
 * S5; a real PC needs the sleep type from its ACPI tables' \_S5 object,
 * which is AML and not parsed yet: there the write does nothing and the
 * call fails with -EIO, the machine still running.
 */
#include "driver.h"

#define QEMU_PM1A_CNT  0x604
#define BOCHS_PM1A_CNT 0xb004
#define SLP_EN_S5      0x2000 /* SLP_EN, SLP_TYP 0: S5 on QEMU and Bochs */
#define KBC_STATUS     0x64
#define KBC_PULSE_RST  0xfe
#define KBC_INPUT_FULL 0x02
#define RESET_CONTROL  0xcf9
#define RESET_HARD     0x06 /* full reset, with the CPU reset bit */
#define SETTLE_NS      100000000ull

#define BADGE_FILE 1 /* an open power: file */

static long act(const char *word)
{
	if (strcmp(word, "reboot") == 0) {
		printf("power: rebooting\n");
		outb(RESET_CONTROL, 0x02);
		outb(RESET_CONTROL, RESET_HARD);
		sys_sleep(SETTLE_NS);
		for (int i = 0;
		     i < 100000 && (inb(KBC_STATUS) & KBC_INPUT_FULL); i++)
			;
		outb(KBC_STATUS, KBC_PULSE_RST);
		sys_sleep(SETTLE_NS);
		printf("power: the machine did not reset\n");
		return -EIO;
	}
	if (strcmp(word, "poweroff") == 0) {
		printf("power: powering off\n");
		outw(QEMU_PM1A_CNT, SLP_EN_S5);
		outw(BOCHS_PM1A_CNT, SLP_EN_S5);
		sys_sleep(SETTLE_NS);
		printf("power: the machine did not power off (no ACPI S5 "
		       "sleep type known for it)\n");
		return -EIO;
	}
	return -EINVAL;
}

/* FS_OPEN: replies itself, with a connection for the open file. */
static long open_file(struct driver *d, const struct ipc_received *r)
{
	struct ipc_msg m;
	handle_t conn = sys_conn_create(d->port, BADGE_FILE);

	if (conn < 0)
		return conn;
	memset(&m, 0, sizeof(m));
	m.nhandles = 1;
	m.handles[0] = conn;
	m.w[0] = VS_IFCHR;
	if (sys_ipc_reply(r->rid, 0, &m) < 0)
		sys_handle_close(conn); /* the caller has gone */
	return DRIVER_ANSWERED;
}

static long request(struct driver *d, const struct ipc_received *r)
{
	char word[16];
	long n;

	switch (r->msg.op) {
	case FS_OPEN:
		if (r->badge != 0)
			return -EBADF;
		if (r->send_len != 0 || (r->msg.w[0] & VO_ACCMODE) != VO_WRONLY)
			return r->send_len ? -ENOENT : -EACCES;
		return open_file(d, r);
	case FS_WRITE:
		if (r->badge != BADGE_FILE)
			return -EBADF;
		memset(word, 0, sizeof(word));
		n = sys_ipc_read(r->rid, 0, word, sizeof(word) - 1);
		if (n < 0)
			return n;
		while (n > 0 && (word[n - 1] == '\n' || word[n - 1] == ' '))
			word[--n] = '\0';
		n = act(word);
		return n < 0 ? n : (long)r->send_len;
	case FS_STAT:
	case FS_SEEK:
		return r->msg.op == FS_SEEK ? -ESPIPE : -ENOSYS;
	}
	return -ENOSYS;
}

static const struct driver_ops power_ops = { .request = request };

int main(void)
{
	static struct driver d;
	long err = driver_init(&d, "power", 4, 0, 0);

	if (err < 0)
		return 1;
	err = driver_register(&d, "power");
	if (err < 0) {
		printf("power: cannot register power: (%ld)\n", err);
		return 1;
	}
	driver_serve(&d, &power_ops);
}
