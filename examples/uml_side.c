/* uml_side - plays the UML kernel's side of the uml_net protocol (tests only): socketpair, exec, read the answer, print JSON. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/if.h>
#include <linux/if_tun.h>

#define PAGE 4096
#define WAIT_MS 8000	/* default; UML_SIDE_WAIT_MS overrides (loaded machines) */

struct result {
	char buf[PAGE];
	ssize_t bytes;		/* datagram size, or block length word */
	size_t textoff;
	int fd;			/* received tap fd, or -1 */
	int status_byte;	/* ethertap: -1 when none */
	long extra;		/* bytes or datagrams after the answer */
	int timeout;		/* no answer within WAIT_MS: UML would hang */
	int eof;		/* the helper closed fd 1 without a length word */
};

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr, "usage: uml_side [-x SHELL-CMD] dgram|stream|slip|ethertap HELPER [ARGS...]\n");
	exit(2);
}

static void json_str(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			printf("\\n");
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static int wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	const char *env = getenv("UML_SIDE_WAIT_MS");
	int ms = env ? atoi(env) : WAIT_MS;

	return poll(&p, 1, ms > 0 ? ms : WAIT_MS) == 1 ? 0 : -1;
}

/* What UML's tuntap_open_tramp does: one recvmsg of 4095 bytes with room for one fd. */
static void read_dgram(int s, struct result *res)
{
	union { char b[CMSG_SPACE(sizeof(int))]; struct cmsghdr a; } u;
	struct iovec iov = { res->buf, PAGE - 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = u.b, .msg_controllen = sizeof(u.b) };
	struct cmsghdr *c;

	if (wait_readable(s) < 0) {
		res->timeout = 1;
		return;
	}
	res->bytes = recvmsg(s, &m, 0);
	c = CMSG_FIRSTHDR(&m);
	if (res->bytes >= 0 && c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
		memcpy(&res->fd, CMSG_DATA(c), sizeof(int));
		res->textoff = IFNAMSIZ;
	}
}

static ssize_t read_n(int s, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k;

		if (wait_readable(s) < 0)
			return -2;
		k = read(s, buf + got, n - got);
		if (k <= 0)
			return (ssize_t)got;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* What UML's read_output does: an int32 length, then that many bytes. */
static void read_block(int s, struct result *res, int status_byte)
{
	unsigned char b;
	int32_t len;

	if (status_byte) {
		if (read_n(s, (char *)&b, 1) != 1)
			return;
		res->status_byte = b;
	}
	switch (read_n(s, (char *)&len, 4)) {
	case 4:
		break;
	case -2:
		res->timeout = 1;
		return;
	default:
		res->eof = 1;
		return;
	}
	res->bytes = len;
	if (len < 0 || len >= PAGE || read_n(s, res->buf, (size_t)len) != len)
		res->timeout = 1;
}

static long drain(int s, int dgram)
{
	char buf[PAGE];
	long extra = 0;
	ssize_t k;

	while ((k = recv(s, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		extra += dgram ? 1 : k;
	return extra;
}

static void print_result(const struct result *res, int status)
{
	struct ifreq ifr;

	printf("{\"exit\":%d,\"signal\":%d,\"timeout\":%s,\"eof\":%s,\"bytes\":%zd,"
	       "\"fd\":%s,\"extra\":%ld",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1,
	       WIFSIGNALED(status) ? WTERMSIG(status) : 0,
	       res->timeout ? "true" : "false", res->eof ? "true" : "false", res->bytes, res->fd >= 0 ? "true" : "false",
	       res->extra);
	if (res->status_byte >= 0)
		printf(",\"status_byte\":%d", res->status_byte);
	if (res->fd >= 0) {
		printf(",\"name\":");
		json_str(res->buf, IFNAMSIZ);
		memset(&ifr, 0, sizeof(ifr));
		if (ioctl(res->fd, TUNGETIFF, &ifr) == 0)
			printf(",\"tun_name\":\"%s\",\"tun_flags\":%u", ifr.ifr_name,
			       (unsigned short)ifr.ifr_flags);
	}
	printf(",\"nul\":%s,\"text\":",
	       res->bytes > (ssize_t)res->textoff &&
	       memchr(res->buf + res->textoff, '\0', (size_t)res->bytes - res->textoff) ? "true" : "false");
	json_str(res->buf + res->textoff, res->bytes > (ssize_t)res->textoff ?
		 (size_t)res->bytes - res->textoff : 0);
	printf("}\n");
	fflush(stdout);
}

static pid_t start(const char *mode, int child_end, char **argv)
{
	int master = -1, slave = -1;
	pid_t pid;

	if (!strcmp(mode, "slip") && openpty(&master, &slave, NULL, NULL, NULL) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		if (slave >= 0)
			dup2(slave, 0);
		dup2(child_end, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (slave >= 0)
		close(slave);
	return pid;
}

int main(int argc, char **argv)
{
	struct result res = { .fd = -1, .status_byte = -1 };
	const char *cmd = NULL, *mode;
	int sv[2], status = 0, dgram;
	pid_t pid;

	if (argc > 2 && !strcmp(argv[1], "-x")) {
		cmd = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 3)
		usage();
	mode = argv[1];
	dgram = !strcmp(mode, "dgram");
	if (!dgram && strcmp(mode, "stream") && strcmp(mode, "slip") && strcmp(mode, "ethertap"))
		usage();
	if (socketpair(AF_UNIX, dgram ? SOCK_DGRAM : SOCK_STREAM, 0, sv) < 0)
		return perror("socketpair"), 1;
	pid = start(mode, sv[1], argv + 2);
	if (pid < 0)
		return perror("start"), 1;
	close(sv[1]);
	if (dgram)
		read_dgram(sv[0], &res);
	else
		read_block(sv[0], &res, !strcmp(mode, "ethertap"));
	if (res.timeout)
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	res.extra = drain(sv[0], dgram);
	print_result(&res, status);
	if (cmd && res.fd >= 0) {
		setenv("TAP", res.buf, 1);
		status = system(cmd);
	}
	if (res.fd >= 0)
		close(res.fd);
	return 0;
}
