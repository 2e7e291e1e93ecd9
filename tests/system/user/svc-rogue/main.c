/*
 * svc-rogue: a service that reaches for what its line does not grant
 * (the init test, tests/system/init_cases.py).  Its line in
 * etc/services.test grants the I/O port 0x80, IRQ 5 and the scheme
 * "rogue", so it starts with handles 4 = the port range, 5 = the
 * notification and 6 = the irq handle of line 5.
 *
 * At start it checks that everything beyond those is refused: deriving
 * other I/O ports or binding other lines through any handle it has,
 * registering other services' schemes or its own twice, looking up a
 * scheme not in its see=, stopping services without control=yes.  The
 * results go to its standard output and are counted; svc-client asks for
 * the counts (ROGUE_RESULTS), then asks it to touch a port it was not
 * granted with `in` (ROGUE_IN) or `out` (ROGUE_OUT), which must end it
 * with a fault that init logs before restarting it.
 */
#include "../svc.h"

#define H_IOPORT 4 /* 0x80 */
#define H_NOTIFY 5
#define H_IRQ	 6  /* line 5 */
#define H_SCAN	 16 /* handles tried as roots: every one it has and more */

#define PORT_GRANTED 0x80
#define PORT_OTHER   0x61 /* system control port B: harmless to read */
#define PORT_OTHER_W 0x87 /* a DMA page register: harmless either way */
#define LINE_OTHER   6

/* The type of the object handle h names, or -errno. */
static long type_of(handle_t h)
{
	struct handle_info hi;
	int err = sys_handle_info(h, &hi);

	return err < 0 ? err : (long)hi.type;
}

static void check_types(void)
{
	SVC_CHECK_EQ(type_of(H_IOPORT), OBJ_IOPORT,
		     "handle 4 is its I/O port range");
	SVC_CHECK_EQ(type_of(H_NOTIFY), OBJ_NOTIFY,
		     "handle 5 is its notification");
	SVC_CHECK_EQ(type_of(H_IRQ), OBJ_IRQ, "handle 6 is its irq handle");
}

/* No handle it holds derives a port range outside its grant. */
static void check_ioports(void)
{
	handle_t h, worst = -1;

	for (handle_t i = 0; i < H_SCAN; i++) {
		h = sys_ioport_create(i, PORT_OTHER, 1);
		if (h >= 0) {
			worst = i;
			sys_handle_close(h);
		}
	}
	SVC_CHECK_EQ(worst, -1,
		     "ioport_create of an ungranted port fails with every "
		     "handle");
	h = sys_ioport_create(H_IOPORT, PORT_GRANTED, 2);
	svc_check(h < 0, "its range cannot grow past its end", h);
	h = sys_ioport_create(H_IOPORT, PORT_GRANTED, 1);
	svc_check(h >= 0, "its range derives a range inside itself", h);
	if (h >= 0)
		sys_handle_close(h);
	__asm__ volatile("outb %0, %1"
			 :
			 : "a"((uint8_t)0), "Nd"((uint16_t)PORT_GRANTED));
	svc_check(true, "outb to its granted port works", 0);
}

/* No handle it holds binds another interrupt line. */
static void check_irqs(void)
{
	handle_t h, worst = -1;

	for (handle_t i = 0; i < H_SCAN; i++) {
		h = sys_irq_bind(i, LINE_OTHER, H_NOTIFY, 1);
		if (h >= 0) {
			worst = i;
			sys_handle_close(h);
		}
	}
	SVC_CHECK_EQ(worst, -1,
		     "irq_bind of an ungranted line fails with every handle");
	SVC_CHECK_EQ(sys_irq_ack(H_IRQ), 0, "irq_ack on its own line works");
}

/* ns: only what the line says. */
static void check_ns(handle_t port)
{
	static const char *const others[] = { "echo", "initfs", "null",
					      "client" };

	for (unsigned i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		handle_t root = sys_conn_create(port, 0);
		char what[64];

		ksnprintf(what, sizeof(what), "NS_REGISTER %s is -EACCES",
			  others[i]);
		SVC_CHECK_EQ(svc_ns(NS_REGISTER, others[i], root, 0), -EACCES,
			     what);
	}
	SVC_CHECK_EQ(svc_ns(NS_LOOKUP, "echo", -1, 0), -EACCES,
		     "NS_LOOKUP of a scheme not in see= is -EACCES");
	SVC_CHECK_EQ(svc_ns(NS_SVC_KILL, "echo", -1, 0), -EACCES,
		     "NS_SVC_KILL without control=yes is -EACCES");
	SVC_CHECK_EQ(svc_ns(NS_SVC_KILL, "rogue", -1, 0), -EACCES,
		     "NS_SVC_KILL of itself without control=yes is -EACCES");
}

int main(int argc, char **argv)
{
	struct ipc_received r;
	struct ipc_msg m;
	handle_t port, root;
	long err;

	port = sys_port_create();
	root = sys_conn_create(port, 0);
	if (port < 0 || root < 0)
		return 1;
	check_types();
	check_ioports();
	check_irqs();
	check_ns(port);
	err = svc_ns(NS_REGISTER, "rogue", root, 0);
	SVC_CHECK_EQ(err, 0, "NS_REGISTER of its own scheme works");
	SVC_CHECK_EQ(svc_ns(NS_REGISTER, "rogue", sys_conn_create(port, 0), 0),
		     -EEXIST, "NS_REGISTER of its scheme again is -EEXIST");
	svc_summary("svc-rogue");
	if (err < 0)
		return 1;
	for (;;) {
		if (sys_ipc_recv(port, &r, IPC_FOREVER) < 0)
			return 1;
		if (r.msg.op == IPC_OP_CLOSE)
			continue;
		memset(&m, 0, sizeof(m));
		if (r.msg.op == ROGUE_IN) {
			uint8_t v;

			__asm__ volatile("inb %1, %0"
					 : "=a"(v)
					 : "Nd"((uint16_t)PORT_OTHER));
			m.w[0] = v; /* not reached: the kernel ends it */
		} else if (r.msg.op == ROGUE_OUT) {
			__asm__ volatile("outb %0, %1"
					 :
					 : "a"((uint8_t)0),
					   "Nd"((uint16_t)PORT_OTHER_W));
		} else if (r.msg.op == ROGUE_RESULTS) {
			m.w[0] = (uint64_t)svc_passed;
			m.w[1] = (uint64_t)svc_failed;
		} else {
			sys_ipc_reply(r.rid, -ENOSYS, NULL);
			continue;
		}
		sys_ipc_reply(r.rid, 0, &m);
	}
}
