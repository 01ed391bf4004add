/* sock.c - socket files made safely (no symlinks, not others', stale replaced, live refused); addresses. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sw.h"

static void fill(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, strlen(path) + 1);	/* length checked by the caller */
}

/* Is a switch (anything) listening there? A refused connect means a stale file. */
static bool alive(const char *path, int type)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	bool up;

	if (fd < 0)
		return true;	/* cannot tell: do not remove it */
	fill(&sun, path);
	up = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 || errno != ECONNREFUSED;
	close(fd);
	return up;
}

/**
 * sw_bind_path - bind @fd to the socket file @path, replacing only a stale one of ours
 * @fd: an unbound AF_UNIX socket (stream or datagram)
 * @path: the file; shorter than sun_path (checked by the caller)
 * @dev, @ino: out: the file made, so that exit removes only it
 * @why: on failure, what was wrong with the path
 *
 * An existing path is replaced only if it is a socket, not a symbolic link,
 * owned by us, and nothing answers on it. The file gets the process umask.
 * Return: 0, -EEXIST (something else is there), -EADDRINUSE (live), or -errno.
 */
int sw_bind_path(int fd, const char *path, dev_t *dev, ino_t *ino, const char **why)
{
	struct sockaddr_un sun;
	struct stat st;
	int type;
	socklen_t tl = sizeof(type);

	*why = NULL;
	fill(&sun, path);
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			return *why = "is a symbolic link; refusing to follow it", -EEXIST;
		if (!S_ISSOCK(st.st_mode))
			return *why = "exists and is not a socket", -EEXIST;
		if (st.st_uid != geteuid())
			return *why = "is a socket owned by another user", -EEXIST;
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) < 0)
			return -errno;
		if (alive(path, type))
			return *why = "another process is listening on it", -EADDRINUSE;
		if (unlink(path) < 0 && errno != ENOENT)
			return -errno;
	} else if (errno != ENOENT) {
		return -errno;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		return -errno;
	if (lstat(path, &st) < 0)
		return -errno;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

/** sw_unlink_ours - remove @path if it is still the socket file we made. */
void sw_unlink_ours(const char *path, dev_t dev, ino_t ino)
{
	struct stat st;

	if (path && lstat(path, &st) == 0 && st.st_dev == dev && st.st_ino == ino)
		unlink(path);
}

/**
 * sw_check_client_path - a client's data socket path must be its own socket
 * @a: the address from the request (a path, not an abstract name)
 * @uid: the client's uid (SO_PEERCRED)
 *
 * Otherwise a client could make the switch send frames into another user's
 * socket. Root clients may name any socket.
 * Return: 0 or -EPERM/-ENOENT/-ENOTSOCK with @why set.
 */
int sw_check_client_path(const struct sockaddr_un *a, uid_t uid, const char **why)
{
	struct stat st;

	if (lstat(a->sun_path, &st) < 0)
		return *why = "data socket path does not exist", -ENOENT;
	if (!S_ISSOCK(st.st_mode))
		return *why = "data socket path is not a socket", -ENOTSOCK;
	if (uid != 0 && st.st_uid != uid)
		return *why = "data socket path belongs to another user", -EPERM;
	return 0;
}

/**
 * sw_addr_normalise - zero what the kernel ignores, so addresses compare as blobs:
 * a path's bytes after its NUL. An abstract name is kept whole (UML binds all
 * 108 bytes, uninitialised tail included, and that tail is part of the name).
 */
void sw_addr_normalise(struct sockaddr_un *a)
{
	size_t n;

	if (sw_addr_is_abstract(a))
		return;
	n = strnlen(a->sun_path, sizeof(a->sun_path));
	memset(a->sun_path + n, 0, sizeof(a->sun_path) - n);
}

/** sw_addr_hash - bucket of a normalised address among @n (eight bytes at a time). */
unsigned int sw_addr_hash(const struct sockaddr_un *a, unsigned int n)
{
	uint64_t h = 0, w;

	for (size_t i = 0; i + sizeof(w) <= sizeof(a->sun_path); i += sizeof(w)) {
		memcpy(&w, a->sun_path + i, sizeof(w));
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return (unsigned int)(h % n);
}

/** sw_now - monotonic seconds (ageing must not jump with the wall clock). */
time_t sw_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec;
}
