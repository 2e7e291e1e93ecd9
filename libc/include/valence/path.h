/*
 * Scheme paths (libc/path.c): `scheme:rest`, where the scheme picks the
 * server (DESIGN.md section 4) and a path without one is a file path.
 * The kernel never parses paths; libc does it here, before asking ns: for
 * the scheme's server.  Pure C: no allocation, no global state.
 */
#ifndef VALENCE_PATH_H
#define VALENCE_PATH_H

#include <stddef.h>
#include <valence/errno.h>

#define PATH_MAX	1024 /* a resolved file path, with its NUL */
#define PATH_SCHEME_MAX 31   /* characters in a scheme name */

/*
 * Splits `path` into its scheme and the rest.  The scheme is what comes
 * before the first ':' when that ':' comes before any '/'; it must be 1 to
 * PATH_SCHEME_MAX characters from [a-z0-9._-].  Otherwise the whole path
 * is a file path and the scheme is "file", so "/etc/motd", "motd" and
 * "/a:b" are file paths (write "./a:b" for a relative name with a colon).
 *
 *   "file:/etc/motd" -> "file", "/etc/motd"
 *   "disk.ahci:0p1"  -> "disk.ahci", "0p1"
 *   "display:"       -> "display", ""  (the scheme's root)
 *
 * On success returns 0, copies the scheme with its NUL into
 * scheme[0, scheme_size) and points *rest into `path`, just after the
 * colon.  Returns -EINVAL for a NULL argument, an empty scheme (":x") or
 * one with other characters, and -ENAMETOOLONG for a scheme longer than
 * PATH_SCHEME_MAX or than scheme_size - 1.  On error scheme is "" (when
 * scheme_size > 0) and *rest is NULL.
 */
int path_split(const char *path, char *scheme, size_t scheme_size,
	       const char **rest);

/*
 * Resolves the file path `rest` (from path_split with scheme "file")
 * against the working directory `cwd` into a normal absolute path in
 * out[0, out_size): a relative `rest` is joined to `cwd`; "." and empty
 * components (repeated and trailing slashes) are dropped; ".." removes the
 * component before it and stays at "/" at the top.  This is lexical, as in
 * Plan 9: "a/.." leaves cwd even if a is a symbolic link.
 *
 *   cwd "/home/ann", "../bob//x/." -> "/home/bob/x"
 *   any cwd,         "/../etc/"    -> "/etc"
 *
 * cwd is only read when rest is relative; it must then be absolute (it is
 * normalised the same way).  out must not overlap cwd or rest.
 *
 * Returns 0, -EINVAL for a NULL argument, an empty rest or a cwd that is
 * needed but not absolute, or -ENAMETOOLONG when rest or the cwd used is
 * PATH_MAX characters or more, or when the result (or a step towards it)
 * does not fit in min(out_size, PATH_MAX) bytes with its NUL.  On error out is
 * "" (when out_size > 0).
 */
int path_resolve(const char *cwd, const char *rest, char *out, size_t out_size);

#endif
