/*
 * Tests of memory objects and mappings: mem_create, vm_map, vm_unmap and
 * vm_protect with good and bad arguments; aliasing, zero-fill, executable
 * mappings, memory shared with a child; and children killed (SIGSEGV) for
 * writing a page made read-only or touching one unmapped.
 */
#include "ktest.h"

#define FIXED_VA	0x0000600000000000ull

static bool all_bytes(const volatile uint8_t *p, uint64_t n, uint8_t v)
{
	for (uint64_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void test_map_write_read(void)
{
	struct handle_info info;
	handle_t m = sys_mem_create(3 * PAGE, 0);
	volatile uint8_t *a, *b, *c;
	long va;

	REQUIRE_OK(m);
	CHECK_EQ(sys_handle_info(m, &info), 0);
	CHECK_EQ(info.size, 3 * PAGE);
	va = sys_vm_map(m, 0, 0, 3 * PAGE, VM_READ | VM_WRITE);
	REQUIRE_OK(va);
	CHECK_EQ(va & (PAGE - 1), 0);
	CHECK((uint64_t)va < NONCANONICAL);
	a = (volatile uint8_t *)va;
	CHECK(all_bytes(a, 3 * PAGE, 0));
	for (uint64_t i = 0; i < 3 * PAGE; i++)
		a[i] = (uint8_t)(i * 7 + 1);
	for (uint64_t i = 0; i < 3 * PAGE; i++)
		if (a[i] != (uint8_t)(i * 7 + 1)) {
			CHECK_EQ(a[i], (uint8_t)(i * 7 + 1));
			break;
		}

	/* a second, read-only view of the same object, and a partial one */
	va = sys_vm_map(m, 0, 0, 3 * PAGE, VM_READ);
	CHECK_OK(va);
	b = (volatile uint8_t *)va;
	va = sys_vm_map(m, 0, PAGE, PAGE, VM_READ | VM_WRITE);
	CHECK_OK(va);
	c = (volatile uint8_t *)va;
	if (b && c && (long)b > 0 && (long)c > 0) {
		CHECK(b != a && c != a && b != c);
		CHECK_EQ(b[5], a[5]);
		CHECK_EQ(c[0], a[PAGE]);
		c[10] = 0xee;
		CHECK_EQ(a[PAGE + 10], 0xee);
		CHECK_EQ(b[PAGE + 10], 0xee);
	}

	/* mappings outlive the handle */
	CHECK_EQ(sys_handle_close(m), 0);
	a[1] = 0x99;
	CHECK_EQ(b[1], 0x99);
	CHECK_EQ(sys_vm_unmap((uint64_t)a, 3 * PAGE), 0);
	CHECK_EQ(sys_vm_unmap((uint64_t)b, 3 * PAGE), 0);
	CHECK_EQ(sys_vm_unmap((uint64_t)c, PAGE), 0);
}

static void test_map_fixed(void)
{
	handle_t m = sys_mem_create(2 * PAGE, 0);
	volatile uint64_t *p;

	REQUIRE_OK(m);
	CHECK_EQ(sys_vm_map(m, FIXED_VA, 0, 2 * PAGE, VM_READ | VM_WRITE),
		 (long)FIXED_VA);
	p = (volatile uint64_t *)FIXED_VA;
	p[0] = 0x1122334455667788ull;
	CHECK_EQ(p[0], 0x1122334455667788ull);
	/* the range is taken */
	CHECK(sys_vm_map(m, FIXED_VA, 0, PAGE, VM_READ) < 0);
	CHECK(sys_vm_map(m, FIXED_VA + PAGE, 0, PAGE, VM_READ) < 0);
	CHECK(sys_vm_map(m, FIXED_VA - PAGE, 0, 2 * PAGE, VM_READ) < 0);
	CHECK_EQ(sys_vm_unmap(FIXED_VA, 2 * PAGE), 0);
	/* and free again */
	CHECK_EQ(sys_vm_map(m, FIXED_VA, PAGE, PAGE, VM_READ), (long)FIXED_VA);
	CHECK_EQ(sys_vm_unmap(FIXED_VA, PAGE), 0);
	sys_handle_close(m);
}

static void test_map_bad_args(void)
{
	handle_t m = sys_mem_create(2 * PAGE, 0);
	const uint32_t rw = VM_READ | VM_WRITE;

	REQUIRE_OK(m);
	CHECK_EQ(sys_vm_map(m, FIXED_VA + 1, 0, PAGE, rw), -EINVAL);
	CHECK_EQ(sys_vm_map(m, FIXED_VA + 0x800, 0, PAGE, rw), -EINVAL);
	CHECK_EQ(sys_vm_map(m, 0, 1, PAGE, rw), -EINVAL);
	CHECK_EQ(sys_vm_map(m, 0, 0, 0, rw), -EINVAL);
	CHECK_EQ(sys_vm_map(m, 0, 0, 100, rw), -EINVAL);
	CHECK_EQ(sys_vm_map(m, 0, 0, 3 * PAGE, rw), -EINVAL);
	CHECK_EQ(sys_vm_map(m, 0, 2 * PAGE, PAGE, rw), -EINVAL);
	CHECK_EQ(sys_vm_map(m, 0, PAGE, 2 * PAGE, rw), -EINVAL);
	CHECK_EQ(sys_vm_map(m, 0, ~0ull & ~(PAGE - 1), 2 * PAGE, rw),
		 -EINVAL);
	CHECK_EQ(sys_vm_map(m, 0, 0, ~0ull & ~(PAGE - 1), rw), -EINVAL);
	/* W^X, and no unknown bits */
	CHECK_EQ(sys_vm_map(m, 0, 0, PAGE, VM_WRITE | VM_EXEC), -EINVAL);
	CHECK_EQ(sys_vm_map(m, 0, 0, PAGE, VM_READ | VM_WRITE | VM_EXEC),
		 -EINVAL);
	CHECK_EQ(sys_vm_map(m, 0, 0, PAGE, VM_READ | 8), -EINVAL);
	CHECK_EQ(sys_vm_map(m, 0, 0, PAGE, 0x80000000u), -EINVAL);
	/* nowhere outside the user half */
	CHECK(sys_vm_map(m, KERNEL_TEXT, 0, PAGE, VM_READ) < 0);
	CHECK(sys_vm_map(m, DIRECT_MAP, 0, PAGE, VM_READ) < 0);
	CHECK(sys_vm_map(m, NONCANONICAL, 0, PAGE, VM_READ) < 0);
	CHECK(sys_vm_map(m, NONCANONICAL - PAGE, 0, 2 * PAGE, VM_READ) < 0);
	CHECK(sys_vm_map(m, ~0ull & ~(PAGE - 1), 0, 2 * PAGE, VM_READ) < 0);
	/* nor over our own program */
	CHECK(sys_vm_map(m, 0x400000, 0, PAGE, VM_READ) < 0);
	sys_handle_close(m);
}

static void test_mem_create_sizes(void)
{
	struct sys_stats before, after;
	handle_t m = sys_mem_create(100, 0);	/* rounded up to a page */
	long va;

	REQUIRE_OK(m);
	va = sys_vm_map(m, 0, 0, PAGE, VM_READ | VM_WRITE);
	CHECK_OK(va);
	if (va > 0) {
		((volatile uint8_t *)va)[PAGE - 1] = 1;
		CHECK_EQ(sys_vm_unmap(va, PAGE), 0);
	}
	sys_handle_close(m);
	/* frames are taken at once: more than the machine has fails */
	REQUIRE_EQ(sys_sys_stats(&before), 0);
	CHECK_EQ(sys_mem_create(MEM_MAX_SIZE, 0), -ENOMEM);
	CHECK_EQ(sys_sys_stats(&after), 0);
	CHECK_EQ(after.free_frames, before.free_frames);
	CHECK_EQ(after.heap_bytes, before.heap_bytes);
}

static void test_mem_create_bad(void)
{
	CHECK_EQ(sys_mem_create(0, 0), -EINVAL);
	CHECK_EQ(sys_mem_create(MEM_MAX_SIZE + 1, 0), -EINVAL);
	CHECK_EQ(sys_mem_create(MEM_MAX_SIZE + PAGE, 0), -EINVAL);
	CHECK_EQ(sys_mem_create(1ull << 63, 0), -EINVAL);
	CHECK_EQ(sys_mem_create(~0ull, 0), -EINVAL);
	CHECK_EQ(sys_mem_create(PAGE, 1), -EINVAL);
	CHECK_EQ(sys_mem_create(PAGE, 0x80000000u), -EINVAL);
}

static void test_mem_create_phys_needs_root(void)
{
	handle_t m = sys_mem_create(PAGE, 0);

	REQUIRE_OK(m);
	CHECK_EQ(sys_mem_create_phys(m, 0, PAGE, MEM_CACHE_WB), -EPERM);
	CHECK_EQ(sys_mem_create_phys(H_BOOTFS, 0, PAGE, MEM_CACHE_WB), -EPERM);
	sys_handle_close(m);
}

/*
 * A physical range is device memory: the HPET's registers, which QEMU has
 * at 0xfed00000 on both machines.  Its capability register names the
 * vendor and a non-zero tick period.  RAM is refused.
 */
#define HPET_PHYS	0xfed00000ull

static void test_mem_create_phys_maps_mmio(void)
{
	handle_t h = sys_mem_create_phys(H_PHYS_ROOT, HPET_PHYS, PAGE,
					 MEM_CACHE_UC);
	volatile uint64_t *regs;
	long va;

	REQUIRE_OK(h);
	va = sys_vm_map(h, 0, 0, PAGE, VM_READ);
	REQUIRE_OK(va);
	regs = (volatile uint64_t *)va;
	CHECK(regs[0] >> 32 != 0);			/* tick period, fs */
	CHECK_EQ((regs[0] >> 16) & 0xffff, 0x8086);	/* vendor */
	CHECK_EQ(sys_vm_unmap((uint64_t)va, PAGE), 0);
	sys_handle_close(h);

	CHECK_EQ(sys_mem_create_phys(H_PHYS_ROOT, 0x100000, PAGE,
				     MEM_CACHE_WB), -EPERM);	/* RAM */
	CHECK_EQ(sys_mem_create_phys(H_PHYS_ROOT, HPET_PHYS + 1, PAGE,
				     MEM_CACHE_UC), -EINVAL);
	CHECK_EQ(sys_mem_create_phys(H_PHYS_ROOT, HPET_PHYS, PAGE, 7),
		 -EINVAL);
	CHECK_EQ(sys_vm_map(H_PHYS_ROOT, 0, 0, PAGE, VM_READ), -EPERM);
	/* The interrupt controllers stay the kernel's. */
	CHECK_EQ(sys_mem_create_phys(H_PHYS_ROOT, 0xfee00000ull, PAGE,
				     MEM_CACHE_UC), -EPERM);
	CHECK_EQ(sys_mem_create_phys(H_PHYS_ROOT, 0xfec00000ull, PAGE,
				     MEM_CACHE_UC), -EPERM);
}

/*
 * Code on the last user page could return to the non-canonical
 * 0x800000000000, which faults in ring 0 on some CPUs: it is never mapped.
 * And every mapping is readable on x86, so mapping needs RIGHT_READ.
 */
static void test_map_limits(void)
{
	handle_t m = sys_mem_create(PAGE, 0), wo;
	struct handle_info info;

	REQUIRE_OK(m);
	CHECK_EQ(sys_vm_map(m, 0x00007ffffffff000ull, 0, PAGE, VM_READ),
		 -EINVAL);
	CHECK_EQ(sys_handle_info(m, &info), 0);
	wo = sys_handle_dup(m, info.rights & ~RIGHT_READ);
	REQUIRE_OK(wo);
	CHECK_EQ(sys_vm_map(wo, 0, 0, PAGE, VM_WRITE), -EPERM);
	CHECK_EQ(sys_vm_map(wo, 0, 0, PAGE, 0), -EPERM);
	sys_handle_close(wo);
	sys_handle_close(m);
}

static void test_map_rights(void)
{
	handle_t m = sys_mem_create(PAGE, 0), nomap, ro, noexec;
	long va;

	REQUIRE_OK(m);
	nomap = sys_handle_dup(m, RIGHT_READ | RIGHT_WRITE | RIGHT_DUP);
	ro = sys_handle_dup(m, RIGHT_READ | RIGHT_MAP);
	noexec = sys_handle_dup(m, RIGHT_READ | RIGHT_WRITE | RIGHT_MAP);
	CHECK_OK(nomap);
	CHECK_OK(ro);
	CHECK_OK(noexec);
	CHECK_EQ(sys_vm_map(nomap, 0, 0, PAGE, VM_READ), -EPERM);
	CHECK_EQ(sys_vm_map(ro, 0, 0, PAGE, VM_READ | VM_WRITE), -EPERM);
	CHECK_EQ(sys_vm_map(noexec, 0, 0, PAGE, VM_READ | VM_EXEC), -EPERM);

	/* a read-only mapping cannot be upgraded by vm_protect */
	va = sys_vm_map(ro, 0, 0, PAGE, VM_READ);
	CHECK_OK(va);
	if (va > 0) {
		CHECK_EQ(sys_vm_protect(va, PAGE, VM_READ | VM_WRITE), -EPERM);
		CHECK_EQ(sys_vm_protect(va, PAGE, VM_READ | VM_EXEC), -EPERM);
		CHECK_EQ(sys_vm_unmap(va, PAGE), 0);
	}
	va = sys_vm_map(noexec, 0, 0, PAGE, VM_READ | VM_WRITE);
	CHECK_OK(va);
	if (va > 0) {
		CHECK_EQ(sys_vm_protect(va, PAGE, VM_READ | VM_EXEC), -EPERM);
		CHECK_EQ(sys_vm_unmap(va, PAGE), 0);
	}
	sys_handle_close(nomap);
	sys_handle_close(ro);
	sys_handle_close(noexec);
	sys_handle_close(m);
}

static void test_protect(void)
{
	volatile uint8_t *p = kt_map(2 * PAGE, VM_READ | VM_WRITE, NULL);
	uint64_t va = (uint64_t)p;

	REQUIRE(p != NULL);
	p[0] = 1;
	CHECK_EQ(sys_vm_protect(va, PAGE, VM_READ), 0);
	CHECK_EQ(p[0], 1);
	p[PAGE] = 2;			/* the second page is still writable */
	CHECK_EQ(sys_vm_protect(va, 2 * PAGE, VM_READ | VM_WRITE), 0);
	p[0] = 3;
	CHECK_EQ(p[0], 3);
	CHECK_EQ(sys_vm_protect(va, PAGE, VM_WRITE | VM_EXEC), -EINVAL);
	CHECK_EQ(sys_vm_protect(va, PAGE, VM_READ | VM_WRITE | VM_EXEC),
		 -EINVAL);
	CHECK_EQ(sys_vm_protect(va, PAGE, 8), -EINVAL);
	CHECK_EQ(sys_vm_protect(va + 1, PAGE, VM_READ), -EINVAL);
	CHECK_EQ(sys_vm_protect(va, 100, VM_READ), -EINVAL);
	CHECK_EQ(sys_vm_protect(va, 0, VM_READ), -EINVAL);
	CHECK(sys_vm_protect(KERNEL_TEXT, PAGE, VM_READ | VM_WRITE) < 0);
	CHECK(sys_vm_protect(KERNEL_IMAGE, PAGE, VM_READ) < 0);
	p[1] = 4;			/* still ours, still writable */
	kt_unmap((void *)p, 2 * PAGE);
}

/* With holes on both sides of one mapped page at FIXED_VA + PAGE. */
static void test_protect_needs_mapping(void)
{
	handle_t m = sys_mem_create(PAGE, 0);
	volatile uint8_t *p = (volatile uint8_t *)(FIXED_VA + PAGE);

	REQUIRE_OK(m);
	REQUIRE_EQ(sys_vm_map(m, FIXED_VA + PAGE, 0, PAGE,
			      VM_READ | VM_WRITE), (long)(FIXED_VA + PAGE));
	sys_handle_close(m);
	CHECK_EQ(sys_vm_protect(UNMAPPED_USER, PAGE, VM_READ), -ENOMEM);
	CHECK_EQ(sys_vm_protect(FIXED_VA, 2 * PAGE, VM_READ), -ENOMEM);
	CHECK_EQ(sys_vm_protect(FIXED_VA + PAGE, 2 * PAGE, VM_READ), -ENOMEM);
	CHECK_EQ(sys_vm_protect(FIXED_VA, 3 * PAGE, VM_READ), -ENOMEM);
	p[0] = 1;			/* failed without effect: still writable */
	CHECK_EQ(p[0], 1);
	CHECK_EQ(sys_vm_unmap(FIXED_VA + PAGE, PAGE), 0);
}

static void test_protect_kills_writer(void)
{
	CHECK_EQ(kt_run("protect", NULL), WAIT_SIGNALED(SIG_SEGV));
}

static void test_unmap(void)
{
	volatile uint8_t *p = kt_map(3 * PAGE, VM_READ | VM_WRITE, NULL);
	uint64_t va = (uint64_t)p;

	REQUIRE(p != NULL);
	p[0] = 1;
	p[2 * PAGE] = 3;
	CHECK_EQ(sys_vm_unmap(va + 1, PAGE), -EINVAL);
	CHECK_EQ(sys_vm_unmap(va, 100), -EINVAL);
	CHECK_EQ(sys_vm_unmap(va, 0), -EINVAL);
	CHECK(sys_vm_unmap(KERNEL_TEXT, PAGE) < 0);
	CHECK(sys_vm_unmap(KERNEL_IMAGE, 16 * PAGE) < 0);
	CHECK(sys_vm_unmap(DIRECT_MAP, PAGE) < 0);
	CHECK(sys_vm_unmap(NONCANONICAL - PAGE, 2 * PAGE) < 0);
	/* the middle page goes, its neighbours stay */
	CHECK_EQ(sys_vm_unmap(va + PAGE, PAGE), 0);
	CHECK_EQ(p[0], 1);
	CHECK_EQ(p[2 * PAGE], 3);
	p[0] = 4;
	CHECK_EQ(sys_vm_unmap(va, 3 * PAGE), 0);
	/* the hole can be mapped again */
	CHECK_EQ(sys_yield(), 0);
}

static void test_unmap_kills_reader(void)
{
	CHECK_EQ(kt_run("unmap", NULL), WAIT_SIGNALED(SIG_SEGV));
}

typedef int (*int_fn)(void);

static void test_exec_mapping(void)
{
	static const uint8_t code[] = {
		0xb8, 0x2a, 0x00, 0x00, 0x00,	/* mov $42, %eax */
		0xc3,				/* ret */
	};
	uint8_t *p = kt_map(PAGE, VM_READ | VM_WRITE, NULL);

	REQUIRE(p != NULL);
	memcpy(p, code, sizeof(code));
	CHECK_EQ(sys_vm_protect((uint64_t)p, PAGE, VM_READ | VM_EXEC), 0);
	CHECK_EQ(((int_fn)(uintptr_t)p)(), 42);
	kt_unmap(p, PAGE);
}

static void test_zero_fill_on_reuse(void)
{
	const uint64_t size = 64 * PAGE;
	volatile uint8_t *p = kt_map(size, VM_READ | VM_WRITE, NULL);

	REQUIRE(p != NULL);
	for (uint64_t i = 0; i < size; i++)
		p[i] = 0xab;
	kt_unmap((void *)p, size);
	p = kt_map(size, VM_READ | VM_WRITE, NULL);
	REQUIRE(p != NULL);
	CHECK(all_bytes(p, size, 0));
	kt_unmap((void *)p, size);
}

static void test_large_mapping(void)
{
	const uint64_t size = 8ull << 20;
	volatile uint64_t *p = kt_map(size, VM_READ | VM_WRITE, NULL);
	uint64_t sum = 0, want = 0;

	REQUIRE(p != NULL);
	for (uint64_t i = 0; i < size / 8; i += PAGE / 8) {
		p[i] = i;
		want += i;
	}
	for (uint64_t i = 0; i < size / 8; i += PAGE / 8)
		sum += p[i];
	CHECK_EQ(sum, want);
	kt_unmap((void *)p, size);
}

static void test_shared_with_child(void)
{
	handle_t m;
	char *p = kt_map(2 * PAGE, VM_READ | VM_WRITE, &m);
	handle_t child;

	REQUIRE(p != NULL);
	memcpy(p, KT_SHM_PING, sizeof(KT_SHM_PING));
	child = kt_spawn(&m, 1, "shm", NULL);
	CHECK_OK(child);
	if (child >= 0)
		CHECK_EQ(kt_wait(child, 10 * SEC), WAIT_EXITED(0));
	CHECK_EQ(strcmp(p + KT_SHM_PONG_OFF, KT_SHM_PONG), 0);
	sys_handle_close(m);
	kt_unmap(p, 2 * PAGE);
}

const struct kt_case kt_mem_cases[] = {
	{ "mem_create, vm_map, write and read back", test_map_write_read, 0 },
	{ "vm_map at a fixed address", test_map_fixed, 0 },
	{ "vm_map bad arguments", test_map_bad_args, 0 },
	{ "mem_create sizes; ENOMEM when too big", test_mem_create_sizes, 0 },
	{ "mem_create bad sizes and flags", test_mem_create_bad, 0 },
	{ "mem_create_phys needs a physical root",
	  test_mem_create_phys_needs_root, 0 },
	{ "mem_create_phys maps device memory, never RAM",
	  test_mem_create_phys_maps_mmio, 0 },
	{ "the last user page and unreadable handles cannot be mapped",
	  test_map_limits, 0 },
	{ "vm_map and vm_protect need the rights", test_map_rights, 0 },
	{ "vm_protect", test_protect, 0 },
	{ "vm_protect needs the whole range mapped",
	  test_protect_needs_mapping, 0 },
	{ "write to a read-only page kills the child",
	  test_protect_kills_writer, 0 },
	{ "vm_unmap", test_unmap, 0 },
	{ "access after vm_unmap kills the child", test_unmap_kills_reader,
	  0 },
	{ "executable mapping runs", test_exec_mapping, 0 },
	{ "new memory is zeroed, also when reused", test_zero_fill_on_reuse,
	  0 },
	{ "8 MiB mapping", test_large_mapping, 0 },
	{ "memory shared with a child", test_shared_with_child, 0 },
	{ NULL, NULL, 0 },
};
