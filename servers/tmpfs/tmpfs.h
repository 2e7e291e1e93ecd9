/*
 * tmpfs: a file system in RAM, serving file: when Valence runs without a
 * disk.  Declarations shared by its files:
 *
 *   main.c     start-up (arguments, the archive, ns:) and the loop
 *   archive.c  fills the tree from the boot archive
 *   file.c     open files and the handlers of the file protocol
 *   ops.c      the operations on paths: open, mkdir, unlink, rename ...
 *   tree.c     nodes, directory entries, path lookup, permissions, the
 *              memory account
 *   data.c     the bytes of regular files, in blocks
 *
 * tree.c, ops.c and data.c know nothing of IPC, so the unit tests
 * (tests/unit/servers/test_tmpfs.c) run them on the host.
 * docs/servers.md describes what the server does for its clients.
 */
#ifndef TMPFS_H
#define TMPFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <valence/errno.h>
#include <valence/proto.h>

#define TMPFS_NAME_MAX	  255  /* one path component */
#define TMPFS_PATH_MAX	  1024 /* a path, its NUL included */
#define TMPFS_SYMLOOP_MAX 40   /* symbolic links followed in one lookup */
#define TMPFS_BLOCK	  4096 /* file data is kept in blocks of this */
#define TMPFS_FILE_MAX	  (1ull << 40) /* largest file size: -EFBIG */
#define TMPFS_DEV	  2	       /* vstat.dev of every node */

/* Who is asking: the uid and gid the kernel stamped on the call. */
struct cred {
	uint32_t uid, gid;
};

/* What a permission check asks for (the rwx bits). */
#define MAY_EXEC  1
#define MAY_WRITE 2
#define MAY_READ  4

struct entry;

/*
 * A file, directory or symbolic link.  It lives while a directory entry
 * names it (nlink > 0) or a client has it open (opens > 0).
 */
struct node {
	uint64_t ino;
	uint32_t mode;	/* VS_IF* | permission bits (07777) */
	uint32_t nlink; /* files: entries naming it; directories: 2 +
			   subdirectories, 0 once removed */
	uint32_t uid, gid;
	uint32_t opens;		     /* open files on it */
	int64_t atime, mtime, ctime; /* ns, see tmpfs_now() */
	uint64_t size;		     /* files: bytes; links: target length */
	union {
		struct {
			uint8_t **blocks; /* blocks[i]: bytes from i * BLOCK, or
					     NULL: a hole, zeros */
			uint64_t cap;	  /* entries in blocks[] */
			uint64_t count;	  /* blocks allocated */
		} file;
		struct {
			struct entry *first, *last; /* in cookie order */
			struct node *parent;	    /* the root's is itself */
			uint64_t entries;
			uint64_t next_cookie; /* for the next entry */
			uint64_t removals;    /* bumped when an entry goes */
		} dir;
		struct {
			char *target; /* size bytes and a NUL */
		} link;
	} u;
};

/*
 * A name in a directory.  A directory keeps its entries in a list in the
 * order they were made; each has a cookie, its position for FS_READDIR
 * (2, 3, ...: 0 and 1 are "." and ".."), that never changes, so a reader
 * keeps its place while entries come and go.
 */
struct entry {
	struct node *dir, *node;
	struct entry *next, *prev; /* in the directory, by cookie */
	struct entry *hash_next;   /* in the lookup table */
	uint64_t cookie;
	uint32_t namelen;
	char name[]; /* NUL-terminated */
};

static inline bool node_is_dir(const struct node *n)
{
	return (n->mode & VS_IFMT) == VS_IFDIR;
}

static inline bool node_is_reg(const struct node *n)
{
	return (n->mode & VS_IFMT) == VS_IFREG;
}

static inline bool node_is_link(const struct node *n)
{
	return (n->mode & VS_IFMT) == VS_IFLNK;
}

/* ---- main.c (or the unit test): the clock ---- */

/*
 * The time for timestamps, in ns.  There is no wall clock yet, so it is
 * the kernel's clock since boot, which libc's time() also counts from
 * 1970: the two agree.
 */
int64_t tmpfs_now(void);

/* ---- tree.c ---- */

extern struct node *tree_root;
extern uint64_t tree_used;  /* bytes charged to the account */
extern uint64_t tree_max;   /* the cap on tree_used (max=) */
extern uint64_t tree_nodes; /* nodes alive */

/* Makes an empty tree: a root directory (0755, uid 0, gid 0) and an
   account capped at max_bytes.  0 or -ENOMEM. */
int tree_init(uint64_t max_bytes);

/* Frees every node and entry, open or not (the unit tests' clean-up). */
void tree_destroy(void);

/* Charges n bytes to the account: false, and nothing charged, when they
   do not fit under the cap. */
bool tree_charge(uint64_t n);
void tree_uncharge(uint64_t n);

/*
 * A new node of `mode` (type and permission bits) owned by c, with
 * nlink 0 and every time now.  NULL when the account or malloc is out of
 * room (-ENOSPC for the caller).
 */
struct node *node_new(uint32_t mode, const struct cred *c);

/* Frees n if nothing keeps it: no name (nlink 0) and not open. */
void node_put(struct node *n);

/* 0 when c may do `may` (MAY_* bits) to n, else -EACCES.  uid 0 may do
   everything. */
int node_access(const struct node *n, const struct cred *c, int may);

/* The entry called name[0, n) in dir, or NULL. */
struct entry *dir_find(struct node *dir, const char *name, size_t n);

