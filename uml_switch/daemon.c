/* daemon.c - the switch's sockets and its epoll loop: control connections, frames, the tap port. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "sw.h"
#include "tun.h"

/* epoll tags: kind in the high word, index in the low one. */
enum { EV_LISTEN = 1, EV_DATA, EV_TAP, EV_PORT, EV_CONN, EV_SIGNAL };
#define TAG(kind, i)	(((uint64_t)(kind) << 32) | (uint32_t)(i))
#define BURST		64	/* frames read per wakeup before looking at the others */

static int stop;	/* the signal that ends the loop */

static int watch(struct sw *s, int fd, uint32_t events, uint64_t tag)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };

	return epoll_ctl(s->efd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/* ---- the address table: data address -> port ---- */

static int32_t port_by_addr(const struct sw *s, const struct sockaddr_un *a)
{
	int32_t i = s->abucket[sw_addr_hash(a, s->o.ports)];

	for (; i >= 0; i = s->port[i].hnext)
		if (!memcmp(s->port[i].addr.sun_path, a->sun_path, sizeof(a->sun_path)))
			return i;
	return -1;
}

static void addr_insert(struct sw *s, unsigned int i)
{
	unsigned int b = sw_addr_hash(&s->port[i].addr, s->o.ports);

	s->port[i].hnext = s->abucket[b];
	s->abucket[b] = (int32_t)i;
}

static void addr_remove(struct sw *s, unsigned int i)
{
	int32_t *link = &s->abucket[sw_addr_hash(&s->port[i].addr, s->o.ports)];

	while (*link >= 0 && *link != (int32_t)i)
		link = &s->port[*link].hnext;
	if (*link >= 0)
		*link = s->port[i].hnext;
}

/* ---- ports ---- */

static int free_port(const struct sw *s)
{
	for (unsigned int i = 0; i < s->o.ports; i++)
		if (s->port[i].kind == SW_PORT_FREE)
			return (int)i;
	return -1;
}

static void detach(struct sw *s, unsigned int i, const char *why)
{
	struct sw_port *p = &s->port[i];
	unsigned int n = sw_core_forget_port(&s->core, i);

	sw_log(LOG_INFO, "port %u detached: pid %ld uid %lu (%s); rx %llu tx %llu drops %llu; %u address%s forgotten",
	       i, (long)p->pid, (unsigned long)p->uid, why, p->rx, p->tx, p->drops, n, n == 1 ? "" : "es");
	addr_remove(s, i);
	epoll_ctl(s->efd, EPOLL_CTL_DEL, p->ctl, NULL);
	close(p->ctl);
	memset(p, 0, sizeof(*p));
	p->kind = SW_PORT_FREE;
	p->ctl = -1;
	s->nports--;
}

static void conn_close(struct sw *s, unsigned int c)
{
	struct sw_conn *k = &s->conn[c];

	if (k->fd >= 0) {
		epoll_ctl(s->efd, EPOLL_CTL_DEL, k->fd, NULL);
		close(k->fd);
	}
	free(k->out);
	memset(k, 0, sizeof(*k));
	k->fd = -1;
}

static void refuse(struct sw *s, unsigned int c, const char *why)
{
	sw_log(LOG_WARNING, "refused pid %ld uid %lu: %s", (long)s->conn[c].pid,
	       (unsigned long)s->conn[c].uid, why);
	conn_close(s, c);
}

/* Check a NEW_CONTROL request against the switch's state; NULL when it may attach. */
static const char *admissible(struct sw *s, unsigned int c, struct sw_req *r, char *buf, size_t n)
{
	const char *why;
	int32_t other;

	sw_addr_normalise(&r->addr);
	if (!sw_addr_is_abstract(&r->addr) && sw_check_client_path(&r->addr, s->conn[c].uid, &why) < 0)
		return why;
	if (!memcmp(r->addr.sun_path, s->daddr.sun_path, sizeof(r->addr.sun_path)))
		return "data socket address is the switch's own";
	other = port_by_addr(s, &r->addr);
	if (other >= 0) {
		snprintf(buf, n, "data socket address already attached as port %d", other);
		return buf;
	}
	if (s->nports >= s->o.ports) {
		snprintf(buf, n, "switch full (%u ports; start it with a larger --ports)", s->o.ports);
		return buf;
	}
	return NULL;
}

/* Turn pending connection @c into a port. */
static void attach(struct sw *s, unsigned int c, struct sw_req *r)
{
	char why[96], addr[232];
	const char *no = admissible(s, c, r, why, sizeof(why));
	struct sw_conn *k = &s->conn[c];
	struct sw_port *p;
	int i;

	if (no)
		return refuse(s, c, no);
	if (r->reply && send(k->fd, &s->daddr, SW_ADDR_LEN, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)SW_ADDR_LEN)
		return refuse(s, c, "could not send the reply (client gone?)");
	i = free_port(s);
	p = &s->port[i];
	memset(p, 0, sizeof(*p));
	p->kind = SW_PORT_UNIX;
	p->ctl = k->fd;
	p->version = r->version;
	p->addr = r->addr;
	p->pid = k->pid;
	p->uid = k->uid;
	p->since = sw_now();
	epoll_ctl(s->efd, EPOLL_CTL_DEL, k->fd, NULL);
	if (watch(s, p->ctl, EPOLLIN, TAG(EV_PORT, i)) < 0) {
		p->kind = SW_PORT_FREE;
		return refuse(s, c, "epoll: out of resources");
	}
	k->fd = -1;
	conn_close(s, c);
	addr_insert(s, (unsigned int)i);
	s->nports++;
	sw_addr_format(&p->addr, addr, sizeof(addr));
	sw_log(LOG_INFO, "port %d attached: pid %ld uid %lu v%d data %s", i, (long)p->pid,
	       (unsigned long)p->uid, p->version, addr);
}

static void status(struct sw *s, unsigned int c, const struct sw_req *r)
{
	struct sw_conn *k = &s->conn[c];
	struct epoll_event ev = { .events = EPOLLOUT, .data.u64 = TAG(EV_CONN, c) };

	if (sw_status_render(s, r->fmt == SW_STATUS_JSON, &k->out, &k->len) < 0)
		return refuse(s, c, "status: out of memory");
	shutdown(k->fd, SHUT_RD);
	epoll_ctl(s->efd, EPOLL_CTL_MOD, k->fd, &ev);
}

static void conn_read(struct sw *s, unsigned int c)
{
	unsigned char buf[SW_REQ_MAX * 2];
	struct sw_req r;
	const char *why;
	ssize_t n = recv(s->conn[c].fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0)
		return refuse(s, c, n ? "control connection failed" : "closed before its request");
	if (sw_req_parse(buf, (size_t)n, &r, &why) < 0)
		return refuse(s, c, why);
	if (r.type == SW_REQ_STATUS)
		return status(s, c, &r);
	attach(s, c, &r);
}

static void conn_write(struct sw *s, unsigned int c)
{
	struct sw_conn *k = &s->conn[c];
	ssize_t n = send(k->fd, k->out + k->off, k->len - k->off, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0)
		k->off += (size_t)n;
	if (n <= 0 || k->off == k->len)
		conn_close(s, c);
}

static void accept_one(struct sw *s)
{
	struct ucred cr;
	socklen_t cl = sizeof(cr);
	unsigned int c = SW_PENDING_MAX, old = 0;
	int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			sw_log(LOG_ERR, "accept: %s", strerror(errno));
		return;
	}
	for (unsigned int i = 0; i < SW_PENDING_MAX; i++) {
		if (s->conn[i].fd < 0) {
			c = i;
			break;
		}
		if (s->conn[i].seq < s->conn[old].seq)
			old = i;
	}
	if (c == SW_PENDING_MAX) {	/* all slots held by silent clients: drop the oldest */
		refuse(s, old, "no request yet, and too many connections are pending");
		c = old;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) < 0)
		cr = (struct ucred){ .pid = 0, .uid = (uid_t)-1 };
	s->conn[c] = (struct sw_conn){ .fd = fd, .pid = cr.pid, .uid = cr.uid, .seq = ++s->seq };
	if (watch(s, fd, EPOLLIN, TAG(EV_CONN, c)) < 0)
		refuse(s, c, "epoll: out of resources");
}

