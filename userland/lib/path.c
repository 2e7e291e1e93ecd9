/* libutil: path names (util.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

void util_basename(const char *path, char *out, size_t size)
{
	size_t end = strlen(path), start;

	while (end > 1 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/' && path[start - 1] != ':')
		start--;
	if (start == end && end > 0 && path[end - 1] == '/')
		start = end - 1; /* "/" is its own name */
	if (size == 0)
		return;
	if (end - start >= size)
		end = start + size - 1;
	memcpy(out, path + start, end - start);
	out[end - start] = '\0';
}

char *util_path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	int slash = dl > 0 && dir[dl - 1] != '/' && dir[dl - 1] != ':';
	char *p = malloc(dl + (size_t)slash + nl + 1);

	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(p, dir, dl);
	if (slash)
		p[dl] = '/';
	memcpy(p + dl + (size_t)slash, name, nl + 1);
	return p;
}
