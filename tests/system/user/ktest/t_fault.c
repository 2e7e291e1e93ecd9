/*
 * Tests of isolation and of user faults: a child that reads or writes
 * kernel memory, or memory that is mapped only in ktest, dies with
 * SIGSEGV; in/out without an I/O grant, cli and hlt (#GP) kill it with
 * SIGSEGV; invalid opcodes SIGILL, division by zero SIGFPE; a grant
 * works for exactly its ports.  ktest and the kernel live on through all
 * of it.  The kernel reports #GP and #PF as SIGSEGV (as Linux does).
 */
#include "ktest.h"

static char addr[32];

static const char *hex(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int i = 0;

	addr[i++] = '0';
	addr[i++] = 'x';
	for (int shift = 60; shift >= 0; shift -= 4)
		addr[i++] = digits[(v >> shift) & 15];
	addr[i] = '\0';
	return addr;
}

static void test_kernel_memory(void)
{
	CHECK_EQ(kt_run("peek", hex(KERNEL_IMAGE), NULL),
		 WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("peek", hex(KERNEL_TEXT), NULL),
		 WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("peek", hex(DIRECT_MAP), NULL),
		 WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("poke", hex(KERNEL_IMAGE), NULL),
		 WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("poke", hex(DIRECT_MAP + 0x100000), NULL),
		 WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("jump", hex(KERNEL_IMAGE), NULL),
		 WAIT_SIGNALED(SIG_SEGV));
	/* a non-canonical address is #GP, not #PF */
	CHECK_EQ(kt_run("peek", hex(NONCANONICAL), NULL),
		 WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("peek", "0", NULL), WAIT_SIGNALED(SIG_SEGV));
}

static void test_other_process_memory(void)
{
	volatile uint64_t *p = kt_map(PAGE, VM_READ | VM_WRITE, NULL);

	REQUIRE(p != NULL);
	p[0] = 0x5eed5eed5eed5eedull;
	CHECK_EQ(kt_run("peek", hex((uint64_t)p), NULL),
		 WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("poke", hex((uint64_t)p), NULL),
		 WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("jump", hex((uint64_t)p), NULL),
		 WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(p[0], 0x5eed5eed5eed5eedull);
	kt_unmap((void *)p, PAGE);
}

static void test_io_without_grant(void)
{
	CHECK_EQ(kt_run("in", "0x80", NULL), WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("out", "0x80", NULL), WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("in", "0x3f8", NULL), WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("in", "0x21", NULL), WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("in", "0xffff", NULL), WAIT_SIGNALED(SIG_SEGV));
}

static void test_privileged_instructions(void)
{
	CHECK_EQ(kt_run("cli", NULL), WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("hlt", NULL), WAIT_SIGNALED(SIG_SEGV));
}

static int run_with(handle_t h, const char *mode, const char *arg,
		    const char *arg2)
{
	handle_t child = kt_spawn(&h, 1, mode, arg, arg2, NULL);

	if (child < 0)
		return child;
	return kt_wait(child, 10 * SEC);
}

static void test_io_grant(void)
{
	handle_t io = sys_ioport_create(H_IOPORT_ROOT, 0x80, 1);
	struct handle_info info;

	REQUIRE_OK(io);
	CHECK_EQ(sys_handle_info(io, &info), 0);
	CHECK_EQ(info.type, OBJ_IOPORT);
	CHECK_EQ(run_with(io, "in", "0x80", NULL), WAIT_EXITED(0));
	CHECK_EQ(run_with(io, "out", "0x80", NULL), WAIT_EXITED(0));
	CHECK_EQ(run_with(io, "in", "0x81", NULL), WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(run_with(io, "in", "0x7f", NULL), WAIT_SIGNALED(SIG_SEGV));
	/* the grant did not stay behind for the next process */
	CHECK_EQ(kt_run("in", "0x80", NULL), WAIT_SIGNALED(SIG_SEGV));
	/* and goes with the handle */
	CHECK_EQ(run_with(io, "in", "0x80", "close"), WAIT_SIGNALED(SIG_SEGV));
	/* the root itself grants no ports */
	CHECK_EQ(run_with(H_IOPORT_ROOT, "in", "0x80", NULL),
		 WAIT_SIGNALED(SIG_SEGV));
	sys_handle_close(io);
}

static void test_other_faults(void)
{
	CHECK_EQ(kt_run("ud", NULL), WAIT_SIGNALED(SIG_ILL));
	CHECK_EQ(kt_run("div0", NULL), WAIT_SIGNALED(SIG_FPE));
	CHECK_EQ(kt_run("nx", NULL), WAIT_SIGNALED(SIG_SEGV));
	CHECK_EQ(kt_run("stack-overflow", NULL), WAIT_SIGNALED(SIG_SEGV));
}

static void test_kernel_rsp_syscall(void)
{
	/* the kernel must not use the user's stack pointer */
	CHECK_EQ(kt_run("kstack", NULL), WAIT_EXITED(KT_KSTACK_CODE));
}

static void test_sysret_edge(void)
{
	/* The last user page cannot be mapped: the child cannot even try. */
	CHECK_EQ(kt_run("sysret-edge", NULL), WAIT_EXITED(0));
}

/* Bug: prot 0 pages were present, hence readable. */
static void test_no_access_page(void)
{
	CHECK_EQ(kt_run("none-read", NULL), WAIT_SIGNALED(SIG_SEGV));
}

/* Bug: a new thread of the process kept a grant closed before it ran. */
static void test_io_grant_gone_for_new_thread(void)
{
	handle_t io = sys_ioport_create(H_IOPORT_ROOT, 0x80, 1);

	REQUIRE_OK(io);
	CHECK_EQ(run_with(io, "in-thread-after-close", "0x80", NULL),
		 WAIT_SIGNALED(SIG_SEGV));
	sys_handle_close(io);
}

const struct kt_case kt_fault_cases[] = {
	{ "child touching kernel memory dies", test_kernel_memory, 0 },
	{ "child cannot reach our memory", test_other_process_memory, 0 },
	{ "in/out without a grant kill only the child",
	  test_io_without_grant, 0 },
	{ "cli and hlt kill only the child", test_privileged_instructions, 0 },
	{ "an I/O grant covers exactly its ports, while held", test_io_grant,
	  0 },
	{ "invalid opcode, divide error, NX, stack overflow",
	  test_other_faults, 0 },
	{ "syscall with the stack pointer in the kernel half",
	  test_kernel_rsp_syscall, 0 },
	{ "syscall returning to a non-canonical address", test_sysret_edge, 0 },
	{ "a page mapped with no rights faults on read", test_no_access_page,
	  0 },
	{ "a grant closed before a new thread runs is gone for it",
	  test_io_grant_gone_for_new_thread, 0 },
	{ NULL, NULL, 0 },
};
