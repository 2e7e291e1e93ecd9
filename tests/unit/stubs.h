/*
 * Host stand-ins for the arch_* layer and the direct map, so that kernel
 * files compile and run unchanged in the unit tests (tests/unit/stubs.c).
 *
 * "Physical memory" is a host buffer: physical address P lives at
 * test_phys_arena + (P - test_phys_base).
 */
#ifndef TEST_STUBS_H
#define TEST_STUBS_H

#include <stdint.h>
#include <stddef.h>

extern uint8_t *test_phys_arena;
extern uint64_t test_phys_base;
extern size_t test_phys_size;

/* Allocates a page-aligned arena of `frames` frames at `base`. */
void test_arena_create(uint64_t base, size_t frames);
void test_arena_destroy(void);

/* How many times panic() and arch_tlb_flush_page() were called. */
extern int test_panic_count;
extern int test_tlb_flushes;
/* How many address-space switches the inline switch made (cpu_switch.h). */
extern int test_space_switches;

#endif
