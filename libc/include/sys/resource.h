/*
 * newlib's <sys/resource.h> and the two resource limits Valence has:
 * processes (RLIMIT_NPROC, kept by the kernel: PC_NPROC) and open files
 * (RLIMIT_NOFILE, the kernel's fixed HANDLE_MAX per process).
 */
#ifndef VALENCE_SYS_RESOURCE_H
#define VALENCE_SYS_RESOURCE_H

#include_next <sys/resource.h>

typedef unsigned long rlim_t;

struct rlimit {
	rlim_t rlim_cur, rlim_max;
};

#define RLIM_INFINITY ((rlim_t)-1)
#define RLIMIT_NPROC  6 /* processes in the system (all run as uid 0) */
#define RLIMIT_NOFILE 7 /* descriptors of this process */

int getrlimit(int resource, struct rlimit *r);
int setrlimit(int resource, const struct rlimit *r);

#endif
