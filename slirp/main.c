/* main.c - slirp: user-mode networking for a UML guest (eth0=slirp) on libslirp, no privilege needed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <slirp/libslirp.h>

#include "log.h"
#include "vec.h"
#include "cmd.h"
#include "slip.h"

#define TIME_IDLE_NS (240LL * 1000000000LL)	/* 1.0's "redir time": 4 minutes idle */

struct opts {
	uint32_t net, mask, vhost, vdns, guest, bind;
	unsigned int mtu;
	bool restrict_, no_loopback, stats, no_rc;
	int verbose;
	const char *rc;
};

struct counters {
	unsigned long long frames_in, bytes_in, frames_out, bytes_out;
	unsigned long long malformed_in, oversize_out, not_ip_out;	/* and st->dec's drops */
	unsigned long long arp_answered, guests_announced;
};

struct fwd {
	struct sl_redir r;
	int fd;			/* the listening socket (once/time) */
	bool gone;
	long long last;		/* time: last datagram from the host side */
};

struct timer {
	SlirpTimerCb cb;
	void *cb_opaque;
	int id;			/* >= 0: a timer_new_opaque timer */
	long long expire_ms;	/* -1: not armed */
	struct timer *next;
};

struct state {
	struct opts o;
	struct sl_conf conf;
	Slirp *slirp;
	struct sl_shim shim;
	struct sl_dec dec;
	struct counters n;
	struct pollfd *pfd;
	size_t npfd, cap;
	struct fwd fwd[SL_REDIR_MAX];
	struct timer *timers;
	uint8_t *obuf;		/* frames for UML, written once per round */
	size_t olen;
	bool eof;		/* the link is gone: stop */
	bool failed;		/* ... because of an error (exit 1) */
	bool stop;		/* ... because of a signal */
	int sfd;		/* signalfd: TERM, INT, HUP, USR1 */
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void print_stats(const struct state *st)
{
	const struct counters *c = &st->n;

	fprintf(stderr, "slirp: stats: {\"frames_in\":%llu,\"bytes_in\":%llu,\"frames_out\":%llu,"
		"\"bytes_out\":%llu,\"dropped_bad_escape\":%llu,\"dropped_oversize_in\":%llu,"
		"\"dropped_malformed_in\":%llu,\"dropped_oversize_out\":%llu,\"dropped_not_ip_out\":%llu,"
		"\"arp_answered\":%llu,\"guests_announced\":%llu}\n",
		c->frames_in, c->bytes_in, c->frames_out, c->bytes_out, st->dec.dropped_badesc,
		st->dec.dropped_oversize, c->malformed_in, c->oversize_out, c->not_ip_out,
		c->arp_answered, c->guests_announced);
}

/* ---- the link to UML: stdin and stdout are one end of a socket pair ---- */

/* A pending signal: TERM, INT and HUP set st->stop; USR1 prints the counters. */
static void on_signal(struct state *st)
{
	struct signalfd_siginfo si;

	if (read(st->sfd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGUSR1)
		print_stats(st);
	else
		st->stop = true;
}

/* UML not reading: wait for room, or for a signal, which must still work. */
static void wait_writable(struct state *st)
{
	struct pollfd p[2] = { { STDOUT_FILENO, POLLOUT, 0 }, { st->sfd, POLLIN, 0 } };

	if (poll(p, 2, -1) > 0 && (p[1].revents & POLLIN))
		on_signal(st);
}

static void write_all(struct state *st, const uint8_t *p, size_t len)
{
	while (len > 0 && !st->eof && !st->stop) {
		ssize_t w = write(STDOUT_FILENO, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			wait_writable(st);
			continue;
		}
		if (w <= 0) {
			if (errno != EPIPE && errno != ECONNRESET) {
				hn_log_err("link: write: %s", strerror(errno));
				st->failed = true;
			}
			st->eof = true;
			return;
		}
		p += w;
		len -= (size_t)w;
	}
}

/* One write for all the frames of a round: each write wakes UML up. */
#define OBUF_SIZE (256 * 1024)

static void flush(struct state *st)
{
	write_all(st, st->obuf, st->olen);
	st->olen = 0;
}

static ssize_t cb_send(const void *buf, size_t len, void *opaque)
{
	struct state *st = opaque;
	uint8_t arp[SL_ARP_LEN], pkt[SL_MTU_MAX];
	const uint8_t *ip;
	size_t iplen;

	switch (sl_eth_unwrap(&st->shim, buf, len, &ip, &iplen, arp)) {
	case SL_OUT_ARP:
		/* Only the ARP table changes on an ARP reply: safe to re-enter. */
		st->n.arp_answered++;
		slirp_input(st->slirp, arp, SL_ARP_LEN);
		break;
	case SL_OUT_IP:
		if (iplen > st->o.mtu) {
			st->n.oversize_out++;
			break;
		}
		memcpy(pkt, ip, iplen);
		sl_dns_in(&st->shim, pkt, iplen);
		st->n.frames_out++;
		st->n.bytes_out += iplen;
		if (st->olen + SL_ENC_MAX(iplen) > OBUF_SIZE)
			flush(st);
		st->olen += sl_encode(pkt, iplen, st->obuf + st->olen);
		break;
	case SL_OUT_DROP:
		st->n.not_ip_out++;
		break;
	}
	return (ssize_t)len;
}

static void from_guest(struct state *st, const uint8_t *f, size_t len)
{
	uint8_t eth[SL_ETH_HLEN + SL_MTU_MAX], arp[SL_ARP_LEN];
	uint32_t src;
	int n = sl_ip_check(f, len);

	if (n < 0) {
		st->n.malformed_in++;
		return;
	}
	st->n.frames_in++;
	st->n.bytes_in += (size_t)n;
	memcpy(&src, f + 12, 4);
	if (sl_shim_learn(&st->shim, src, st->o.vhost, arp)) {
		st->n.guests_announced++;
		slirp_input(st->slirp, arp, SL_ARP_LEN);
	}
	sl_eth_wrap(&st->shim, f, (size_t)n, eth);
	sl_dns_out(&st->shim, eth + SL_ETH_HLEN, (size_t)n);
	slirp_input(st->slirp, eth, SL_ETH_HLEN + n);
}

static void read_link(struct state *st)
{
	static uint8_t buf[65536];
	ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));
	size_t off = 0, used;

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		if (r < 0 && errno != ECONNRESET) {
			hn_log_err("link: read: %s", strerror(errno));
			st->failed = true;
		}
		st->eof = true;
		return;
	}
	while (off < (size_t)r) {
		/* Dropped frames are counted by the decoder. */
		if (sl_dec_feed(&st->dec, buf + off, (size_t)r - off, &used) == SL_FRAME)
			from_guest(st, st->dec.buf, st->dec.len);
		off += used;
	}
}

