/* status.c - `--status`: the switch renders its ports, addresses and counters; the client prints them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "out.h"
#include "sw.h"

static const char *kinds[] = {
	[SW_PORT_FREE] = "free",
	[SW_PORT_UNIX] = "unix",
	[SW_PORT_TAP] = "tap",
};

static void put_port(struct hn_out *o, const struct sw *s, unsigned int i, time_t now)
{
	const struct sw_port *p = &s->port[i];
	char addr[232];

	hn_out_open(o, NULL, '{');
	hn_out_uint(o, "port", "port %-4llu", i);
	hn_out_str(o, "kind", "%-5s", kinds[p->kind]);
	if (p->kind == SW_PORT_TAP) {
		hn_out_str(o, "tap", "%-24s", s->o.tap);	/* an interface name: no control bytes */
	} else {
		sw_addr_format(&p->addr, addr, sizeof(addr));
		hn_out_int(o, "pid", "pid %-8lld", p->pid);
		hn_out_uint(o, "uid", "uid %-6llu", p->uid);
		hn_out_int(o, "version", "v%lld ", p->version);
		hn_out_str(o, "data", "%s ", addr);
	}
	hn_out_uint(o, "rx", " rx %llu", p->rx);
	hn_out_uint(o, "tx", " tx %llu", p->tx);
	hn_out_uint(o, "drops", " drops %llu", p->drops);
	hn_out_uint(o, "attached_s", " up %llus\n", (unsigned long long)(now - p->since));
	hn_out_close(o, '{');
}

struct walk {
	struct hn_out *o;
	time_t now;
	time_t ageing;
};

static void put_mac(const struct sw_mac *m, void *arg)
{
	struct walk *w = arg;
	char mac[18];

	if (w->now - m->seen >= w->ageing)
		return;
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m->mac[0], m->mac[1], m->mac[2], m->mac[3], m->mac[4], m->mac[5]);
	hn_out_open(w->o, NULL, '{');
	hn_out_str(w->o, "mac", "mac %s", mac);
	hn_out_uint(w->o, "port", " port %llu", m->port);
	hn_out_uint(w->o, "age_s", " age %llus\n", (unsigned long long)(w->now - m->seen));
	hn_out_close(w->o, '{');
}

static void put_counters(struct hn_out *o, const struct sw_stats *st)
{
	hn_out_open(o, "frames", '{');
	hn_out_uint(o, "received", "frames %llu", st->frames);
	hn_out_uint(o, "unicast", " unicast %llu", st->unicast);
	hn_out_uint(o, "flooded", " flooded %llu", st->flooded);
	hn_out_uint(o, "not_sent_back", " not-sent-back %llu", st->local);
	hn_out_uint(o, "runt", " runt %llu", st->runt);
	hn_out_uint(o, "giant", " giant %llu", st->giant);
	hn_out_uint(o, "unknown_source", " unknown-source %llu", st->unknown_src);
	hn_out_uint(o, "send_errors", " send-errors %llu\n", st->send_err);
	hn_out_close(o, '{');
}

static void render(struct hn_out *o, const struct sw *s)
{
	char data[232];
	time_t now = sw_now();
	struct walk w = { o, now, s->core.ageing };

	sw_addr_format(&s->daddr, data, sizeof(data));
	hn_out_open(o, NULL, '{');
	hn_out_str(o, "control", "switch %s", o->json ? s->ctl_path : sw_shown(s->ctl_path));
	hn_out_str(o, "data", " data %s", data);
	hn_out_str(o, "mode", " mode %s", s->o.hub ? "hub" : "switch");
	hn_out_int(o, "pid", " pid %lld", (long long)getpid());
	hn_out_uint(o, "ports_attached", " ports %llu", s->nports);
	hn_out_uint(o, "ports_max", "/%llu", s->o.ports);
	hn_out_uint(o, "ageing_s", " ageing %llus", s->core.ageing);
	hn_out_uint(o, "uptime_s", " up %llus\n", (unsigned long long)(now - s->started));
	put_counters(o, &s->st);
	hn_out_open(o, "ports", '[');
	for (unsigned int i = 0; i < s->o.ports; i++)
		if (s->port[i].kind != SW_PORT_FREE)
			put_port(o, s, i, now);
	hn_out_close(o, '[');
	hn_out_uint(o, "macs_learned", NULL, s->core.count);
	hn_out_open(o, "macs", '[');
	sw_core_walk(&s->core, put_mac, &w);
	hn_out_close(o, '[');
	hn_out_close(o, '{');
	hn_out_end(o);
}

/**
 * sw_status_render - the status reply, as text or JSON, into a new buffer
 * @buf, @len: out: the malloc'd text and its length (the caller frees it)
 * Return: 0 or -ENOMEM.
 */
int sw_status_render(const struct sw *s, bool json, char **buf, size_t *len)
{
	struct hn_out o;
	FILE *f = open_memstream(buf, len);

	if (!f)
		return -ENOMEM;
	hn_out_init(&o, f, json);
	render(&o, s);
	if (fclose(f) != 0)
		return -ENOMEM;
	return 0;
}

/**
 * sw_status_query - ask the switch at @ctl for its status and copy it to stdout
 * Return: 0, or 1 after printing why not.
 */
int sw_status_query(const char *ctl, bool json)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX }, mine = { .sun_family = AF_UNIX };
	unsigned char req[SW_REQ_MAX];
	char buf[4096];
	size_t len;
	ssize_t n;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memcpy(sun.sun_path, ctl, strlen(ctl) + 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr, "uml_switch: %s: connect: %s (is a switch running there? -unix names its socket)\n",
			sw_shown(ctl), strerror(errno));
		return 1;
	}
	mine.sun_path[0] = json ? SW_STATUS_JSON : SW_STATUS_TEXT;
	len = sw_req_build(req, sizeof(req), 3, SW_REQ_STATUS, &mine);
	if (write(fd, req, len) != (ssize_t)len) {
		fprintf(stderr, "uml_switch: %s: send: %s\n", sw_shown(ctl), strerror(errno));
		close(fd);
		return 1;
	}
	len = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		/* A switch without --status (the reference) takes the request for
		 * a new port and answers with its 110-byte data address. */
		if (!len && n == (ssize_t)SW_ADDR_LEN && buf[0] == AF_UNIX && buf[1] == 0) {
			fprintf(stderr, "uml_switch: %s: the switch there does not answer --status "
				"(not hostnet's uml_switch?)\n", sw_shown(ctl));
			close(fd);
			return 1;
		}
		fwrite(buf, 1, (size_t)n, stdout);
		len += (size_t)n;
	}
	close(fd);
	if (n < 0 || !len) {
		fprintf(stderr, "uml_switch: %s: no status reply (%s; is it a hostnet uml_switch?)\n",
			sw_shown(ctl), n < 0 ? strerror(errno) : "connection closed");
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
