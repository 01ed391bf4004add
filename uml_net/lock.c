/* lock.c - the lock that serialises uml_net's check-and-act among concurrent callers. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "args.h"
#include "lock.h"

#define PROG		"uml_net"
#define STR_(x)		#x
#define STR(x)		STR_(x)
#ifndef UML_NET_LOCK
#define UML_NET_LOCK	"/run/uml_net.lock"	/* root's: callers cannot hold it */
#endif
#define LOCK_WAIT_MS	30000	/* only uml_net holds the lock, briefly: this catches hangs */

/**
 * um_lock_open - open the lock serialising check-and-act, before the drop
 *
 * A root-owned file under /run, opened (created 0600 when missing) before
 * the drop, so a setuid install needs no file the callers can open. A
 * file-capability install opens it as the caller: the admin makes it
 * readable by the callers' group (uml_net.8). r->lock_fd gets the fd, or
 * -errno (-EPERM: not a regular file owned by root and writable by root
 * only), which um_lock() reports. --check opens nothing.
 */
void um_lock_open(struct um_run *r)
{
	struct stat st;
	int fd;

	if (r->check)
		return;
	fd = open(UML_NET_LOCK, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		r->lock_fd = -errno;
		return;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		fd = -EPERM;
	}
	r->lock_fd = fd;
}

/**
 * um_lock - serialise check-and-act among concurrent callers: flock on the
 * lock opened before the drop, waiting at most LOCK_WAIT_MS (only a uml_net
 * stopped by its caller can hold it that long).
 *
 * Return: 0, or -1 with the reason in the answer.
 */
int um_lock(struct um_run *r)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	int err = -r->lock_fd;

	for (int i = 0; r->lock_fd >= 0 && i < LOCK_WAIT_MS / 2; i++) {
		if (flock(r->lock_fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		err = errno;
		if (err != EWOULDBLOCK && err != EINTR)
			break;
		nanosleep(&ts, NULL);
	}
	um_say(r, PROG ": " UML_NET_LOCK ": lock: %s", err == EWOULDBLOCK ?
	       "busy for " STR(LOCK_WAIT_MS) " ms, giving up" :
	       err == EPERM ? "not a regular file owned by root and writable by root only" :
	       strerror(err));
	return -1;
}

/** um_unlock - before the answer: a caller that never reads must not keep others waiting. */
void um_unlock(struct um_run *r)
{
	if (r->lock_fd >= 0)
		close(r->lock_fd);
	r->lock_fd = -EBADF;
}
