/* swclient.c - a client of UML's daemon transport for uml_switch's tests and bench: scripted clients, throughput, latency, soak. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "parse.h"
#include "words.h"
#include "../uml_switch/req.h"

/*
 * Script mode (swclient script CONTROL < script), one command a line:
 *   attach NAME [0|1|3]        attach with that protocol version (3); prints "attach NAME ok|refused"
 *   attach-path NAME PATH      attach with a data socket bound at PATH (v3)
 *   attach-claim NAME PATH     attach naming PATH as its data socket, bound elsewhere (abstract)
 *   attach-vanish NAME         send a v3 request and close before the reply
 *   arp NAME SRC SENDER_IP TARGET_IP   a broadcast ARP request (frames other than the
 *                              test ethertype print as "NAME eth-TYPE LEN")
 *   send NAME DST SRC TAG [LEN]  a frame; DST/SRC are ff, mc, N (02:00:00:00:00:N) or a MAC
 *   sync                       barrier: a marker broadcast from a hidden client; prints, per
 *                              attached client in attach order, "NAME TAG LEN" for each frame
 *                              it received before the marker (the switch keeps order)
 *   status FILE [text]         the switch's --status reply (JSON unless "text") into FILE,
 *                              while this script's clients are attached
 *   closectl NAME              only its control connection closes (it may still send)
 *                              (close and closectl wait for a status reply, so that the
 *                              switch has seen the close: hostnet's uml_switch only)
 *   chatter NAME               stray bytes on its (attached) control connection
 *   hold N                     N connections that never send a request
 *   close NAME                 the client vanishes: control connection and data socket closed
 *   bad KIND                   a bad request (magic, version, short, oversized, type, family);
 *                              prints "bad KIND refused|accepted|pending"
 * Every wait has a 60 s ceiling that only catches hangs.
 */

#define WAIT_MS 60000
#define MAXC 1100

struct client {
	char name[32];
	int ctl, data;
	struct sockaddr_un mine, sw;
	int live;
};

static struct client cl[MAXC];
static int ncl;
static const char *ctl_path;
static unsigned int mark_n;

static void die(const char *what)
{
	fprintf(stderr, "swclient: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int connect_ctl(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", ctl_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		die(ctl_path);
	return fd;
}

/* 1: got n bytes; 0: EOF (refused); -1: nothing within the ceiling. */
static int read_reply(int fd, void *buf, size_t n, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t r;

	if (poll(&p, 1, ms) <= 0)
		return -1;
	r = read(fd, buf, n);
	return r == (ssize_t)n ? 1 : 0;
}

static struct client *attach_as(const char *name, int version, const char *path, const char *claim)
{
	struct client *c = &cl[ncl];
	unsigned char req[SW_REQ_MAX];
	size_t len;

	if (ncl >= MAXC)
		return NULL;
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->mine.sun_family = AF_UNIX;
	if (path)
		snprintf(c->mine.sun_path, sizeof(c->mine.sun_path), "%s", path);
	else	/* abstract, all 108 bytes bound, as UML binds its own */
		snprintf(c->mine.sun_path + 1, sizeof(c->mine.sun_path) - 1, "swclient-%d-%d-%s",
			 (int)getpid(), ncl, name);
	c->data = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (c->data < 0 || bind(c->data, (struct sockaddr *)&c->mine, sizeof(c->mine)) < 0)
		die("bind data socket");
	c->ctl = connect_ctl();
	if (claim) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };

		snprintf(a.sun_path, sizeof(a.sun_path), "%s", claim);
		len = sw_req_build(req, sizeof(req), version, SW_REQ_NEW_CONTROL, &a);
	} else {
		len = sw_req_build(req, sizeof(req), version, SW_REQ_NEW_CONTROL, &c->mine);
	}
	if (write(c->ctl, req, len) != (ssize_t)len)
		die("write request");
	ncl++;
	if (version == 0) {
		/* No reply to wait for: a v3 attach behind it is the barrier (the
		 * switch serves connections in order), and tells the data address. */
		struct client *b;

		c->live = 1;
		b = attach_as("_barrier", 3, NULL, NULL);
		if (!b)
			die("barrier attach refused");
		c->sw = b->sw;
		close(b->ctl), close(b->data);
		ncl--;
		return c;
	}
	if (read_reply(c->ctl, &c->sw, sizeof(c->sw), WAIT_MS) != 1) {
		close(c->ctl), close(c->data);
		ncl--;
		return NULL;
	}
	c->live = 1;
	return c;
}

