/* slirp_peer - plays UML's slirp transport for tests: socketpair, exec slirp, SLIP-framed IPv4 between it and a tun device. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/if.h>
#include <linux/if_tun.h>

/*
 * usage: slirp_peer [-n NETNS_PATH] [-s SPLIT] [-g] TUN -- SLIRP [ARG...]
 *
 * The tun device TUN (made here, in the caller's network namespace) stands
 * for the guest: the caller addresses it and runs real programs behind it.
 * SLIRP runs with stdin/stdout on one end of a stream socket pair, in the
 * network namespace NETNS_PATH (the "host"), as UML runs it. IPv4 packets
 * from the tun go to it SLIP-framed (END, data, END, as UML frames them);
 * frames from it go to the tun. -s SPLIT writes each frame in pieces of
 * SPLIT bytes; -g sends garbage before each frame (an oversize frame, a bad
 * escape, a runt). SIGTERM/SIGINT: close the pair (UML halted), wait for
 * SLIRP, print "slirp: exit N" and "peer: longest frame N" (bytes, the
 * longest frame SLIRP sent) and exit with SLIRP's status. If SLIRP exits
 * first: the same.
 */

#define END 0300
#define ESC 0333

static int split = 0, garbage = 0;
static size_t max_frame;	/* the longest frame slirp sent: never over the MTU */

static void die(const char *what)
{
	fprintf(stderr, "slirp_peer: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int tun_open(const char *name)
{
	struct ifreq ifr = { .ifr_flags = IFF_TUN | IFF_NO_PI };
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("/dev/net/tun");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		die(name);
	return fd;
}

/* Like UML's net_write on a non-blocking socket, what does not fit is lost,
 * but only after waiting a second for room (tiny split writes fill the
 * socket's buffer long before its bytes). */
static void send_bytes(int s, const uint8_t *p, size_t n)
{
	size_t step = split > 0 ? (size_t)split : n;

	while (n > 0) {
		size_t k = n < step ? n : step;
		ssize_t w = write(s, p, k);
		struct pollfd pf = { s, POLLOUT, 0 };

		if (w < 0 && errno == EAGAIN && poll(&pf, 1, 1000) == 1)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static size_t slip(const uint8_t *in, size_t n, uint8_t *out)
{
	size_t o = 0;

	out[o++] = END;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == END || in[i] == ESC) {
			out[o++] = ESC;
			out[o++] = in[i] == END ? 0334 : 0335;
		} else {
			out[o++] = in[i];
		}
	}
	out[o++] = END;
	return o;
}

static void send_garbage(int s)
{
	static uint8_t big[4000];
	static const uint8_t badesc[] = { END, 0x45, ESC, 0x41, 0x00, END };
	static const uint8_t runt[] = { END, 0x45, 0x00, 0x00, END };

	memset(big, 0x45, sizeof(big));
	big[0] = END;
	big[sizeof(big) - 1] = END;
	send_bytes(s, big, sizeof(big));
	send_bytes(s, badesc, sizeof(badesc));
	send_bytes(s, runt, sizeof(runt));
}

static void from_tun(int tun, int s)
{
	static uint8_t pkt[65536], enc[2 * 65536 + 2];
	ssize_t n = read(tun, pkt, sizeof(pkt));

	if (n <= 0 || (pkt[0] >> 4) != 4)	/* UML's slip carries IPv4 only */
		return;
	if (garbage)
		send_garbage(s);
	send_bytes(s, enc, slip(pkt, (size_t)n, enc));
}

/* Return: false at EOF (slirp exited or closed its end). */
static bool from_slirp(int s, int tun)
{
	static uint8_t buf[65536], frame[65536];
	static size_t len;
	static int esc;
	ssize_t n = read(s, buf, sizeof(buf));

	if (n <= 0)
		return n < 0 && errno == EAGAIN;
	for (ssize_t i = 0; i < n; i++) {
		uint8_t c = buf[i];

		if (c == END) {
			if (len > max_frame)
				max_frame = len;
			if (len > 0 && write(tun, frame, len) < 0 && errno != EIO)
				perror("slirp_peer: tun write");
			len = 0;
			esc = 0;
			continue;
		}
		if (esc)
			c = c == 0334 ? END : c == 0335 ? ESC : c;
		esc = !esc && c == ESC && buf[i] == ESC;
		if (!esc && len < sizeof(frame))
			frame[len++] = c;
	}
	return true;
}

static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) < 0)
		die("waitpid");
	st = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	printf("slirp: exit %d\npeer: longest frame %zu\n", st, max_frame);
	fflush(stdout);
	return st;
}

static pid_t spawn(int end, const char *netns, char **argv)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid > 0)
		return pid;
	if (netns) {
		int fd = open(netns, O_RDONLY | O_CLOEXEC);

		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
			die(netns);
	}
	dup2(end, 0);
	dup2(end, 1);
	execv(argv[0], argv);
	die(argv[0]);
	return -1;
}

int main(int argc, char **argv)
{
	const char *netns = NULL;
	int sv[2], tun, sfd, c;
	sigset_t set;
	pid_t pid;

	while ((c = getopt(argc, argv, "+n:s:g")) != -1) {
		switch (c) {
		case 'n': netns = optarg; break;
		case 's': split = atoi(optarg); break;
		case 'g': garbage = 1; break;
		default: return 2;
		}
	}
	if (argc - optind < 3 || strcmp(argv[optind + 1], "--") != 0) {
		fprintf(stderr, "usage: slirp_peer [-n NETNS_PATH] [-s SPLIT] [-g] TUN -- SLIRP [ARG...]\n");
		return 2;
	}
	tun = tun_open(argv[optind]);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair");
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	pid = spawn(sv[1], netns, argv + optind + 2);
	close(sv[1]);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	for (;;) {
		struct pollfd p[3] = { { tun, POLLIN, 0 }, { sv[0], POLLIN, 0 }, { sfd, POLLIN, 0 } };

		if (poll(p, 3, -1) < 0 && errno != EINTR)
			die("poll");
		if (p[2].revents) {
			close(sv[0]);	/* what UML's slirp_close does */
			return reap(pid);
		}
		if (p[1].revents && !from_slirp(sv[0], tun))
			return reap(pid);
		if (p[0].revents)
			from_tun(tun, sv[0]);
	}
}
