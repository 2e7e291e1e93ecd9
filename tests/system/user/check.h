/*
 * The check macros of the in-OS test suites (ktest, fstest).  A suite
 * defines CHECK_FAIL as its function that records a failure of the running
 * test, void fail(const char *file, int line, const char *expr,
 * long long got), before it includes this file.  CHECK* go on after a
 * failure; REQUIRE* end the test function.
 */
#ifndef TESTS_SYSTEM_USER_CHECK_H
#define TESTS_SYSTEM_USER_CHECK_H

#ifndef CHECK_FAIL
#error "define CHECK_FAIL before including check.h"
#endif

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			CHECK_FAIL(__FILE__, __LINE__, #cond, 0);              \
	} while (0)

#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		long long _a = (long long)(a), _b = (long long)(b);            \
		if (_a != _b)                                                  \
			CHECK_FAIL(__FILE__, __LINE__, #a " == " #b, _a);      \
	} while (0)

/* x must be >= 0 (a handle, an address, a count). */
#define CHECK_OK(x)                                                            \
	do {                                                                   \
		long long _x = (long long)(x);                                 \
		if (_x < 0)                                                    \
			CHECK_FAIL(__FILE__, __LINE__, #x " >= 0", _x);        \
	} while (0)

#define REQUIRE(cond)                                                          \
	do {                                                                   \
		if (!(cond)) {                                                 \
			CHECK_FAIL(__FILE__, __LINE__, #cond, 0);              \
			return;                                                \
		}                                                              \
	} while (0)

#define REQUIRE_EQ(a, b)                                                       \
	do {                                                                   \
		long long _a = (long long)(a), _b = (long long)(b);            \
		if (_a != _b) {                                                \
			CHECK_FAIL(__FILE__, __LINE__, #a " == " #b, _a);      \
			return;                                                \
		}                                                              \
	} while (0)

#define REQUIRE_OK(x)                                                          \
	do {                                                                   \
		long long _x = (long long)(x);                                 \
		if (_x < 0) {                                                  \
			CHECK_FAIL(__FILE__, __LINE__, #x " >= 0", _x);        \
			return;                                                \
		}                                                              \
	} while (0)

#endif
