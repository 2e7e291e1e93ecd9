/*
 * stat: shows what stat() says of each file: size, blocks, type, device,
 * inode, links, permissions, owner and the three times (UTC, there are no
 * time zones), or with -c FORMAT only what the format asks for, one line
 * per file.  A symbolic link is shown as itself unless -L.
 *
 * -c conversions: %n name, %N name (and -> target for a link), %s size,
 * %b blocks, %B the block unit (512), %o the I/O block, %f the raw mode
 * in hex, %a the permissions in octal, %A as ls shows them, %F the type,
 * %h links, %i inode, %d device, %u uid, %g gid, %X %Y %Z access,
 * modification and change time in seconds, %x %y %z the same as dates,
 * %% a percent sign.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util.h"

static const char usage[] = "stat [-L] [-c FORMAT] FILE...\n"
			    "  -c FORMAT  print FORMAT for each file "
			    "(%n %s %a %A %F %h %i %u %g %Y ...)\n"
			    "  -L         follow symbolic links\n";

static void print_name(const char *path, const struct stat *st, int quoted)
{
	char target[1024];
	long n;

	printf(quoted ? "'%s'" : "%s", path);
	if (!quoted || !S_ISLNK(st->st_mode))
		return;
	n = readlink(path, target, sizeof(target) - 1);
	if (n >= 0) {
		target[n] = '\0';
		printf(" -> '%s'", target);
	}
}

static void print_time(time_t t)
{
	char buf[32];

	util_format_time(t, buf, sizeof(buf));
	fputs(buf, stdout);
}

/* One conversion of -c; returns 0, or -1 for one it does not know. */
static int convert(char c, const char *path, const struct stat *st)
{
	char mode[11];

	switch (c) {
	case 'n':
	case 'N':
		print_name(path, st, c == 'N');
		return 0;
	case 's':
		printf("%lld", (long long)st->st_size);
		return 0;
	case 'b':
		printf("%lld", (long long)st->st_blocks);
		return 0;
	case 'B':
		printf("512");
		return 0;
	case 'o':
		printf("%ld", (long)st->st_blksize);
		return 0;
	case 'f':
		printf("%lx", (unsigned long)st->st_mode);
		return 0;
	case 'a':
		printf("%lo", (unsigned long)(st->st_mode & 07777));
		return 0;
	case 'A':
		util_format_mode(st->st_mode, mode);
		fputs(mode, stdout);
		return 0;
	case 'F':
		fputs(util_file_type(st->st_mode), stdout);
		return 0;
	case 'h':
		printf("%lu", (unsigned long)st->st_nlink);
		return 0;
	case 'i':
		printf("%llu", (unsigned long long)st->st_ino);
		return 0;
	case 'd':
		printf("%lu", (unsigned long)st->st_dev);
		return 0;
	case 'u':
		printf("%lu", (unsigned long)st->st_uid);
		return 0;
	case 'g':
		printf("%lu", (unsigned long)st->st_gid);
		return 0;
	case 'X':
	case 'Y':
	case 'Z':
		printf("%lld", (long long)(c == 'X'   ? st->st_atime
					   : c == 'Y' ? st->st_mtime
						      : st->st_ctime));
		return 0;
	case 'x':
	case 'y':
	case 'z':
		print_time(c == 'x'   ? st->st_atime
			   : c == 'y' ? st->st_mtime
				      : st->st_ctime);
		return 0;
	case '%':
		putchar('%');
		return 0;
	}
	return -1;
}

static void print_format(const char *fmt, const char *path,
			 const struct stat *st)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putchar(*fmt);
		} else if (!fmt[1]) {
			putchar('%');
		} else if (convert(*++fmt, path, st) < 0) {
			putchar('%');
			putchar(*fmt);
		}
	}
	putchar('\n');
}

static void print_all(const char *path, const struct stat *st)
{
	char mode[11];

	util_format_mode(st->st_mode, mode);
	fputs("  File: ", stdout);
	print_name(path, st, S_ISLNK(st->st_mode));
	printf("\n  Size: %-10lld Blocks: %-10lld IO Block: %-6ld %s\n",
	       (long long)st->st_size, (long long)st->st_blocks,
	       (long)st->st_blksize, util_file_type(st->st_mode));
	printf("Device: %-10lu Inode: %-11llu Links: %lu\n",
	       (unsigned long)st->st_dev, (unsigned long long)st->st_ino,
	       (unsigned long)st->st_nlink);
	printf("Access: (%04lo/%s)  Uid: %lu  Gid: %lu\n",
	       (unsigned long)(st->st_mode & 07777), mode,
	       (unsigned long)st->st_uid, (unsigned long)st->st_gid);
	fputs("Access: ", stdout);
	print_time(st->st_atime);
	fputs("\nModify: ", stdout);
	print_time(st->st_mtime);
	fputs("\nChange: ", stdout);
	print_time(st->st_ctime);
	putchar('\n');
}

int main(int argc, char **argv)
{
	const char *format = NULL;
	int follow = 0, status = 0, c;

	util_prog = "stat";
	while ((c = util_getopt(argc, argv, "c:hL", usage)) != -1) {
		if (c == 'h')
			util_usage(usage, 0);
		if (c == 'c')
			format = util_optarg;
		follow |= c == 'L';
	}
	if (util_optind == argc)
		util_usage_error(usage, "missing FILE");
	for (int i = util_optind; i < argc; i++) {
		struct stat st;
		int r = follow ? stat(argv[i], &st) : lstat(argv[i], &st);

		if (r < 0) {
			util_warn("%s", argv[i]);
			status = 1;
			continue;
		}
		if (format)
			print_format(format, argv[i], &st);
		else
			print_all(argv[i], &st);
		if (ferror(stdout))
			util_write_failed();
	}
	return util_finish(status);
}
