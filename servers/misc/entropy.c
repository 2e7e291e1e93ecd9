/*
 * Seed material for the rand: generator.  In order of preference:
 *
 *  - RDSEED (CPUID.7.0:EBX bit 18): the CPU's entropy source itself;
 *  - RDRAND (CPUID.1:ECX bit 30): the CPU's own generator, seeded from it;
 *  - the weak fallback: the low bits of the TSC and the kernel clock,
 *    sampled around yields, so that they catch the jitter of interrupts
 *    and scheduling.  On a CPU without either instruction, and above all
 *    in an emulator, that jitter may hold little entropy: docs/servers.md
 *    says so.
 *
 * An instruction may fail for a while (the carry flag clear); each word is
 * tried a few times.  A source that keeps failing, or gives the same word
 * every time (as some CPUs' RDRAND did after a suspend), is passed over
 * for the next one.
 */
#include "misc.h"

#define HW_WORDS       8   /* 64 bytes from RDSEED or RDRAND */
#define RDSEED_TRIES   100 /* per word; RDSEED runs dry more easily */
#define RDRAND_TRIES   10  /* per word, as Intel advises */
#define TIMING_SAMPLES (ENTROPY_MAX / 16)

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static bool cpu_has_rdrand(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	return r[2] & (1u << 30);
}

static bool cpu_has_rdseed(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] < 7)
		return false;
	cpuid(7, 0, r);
	return r[1] & (1u << 18);
}

static bool rdseed64(uint64_t *v)
{
	uint8_t ok;

	__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok)::"cc");
	return ok;
}

static bool rdrand64(uint64_t *v)
{
	uint8_t ok;

	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok)::"cc");
	return ok;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* HW_WORDS words from `insn` into out; false if it failed or stuck. */
static bool hw_words(bool (*insn)(uint64_t *), int tries, uint64_t *out)
{
	bool varied = false;

	for (int i = 0; i < HW_WORDS; i++) {
		int t = 0;

		while (!insn(&out[i])) {
			if (++t == tries)
				return false;
			__asm__ volatile("pause");
		}
		if (i && out[i] != out[0])
			varied = true;
	}
	return varied;
}

/* Timing samples: TSC before and after a yield, and the clock. */
static size_t timing_words(uint64_t *out)
{
	size_t n = 0;

	for (int i = 0; i < TIMING_SAMPLES; i++) {
		uint64_t before = rdtsc();

		sys_yield();
		out[n++] = rdtsc() - before;
		out[n++] = sys_clock_get() ^ rdtsc() << 32;
	}
	return n * sizeof(uint64_t);
}

size_t entropy_gather(uint8_t out[ENTROPY_MAX], enum entropy_source *source)
{
	uint64_t words[ENTROPY_MAX / sizeof(uint64_t)];
	size_t n;

	_Static_assert(HW_WORDS * 8 + 8 <= ENTROPY_MAX, "room for hw words");
	_Static_assert(TIMING_SAMPLES * 16 <= ENTROPY_MAX, "room for samples");
	if (cpu_has_rdseed() && hw_words(rdseed64, RDSEED_TRIES, words))
		*source = ENTROPY_RDSEED;
	else if (cpu_has_rdrand() && hw_words(rdrand64, RDRAND_TRIES, words))
		*source = ENTROPY_RDRAND;
	else
		*source = ENTROPY_TIMING;
	if (*source == ENTROPY_TIMING) {
		n = timing_words(words);
	} else {
		words[HW_WORDS] = rdtsc(); /* costs nothing, may help */
		n = (HW_WORDS + 1) * sizeof(uint64_t);
	}
	memcpy(out, words, n);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		((volatile uint64_t *)words)[i] = 0;
	return n;
}

const char *entropy_source_name(enum entropy_source source)
{
	switch (source) {
	case ENTROPY_RDSEED:
		return "RDSEED";
	case ENTROPY_RDRAND:
		return "RDRAND";
	case ENTROPY_TIMING:
		break;
	}
	return "the TSC and clock (weak)";
}
