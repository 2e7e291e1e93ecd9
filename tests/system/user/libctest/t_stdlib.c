/* stdlib.h: conversions, sorting, the environment, random numbers;
   math.h from libm. */
#include <limits.h>
#include <math.h>
#include "libctest.h"

static void string_to_number(void)
{
	char *end;

	CHECK_EQ(strtol("  -123xyz", &end, 10), -123);
	CHECK(strcmp(end, "xyz") == 0);
	CHECK_EQ(strtol("0x1f", NULL, 0), 31);
	CHECK_EQ(strtol("017", NULL, 0), 15);
	CHECK_EQ(strtol("z", NULL, 36), 35);
	CHECK_EQ(strtoul("4294967295", NULL, 10), 4294967295ul);
	CHECK_EQ(strtoll("-9223372036854775808", NULL, 10), LLONG_MIN);
	errno = 0;
	CHECK_EQ(strtol("99999999999999999999", NULL, 10), LONG_MAX);
	CHECK_EQ(errno, ERANGE);
	CHECK_EQ(strtol("abc", &end, 10), 0);
	CHECK(strcmp(end, "abc") == 0);
	CHECK_EQ(atoi("42"), 42);
	CHECK_EQ(atol("-7"), -7);
	CHECK(strtod("2.5e3", NULL) == 2500.0);
	CHECK(fabs(atof("0.1") - 0.1) < 1e-12);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void sort_and_search(void)
{
	enum { N = 1000 };
	static int v[N];
	int key, *hit;

	srand(7);
	for (int i = 0; i < N; i++)
		v[i] = rand() % 5000 - 2500;
	qsort(v, N, sizeof(v[0]), cmp_int);
	for (int i = 1; i < N; i++)
		if (v[i - 1] > v[i]) {
			CHECK(v[i - 1] <= v[i]);
			break;
		}
	key = v[N / 3];
	hit = bsearch(&key, v, N, sizeof(v[0]), cmp_int);
	CHECK(hit != NULL && *hit == key);
	key = 9999;
	CHECK(bsearch(&key, v, N, sizeof(v[0]), cmp_int) == NULL);
}

static void arithmetic(void)
{
	div_t d = div(-7, 2);
	ldiv_t ld = ldiv(7000000000l, 3);

	CHECK_EQ(abs(-5), 5);
	CHECK_EQ(labs(-5l), 5);
	CHECK_EQ(llabs(LLONG_MIN + 1), LLONG_MAX);
	CHECK_EQ(d.quot, -3);
	CHECK_EQ(d.rem, -1);
	CHECK_EQ(ld.quot, 2333333333l);
	CHECK_EQ(ld.rem, 1);
}

static void random_numbers(void)
{
	int a[8], same = 1;

	srand(42);
	for (int i = 0; i < 8; i++)
		a[i] = rand();
	srand(42);
	for (int i = 0; i < 8; i++)
		same &= a[i] == rand();
	CHECK(same); /* the same seed gives the same sequence */
	CHECK(a[0] != a[1] || a[1] != a[2]);
	for (int i = 0; i < 8; i++)
		CHECK(a[i] >= 0 && a[i] <= RAND_MAX);
}

static void environment(void)
{
	CHECK(getenv("LIBCTEST_NOT_SET") == NULL);
	CHECK_EQ(setenv("LIBCTEST_A", "one", 1), 0);
	CHECK(getenv("LIBCTEST_A") && strcmp(getenv("LIBCTEST_A"), "one") == 0);
	CHECK_EQ(setenv("LIBCTEST_A", "two", 0), 0); /* no overwrite */
	CHECK(strcmp(getenv("LIBCTEST_A"), "one") == 0);
	CHECK_EQ(setenv("LIBCTEST_A", "three", 1), 0);
	CHECK(strcmp(getenv("LIBCTEST_A"), "three") == 0);
	CHECK_EQ(unsetenv("LIBCTEST_A"), 0);
	CHECK(getenv("LIBCTEST_A") == NULL);
	CHECK_ERR(setenv("BAD=NAME", "x", 1), EINVAL);
}

static void maths(void)
{
	CHECK(sqrt(2.0) > 1.41421 && sqrt(2.0) < 1.41422);
	CHECK(fabs(sin(M_PI / 2) - 1.0) < 1e-12);
	CHECK(fabs(cos(0.0) - 1.0) < 1e-12);
	CHECK(pow(2.0, 10.0) == 1024.0);
	CHECK(floor(-1.5) == -2.0 && ceil(-1.5) == -1.0);
	CHECK(fabs(exp(log(10.0)) - 10.0) < 1e-9);
	CHECK(fmod(7.5, 2.0) == 1.5);
	CHECK(isnan(sqrt(-1.0)));
	CHECK(isinf(1.0 / 0.0));
}

const struct test stdlib_tests[] = {
	{ "strtol strtoul strtod atoi", string_to_number },
	{ "qsort and bsearch", sort_and_search },
	{ "abs and div", arithmetic },
	{ "rand and srand", random_numbers },
	{ "getenv setenv unsetenv", environment },
	{ "libm", maths },
	{ NULL, NULL },
};
