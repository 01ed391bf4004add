/* taphold.c - example of lib/tun: attach to a tap and hold it open (as UML or QEMU would) until killed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tun.h"

/*
 * Usage: taphold NAME [CLONE]. Prints "held NAME" once attached, then
 * sleeps until a signal arrives; the tap stays busy for everyone else.
 */
int main(int argc, char **argv)
{
	char name[IFNAMSIZ] = "";
	int fd, rc;

	if (argc < 2 || argc > 3 || strlen(argv[1]) >= IFNAMSIZ) {
		fprintf(stderr, "usage: taphold NAME [CLONE]\n");
		return 2;
	}
	strcpy(name, argv[1]);
	fd = hn_tun_open(argc == 3 ? argv[2] : HN_TUN_CLONE);
	if (fd < 0) {
		fprintf(stderr, "taphold: open: %s\n", strerror(-fd));
		return 1;
	}
	rc = hn_tun_attach(fd, name, IFF_TAP | IFF_NO_PI);
	if (rc < 0) {
		fprintf(stderr, "taphold: %s: TUNSETIFF: %s\n", name, strerror(-rc));
		return 1;
	}
	printf("held %s\n", name);
	fflush(stdout);
	pause();
	return 0;
}
