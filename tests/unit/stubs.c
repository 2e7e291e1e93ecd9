/* Host stand-ins for the arch_* layer; see stubs.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "log.h"
#include "mm.h"
#include "stubs.h"

uint8_t *test_phys_arena;
uint64_t test_phys_base;
size_t test_phys_size;
int test_panic_count;
int test_tlb_flushes;
int test_space_switches;

void test_arena_create(uint64_t base, size_t frames)
{
	test_phys_size = frames * PAGE_SIZE;
	test_phys_arena = aligned_alloc(PAGE_SIZE, test_phys_size);
	assert_non_null(test_phys_arena);
	memset(test_phys_arena, 0xa5, test_phys_size);
	test_phys_base = base;
}

void test_arena_destroy(void)
{
	free(test_phys_arena);
	test_phys_arena = NULL;
	test_phys_size = 0;
}

void *phys_to_virt(uint64_t phys)
{
	assert_true(phys >= test_phys_base);
	assert_true(phys - test_phys_base < test_phys_size);
	return test_phys_arena + (phys - test_phys_base);
}

uint64_t virt_to_phys(const void *virt)
{
	const uint8_t *p = virt;

	assert_true(p >= test_phys_arena && p < test_phys_arena + test_phys_size);
	return test_phys_base + (uint64_t)(p - test_phys_arena);
}

void klog(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	test_panic_count++;
	fail_msg("kernel panic: %s", msg);
	abort();
}

void arch_tlb_flush_page(uint64_t va)
{
	(void)va;
	test_tlb_flushes++;
}

bool arch_has_nx(void)
{
	return true;
}