/* A port's control connection: EOF or error detaches it; stray bytes are ignored. */
static void port_ctl(struct sw *s, unsigned int i)
{
	char buf[256];
	ssize_t n = recv(s->port[i].ctl, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0)
		return detach(s, i, n ? "control connection failed" : "control connection closed");
	if (!s->port[i].noisy)
		sw_log(LOG_NOTICE, "port %u: ignoring bytes on its control connection", i);
	s->port[i].noisy = true;
}

/* ---- frames ---- */

static void deliver(struct sw *s, unsigned int i, const uint8_t *f, size_t len)
{
	struct sw_port *p = &s->port[i];
	ssize_t n;

	if (p->kind == SW_PORT_TAP)
		n = write(s->tfd, f, len);
	else
		n = sendto(s->dfd, f, len, MSG_DONTWAIT | MSG_NOSIGNAL,
			   (const struct sockaddr *)&p->addr, sizeof(p->addr));
	if (n == (ssize_t)len) {
		p->tx++;
	} else {
		p->drops++;	/* full queue or a client gone: its problem, never the switch's */
		s->st.send_err++;
	}
}

static void forward(struct sw *s, unsigned int in, const uint8_t *f, size_t len)
{
	unsigned int out = 0;
	enum sw_verdict v = sw_core_decide(&s->core, in, f, len, sw_now(), &out);

	s->st.frames++;
	s->port[in].rx++;
	switch (v) {
	case SW_DROP_RUNT:
		s->st.runt++;
		return;
	case SW_DROP_GIANT:
		s->st.giant++;
		return;
	case SW_DROP_LOCAL:
		s->st.local++;
		return;
	case SW_UNICAST:
		s->st.unicast++;
		return deliver(s, out, f, len);
	case SW_FLOOD:
		s->st.flooded++;
		for (unsigned int i = 0; i < s->o.ports; i++)
			if (i != in && s->port[i].kind != SW_PORT_FREE)
				deliver(s, i, f, len);
	}
}

