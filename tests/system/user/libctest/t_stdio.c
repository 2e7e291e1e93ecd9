/* stdio: formatting, scanning, files on initfs, buffering. */
#include <math.h>
#include <stdint.h>
#include <unistd.h>
#include "libctest.h"

#define FMT(want, ...)                                                         \
	do {                                                                   \
		char _b[128];                                                  \
		int _n = snprintf(_b, sizeof(_b), __VA_ARGS__);                \
		CHECK_EQ(_n, (int)strlen(want));                               \
		if (strcmp(_b, want) != 0) {                                   \
			printf("  got \"%s\", want \"%s\"\n", _b, want);      \
			CHECK(strcmp(_b, want) == 0);                          \
		}                                                              \
	} while (0)

static void printf_integers(void)
{
	FMT("42 -42 42", "%d %i %u", 42, -42, 42u);
	FMT("ff FF 377 0xff", "%x %X %o %#x", 255, 255, 255, 255);
	FMT("[   42] [42   ] [00042] [+42]", "[%5d] [%-5d] [%05d] [%+d]", 42,
	    42, 42, 42);
	FMT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	FMT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	FMT("4096 -1 200", "%zu %jd %hhu", (size_t)4096, (intmax_t)-1,
	    (unsigned char)200);
	FMT("0x1000", "%p", (void *)0x1000);
	FMT("c abc ab %", "%c %s %.2s %%", 'c', "abc", "abc");
	FMT("[  abc]", "[%*s]", 5, "abc");
}

static void printf_floats(void)
{
	FMT("3.141593 3.14 3.1e+00", "%f %.2f %.1e", 3.14159265, 3.14159265,
	    3.14159265);
	FMT("0.0001 1e+10 100", "%g %g %g", 0.0001, 1e10, 100.0);
	FMT("-0.500 inf -inf nan", "%.3f %f %f %f", -0.5, (double)INFINITY,
	    -(double)INFINITY, (double)NAN);
	FMT("0x1p+0", "%a", 1.0);
}

static void printf_truncation(void)
{
	static const char *volatile ten = "0123456789"; /* not folded */
	char b[8];
	int n = snprintf(b, sizeof(b), "%s", ten);

	CHECK_EQ(n, 10); /* what it would have written */
	CHECK(strcmp(b, "0123456") == 0);
	CHECK_EQ(snprintf(NULL, 0, "%d", 12345), 5);
}

static void scanf_family(void)
{
	int a = 0, b = 0;
	unsigned x = 0;
	double d = 0;
	char word[16] = "";

	CHECK_EQ(sscanf("12 -7 ff 2.5 word", "%d %d %x %lf %15s", &a, &b, &x,
			&d, word),
		 5);
	CHECK_EQ(a, 12);
	CHECK_EQ(b, -7);
	CHECK_EQ(x, 255);
	CHECK(d == 2.5);
	CHECK(strcmp(word, "word") == 0);
	CHECK_EQ(sscanf("abc", "%d", &a), 0);
	CHECK_EQ(sscanf("", "%d", &a), EOF);
}

static void fopen_file_scheme(void)
{
	char line[64];
	FILE *f = fopen(HELLO_PATH, "r");

	REQUIRE(f != NULL);
	CHECK(fgets(line, sizeof(line), f) != NULL);
	CHECK(strcmp(line, HELLO_TEXT) == 0);
	CHECK(fgets(line, sizeof(line), f) == NULL);
	CHECK(feof(f));
	CHECK(!ferror(f));
	CHECK_EQ(fclose(f), 0);
}

static void fopen_initfs_scheme(void)
{
	char buf[64] = "";
	FILE *f = fopen("initfs:" HELLO_PATH, "r");

	REQUIRE(f != NULL);
	CHECK_EQ(fread(buf, 1, sizeof(buf) - 1, f), strlen(HELLO_TEXT));
	CHECK(strcmp(buf, HELLO_TEXT) == 0);
	CHECK_EQ(fclose(f), 0);
}