static struct client *attach(const char *name, int version, const char *path)
{
	return attach_as(name, version, path, NULL);
}

static struct client *find(const char *name)
{
	for (int i = 0; i < ncl; i++)
		if (cl[i].live && !strcmp(cl[i].name, name))
			return &cl[i];
	fprintf(stderr, "swclient: no client %s\n", name);
	exit(2);
}

static void mac(const char *s, uint8_t m[6])
{
	unsigned long n;

	if (!strcmp(s, "ff"))
		memset(m, 0xff, 6);
	else if (!strcmp(s, "mc"))
		memcpy(m, "\x01\x00\x5e\x00\x00\x01", 6);
	else if (hn_parse_uint(s, 255, &n) == 0)
		memcpy(m, "\x02\x00\x00\x00\x00", 5), m[5] = (uint8_t)n;
	else if (hn_parse_mac(s, m) < 0) {
		fprintf(stderr, "swclient: bad MAC %s\n", s);
		exit(2);
	}
}

static void send_frame(struct client *c, const uint8_t dst[6], const uint8_t src[6], const char *tag,
		       size_t len)
{
	uint8_t f[2048] = { 0 };

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88, f[13] = 0xb5;	/* local experimental ethertype */
	snprintf((char *)f + 14, sizeof(f) - 14, "%s", tag);
	if (len < 14 + strlen(tag) + 1)
		len = 14 + strlen(tag) + 1;
	if (sendto(c->data, f, len, 0, (struct sockaddr *)&c->sw, sizeof(c->sw)) < 0)
		fprintf(stderr, "swclient: %s: send: %s\n", c->name, strerror(errno));
}

/* Print what @c received up to the marker @mark. */
static void drain_until(struct client *c, const char *mark)
{
	uint8_t f[2048];

	for (;;) {
		struct pollfd p = { .fd = c->data, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, WAIT_MS) <= 0) {
			printf("%s TIMEOUT\n", c->name);
			return;
		}
		n = recv(c->data, f, sizeof(f) - 1, 0);
		if (n < 14)
			continue;
		f[n] = 0;
		if (f[12] != 0x88 || f[13] != 0xb5) {
			printf("%s eth-%02x%02x %zd\n", c->name, f[12], f[13], n);
			continue;
		}
		if (!strcmp((char *)f + 14, mark))
			return;
		printf("%s %s %zd\n", c->name, (char *)f + 14, n);
	}
}

static void sync_all(void)
{
	static struct client *m;
	uint8_t bc[6], src[6];
	char tag[32];
	int nm = -1;

	if (!m) {
		m = attach("_mark", 3, NULL);
		if (!m)
			die("marker attach refused");
	}
	for (int i = 0; i < ncl; i++)
		if (&cl[i] == m)
			nm = i;
	snprintf(tag, sizeof(tag), "MARK%u", ++mark_n);
	memset(bc, 0xff, 6);
	memcpy(src, "\x02\xff\xff\xff\xff\xfe", 6);
	send_frame(m, bc, src, tag, 0);
	for (int i = 0; i < ncl; i++)
		if (cl[i].live == 1 && i != nm)
			drain_until(&cl[i], tag);
	fflush(stdout);
}