/* ---- libslirp callbacks: clock, timers, poll ---- */

static int64_t cb_clock(void *opaque)
{
	(void)opaque;
	return now_ns();
}

static void cb_error(const char *msg, void *opaque)
{
	(void)opaque;
	hn_log_info(2, "guest error: %s", msg);
}

static void *timer_add(struct state *st, SlirpTimerCb cb, void *cb_opaque, int id)
{
	struct timer *t = calloc(1, sizeof(*t));

	if (!t) {
		hn_log_err("timer: %s", strerror(ENOMEM));
		exit(1);
	}
	*t = (struct timer){ cb, cb_opaque, id, -1, st->timers };
	st->timers = t;
	return t;
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	return timer_add(opaque, cb, cb_opaque, -1);
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	return timer_add(opaque, NULL, cb_opaque, (int)id);
}

static void cb_timer_free(void *timer, void *opaque)
{
	struct state *st = opaque;

	for (struct timer **p = &st->timers; *p; p = &(*p)->next)
		if (*p == timer) {
			*p = (*p)->next;
			free(timer);
			return;
		}
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	(void)opaque;
	((struct timer *)timer)->expire_ms = expire_ms;
}

static void cb_nop_fd(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

static void cb_notify(void *opaque)
{
	(void)opaque;
}

static void run_timers(struct state *st)
{
	long long ms = now_ns() / 1000000;

	for (struct timer *t = st->timers; t; t = t->next) {
		if (t->expire_ms < 0 || t->expire_ms > ms)
			continue;
		t->expire_ms = -1;
		if (t->id >= 0)
			slirp_handle_timer(st->slirp, (SlirpTimerId)t->id, t->cb_opaque);
		else
			t->cb(t->cb_opaque);
		return;	/* the callback may have freed timers: next round */
	}
}

/*
 * libslirp's poll bits and poll(2)'s, both ways. ERR and HUP are only ever
 * returned: poll(2) reports them whether or not they were asked for.
 */
static const struct { int slirp; short poll; } poll_bits[] = {
	{ SLIRP_POLL_IN, POLLIN },
	{ SLIRP_POLL_OUT, POLLOUT },
	{ SLIRP_POLL_PRI, POLLPRI },
	{ SLIRP_POLL_ERR, POLLERR },
	{ SLIRP_POLL_HUP, POLLHUP },
};

static int cb_add_poll(int fd, int events, void *opaque)
{
	struct state *st = opaque;
	struct pollfd *p = HN_VEC_PUSH(st->pfd, st->npfd, st->cap);

	if (!p) {
		hn_log_err("poll: %s", strerror(ENOMEM));
		exit(1);
	}
	p->fd = fd;
	for (size_t i = 0; i < sizeof(poll_bits) / sizeof(poll_bits[0]); i++)
		if (events & poll_bits[i].slirp)
			p->events |= poll_bits[i].poll;
	return (int)(p - st->pfd);
}

static int cb_get_revents(int idx, void *opaque)
{
	struct state *st = opaque;
	short rev;
	int r = 0;

	if (idx < 0 || (size_t)idx >= st->npfd)
		return 0;
	rev = st->pfd[idx].revents;
	for (size_t i = 0; i < sizeof(poll_bits) / sizeof(poll_bits[0]); i++)
		if (rev & poll_bits[i].poll)
			r |= poll_bits[i].slirp;
	return r;
}

static const SlirpCb callbacks = {
	.send_packet = cb_send,
	.guest_error = cb_error,
	.clock_get_ns = cb_clock,
	.timer_new = cb_timer_new,
	.timer_free = cb_timer_free,
	.timer_mod = cb_timer_mod,
	.register_poll_fd = cb_nop_fd,
	.unregister_poll_fd = cb_nop_fd,
	.notify = cb_notify,
	.timer_new_opaque = cb_timer_new_opaque,
};

/* ---- forwards (slirp 1.0's redir) ---- */

static const char *a2s(uint32_t a, char *buf)
{
	struct in_addr in = { .s_addr = a };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

/* The socket libslirp made for a forward: once/time need to watch it. */
static int find_listener(const struct sl_redir *r, uint32_t bind)
{
	for (int fd = 3; fd < 4096; fd++) {
		struct sockaddr_in sa;
		socklen_t sl = sizeof(sa);
		int type;
		socklen_t tl = sizeof(type);

		if (getsockname(fd, (struct sockaddr *)&sa, &sl) < 0 || sa.sin_family != AF_INET ||
		    sa.sin_port != htons(r->hport) || sa.sin_addr.s_addr != bind ||
		    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) < 0 ||
		    type != (r->udp ? SOCK_DGRAM : SOCK_STREAM))
			continue;
		return fd;
	}
	return -1;
}

static void redir_text(const struct sl_redir *r, char *buf, size_t len)
{
	char g[INET_ADDRSTRLEN];

	snprintf(buf, len, "redir %s%s %u %s:%u",
		r->mode == SL_REDIR_ONCE ? "once " : r->mode == SL_REDIR_TIME ? "time " : "",
		r->udp ? "udp" : "tcp", r->hport, a2s(r->gaddr, g), r->gport);
}

static int add_forwards(struct state *st)
{
	char text[96], b[INET_ADDRSTRLEN];

	for (unsigned int i = 0; i < st->conf.nredir; i++) {
		struct fwd *f = &st->fwd[i];
		struct in_addr host = { .s_addr = st->o.bind }, guest;

		f->r = st->conf.redir[i];
		if (f->r.gaddr == 0)
			f->r.gaddr = st->o.guest;
		guest.s_addr = f->r.gaddr;
		redir_text(&f->r, text, sizeof(text));
		if (slirp_add_hostfwd(st->slirp, f->r.udp, host, f->r.hport, guest, f->r.gport) < 0) {
			int e = errno;

			hn_log_err("%s: cannot listen on %s:%u: %s%s", text, a2s(st->o.bind, b),
				f->r.hport, strerror(e), e == EACCES && f->r.hport < 1024 ?
				" (host ports below 1024 need privilege: use a port above 1023, or "
				"lower net.ipv4.ip_unprivileged_port_start)" : "");
			return -1;
		}
		f->fd = f->r.mode == SL_REDIR_KEEP ? -1 : find_listener(&f->r, st->o.bind);
		f->last = now_ns();
		hn_log_info(1, "%s: listening on %s:%u", text, a2s(st->o.bind, b), f->r.hport);
	}
	return 0;
}

static bool polled_in(const struct state *st, int fd)
{
	for (size_t i = 2; i < st->npfd; i++)
		if (st->pfd[i].fd == fd && (st->pfd[i].revents & POLLIN))
			return true;
	return false;
}

/* once: the listener goes after its first connection; time: after 4 idle minutes. */
static void expire_forwards(struct state *st)
{
	long long now = now_ns();

	for (unsigned int i = 0; i < st->conf.nredir; i++) {
		struct fwd *f = &st->fwd[i];
		struct in_addr host = { .s_addr = st->o.bind };

		if (f->gone || f->fd < 0)
			continue;
		bool hit = polled_in(st, f->fd);

		if (hit)
			f->last = now;
		if ((f->r.mode == SL_REDIR_ONCE && hit) ||
		    (f->r.mode == SL_REDIR_TIME && now - f->last > TIME_IDLE_NS)) {
			slirp_remove_hostfwd(st->slirp, f->r.udp, host, f->r.hport);
			f->gone = true;
			hn_log_info(1, "redir %u: removed", f->r.hport);
		}
	}
}

/* ---- configuration: options, ~/.slirprc, argv commands ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: slirp [OPTION]... [COMMAND]...\n"
		"  UML: eth0=slirp,,/path/to/slirp  (stdin/stdout: SLIP to the guest)\n"
		"commands (also one per line in ~/.slirprc):\n"
		"  redir [once|time] [tcp|udp] HOSTPORT [to] [ADDR:]GUESTPORT\n"
		"  dns ADDR    mtu N    (baudrate, mru, ppp, asyncmap, escape, keepalive, nozeros: ignored)\n"
		"options:\n"
		"  --cidr NET/LEN          the guest network (default 10.0.2.0/24)\n"
		"  --vhost ADDR            the host's address in it (default .2)\n"
		"  --vdns ADDR             the DNS forwarder's address (default .3)\n"
		"  --guest ADDR            the default redir target (default .15)\n"
		"  --mtu N                 68-1500 (default 1500)\n"
		"  --bind ADDR             where redir listens (default 0.0.0.0, as slirp 1.0)\n"
		"  --disable-host-loopback the host address does not reach 127.0.0.1\n"
		"  --restrict              no outbound connections: only the redirs\n"
		"  --rc FILE | --no-rc     read FILE instead of ~/.slirprc, or nothing\n"
		"  --stats                 print counters on stderr at exit (also on SIGUSR1)\n"
		"  -v, --verbose   -h, --help   -V, --version\n");
}

/* c: ':' (missing argument) or '?' (unknown); word: the argv word at fault. */
static void bad_option(int c, const char *word)
{
	char q[64];

	sl_escape(word, q, sizeof(q));
	if (c == ':')
		hn_log_err("%s: needs an argument (slirp --help)", q);
	else if (optopt > 0 && optopt < 128)	/* a short option, maybe inside a cluster */
		hn_log_err("-%c: unknown option (slirp 1.0's dash options are gone; slirp --help)",
			optopt);
	else
		hn_log_err("%s: unknown option (slirp 1.0's dash options are gone; slirp --help)", q);
}

static int parse_addr_opt(const char *name, const char *s, uint32_t *a)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1) {
		char q[64];

		sl_escape(s, q, sizeof(q));
		hn_log_err("--%s %s: not an IPv4 address", name, q);
		return -1;
	}
	*a = in.s_addr;
	return 0;
}

