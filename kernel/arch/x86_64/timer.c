/*
 * Time: the TSC as a monotonic clock and the LAPIC timer (or, without a
 * LAPIC, PIT channel 0) as a one-shot timer, both calibrated against PIT
 * channel 2, whose input clock is the one frequency a PC guarantees.
 */
#include "intr.h"
#include "log.h"
#include "x86.h"

#define PIT_HZ		1193182UL
#define PIT_CH0		0x40
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_CH0_ONESHOT 0x30 /* channel 0, low+high byte, mode 0 */
#define PIT_CH2_ONESHOT 0xb0 /* channel 2, low+high byte, mode 0 */
#define PIT_MAX_COUNT	0xffffUL
#define PORT_B		0x61
#define PORT_B_GATE2	0x01
#define PORT_B_SPEAKER	0x02
#define PORT_B_OUT2	0x20

#define CAL_PIT_TICKS  (PIT_HZ / 100) /* 10 ms */
#define CAL_RUNS       3
#define CAL_SPIN_LIMIT 100000000L

#define LAPIC_DIVIDE_BY_16 0x3
#define LAPIC_MAX_COUNT	   0xffffffffUL

#define NS_PER_SEC 1000000000UL
#define HZ_PER_MHZ 1000000UL
#define HZ_PER_KHZ 1000UL
#define MULT_SHIFT 32
#define MIN_ARM_NS 5000UL

#define CPUID_EXT_MAX	    0x80000000
#define CPUID_EXT_POWER	    0x80000007
#define CPUID_INVARIANT_TSC (1U << 8)

unsigned timer_vector = VEC_TIMER;

static uint64_t tsc_base;
static uint64_t tsc_mult;   /* ns = ticks * tsc_mult >> MULT_SHIFT */
static uint64_t timer_mult; /* ticks = ns * timer_mult >> MULT_SHIFT */
static uint64_t timer_max;  /* the timer's largest count */
static uint64_t deadline;   /* in arch_clock_ns() time, when armed */
static bool armed;

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* v * mult >> MULT_SHIFT without overflow in between, saturated. */
static uint64_t scale(uint64_t v, uint64_t mult)
{
	unsigned __int128 r = (unsigned __int128)v * mult >> MULT_SHIFT;

	return r > UINT64_MAX ? UINT64_MAX : (uint64_t)r;
}

/*
 * Counts TSC and LAPIC timer ticks while PIT channel 2 counts down
 * CAL_PIT_TICKS.  Returns the TSC ticks, or 0 if channel 2 never ended.
 */
static uint64_t calibrate_once(uint32_t *lapic_ticks)
{
	uint64_t start, end;
	uint32_t lapic_start = 0;

	*lapic_ticks = 0;
	outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_CMD, PIT_CH2_ONESHOT);
	outb(PIT_CH2, CAL_PIT_TICKS & 0xff);
	if (lapic_in_use)
		lapic_write(LAPIC_TIMER_INIT, LAPIC_MAX_COUNT);
	outb(PIT_CH2, CAL_PIT_TICKS >> 8); /* counting starts here */
	start = rdtsc();
	if (lapic_in_use)
		lapic_start = lapic_read(LAPIC_TIMER_CURRENT);
	for (long i = 0; !(inb(PORT_B) & PORT_B_OUT2); i++)
		if (i == CAL_SPIN_LIMIT)
			return 0;
	end = rdtsc();
	if (lapic_in_use) {
		*lapic_ticks = lapic_start - lapic_read(LAPIC_TIMER_CURRENT);
		lapic_write(LAPIC_TIMER_INIT, 0);
	}
	return end - start;
}

static bool invariant_tsc(void)
{
	uint32_t r[4];

	cpuid(CPUID_EXT_MAX, 0, r);
	if (r[0] < CPUID_EXT_POWER)
		return false;
	cpuid(CPUID_EXT_POWER, 0, r);
	return r[3] & CPUID_INVARIANT_TSC;
}

/*
 * Measures the TSC and LAPIC timer frequencies (the fastest of CAL_RUNS
 * runs: delays only ever make a run longer) and starts the clock.
 */
void arch_timer_init(void)
{
	uint64_t best = UINT64_MAX, tsc_hz, timer_hz;
	uint32_t lapic_ticks = 0;

	if (lapic_in_use) {
		lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_BY_16);
		lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	}
	for (int i = 0; i < CAL_RUNS; i++) {
		uint32_t ticks;
		uint64_t tsc = calibrate_once(&ticks);

		if (tsc && tsc < best) {
			best = tsc;
			lapic_ticks = ticks;
		}
	}
	if (best == UINT64_MAX)
		panic("timer: PIT channel 2 does not count; cannot calibrate");
	if (lapic_in_use && !lapic_ticks)
		panic("timer: the LAPIC timer does not count");
	tsc_hz = best * PIT_HZ / CAL_PIT_TICKS;
	tsc_mult = (NS_PER_SEC << MULT_SHIFT) / tsc_hz;
	if (lapic_in_use) {
		timer_hz = (uint64_t)lapic_ticks * PIT_HZ / CAL_PIT_TICKS;
		timer_max = LAPIC_MAX_COUNT;
	} else {
		/* PIT channel 0, one-shot on line 0; quiet until armed. */
		outb(PIT_CMD, PIT_CH0_ONESHOT);
		arch_irq_unmask(0);
		timer_vector = VEC_IRQ_BASE;
		timer_hz = PIT_HZ;
		timer_max = PIT_MAX_COUNT;
	}
	timer_mult = (timer_hz << MULT_SHIFT) / NS_PER_SEC;
	tsc_base = rdtsc();
	klog("timer: TSC %lu.%03lu MHz%s, %s timer %lu.%03lu MHz\n",
	     tsc_hz / HZ_PER_MHZ, tsc_hz / HZ_PER_KHZ % 1000,
	     invariant_tsc() ? " (invariant)" : "",
	     lapic_in_use ? "LAPIC" : "PIT", timer_hz / HZ_PER_MHZ,
	     timer_hz / HZ_PER_KHZ % 1000);
}

uint64_t arch_clock_ns(void)
{
	return scale(rdtsc() - tsc_base, tsc_mult);
}

static void hw_arm(uint64_t ns)
{
	uint64_t ticks = scale(MAX(ns, MIN_ARM_NS), timer_mult);

	ticks = MIN(MAX(ticks, 1), timer_max);
	if (lapic_in_use) {
		lapic_write(LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot */
		lapic_write(LAPIC_TIMER_INIT, ticks);
	} else {
		outb(PIT_CMD, PIT_CH0_ONESHOT);
		outb(PIT_CH0, ticks & 0xff);
		outb(PIT_CH0, ticks >> 8);
	}
}

void arch_timer_arm(uint64_t ns)
{
	uint64_t now = arch_clock_ns();

	deadline = now + MIN(ns, UINT64_MAX - now);
	armed = true;
	hw_arm(ns);
}

void arch_timer_cancel(void)
{
	armed = false;
	if (lapic_in_use)
		lapic_write(LAPIC_TIMER_INIT, 0);
	else
		outb(PIT_CMD, PIT_CH0_ONESHOT); /* waits for a count */
}

bool timer_take(void)
{
	uint64_t now = arch_clock_ns();

	if (!armed)
		return false;
	if (now < deadline) {
		hw_arm(deadline - now);
		return false;
	}
	armed = false;
	return true;
}
