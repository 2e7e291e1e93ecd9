/*
 * ioctl for terminals only: the window size (TIOCGWINSZ, TIOCSWINSZ), the
 * controlling terminal (TIOCSCTTY) and the foreground group
 * (TIOCGPGRP, TIOCSPGRP).  Anything else is ENOTTY.
 */
#ifndef VALENCE_SYS_IOCTL_H
#define VALENCE_SYS_IOCTL_H

struct winsize {
	unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define TIOCSCTTY  0x540e
#define TIOCGPGRP  0x540f
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414

int ioctl(int fd, unsigned long request, ...);

#endif