static void fread_fseek_ftell(void)
{
	char buf[LINE_LEN * 3 + 1];
	FILE *f = fopen(LINES_PATH, "rb");

	REQUIRE(f != NULL);
	CHECK_EQ(fseek(f, 0, SEEK_END), 0);
	CHECK_EQ(ftell(f), LINES_COUNT * LINE_LEN);
	CHECK_EQ(fseek(f, 41 * LINE_LEN, SEEK_SET), 0); /* line 042 */
	CHECK_EQ(fread(buf, LINE_LEN, 3, f), 3);
	buf[LINE_LEN * 3] = '\0';
	CHECK(strcmp(buf, "line 042\nline 043\nline 044\n") == 0);
	CHECK_EQ(ftell(f), 44 * LINE_LEN);
	CHECK_EQ(fseek(f, -LINE_LEN, SEEK_CUR), 0);
	CHECK_EQ(fgetc(f), 'l');
	CHECK_EQ(ungetc('X', f), 'X');
	CHECK_EQ(fgetc(f), 'X');
	rewind(f);
	CHECK_EQ(ftell(f), 0);
	CHECK_ERR(fseek(f, -1, SEEK_SET), EINVAL);
	CHECK_EQ(fseek(f, 0, SEEK_END), 0);
	CHECK_EQ(fgetc(f), EOF);
	CHECK(feof(f));
	clearerr(f);
	CHECK(!feof(f));
	CHECK_EQ(fclose(f), 0);
}

static void read_whole_file_in_lines(void)
{
	char line[32], want[32];
	int n = 0;
	FILE *f = fopen(LINES_PATH, "r");

	REQUIRE(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		n++;
		snprintf(want, sizeof(want), "line %03d\n", n);
		if (strcmp(line, want) != 0) {
			CHECK(strcmp(line, want) == 0);
			break;
		}
	}
	CHECK_EQ(n, LINES_COUNT);
	CHECK_EQ(fclose(f), 0);
}

static void fwrite_to_read_only_stream(void)
{
	FILE *f = fopen(HELLO_PATH, "r");

	REQUIRE(f != NULL);
	CHECK_EQ(fwrite("x", 1, 1, f), 0);
	CHECK(ferror(f));
	fclose(f);
	/* initfs is read-only: opening for writing says so. */
	CHECK_NULL_ERR(fopen("initfs:" HELLO_PATH, "w"), EROFS);
	CHECK_NULL_ERR(fopen("initfs:" HELLO_PATH, "r+"), EROFS);
}

static void full_buffering(void)
{
	char mem[64], buf[16];
	FILE *f;

	memset(mem, '.', sizeof(mem));
	f = fmemopen(mem, sizeof(mem), "w");
	REQUIRE(f != NULL);
	CHECK_EQ(setvbuf(f, buf, _IOFBF, sizeof(buf)), 0);
	CHECK(fputs("abc", f) >= 0);
	CHECK(memcmp(mem, "abc", 3) != 0); /* still in the stream's buffer */
	CHECK_EQ(fflush(f), 0);
	CHECK_EQ(memcmp(mem, "abc", 3), 0);
	CHECK(fputs("0123456789abcdefXYZ", f) >= 0); /* overflows buf */
	CHECK_EQ(memcmp(mem, "abc0123456789abc", 16), 0);
	CHECK_EQ(fclose(f), 0);
}

static void line_buffered_stdout(void)
{
	/* init's standard handles are character devices, like a terminal. */
	CHECK_EQ(isatty(1), 1);
	CHECK_EQ(isatty(2), 1);
	CHECK_EQ(fileno(stdout), 1);
	CHECK(printf("%s", "") >= 0);
	CHECK((stdout->_flags & __SLBF) != 0); /* newlib: line buffered */
	CHECK_EQ(fflush(stdout), 0);
}

static void stderr_unbuffered(void)
{
	CHECK_EQ(fprintf(stderr, "libctest: a line on stderr\n"), 27);
	CHECK((stderr->_flags & __SNBF) != 0);
}

const struct test stdio_tests[] = {
	{ "printf integers", printf_integers },
	{ "printf floats", printf_floats },
	{ "snprintf truncation", printf_truncation },
	{ "sscanf", scanf_family },
	{ "fopen file: path", fopen_file_scheme },
	{ "fopen initfs: path", fopen_initfs_scheme },
	{ "fread fseek ftell ungetc", fread_fseek_ftell },
	{ "fgets a whole file", read_whole_file_in_lines },
	{ "fwrite to read-only", fwrite_to_read_only_stream },
	{ "full buffering", full_buffering },
	{ "stdout line buffered", line_buffered_stdout },
	{ "stderr unbuffered", stderr_unbuffered },
	{ NULL, NULL },
};
