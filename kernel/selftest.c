/*
 * Self-tests that need the real machine: the live frame pool, page tables,
 * heap, kernel stacks, section rights, the symbol table, the clock, the
 * timer and interrupt lines.
 */
#include "arch.h"
#include "arch/x86_64/x86.h" /* the IRQ test pokes PC devices */
#include "irq.h"
#include "lib.h"
#include "log.h"
#include "mm.h"
#include "selftest.h"

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];

/* An address in the direct-map slot that no RAM reaches. */
#define SCRATCH_VA (DIRECT_MAP_BASE + (384UL << 30))

static int passed, failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			klog("selftest:   line %d: %s\n", __LINE__, #cond);    \
			return false;                                          \
		}                                                              \
	} while (0)

static bool test_map_unmap(void)
{
	uint64_t pa = frame_alloc_zeroed(), got, flags;
	volatile uint64_t *v = (uint64_t *)SCRATCH_VA;

	CHECK(pa);
	CHECK(vmm_map(kernel_pml4, SCRATCH_VA, pa, PTE_W | PTE_NX) == 0);
	CHECK(vmm_map(kernel_pml4, SCRATCH_VA, pa, PTE_W) == -EEXIST);
	CHECK(vmm_translate(kernel_pml4, SCRATCH_VA + 8, &got, &flags) == 0);
	CHECK(got == pa + 8 && (flags & PTE_W) && !(flags & PTE_U));
	*v = 0x1234567890abcdefUL;
	CHECK(*(uint64_t *)phys_to_virt(pa) == 0x1234567890abcdefUL);
	CHECK(vmm_unmap(kernel_pml4, SCRATCH_VA, &got) == 0 && got == pa);
	CHECK(vmm_translate(kernel_pml4, SCRATCH_VA, NULL, NULL) == -ENOENT);
	frame_free(pa);
	return true;
}

/* Every page of a section has exactly the rights it should. */
static bool section_rights(char *start, char *end, bool write, bool exec)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end;
	     va += PAGE_SIZE) {
		uint64_t flags;

		if (is_static_stack_guard(va)) {
			CHECK(vmm_translate(kernel_pml4, va, NULL, NULL) ==
			      -ENOENT);
			continue;
		}
		CHECK(vmm_translate(kernel_pml4, va, NULL, &flags) == 0);
		CHECK(!!(flags & PTE_W) == write);
		if (arch_has_nx())
			CHECK(!(flags & PTE_NX) == exec);
		CHECK(!(flags & PTE_U));
	}
	return true;
}

static bool test_wx(void)
{
	CHECK(section_rights(__text_start, __text_end, false, true));
	CHECK(section_rights(__rodata_start, __rodata_end, false, false));
	CHECK(section_rights(__data_start, __data_end, true, false));
	/* The early identity map is gone: address 0 faults. */
	CHECK(vmm_translate(kernel_pml4, 0, NULL, NULL) == -ENOENT);
	return true;
}

static bool test_kstack(void)
{
	size_t frames = kernel_pmm.free_frames;
	uint64_t top = kstack_alloc(), flags;

	CHECK(top);
	CHECK(vmm_translate(kernel_pml4, top - 8, NULL, &flags) == 0);
	CHECK((flags & PTE_W) && (!arch_has_nx() || (flags & PTE_NX)));
	CHECK(vmm_translate(kernel_pml4, top - KSTACK_SIZE, NULL, NULL) == 0);
	CHECK(vmm_translate(kernel_pml4, top - KSTACK_SIZE - 1, NULL, NULL) ==
	      -ENOENT);
	*(volatile uint64_t *)(top - KSTACK_SIZE) = 1;
	kstack_free(top);
	CHECK(vmm_translate(kernel_pml4, top - 8, NULL, NULL) == -ENOENT);
	/* Page tables made for the first stack stay: allow for them. */
	CHECK(kernel_pmm.free_frames + 3 >= frames);
	return true;
}