static int parse_cidr(struct opts *o, const char *s)
{
	char buf[32], q[64], *slash, *end;
	unsigned long len;

	sl_escape(s, q, sizeof(q));
	if (strlen(s) >= sizeof(buf) || !(slash = strchr(strcpy(buf, s), '/')))
		goto bad;
	*slash = '\0';
	len = strtoul(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end || len < 8 || len > 28 ||
	    parse_addr_opt("cidr", buf, &o->net) < 0)
		goto bad;
	o->mask = htonl(~0u << (32 - len));
	if (o->net & ~o->mask) {
		hn_log_err("--cidr %s: host bits set (the network address is needed)", q);
		return -1;
	}
	return 0;
bad:
	hn_log_err("--cidr %s: expected NET/LEN, LEN 8-28 (e.g. 10.0.2.0/24)", q);
	return -1;
}

static uint32_t in_net(const struct opts *o, unsigned int host)
{
	return o->net | (htonl(host) & ~o->mask);
}

enum { O_CIDR = 256, O_VHOST, O_VDNS, O_GUEST, O_MTU, O_BIND, O_NOLOOP, O_RESTRICT, O_RC,
	O_NORC, O_STATS };

static const struct option longopts[] = {
	{ "cidr", required_argument, NULL, O_CIDR },
	{ "vhost", required_argument, NULL, O_VHOST },
	{ "vdns", required_argument, NULL, O_VDNS },
	{ "guest", required_argument, NULL, O_GUEST },
	{ "mtu", required_argument, NULL, O_MTU },
	{ "bind", required_argument, NULL, O_BIND },
	{ "disable-host-loopback", no_argument, NULL, O_NOLOOP },
	{ "restrict", no_argument, NULL, O_RESTRICT },
	{ "rc", required_argument, NULL, O_RC },
	{ "no-rc", no_argument, NULL, O_NORC },
	{ "stats", no_argument, NULL, O_STATS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int parse_mtu_opt(struct opts *o, const char *s)
{
	struct sl_conf c = { 0 };
	char line[64], why[128];

	if (strlen(s) > 16 || (snprintf(line, sizeof(line), "mtu %s", s),
	    sl_cmd_parse(&c, line, why, sizeof(why)) != SL_CMD_OK)) {
		sl_escape(s, line, sizeof(line));
		hn_log_err("--mtu %s: expected 68-1500 (UML's slip device takes 1500 at most)", line);
		return -1;
	}
	o->mtu = c.mtu;
	return 0;
}

/* Return: -1 to exit 2, 1 to exit 0 (help, version), 0 to go on; *first: the first command. */
static int parse_opts(struct opts *o, int argc, char **argv, int *first)
{
	uint32_t vhost = 0, vdns = 0, guest = 0;
	int c;

	*o = (struct opts){ .net = htonl(0x0a000200), .mask = htonl(0xffffff00) };
	opterr = 0;	/* getopt would name the program after argv[0] (UML's path) */
	while ((c = getopt_long(argc, argv, ":vhV", longopts, NULL)) != -1) {
		int rc = 0;

		switch (c) {
		case O_CIDR: rc = parse_cidr(o, optarg); break;
		case O_VHOST: rc = parse_addr_opt("vhost", optarg, &vhost); break;
		case O_VDNS: rc = parse_addr_opt("vdns", optarg, &vdns); break;
		case O_GUEST: rc = parse_addr_opt("guest", optarg, &guest); break;
		case O_MTU: rc = parse_mtu_opt(o, optarg); break;
		case O_BIND: rc = parse_addr_opt("bind", optarg, &o->bind); break;
		case O_NOLOOP: o->no_loopback = true; break;
		case O_RESTRICT: o->restrict_ = true; break;
		case O_RC: o->rc = optarg; o->no_rc = false; break;
		case O_NORC: o->no_rc = true; break;
		case O_STATS: o->stats = true; break;
		case 'v': o->verbose++; break;
		case 'h': usage(stdout); return 1;
		case 'V': printf("slirp (hostnet) %s, libslirp %s\n", HN_VERSION,
				slirp_version_string()); return 1;
		default: bad_option(c, argv[optind - 1]); return -1;
		}
		if (rc < 0)
			return -1;
	}
	o->vhost = vhost ? vhost : in_net(o, 2);
	o->vdns = vdns ? vdns : in_net(o, 3);
	o->guest = guest ? guest : in_net(o, 15);
	*first = optind;
	return 0;
}

/* Warn once per ignored command name; true the first time. */
static bool first_warning(const char *line)
{
	static char warned[16][16];
	size_t n = strcspn(line, " \t");

	for (int i = 0; i < 16; i++) {
		if (warned[i][0] == '\0') {
			snprintf(warned[i], sizeof(warned[i]), "%.*s", (int)n, line);
			return true;
		}
		if (strlen(warned[i]) == n && !strncmp(warned[i], line, n))
			return false;
	}
	return false;
}

/* One command; where: "file:line: " or "" for argv. */
static int command(struct sl_conf *c, const char *where, const char *line)
{
	char why[256], q[512];
	enum sl_cmd_rc rc = sl_cmd_parse(c, line, why, sizeof(why));

	if (rc == SL_CMD_OK || (rc == SL_CMD_IGNORED && !first_warning(line)))
		return 0;
	sl_escape(line, q, sizeof(q));
	if (rc == SL_CMD_IGNORED) {
		char raw[1024], safe[4 * sizeof(raw)];

		snprintf(raw, sizeof(raw), "%s%s: warning: %s", where, q, why);
		hn_log_escape(safe, sizeof(safe), raw);
		fprintf(stderr, "slirp: %s\n", safe);
		return 0;
	}
	hn_log_err("%s%s: %s", where, q, why);
	return -1;
}

/* ~/.slirprc (or --rc FILE): one command a line; blank lines and # comments skipped. */
static int read_rc(struct sl_conf *c, const struct opts *o)
{
	char path[PATH_MAX], where[PATH_MAX + 32], *line = NULL;
	const char *home = getenv("HOME");
	size_t cap = 0;
	int lineno = 0, rc = 0;
	FILE *f;

	if (o->no_rc || (!o->rc && (!home || !*home)))
		return 0;
	snprintf(path, sizeof(path), "%s%s", o->rc ? o->rc : home, o->rc ? "" : "/.slirprc");
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && !o->rc)
			return 0;
		hn_log_err("%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) >= 0) {
		size_t end = strcspn(line, "\n");

		lineno++;
		while (end && line[end - 1] == '\r')
			end--;
		line[end] = '\0';
		if (sl_cmd_blank(line))
			continue;
		snprintf(where, sizeof(where), "%s:%d: ", path, lineno);
		if (command(c, where, line + strspn(line, " \t\r")) < 0)
			rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

/* Every redir's guest address must be on the guest's side of the link. */
static int check_conf(struct state *st)
{
	struct opts *o = &st->o;
	char a[INET_ADDRSTRLEN], n[INET_ADDRSTRLEN];
	const uint32_t bcast = o->net | ~o->mask;
	const uint32_t own[] = { o->vhost, o->vdns, o->guest };

	if (st->conf.mtu && !o->mtu)
		o->mtu = st->conf.mtu;
	if (!o->mtu)
		o->mtu = SL_MTU_MAX;
	for (unsigned int i = 0; i < 3; i++)
		if ((own[i] & o->mask) != o->net || own[i] == o->net || own[i] == bcast) {
			hn_log_err("%s: not a host address in the guest network (--cidr)", a2s(own[i], a));
			return -1;
		}
	if (o->vhost == o->vdns || o->guest == o->vhost || o->guest == o->vdns) {
		hn_log_err("--vhost, --vdns and --guest must be three different addresses");
		return -1;
	}
	for (unsigned int i = 0; i < st->conf.nredir; i++) {
		uint32_t g = st->conf.redir[i].gaddr;
		char text[96];

		if (!g)
			continue;
		if ((g & o->mask) != o->net || g == o->net || g == bcast || g == o->vhost ||
		    g == o->vdns) {
			redir_text(&st->conf.redir[i], text, sizeof(text));
			hn_log_err("%s: %s is not a guest address in %s/%d", text, a2s(g, a),
				a2s(o->net, n), 32 - __builtin_ctz(ntohl(o->mask)));
			return -1;
		}
	}
	return 0;
}

static Slirp *start_slirp(struct state *st)
{
	SlirpConfig cfg = {
		.version = 4,
		.restricted = st->o.restrict_,
		.in_enabled = true,
		.vnetwork = { st->o.net },
		.vnetmask = { st->o.mask },
		.vhost = { st->o.vhost },
		.in6_enabled = false,
		.vdhcp_start = { st->o.guest },
		.vnameserver = { st->o.vdns },
		.if_mtu = st->o.mtu,
		.if_mru = st->o.mtu,
		.disable_host_loopback = st->o.no_loopback,
	};

	return slirp_new(&cfg, &callbacks, st);
}

/* ---- the loop ---- */

static int signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	signal(SIGPIPE, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, set, NULL) < 0)
		return -1;
	return signalfd(-1, set, SFD_CLOEXEC);
}

/*
 * libslirp's clock moves only in slirp_pollfds_poll(): input fed before the
 * first poll would see a stale time (its first UDP socket would expire at
 * once), so each round polls libslirp first and feeds the guest's bytes after.
 */
static void loop(struct state *st)
{
	for (;;) {
		uint32_t timeout = 1000;
		int n;

		flush(st);
		if (st->eof || st->stop)
			return;
		st->npfd = 0;
		cb_add_poll(STDIN_FILENO, SLIRP_POLL_IN, st);
		cb_add_poll(st->sfd, SLIRP_POLL_IN, st);
		slirp_pollfds_fill(st->slirp, &timeout, cb_add_poll, st);
		for (struct timer *t = st->timers; t; t = t->next)
			if (t->expire_ms >= 0) {
				long long left = t->expire_ms - now_ns() / 1000000;

				if (left < (long long)timeout)
					timeout = left < 0 ? 0 : (uint32_t)left;
			}
		n = poll(st->pfd, st->npfd, (int)timeout);
		if (n < 0 && errno != EINTR) {
			hn_log_err("poll: %s", strerror(errno));
			st->failed = true;
			return;
		}
		slirp_pollfds_poll(st->slirp, n < 0, cb_get_revents, st);
		run_timers(st);
		expire_forwards(st);
		if (n > 0 && (st->pfd[1].revents & POLLIN))
			on_signal(st);
		if (st->stop)
			return;
		if (n > 0 && (st->pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			read_link(st);
		if (st->eof)
			return;
	}
}

/* Options, ~/.slirprc, then argv's commands, all checked.
 * Return: -1 to exit 2, 1 to exit 0 (help, version), 0 to go on. */
static int configure(struct state *st, int argc, char **argv)
{
	int first, rc = parse_opts(&st->o, argc, argv, &first);

	if (rc)
		return rc;
	hn_log_verbose(st->o.verbose);
	if (isatty(STDIN_FILENO)) {
		hn_log_err("standard input is a terminal: slirp speaks SLIP to UML "
			"(eth0=slirp,,PATH), not to a serial line; see slirp(1)");
		return -1;
	}
	rc = read_rc(&st->conf, &st->o);
	for (int i = first; i < argc; i++) {
		if (argv[i][strspn(argv[i], " \t")] == '\0') {
			hn_log_err("an empty argument (a stray comma in eth0=slirp,...?)");
			rc = -1;
		} else if (command(&st->conf, "", argv[i]) < 0) {
			rc = -1;
		}
	}
	return rc < 0 || check_conf(st) < 0 ? -1 : 0;
}

/* Signals, the link, buffers, libslirp and the forwards. Return: 0, or -1. */
static int start(struct state *st)
{
	sigset_t set;

	st->sfd = signals(&set);
	if (st->sfd < 0) {
		hn_log_err("signals: %s", strerror(errno));
		return -1;
	}
	/* Non-blocking, so that a guest that stops reading cannot keep a
	 * signal from ending slirp (UML gives one socket as fd 0 and 1). */
	if (fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK) < 0 ||
	    fcntl(STDOUT_FILENO, F_SETFL, fcntl(STDOUT_FILENO, F_GETFL) | O_NONBLOCK) < 0) {
		hn_log_err("link: %s", strerror(errno));
		return -1;
	}
	st->obuf = malloc(OBUF_SIZE);
	if (!st->obuf) {
		hn_log_err("%s", strerror(ENOMEM));
		return -1;
	}
	sl_shim_init(&st->shim, st->o.vdns, st->conf.dns);
	sl_dec_init(&st->dec, st->o.mtu);
	st->slirp = start_slirp(st);
	if (!st->slirp) {
		hn_log_err("libslirp: cannot start (slirp_new failed)");
		return -1;
	}
	if (add_forwards(st) < 0) {
		slirp_cleanup(st->slirp);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct state st;
	int rc;

	hn_log_setprog("slirp");
	/* UML leaks its descriptors (hostfs files, epoll) into the helpers it runs. */
	close_range(3, ~0u, 0);
	rc = configure(&st, argc, argv);
	if (rc)
		return rc < 0 ? 2 : 0;
	if (start(&st) < 0)
		return 1;
	loop(&st);
	slirp_cleanup(st.slirp);
	if (st.o.stats)
		print_stats(&st);
	return st.failed ? 1 : 0;
}
