/*
 * Directories, for programs linked with newlib (whose own <dirent.h> is
 * not available on this target).  libc/posix/dirent.c reads them with
 * the file protocol's FS_READDIR.
 */
#ifndef VALENCE_DIRENT_H
#define VALENCE_DIRENT_H

#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_FIFO	   1
#define DT_CHR	   2
#define DT_DIR	   4
#define DT_REG	   8
#define DT_LNK	   10

struct dirent {
	ino_t d_ino;
	unsigned char d_type; /* DT_* */
	char d_name[256];
};

typedef struct valence_dir DIR;

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *dir);
void rewinddir(DIR *dir);
int closedir(DIR *dir);
int dirfd(DIR *dir);

#endif