#define NS_PER_MS	1000000UL
#define SPIN_LIMIT	100000000L
#define COM1_IER	0x3f9
#define COM1_IIR	0x3fa
#define COM1_MCR	0x3fc
#define IER_THR_EMPTY	0x02
#define MCR_OUT2	0x08 /* gates the UART's interrupt output */
#define COM1_LINE	4
#define PIT_LINE	0
#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_CH0_ONESHOT 0x30
#define PIT_1MS		1193

static bool test_clock(void)
{
	uint64_t start = arch_clock_ns(), prev = start, now = start;

	for (long i = 0; i < SPIN_LIMIT && now - start < NS_PER_MS; i++) {
		now = arch_clock_ns();
		CHECK(now >= prev);
		prev = now;
	}
	CHECK(now - start >= NS_PER_MS);
	return true;
}

/* Idles with interrupts on until *count moves or limit_ns pass. */
static bool wait_for(volatile uint64_t *count, uint64_t limit_ns)
{
	uint64_t before = *count, start = arch_clock_ns();

	while (*count == before && arch_clock_ns() - start < limit_ns)
		arch_wait_for_interrupt();
	return *count != before;
}

static bool test_timer(void)
{
	uint64_t start = arch_clock_ns(), elapsed;
	bool fired;

	arch_timer_arm(2 * NS_PER_MS);
	fired = wait_for(&timer_fired, 200 * NS_PER_MS);
	elapsed = arch_clock_ns() - start;
	arch_timer_cancel();
	klog("selftest:   2 ms timer fired after %lu us\n", elapsed / 1000);
	CHECK(fired);
	CHECK(elapsed >= 2 * NS_PER_MS && elapsed < 200 * NS_PER_MS);
	return true;
}

/* Polls the clock for `ms` with interrupts on. */
static void spin_ms(uint64_t ms)
{
	uint64_t start = arch_clock_ns();

	arch_irq_enable();
	while (arch_clock_ns() - start < ms * NS_PER_MS)
		;
	arch_irq_disable();
}

static bool test_timer_cancel(void)
{
	uint64_t before = timer_fired;

	arch_timer_arm(NS_PER_MS);
	arch_timer_arm(1000 * NS_PER_MS); /* replaces the first */
	spin_ms(5);
	arch_timer_cancel();
	CHECK(timer_fired == before);
	arch_timer_arm(NS_PER_MS);
	arch_timer_cancel();
	spin_ms(5);
	CHECK(timer_fired == before);
	return true;
}

/* A fresh THR-empty interrupt: a rising edge on COM1's line. */
static void com1_kick(void)
{
	outb(COM1_IER, 0);
	(void)inb(COM1_IIR);
	outb(COM1_MCR, inb(COM1_MCR) | MCR_OUT2);
	outb(COM1_IER, IER_THR_EMPTY);
}

static void pit_kick(void)
{
	outb(PIT_CMD, PIT_CH0_ONESHOT);
	outb(PIT_CH0, PIT_1MS & 0xff);
	outb(PIT_CH0, PIT_1MS >> 8);
}

/* Unmasks `line`, makes its device interrupt: 1 if it came, 0, -errno. */
static int line_fires(unsigned line, void (*kick)(void))
{
	int err = arch_irq_unmask(line);
	bool fired;

	if (err)
		return err;
	if (kick)
		kick();
	arch_timer_arm(100 * NS_PER_MS); /* ends the wait regardless */
	fired = wait_for(&irq_line_count[line], 100 * NS_PER_MS);
	arch_timer_cancel();
	arch_irq_mask(line);
	return fired;
}