static void bad(const char *kind)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	unsigned char req[SW_REQ_MAX * 2];
	size_t len;
	uint32_t w;
	int fd = connect_ctl(), r;

	a.sun_path[1] = 'x';
	len = sw_req_build(req, sizeof(req), 3, SW_REQ_NEW_CONTROL, &a);
	if (!strcmp(kind, "magic"))
		w = 0xdeadbeef, memcpy(req, &w, 4), len = SW_REQ_V0_LEN;
	else if (!strcmp(kind, "version"))
		w = 7, memcpy(req + 4, &w, 4);
	else if (!strcmp(kind, "short"))
		len = 60;
	else if (!strcmp(kind, "oversized"))
		len = sizeof(req);
	else if (!strcmp(kind, "type"))
		w = 9, memcpy(req + 8, &w, 4);
	else if (!strcmp(kind, "family"))
		req[12] = 2;
	if (write(fd, req, len) != (ssize_t)len)
		die("write bad request");
	r = read_reply(fd, req, SW_ADDR_LEN, WAIT_MS);
	printf("bad %s %s\n", kind, r == 1 ? "accepted" : r == 0 ? "refused" : "pending");
	fflush(stdout);
	close(fd);
}

static void attach_vanish(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	unsigned char req[SW_REQ_MAX];
	size_t len;
	int fd = connect_ctl();

	snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "swclient-%d-vanish", (int)getpid());
	len = sw_req_build(req, sizeof(req), 3, SW_REQ_NEW_CONTROL, &a);
	if (write(fd, req, len) != (ssize_t)len)
		die("write request");
	close(fd);
}

static void send_arp(struct client *c, const uint8_t src[6], const char *sip, const char *tip)
{
	uint8_t f[60] = { 0 };
	struct hn_addr a, b;

	if (hn_parse_addr(sip, AF_INET, &a) < 0 || hn_parse_addr(tip, AF_INET, &b) < 0) {
		fprintf(stderr, "swclient: bad IPv4 address\n");
		exit(2);
	}
	memset(f, 0xff, 6);
	memcpy(f + 6, src, 6);
	memcpy(f + 12, "\x08\x06\x00\x01\x08\x00\x06\x04\x00\x01", 10);
	memcpy(f + 22, src, 6);
	memcpy(f + 28, &a.u, 4);
	memcpy(f + 38, &b.u, 4);
	if (sendto(c->data, f, sizeof(f), 0, (struct sockaddr *)&c->sw, sizeof(c->sw)) < 0)
		fprintf(stderr, "swclient: %s: send: %s\n", c->name, strerror(errno));
}

static void status(const char *file, bool text)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	unsigned char req[SW_REQ_MAX];
	char buf[4096];
	size_t len;
	ssize_t n;
	FILE *f = fopen(file, "w");
	int fd = connect_ctl();

	if (!f)
		die(file);
	a.sun_path[0] = text ? SW_STATUS_TEXT : SW_STATUS_JSON;
	len = sw_req_build(req, sizeof(req), 3, SW_REQ_STATUS, &a);
	if (write(fd, req, len) != (ssize_t)len)
		die("write status request");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, f);
	fclose(f);
	close(fd);
}

