/*
 * Kernel symbol table for stack traces.  tools/gensyms.py writes it from
 * the first link; the second link puts it into the .ksyms section.
 */
#ifndef KERNEL_KSYM_H
#define KERNEL_KSYM_H

#include "types.h"

struct ksym {
	uint64_t addr;
	uint32_t name; /* offset into ksym_names */
	uint32_t size;
};

extern const struct ksym ksym_table[];
extern const uint32_t ksym_count;
extern const char ksym_names[];

/*
 * Finds the function containing `addr`.  Returns its name and sets *offset,
 * or returns NULL when no symbol covers the address.
 */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#endif
