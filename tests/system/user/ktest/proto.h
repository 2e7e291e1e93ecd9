/*
 * The protocol between ktest and its helper ktest-child: the modes the
 * child runs in (its argv[1]) and the opcodes its `server` mode answers.
 * Shared by both programs; nothing here is part of the system ABI.
 */
#ifndef KTEST_PROTO_H
#define KTEST_PROTO_H

#define KT_CHILD	"ktest-child"

/*
 * Child modes (argv[1]) and their arguments:
 *
 *   server [N]        handle 0 = port; answers KT_OP_* calls; exits 0
 *                     after N (default 1) IPC_OP_CLOSE messages
 *   park N            handle 0 = port; receives N calls without answering,
 *                     then answers them all in reverse order; exits 0
 *   die N             handle 0 = port; receives N calls, exits unanswered
 *   client            handle 0 = connection; one KT_OP_HELLO call; exits
 *                     42 if answered as KT_HELLO_STATUS / KT_HELLO_WORD
 *   crash-in-call     handle 0 = connection, 1 = notification; a thread
 *                     calls, the main thread waits for a signal, then
 *                     dereferences NULL
 *   exit N            exits with N
 *   sleep             sleeps forever
 *   spin [after-sleep] loops forever without system calls (after one
 *                     1 ms sleep)
 *   args              exits 0 if argv is exactly KT_ARGS_EXPECTED
 *   handles T...      exits 0 if it got one handle per T, of type T
 *   thread-exit N     the only thread calls thread_exit(N)
 *   in P [close]      executes inb on port P (hex; first closes handle 0
 *                     with `close`); exits 0 if alive
 *   out P             executes outb on port P; exits 0 if alive
 *   cli / hlt         executes the instruction; exits 0 if alive
 *   peek A / poke A   reads / writes address A (hex); exits 0 if alive
 *   jump A            calls address A (hex)
 *   ud / div0         invalid opcode / divide by zero
 *   nx                calls code written into a non-executable page
 *   stack-overflow    unbounded recursion
 *   kstack            syscall proc_exit(KT_KSTACK_CODE) with rsp in the
 *                     kernel half
 *   protect           maps a page, makes it read-only, writes it
 *   unmap             maps a page, unmaps it, reads it
 *   shm               handle 0 = memory object with KT_SHM_PING at 0;
 *                     writes KT_SHM_PONG at KT_SHM_PONG_OFF, exits 0
 *   sysret-edge       a syscall in the last bytes of the user half
 *
 * Exit codes 2..9 mean "a preparatory step failed" (see the child).
 */

/* Opcodes of the `server` mode. */
enum kt_op {
	KT_OP_ECHO = 1,	/* reply: the same words, status KT_ECHO_STATUS */
	KT_OP_WHO,	/* reply: w = badge, pid, uid, gid, send_len, recv_len */
	KT_OP_READ,	/* ipc_read(w0 = offset, w1 = len <= KT_BUF);
			 * status = result, w0 = sum of bytes, w1 = first 8 */
	KT_OP_WRITE,	/* ipc_write(w0 = offset, w1 = len <= KT_BUF) of
			 * bytes w2; status = result */
	KT_OP_REVERSE,	/* reads the whole send buffer (<= KT_BUF) and
			 * writes it reversed to the receive buffer;
			 * status = bytes written */
	KT_OP_SUM,	/* reads the whole send buffer in chunks;
			 * status = bytes read, w0 = sum of bytes */
	KT_OP_SIGNAL,	/* one handle moved in: signals w0 on it, closes it;
			 * reply w0 = its type, w1 = nhandles received */
	KT_OP_GIVE,	/* reply moves back a new notification, w0 pending */
	KT_OP_QUIT,	/* replies 0, then exits with w0 */
	KT_OP_PARK,	/* park mode: reply status w0 + KT_PARK_BASE,
			 * w0 = w0 * 3 + 1, w1 = calls held, w2 = badge */
	KT_OP_HELLO,	/* client mode's call: w = 1..6 */
};

#define KT_BUF			4096
#define KT_ECHO_STATUS		0x5eed
#define KT_PARK_BASE		1000
#define KT_HELLO_STATUS		42
#define KT_HELLO_WORD		0x4242
#define KT_KSTACK_CODE		5

#define KT_ARGS_EXPECTED	{ KT_CHILD, "args", "alpha", "", "gamma" }
#define KT_ARGS_COUNT		5

#define KT_SHM_PING		"ktest-shm-ping"
#define KT_SHM_PONG		"ktest-shm-pong"
#define KT_SHM_PONG_OFF		4096

#endif