static int script(void)
{
	char line[512];

	while (fgets(line, sizeof(line), stdin)) {
		char *w[8] = { 0 };
		int n = hn_words_split(line, w, 8);

		if (n < 0) {
			printf("too many words\n");
			continue;
		}
		if (!n)
			continue;
		if (!strcmp(w[0], "attach") && n >= 2) {
			printf("attach %s %s\n", w[1], attach(w[1], n > 2 ? atoi(w[2]) : 3, NULL) ? "ok" : "refused");
		} else if (!strcmp(w[0], "attach-path") && n == 3) {
			printf("attach %s %s\n", w[1], attach(w[1], 3, w[2]) ? "ok" : "refused");
		} else if (!strcmp(w[0], "attach-claim") && n == 3) {
			printf("attach %s %s\n", w[1], attach_as(w[1], 3, NULL, w[2]) ? "ok" : "refused");
		} else if (!strcmp(w[0], "attach-vanish") && n == 2) {
			attach_vanish();
		} else if (!strcmp(w[0], "arp") && n == 5) {
			uint8_t s[6];

			mac(w[2], s);
			send_arp(find(w[1]), s, w[3], w[4]);
		} else if (!strcmp(w[0], "send") && n >= 5) {
			uint8_t d[6], s[6];

			mac(w[2], d), mac(w[3], s);
			send_frame(find(w[1]), d, s, w[4], n > 5 ? (size_t)atoi(w[5]) : 0);
		} else if (!strcmp(w[0], "sync")) {
			sync_all();
		} else if (!strcmp(w[0], "close") && n == 2) {
			struct client *c = find(w[1]);

			close(c->ctl), close(c->data);
			c->live = 0;
			status("/dev/null", true);	/* barrier, as for closectl */
		} else if (!strcmp(w[0], "status") && n >= 2) {
			status(w[1], n > 2 && !strcmp(w[2], "text"));
		} else if (!strcmp(w[0], "closectl") && n == 2) {
			struct client *c = find(w[1]);

			close(c->ctl);
			c->ctl = -1;
			c->live = 2;	/* may send; no longer waited for at sync */
			/* Barrier: the switch answers a status request only after the
			 * close it saw first (hostnet's uml_switch only). */
			status("/dev/null", true);
		} else if (!strcmp(w[0], "chatter") && n == 2) {
			if (write(find(w[1])->ctl, "hello?", 6) != 6)
				die("chatter");
		} else if (!strcmp(w[0], "hold") && n == 2) {
			for (int k = atoi(w[1]); k > 0; k--)
				connect_ctl();	/* kept open, silent, until exit */
		} else if (!strcmp(w[0], "bad") && n == 2) {
			bad(w[1]);
		} else {
			fprintf(stderr, "swclient: bad script line: %s\n", w[0]);
			return 2;
		}
		fflush(stdout);
	}
	return 0;
}

/* ---- bench and soak ---- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void attach_n(int n)
{
	char name[32];

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		if (!attach(name, 3, NULL))
			die("attach refused");
	}
}

static void mac_of(int i, uint8_t m[6])
{
	memcpy(m, "\x02\x00\x00\x00", 4);
	m[4] = (uint8_t)(i >> 8), m[5] = (uint8_t)i;
}

/* Both active clients announce themselves, so the switch learns them. */
static void learn_pair(void)
{
	uint8_t bc[6], m[6];

	memset(bc, 0xff, 6);
	for (int i = 0; i < 2; i++) {
		mac_of(i, m);
		send_frame(&cl[i], bc, m, "hello", 64);
	}
	usleep(100000);
	for (int i = 0; i < ncl; i++) {
		uint8_t f[2048];

		while (recv(cl[i].data, f, sizeof(f), MSG_DONTWAIT) > 0)
			;
	}
}

/* The sender keeps at most WINDOW frames in flight (credits), below the
 * kernel's 10-datagram queue, so the figure is the switch's rate, not loss. */
#define WINDOW 8
static long rx_count, rx_want;
static sem_t credits;

static void *receiver(void *arg)
{
	uint8_t f[2048];
	struct pollfd p = { .fd = cl[1].data, .events = POLLIN };

	(void)arg;
	while (rx_count < rx_want && poll(&p, 1, 1000) > 0)
		if (recv(cl[1].data, f, sizeof(f), 0) > 0) {
			rx_count++;
			sem_post(&credits);
		}
	return NULL;
}