/*
 * Everything queued on the data socket, up to BURST frames, in one
 * recvmmsg(): one system call per wakeup however many frames wait.
 */
static void data_in(struct sw *s)
{
	static uint8_t f[BURST][SW_FRAME_MAX + 1];
	static struct sockaddr_un from[BURST];
	static struct mmsghdr m[BURST];
	static struct iovec iov[BURST];
	static bool ready;
	int n;

	if (!ready) {	/* once; after each call only what the kernel changed is reset */
		for (int b = 0; b < BURST; b++) {
			iov[b] = (struct iovec){ .iov_base = f[b], .iov_len = sizeof(f[b]) };
			m[b].msg_hdr = (struct msghdr){ .msg_name = &from[b], .msg_namelen = sizeof(from[b]),
							.msg_iov = &iov[b], .msg_iovlen = 1 };
		}
		ready = true;
	}
	n = recvmmsg(s->dfd, m, BURST, MSG_DONTWAIT, NULL);
	for (int b = 0; b < n; b++) {
		socklen_t l = m[b].msg_hdr.msg_namelen;
		int32_t i;

		m[b].msg_hdr.msg_namelen = sizeof(from[b]);
		/* The kernel wrote l bytes: the rest is an earlier sender's. */
		if (l < sizeof(from[b]))
			memset((char *)&from[b] + l, 0, sizeof(from[b]) - l);
		sw_addr_normalise(&from[b]);
		i = port_by_addr(s, &from[b]);
		if (i < 0) {
			s->st.unknown_src++;
			continue;
		}
		/* MSG_TRUNC set: longer than our buffer, i.e. a giant. */
		forward(s, (unsigned int)i, f[b], m[b].msg_hdr.msg_flags & MSG_TRUNC ?
			SW_FRAME_MAX + 1 : m[b].msg_len);
	}
}

/* The tap was deleted (or broke): its port goes, the switch carries on. */
static void tap_gone(struct sw *s, int err)
{
	unsigned int n = sw_core_forget_port(&s->core, s->tap_port);

	sw_log(LOG_WARNING, "tap %s: read: %s; tap port %u removed (%u address%s forgotten)", s->o.tap,
	       strerror(err), s->tap_port, n, n == 1 ? "" : "es");
	epoll_ctl(s->efd, EPOLL_CTL_DEL, s->tfd, NULL);
	close(s->tfd);
	s->tfd = -1;
	s->port[s->tap_port].kind = SW_PORT_FREE;
	s->nports--;
}

static void tap_in(struct sw *s)
{
	uint8_t f[SW_FRAME_MAX + 1];

	for (int b = 0; b < BURST; b++) {
		ssize_t n = read(s->tfd, f, sizeof(f));

		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return tap_gone(s, errno);
		if (n < 0)
			return;
		forward(s, s->tap_port, f, (size_t)n);
	}
}

/* ---- setup ---- */

