/*
 * In-kernel self-tests (kernel/selftest.c), run with the `test=kernel`
 * boot option, and deliberate faults (`fault=<kind>`) that exercise the
 * panic report.
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

/* Runs every check, logs "selftest: N passed, M failed"; returns M. */
int selftest_run(void);

/*
 * Faults on purpose: "null" (write through a bad pointer), "ud" (invalid
 * opcode), "stack" (run off the boot stack into its guard page), "divide"
 * or "panic".  Returns only for an unknown kind.
 */
void selftest_fault(const char *kind);

#endif
