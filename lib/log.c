/* log.c - program name, verbosity and the "tool: what: why" diagnostics on stderr. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "log.h"
#include "nl.h"

static const char *prog = "hostnet";
static int verbosity;

/** hn_log_setprog - fix the program name; tools pass a constant, never argv[0]. */
void hn_log_setprog(const char *name)
{
	prog = name;
}

/** hn_log_prog - the program name set by hn_log_setprog(). */
const char *hn_log_prog(void)
{
	return prog;
}

/** hn_log_verbose - set the level up to which hn_log_info() prints. */
void hn_log_verbose(int level)
{
	verbosity = level;
}

/** hn_log_level - the current verbosity. */
int hn_log_level(void)
{
	return verbosity;
}

/**
 * hn_log_escape - copy text for a log line or a terminal, with every byte
 * outside printable ASCII written as \xNN and the backslash as \\, so
 * untrusted text (argv, device names) cannot forge or split a line
 * @dst: output, always NUL-terminated when @n > 0
 * @n: size of @dst
 * @src: NUL-terminated input
 *
 * Return: 0, or -ENOSPC when @src did not fit whole (@dst then ends at an
 * escape boundary).
 */
int hn_log_escape(char *dst, size_t n, const char *src)
{
	size_t o = 0;

	if (n == 0)
		return -ENOSPC;
	for (const unsigned char *c = (const unsigned char *)src; *c; c++) {
		char e[5];
		size_t k;

		if (*c >= 0x20 && *c < 0x7f && *c != '\\')
			e[0] = (char)*c, e[1] = '\0';
		else if (*c == '\\')
			strcpy(e, "\\\\");
		else
			snprintf(e, sizeof(e), "\\x%02x", *c);
		k = strlen(e);
		if (o + k >= n) {
			dst[o] = '\0';
			return -ENOSPC;
		}
		memcpy(dst + o, e, k);
		o += k;
	}
	dst[o] = '\0';
	return 0;
}

static int syslog_fd = -1;

/**
 * hn_log_syslog_open - connect to the syslog socket now, before anything is
 * done that must be logged (openlog() connects lazily and syslog() never
 * says whether a line was written)
 * @path: the socket, normally "/dev/log" (a datagram socket)
 *
 * Return: 0, or -errno from socket(2)/connect(2) (-ENOENT, -ECONNREFUSED,
 * -EMFILE ...).
 */
int hn_log_syslog_open(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	time_t t = 0;
	struct tm tm;
	int fd;

	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	strcpy(a.sun_path, path);
	localtime_r(&t, &tm);	/* load the time zone now, while descriptors are free */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	syslog_fd = fd;
	return 0;
}

/**
 * hn_log_syslog - write one line to the socket hn_log_syslog_open() opened,
 * as "<pri>Mmm dd hh:mm:ss prog[pid]: msg" (RFC 3164, as syslog(3) does)
 * @pri: facility | level
 * @msg: the text; the caller escapes what is untrusted (hn_log_escape)
 *
 * Waits at most 5 s for room when the reader is slow.
 *
 * Return: 0, -ENOTCONN when not opened, -ETIMEDOUT, or -errno of send(2).
 */
int hn_log_syslog(int pri, const char *msg)
{
	char buf[8192], ts[32];
	struct pollfd p = { .fd = syslog_fd, .events = POLLOUT };
	time_t t = time(NULL);
	struct tm tm;
	int n;

	if (syslog_fd < 0)
		return -ENOTCONN;
	strftime(ts, sizeof(ts), "%b %e %H:%M:%S", localtime_r(&t, &tm));
	n = snprintf(buf, sizeof(buf), "<%d>%s %s[%d]: %s", pri, ts, prog, (int)getpid(), msg);
	if (n < 0)
		return -EINVAL;
	for (int tries = 0; tries < 2; tries++) {
		if (send(syslog_fd, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1,
			 MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno != EAGAIN)
			return -errno;
		poll(&p, 1, 5000);
	}
	return -ETIMEDOUT;
}

/* "prog: <formatted>\n" on stderr, untrusted bytes escaped, in one write. */
static void vlog(const char *fmt, va_list ap)
{
	char raw[4096], safe[4 * sizeof(raw)];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	hn_log_escape(safe, sizeof(safe), raw);
	fprintf(stderr, "%s: %s\n", prog, safe);
}

/** hn_log_err - print "prog: <formatted>" and a newline on stderr (see hn_log_escape()). */
void hn_log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

/** hn_log_info - as hn_log_err(), only when the verbosity is at least @level. */
void hn_log_info(int level, const char *fmt, ...)
{
	va_list ap;

	if (verbosity < level)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

/**
 * hn_log_ctx - report a failed library call: "prog: what: why[ (kernel text)]"
 * @ctx: the context the failing call wrote its "what" into
 * @rc: the call's negative errno
 */
void hn_log_ctx(const struct hn_ctx *ctx, int rc)
{
	const char *what = ctx->err[0] ? ctx->err : "error";

	if (ctx->ext[0])
		hn_log_err("%s: %s (%s)", what, strerror(-rc), ctx->ext);
	else
		hn_log_err("%s: %s", what, strerror(-rc));
}
