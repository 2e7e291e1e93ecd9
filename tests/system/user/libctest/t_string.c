/* string.h and ctype.h. */
#include <ctype.h>
#include <strings.h>
#include "libctest.h"

static void lengths_and_compares(void)
{
	CHECK_EQ(strlen(""), 0);
	CHECK_EQ(strlen("valence"), 7);
	CHECK_EQ(strnlen("valence", 3), 3);
	CHECK(strcmp("abc", "abd") < 0);
	CHECK(strcmp("abd", "abc") > 0);
	CHECK_EQ(strcmp("abc", "abc"), 0);
	CHECK_EQ(strncmp("abcx", "abcy", 3), 0);
	CHECK(strcasecmp("VaLeNcE", "valence") == 0);
	CHECK(strncasecmp("ABx", "aby", 2) == 0);
	CHECK(memcmp("\x01", "\xff", 1) < 0); /* bytes compare unsigned */
}

static void copies(void)
{
	char b[16];

	memset(b, 'x', sizeof(b));
	CHECK(strcpy(b, "abc") == b);
	CHECK(strcmp(b, "abc") == 0);
	CHECK(strcat(b, "def") == b);
	CHECK(strcmp(b, "abcdef") == 0);
	memset(b, 'x', sizeof(b));
	strncpy(b, "ab", 5); /* pads with NULs to 5 */
	CHECK(memcmp(b, "ab\0\0\0x", 6) == 0);
	strncpy(b, "abcdefgh", 4); /* no NUL when the source is longer */
	CHECK(memcmp(b, "abcd\0", 5) == 0);
	CHECK(strncat(b, "xyz", 2) == b);
	CHECK(strcmp(b, "abcdxy") == 0);
}

static void overlapping_moves(void)
{
	char b[] = "0123456789";

	memmove(b + 2, b, 5);
	CHECK(strcmp(b, "0101234789") == 0);
	memmove(b, b + 3, 5);
	CHECK(strcmp(b, "1234734789") == 0);
	memset(b, 'z', 3);
	CHECK(strncmp(b, "zzz4", 4) == 0);
}

static void searches(void)
{
	const char *s = "hello, valence world";
	char tok[] = "a,b,,c";
	char *save, *t;

	CHECK(strchr(s, 'v') == s + 7);
	CHECK(strchr(s, '\0') == s + strlen(s));
	CHECK(strrchr(s, 'o') == s + 16);
	CHECK(strchr(s, 'q') == NULL);
	CHECK(strstr(s, "valence") == s + 7);
	CHECK(strstr(s, "") == s);
	CHECK(strstr(s, "vale nce") == NULL);
	CHECK(memchr(s, ',', 10) == s + 5);
	CHECK_EQ(strspn("aabbc", "ab"), 4);
	CHECK_EQ(strcspn("hello", "lo"), 2);
	CHECK(strpbrk(s, "wv") == s + 7);
	t = strtok_r(tok, ",", &save);
	CHECK(t && strcmp(t, "a") == 0);
	t = strtok_r(NULL, ",", &save);
	CHECK(t && strcmp(t, "b") == 0);
	t = strtok_r(NULL, ",", &save);
	CHECK(t && strcmp(t, "c") == 0); /* empty fields are skipped */
	CHECK(strtok_r(NULL, ",", &save) == NULL);
}

static void duplicates_and_errors(void)
{
	char *d = strdup("copy me");
	char *n = strndup("truncate", 5);

	CHECK(d && strcmp(d, "copy me") == 0);
	CHECK(n && strcmp(n, "trunc") == 0);
	free(d);
	free(n);
	CHECK(strcmp(strerror(ENOENT), "No such file or directory") == 0);
	CHECK(strcmp(strerror(EBADF), "Bad file number") == 0);
	CHECK(strcmp(strerror(EROFS), "Read-only file system") == 0);
}

static void ctype(void)
{
	CHECK(isalpha('a') && isalpha('Z') && !isalpha('1'));
	CHECK(isdigit('7') && !isdigit('x'));
	CHECK(isxdigit('f') && isxdigit('F') && !isxdigit('g'));
	CHECK(isspace(' ') && isspace('\t') && isspace('\n') && !isspace('_'));
	CHECK(isupper('Q') && islower('q'));
	CHECK(ispunct('!') && !ispunct('a'));
	CHECK(isprint(' ') && !isprint('\x7f'));
	CHECK_EQ(toupper('a'), 'A');
	CHECK_EQ(tolower('A'), 'a');
	CHECK_EQ(toupper('1'), '1');
}

const struct test string_tests[] = {
	{ "string lengths and compares", lengths_and_compares },
	{ "string copies", copies },
	{ "memmove overlapping", overlapping_moves },
	{ "string searches and strtok", searches },
	{ "strdup and strerror", duplicates_and_errors },
	{ "ctype", ctype },
	{ NULL, NULL },
};
