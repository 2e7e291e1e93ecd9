/* Address to symbol lookup over the table made by tools/gensyms.py. */
#include "ksym.h"

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint32_t lo = 0, hi = ksym_count;

	/* The table is sorted by address: find the last entry <= addr. */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (ksym_table[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	lo--;
	if (addr - ksym_table[lo].addr >= ksym_table[lo].size)
		return NULL;
	*offset = addr - ksym_table[lo].addr;
	return ksym_names + ksym_table[lo].name;
}