static int throughput(int ports, long frames, size_t len)
{
	uint8_t a[6], b[6];
	pthread_t t;
	double t0, t1;
	long lost = 0;

	attach_n(ports);
	learn_pair();
	mac_of(0, a), mac_of(1, b);
	rx_want = frames;
	sem_init(&credits, 0, WINDOW);
	pthread_create(&t, NULL, receiver, NULL);
	t0 = now_s();
	for (long i = 0; i < frames; i++) {
		struct timespec dl;

		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += 1;
		if (sem_timedwait(&credits, &dl) < 0)
			lost++;		/* a frame lost: its credit never came back */
		send_frame(&cl[0], b, a, "x", len);
	}
	pthread_join(t, NULL);
	t1 = now_s();
	printf("ports=%d sent=%ld delivered=%ld lost_credits=%ld frames_per_s=%.0f\n", ports, frames,
	       rx_count, lost, rx_count / (t1 - t0));
	return 0;
}

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static int latency(int ports, int rounds)
{
	uint8_t a[6], b[6], f[2048];
	double *rtt = calloc((size_t)rounds, sizeof(double));
	int lost = 0;

	attach_n(ports);
	learn_pair();
	mac_of(0, a), mac_of(1, b);
	for (int i = 0; i < rounds; i++) {
		struct pollfd pb = { .fd = cl[1].data, .events = POLLIN }, pa = { .fd = cl[0].data, .events = POLLIN };
		double t0 = now_s();

		send_frame(&cl[0], b, a, "ping", 64);
		if (poll(&pb, 1, 1000) <= 0 || recv(cl[1].data, f, sizeof(f), 0) < 0) {
			lost++;
			continue;
		}
		send_frame(&cl[1], a, b, "pong", 64);
		if (poll(&pa, 1, 1000) <= 0 || recv(cl[0].data, f, sizeof(f), 0) < 0) {
			lost++;
			continue;
		}
		rtt[i - lost] = now_s() - t0;
	}
	qsort(rtt, (size_t)(rounds - lost), sizeof(double), cmp_d);
	printf("ports=%d rounds=%d lost=%d rtt_median_us=%.1f rtt_p99_us=%.1f\n", ports, rounds, lost,
	       rtt[(rounds - lost) / 2] * 1e6, rtt[(rounds - lost) * 99 / 100] * 1e6);
	free(rtt);
	return 0;
}

/* 1 million frames among 8 clients, one client replaced every 2000 frames. */
static int soak(long frames)
{
	uint8_t bc[6], s[6], d[6], f[2048];
	long attaches = 8;
	char name[32];

	memset(bc, 0xff, 6);
	attach_n(8);
	for (long i = 0; i < frames; i++) {
		int from = (int)(i % 8), to = (int)((i / 8) % 8);

		if (i % 2000 == 1999) {
			int k = (int)((i / 2000) % 8);

			close(cl[k].ctl), close(cl[k].data);
			ncl = k;
			snprintf(name, sizeof(name), "n%ld", attaches++);
			if (!attach(name, 3, NULL))
				die("re-attach refused");
			ncl = 8;
		}
		mac_of(from + 8 * (int)(i % 5), s);
		mac_of(to + 8 * (int)(i % 5), d);
		send_frame(&cl[from], i % 64 ? d : bc, s, "soak", 60 + (size_t)(i % 1400));
		if (i % 8 == 7)
			for (int k = 0; k < 8; k++)
				while (recv(cl[k].data, f, sizeof(f), MSG_DONTWAIT) > 0)
					;
	}
	printf("frames=%ld attaches=%ld\n", frames, attaches);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "script")) {
		ctl_path = argv[2];
		return script();
	}
	if (argc == 6 && !strcmp(argv[1], "throughput")) {
		ctl_path = argv[2];
		return throughput(atoi(argv[3]), atol(argv[4]), (size_t)atol(argv[5]));
	}
	if (argc == 5 && !strcmp(argv[1], "latency")) {
		ctl_path = argv[2];
		return latency(atoi(argv[3]), atoi(argv[4]));
	}
	if (argc == 3 && !strcmp(argv[1], "bind")) {
		/* A socket file with nothing behind it: a stale switch, another user's socket. */
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		snprintf(a.sun_path, sizeof(a.sun_path), "%s", argv[2]);
		if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
			die(argv[2]);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "soak")) {
		ctl_path = argv[2];
		return soak(atol(argv[3]));
	}
	fprintf(stderr, "usage: swclient script CONTROL < SCRIPT\n"
			"       swclient throughput CONTROL PORTS FRAMES LEN\n"
			"       swclient latency CONTROL PORTS ROUNDS\n"
			"       swclient soak CONTROL FRAMES\n"
			"       swclient bind PATH\n");
	return 2;
}