/*
 * Adds the entry name[0, n) -> node to dir, last in its order; does not
 * touch link counts or times.  0, or -ENOSPC (account or malloc).
 */
int dir_add(struct node *dir, const char *name, size_t n, struct node *node);

/* Removes and frees entry e; does not touch link counts or times. */
void dir_remove(struct entry *e);

/* The first entry of dir whose cookie is >= cookie, or NULL. */
struct entry *dir_seek(struct node *dir, uint64_t cookie);

/* What tree_walk found. */
struct walk {
	struct node *dir;    /* the directory of the last component */
	struct node *node;   /* what the path names; NULL if it does not
				exist (then dir and name say where it would) */
	struct entry *entry; /* node's entry in dir (NULL for the root, "."
				and "..") */
	const char *name;    /* the last component (in buf), namelen bytes; */
	size_t namelen;	     /*   "" for the root */
	bool slash;	     /* a '/' came after the last component */
	bool dots;	     /* the last component is "." or "..", or the
				path names the root */
	char buf[TMPFS_PATH_MAX];
};

#define WALK_FOLLOW 1 /* follow a symbolic link in the last component */

/*
 * Looks up path[0, len) from the root, as c: every directory on the way
 * needs MAY_EXEC; empty components and "." are skipped, ".." goes to the
 * parent (the root's is the root); symbolic links before the last
 * component are followed, and the last one too with WALK_FOLLOW or when
 * a '/' follows it, TMPFS_SYMLOOP_MAX in all.  An absolute target
 * starts at the root, a relative one in the link's directory.
 *
 * Returns 0 with *w filled (w->node NULL when only the last component
 * is missing), or -ENOENT, -ENOTDIR (a component before the last is not
 * a directory), -EACCES, -ELOOP, -ENAMETOOLONG (a component longer than
 * TMPFS_NAME_MAX, a path or link expansion of TMPFS_PATH_MAX or more).
 */
int tree_walk(const char *path, size_t len, int flags, const struct cred *c,
	      struct walk *w);

/*
 * Whether c may remove or rename the entry for `victim` from dir: write
 * and search permission on dir, and with the sticky bit on dir, owning
 * dir or victim.  0 or -EACCES (-EPERM for the sticky bit).
 */
int dir_may_delete(struct node *dir, const struct node *victim,
		   const struct cred *c);

/* Fills *st for n. */
void node_stat(const struct node *n, struct vstat *st);

/* ---- data.c ---- */

/*
 * Copies len bytes between the client and file data: `copy_in` fills
 * dst from the client's bytes at offset `at` of the transfer; `copy_out`
 * sends src to it (src is all zeros for a hole).  Each returns the bytes
 * copied (fewer: the client's buffer ended) or -errno.
 */
typedef long (*data_copy_in)(void *ctx, uint64_t at, void *dst, size_t len);
typedef long (*data_copy_out)(void *ctx, uint64_t at, const void *src,
			      size_t len);

/* Reads up to len bytes of file n from pos: the bytes copied (0 at or
   past the end), or the first copy's error. */
long data_read(struct node *n, uint64_t pos, uint64_t len, data_copy_out out,
	       void *ctx);

/*
 * Writes len bytes at pos into file n, growing it; blocks are allocated
 * as needed (holes stay holes).  Returns the bytes written: fewer than
 * len when the account or the client's buffer runs out first, and then
 * -ENOSPC or the copy's error if none were.  -EFBIG past TMPFS_FILE_MAX.
 */
long data_write(struct node *n, uint64_t pos, uint64_t len, data_copy_in in,
		void *ctx);

/* Sets file n's size; what is cut is freed, what is added reads as
   zeros.  0, or -EFBIG past TMPFS_FILE_MAX. */
int data_truncate(struct node *n, uint64_t size);

/* Frees all of file n's data. */
void data_free(struct node *n);

/* ---- ops.c: operations on paths, as c ---- */

/*
 * FS_OPEN's lookup: finds (or with VO_CREAT makes, with mode & 07777)
 * the file path[0, len) names, checks flags against it and c's
 * permissions, truncates it for VO_TRUNC, and returns it in *out.  Does
 * not count the open (the caller does, in n->opens).
 */
int ops_open(const char *path, size_t len, uint32_t flags, uint32_t mode,
	     const struct cred *c, struct node **out);

/* Finds what path names, following a last symbolic link if `follow`. */
int ops_lookup(const char *path, size_t len, bool follow, const struct cred *c,
	       struct node **out);

int ops_mkdir(const char *path, size_t len, uint32_t mode,
	      const struct cred *c);
int ops_unlink(const char *path, size_t len, bool dir, const struct cred *c);
int ops_rename(const char *from, size_t from_len, const char *to, size_t to_len,
	       const struct cred *c);
int ops_link(const char *from, size_t from_len, const char *to, size_t to_len,
	     const struct cred *c);
int ops_symlink(const char *target, size_t target_len, const char *path,
		size_t len, const struct cred *c);

/* Attributes of a node, FS_CHMOD, FS_CHOWN, FS_UTIMES; 0 or -errno. */
int ops_chmod(struct node *n, uint32_t mode, const struct cred *c);
int ops_chown(struct node *n, uint32_t uid, uint32_t gid, const struct cred *c);
int ops_utimes(struct node *n, uint64_t atime, uint64_t mtime,
	       const struct cred *c);

/* FS_TRUNCATE and the writes' side effects on a node, as c. */
int ops_truncate(struct node *n, uint64_t size, const struct cred *c);
void ops_written(struct node *n, const struct cred *c);

#endif
