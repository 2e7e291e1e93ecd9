/*
 * newlib's <signal.h>, plus the sigaction flags its generic target leaves
 * out.  libc/posix/signal.c gives them their meaning.
 */
#ifndef VALENCE_SIGNAL_H
#define VALENCE_SIGNAL_H

#include_next <signal.h>

#ifndef SA_RESTART
#define SA_RESTART   0x10 /* accepted; interrupted calls still say EINTR */
#define SA_RESETHAND 0x20 /* back to SIG_DFL once caught */
#define SA_NODEFER   0x40 /* the signal is not blocked in its handler */
#endif

int killpg(pid_t pgrp, int sig);
int pause(void);

#endif
