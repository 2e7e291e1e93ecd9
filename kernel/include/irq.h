/*
 * What the architecture layer calls from interrupt context.  Interrupts are
 * off throughout the kernel (it is not preemptible), so these run with them
 * off too, and must not block.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include "arch.h"

/* The deadline given to arch_timer_arm() has passed. */
void timer_interrupt(void);

/* `line` fired; the arch layer has already masked it and sent the EOI. */
void irq_line_interrupt(unsigned line);

/* How often each callback ran (counted in trap.c; the self-tests read them). */
extern volatile uint64_t timer_fired;
extern volatile uint64_t irq_line_count[IRQ_LINES];

#endif