static bool test_irq_lines(void)
{
	int com1 = line_fires(COM1_LINE, com1_kick), replay, pit;
	uint64_t before = irq_line_count[COM1_LINE];
	bool held;

	/* An edge that comes while the line is masked waits for the unmask. */
	com1_kick();
	spin_ms(2);
	held = irq_line_count[COM1_LINE] == before;
	replay = line_fires(COM1_LINE, NULL);
	outb(COM1_IER, 0);
	(void)inb(COM1_IIR);
	pit = line_fires(PIT_LINE, pit_kick); /* -EBUSY: it is the timer */
	klog("selftest:   COM1 line %s, PIT line %s\n",
	     com1 == 1 ? "delivered" : "silent",
	     pit == 1	     ? "delivered"
	     : pit == -EBUSY ? "is the timer"
			     : "silent");
	CHECK(com1 == 1);
	CHECK(held && replay == 1);
	CHECK(pit == 1 || pit == -EBUSY);
	CHECK(arch_irq_unmask(IRQ_LINES) == -EINVAL);
	return true;
}

/* Raises MSI line `line` the way a device would: its vector, to us. */
static void msi_kick_line(unsigned line)
{
	uint64_t address;
	uint32_t data;

	if (arch_msi_message(line, &address, &data) == 0)
		arch_send_self_ipi(data & 0xff);
}

static void msi_kick(void)
{
	msi_kick_line(IRQ_MSI_FIRST);
}

static bool test_msi(void)
{
	uint64_t address, before;
	uint32_t data;
	int fired, replay;

	if (arch_msi_message(IRQ_MSI_FIRST, &address, &data) != 0) {
		klog("selftest:   no LAPIC: no MSI lines\n");
		CHECK(arch_irq_unmask(IRQ_MSI_FIRST) == -EINVAL);
		return true;
	}
	CHECK((address & 0xfff00000) == 0xfee00000);
	CHECK(arch_msi_message(0, &address, &data) == -EINVAL);
	fired = line_fires(IRQ_MSI_FIRST, msi_kick);
	/* While masked, a message waits for the unmask. */
	before = irq_line_count[IRQ_MSI_FIRST];
	msi_kick();
	spin_ms(1);
	CHECK(irq_line_count[IRQ_MSI_FIRST] == before);
	replay = line_fires(IRQ_MSI_FIRST, NULL);
	CHECK(fired == 1 && replay == 1);
	return true;
}

int selftest_run(void)
{
	static const struct {
		const char *name;
		bool (*fn)(void);
	} tests[] = {
		{ "map and unmap", test_map_unmap },
		{ "W^X and section rights", test_wx },
		{ "guarded kernel stacks", test_kstack },
		{ "monotonic clock", test_clock },
		{ "one-shot timer", test_timer },
		{ "timer cancel", test_timer_cancel },
		{ "interrupt lines", test_irq_lines },
		{ "MSI lines", test_msi },
	};

	for (size_t i = 0; i < ARRAY_SIZE(tests); i++) {
		bool ok = tests[i].fn();

		klog("selftest: %s: %s\n", tests[i].name, ok ? "ok" : "FAILED");
		if (ok)
			passed++;
		else
			failed++;
	}
	klog("selftest: %d passed, %d failed\n", passed, failed);
	return failed;
}

static int recurse(volatile int depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth < 0) /* never: keeps the compiler from objecting */
		return 0;
	return recurse(depth + 1) + pad[0];
}

void selftest_fault(const char *kind)
{
	volatile uint64_t *volatile bad = (uint64_t *)8;

	klog("selftest: faulting on purpose (%s)\n", kind);
	if (strcmp(kind, "null") == 0)
		*bad = 1;
	else if (strcmp(kind, "ud") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(kind, "stack") == 0)
		recurse(0);
	else if (strcmp(kind, "divide") == 0)
		__asm__ volatile("xorl %%ecx, %%ecx; divl %%ecx" ::
					 : "eax", "ecx", "edx");
	else if (strcmp(kind, "panic") == 0)
		panic("deliberate panic requested by fault=panic");
	klog("selftest: unknown fault kind \"%s\"\n", kind);
}