static int open_tap(struct sw *s)
{
	char name[IFNAMSIZ];
	int rc, fd;

	if (!if_nametoindex(s->o.tap)) {
		sw_log(LOG_ERR, "tap %s: no such device (create it first, owned by this user: "
		       "tunctl -u %lu -t %s, or hostnet's tap ... user)", s->o.tap,
		       (unsigned long)geteuid(), s->o.tap);
		return -ENODEV;
	}
	fd = hn_tun_open(HN_TUN_CLONE);
	if (fd < 0) {
		sw_log(LOG_ERR, "tap %s: open %s: %s", s->o.tap, HN_TUN_CLONE, strerror(-fd));
		return fd;
	}
	snprintf(name, sizeof(name), "%s", s->o.tap);
	rc = hn_tun_attach(fd, name, IFF_TAP | IFF_NO_PI);
	if (rc < 0) {
		sw_log(LOG_ERR, "tap %s: attach: %s (%s)", s->o.tap, strerror(-rc),
		       rc == -EPERM ? "the tap must be owned by this user or its group: tunctl -u USER -t TAP" :
		       rc == -EINVAL ? "it is a tun, or a multi-queue tap: make a plain one with tunctl -u USER -t TAP" :
		       rc == -EBUSY ? "another process holds it" : "cannot use it");
		close(fd);
		return rc;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	s->tfd = fd;
	return 0;
}

static int bind_data(struct sw *s)
{
	struct timeval tv;
	const char *why;
	int rc;

	s->dfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->dfd < 0)
		return -errno;
	memset(&s->daddr, 0, sizeof(s->daddr));
	s->daddr.sun_family = AF_UNIX;
	if (s->o.data) {
		rc = sw_bind_path(s->dfd, s->o.data, &s->data_dev, &s->data_ino, &why);
		if (rc < 0)
			sw_log(LOG_ERR, "%s: %s", sw_shown(s->o.data), why ? why : strerror(-rc));
		else
			snprintf(s->daddr.sun_path, sizeof(s->daddr.sun_path), "%s", s->o.data);
		return rc;
	}
	/* An abstract name unique to this process, as UML names its own. */
	gettimeofday(&tv, NULL);
	snprintf(s->daddr.sun_path + 1, sizeof(s->daddr.sun_path) - 1, "uml_switch-%ld-%ld",
		 (long)getpid(), (long)tv.tv_usec);
	if (bind(s->dfd, (struct sockaddr *)&s->daddr, sizeof(s->daddr)) < 0) {
		sw_log(LOG_ERR, "data socket: bind: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static int bind_ctl(struct sw *s)
{
	const char *why;
	int rc;

	s->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->lfd < 0)
		return -errno;
	rc = sw_bind_path(s->lfd, s->ctl_path, &s->ctl_dev, &s->ctl_ino, &why);
	if (rc < 0) {
		sw_log(LOG_ERR, "%s: %s", sw_shown(s->ctl_path), why ? why : strerror(-rc));
		return rc;
	}
	if (listen(s->lfd, 64) < 0)
		return -errno;
	return 0;
}

static void add_tap_port(struct sw *s)
{
	struct sw_port *p = &s->port[0];

	p->kind = SW_PORT_TAP;
	p->ctl = -1;
	p->since = sw_now();
	p->addr.sun_family = AF_UNIX;
	/* A name no client can present: "\0" followed by 0xff bytes. */
	memset(p->addr.sun_path + 1, 0xff, sizeof(p->addr.sun_path) - 1);
	s->tap_port = 0;
	s->nports = 1;
}

/* One descriptor per port and pending connection, plus a few: raise the soft
 * limit if it is lower, or say what to do (accept would fail with EMFILE). */
static int enough_fds(const struct sw *s)
{
	rlim_t need = s->o.ports + SW_PENDING_MAX + 16;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max >= need) {
		rl.rlim_cur = need;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return 0;
	}
	sw_log(LOG_ERR, "--ports %u needs %lu file descriptors, the limit is %lu (raise it: ulimit -n)",
	       s->o.ports, (unsigned long)need, (unsigned long)rl.rlim_max);
	return -EMFILE;
}

/**
 * sw_setup - open the tap, bind both sockets, prepare the tables
 * Return: 0, or -errno after logging what failed (nothing is left behind).
 */
int sw_setup(struct sw *s)
{
	int rc;

	s->lfd = s->dfd = s->tfd = s->efd = s->sfd = -1;
	for (unsigned int c = 0; c < SW_PENDING_MAX; c++)
		s->conn[c].fd = -1;
	s->port = calloc(s->o.ports + 1, sizeof(*s->port));
	s->abucket = malloc((s->o.ports + 1) * sizeof(*s->abucket));
	if (!s->port || !s->abucket)
		return -ENOMEM;
	if (s->o.tap)
		s->o.ports++;	/* the tap takes port 0, on top of the clients' ports */
	for (unsigned int i = 0; i < s->o.ports; i++) {
		s->port[i].ctl = -1;
		s->abucket[i] = -1;
	}
	sw_core_init(&s->core, s->o.hub, s->o.ageing);
	if ((rc = enough_fds(s)) < 0)
		return rc;
	if (s->o.tap && (rc = open_tap(s)) < 0)
		return rc;
	if ((rc = bind_data(s)) < 0 || (rc = bind_ctl(s)) < 0)
		return rc;
	if (s->o.tap)
		add_tap_port(s);
	return 0;
}

/* SIGINT and SIGTERM arrive as events (a signalfd), so a busy switch still sees them. */
static int arm(struct sw *s)
{
	sigset_t block;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	s->sfd = signalfd(-1, &block, SFD_NONBLOCK | SFD_CLOEXEC);
	s->efd = epoll_create1(EPOLL_CLOEXEC);
	if (s->sfd < 0 || s->efd < 0)
		return -errno;
	if ((rc = watch(s, s->sfd, EPOLLIN, TAG(EV_SIGNAL, 0))) < 0 ||
	    (rc = watch(s, s->lfd, EPOLLIN, TAG(EV_LISTEN, 0))) < 0 ||
	    (rc = watch(s, s->dfd, EPOLLIN, TAG(EV_DATA, 0))) < 0)
		return rc;
	if (s->tfd >= 0 && (rc = watch(s, s->tfd, EPOLLIN, TAG(EV_TAP, 0))) < 0)
		return rc;
	return 0;
}

static void dispatch(struct sw *s, const struct epoll_event *ev)
{
	uint32_t kind = (uint32_t)(ev->data.u64 >> 32), i = (uint32_t)ev->data.u64;

	switch (kind) {
	case EV_SIGNAL: {
		struct signalfd_siginfo si;

		if (read(s->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			stop = (int)si.ssi_signo;
		return;
	}
	case EV_LISTEN:
		return accept_one(s);
	case EV_DATA:
		return data_in(s);
	case EV_TAP:
		if (s->tfd >= 0)
			tap_in(s);
		return;
	case EV_PORT:
		if (s->port[i].kind == SW_PORT_UNIX)
			port_ctl(s, i);
		return;
	case EV_CONN:
		if (s->conn[i].fd < 0)
			return;
		if (s->conn[i].out)
			return conn_write(s, i);
		return conn_read(s, i);
	}
}

/**
 * sw_run - serve until SIGINT or SIGTERM
 * Return: 0 on a signal, -errno if epoll itself fails.
 */
int sw_run(struct sw *s)
{
	struct epoll_event ev[32];
	time_t next_sweep = 0;
	int rc = arm(s);

	if (rc < 0)
		return rc;
	s->started = sw_now();
	while (!stop) {
		int n = epoll_wait(s->efd, ev, 32, 1000);

		if (n < 0 && errno != EINTR)
			return -errno;
		for (int k = 0; k < n; k++)
			dispatch(s, &ev[k]);
		if (sw_now() >= next_sweep) {
			sw_core_expire(&s->core, sw_now());
			next_sweep = sw_now() + 1;
		}
	}
	sw_log(LOG_INFO, "exiting on signal %d", stop);
	return 0;
}

/** sw_teardown - close everything; remove the socket files we made. */
void sw_teardown(struct sw *s)
{
	for (unsigned int c = 0; c < SW_PENDING_MAX; c++)
		if (s->conn[c].fd >= 0)
			conn_close(s, c);
	for (unsigned int i = 0; s->port && i < s->o.ports; i++)
		if (s->port[i].ctl >= 0)
			close(s->port[i].ctl);
	if (s->lfd >= 0) {
		sw_unlink_ours(s->ctl_path, s->ctl_dev, s->ctl_ino);
		close(s->lfd);
	}
	if (s->dfd >= 0) {
		if (s->o.data)
			sw_unlink_ours(s->o.data, s->data_dev, s->data_ino);
		close(s->dfd);
	}
	if (s->tfd >= 0)
		close(s->tfd);
	if (s->efd >= 0)
		close(s->efd);
	if (s->sfd >= 0)
		close(s->sfd);
	free(s->port);
	free(s->abucket);
}
