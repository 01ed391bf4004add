/* conf_check.c - whole-file semantic checks of hostnet.conf: references, duplicates and conflicts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "conf.h"
#include "conf_check.h"
#include "conf_file.h"
#include "conf_vxlan.h"

/* One name or address and where it was declared, for sort-and-compare checks. */
struct seen {
	char key[40];
	int line;
	const char *what;
};

static int cmp_seen(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int r = memcmp(x->key, y->key, sizeof(x->key));

	return r ? r : x->line - y->line;
}

/* Sort @s and report every key seen before, with the line it was first seen at. */
static void report_dups(struct conf *c, struct seen *s, size_t n, const char *prefix,
			const char *verb)
{
	size_t i, first = 0;

	if (n)
		qsort(s, n, sizeof(*s), cmp_seen);
	for (i = 1; i < n; i++) {
		if (memcmp(s[i].key, s[first].key, sizeof(s->key))) {
			first = i;
			continue;
		}
		conf_error(c, s[i].line, "%s%s: %s at %s", prefix, s[i].what, verb,
			   conf_ref(c, s[i].line, s[first].line));
	}
}

/** conf_find_bridge - the declared bridge @name, or NULL. */
const struct conf_bridge *conf_find_bridge(const struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->nbridges; i++)
		if (!strcmp(c->bridges[i].name, name))
			return &c->bridges[i];
	return NULL;
}

/** conf_find_tap - the declared tap @name, or NULL. */
const struct conf_tap *conf_find_tap(const struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->ntaps; i++)
		if (!strcmp(c->taps[i].name, name))
			return &c->taps[i];
	return NULL;
}

static void check_names(struct conf *c)
{
	size_t i, n = 0, total = c->ntaps + c->nbridges + c->nports;
	struct seen *s = calloc(total + 1, sizeof(*s));

	if (!s)
		return conf_error(c, 0, "out of memory");
	for (i = 0; i < c->ntaps; i++, n++) {
		strcpy(s[n].key, c->taps[i].name);
		s[n].line = c->taps[i].line;
		s[n].what = c->taps[i].name;
	}
	for (i = 0; i < c->nbridges; i++, n++) {
		strcpy(s[n].key, c->bridges[i].name);
		s[n].line = c->bridges[i].line;
		s[n].what = c->bridges[i].name;
	}
	report_dups(c, s, n, "", "already declared");
	/* A device is a port of one bridge only: taps' bridge options and addif lines. */
	for (i = n = 0; i < c->ntaps; i++) {
		if (!c->taps[i].bridge[0])
			continue;
		strcpy(s[n].key, c->taps[i].name);
		s[n].line = c->taps[i].line;
		s[n++].what = c->taps[i].name;
	}
	for (i = 0; i < c->nports; i++, n++) {
		strcpy(s[n].key, c->ports[i].dev);
		s[n].line = c->ports[i].line;
		s[n].what = c->ports[i].dev;
	}
	report_dups(c, s, n, "", "already a bridge port");
	free(s);
}

static void count_port(struct conf *c, int line, const char *br, const char *dev)
{
	struct conf_bridge *b = (struct conf_bridge *)conf_find_bridge(c, br);

	if (!b)
		conf_error(c, line, "%s: bridge %s is not declared", dev, br);
	else if (++b->nports == HN_BRIDGE_MAX_PORTS + 1)
		conf_error(c, b->line, "%s: more than %d ports", br, HN_BRIDGE_MAX_PORTS);
	if (conf_find_bridge(c, dev))
		conf_error(c, line, "%s: a bridge cannot be a port of %s", dev, br);
}

static void check_ports(struct conf *c)
{
	size_t i;

	for (i = 0; i < c->nbridges; i++)
		c->bridges[i].nports = 0;
	for (i = 0; i < c->ntaps; i++) {
		const struct conf_tap *t = &c->taps[i];

		if (t->bridge[0])
			count_port(c, t->line, t->bridge, t->name);
		if (t->bridge[0] && (t->naddr || t->nroute))
			conf_error(c, t->line, "%s: a bridge port takes no address or route "
				   "(put the address on %s)", t->name, t->bridge);
		if (t->publish[0] && !t->nroute)
			conf_error(c, t->line, "%s: publish needs at least one route", t->name);
	}
	for (i = 0; i < c->nports; i++) {
		count_port(c, c->ports[i].line, c->ports[i].bridge, c->ports[i].dev);
		if (conf_find_tap(c, c->ports[i].dev))
			conf_error(c, c->ports[i].line, "%s: a declared tap; use \"bridge %s\" "
				   "on its line", c->ports[i].dev, c->ports[i].bridge);
	}
}

static void addr_key(char key[40], const struct hn_addr *a)
{
	memset(key, 0, 40);
	key[0] = (char)a->family;
	memcpy(key + 1, a->u.bytes, a->family == AF_INET ? 4 : 16);
}

/* An address is given to one place only: a tap, a bridge, or a route to a guest. */
static void check_addrs(struct conf *c)
{
	size_t i, k, n = 0, total = 0;
	struct seen *s;

	for (i = 0; i < c->ntaps; i++)
		total += c->taps[i].naddr + c->taps[i].nroute;
	for (i = 0; i < c->nbridges; i++)
		total += c->bridges[i].naddr;
	s = calloc(total + 1, sizeof(*s));
	if (!s)
		return conf_error(c, 0, "out of memory");
	for (i = 0; i < c->ntaps; i++) {
		for (k = 0; k < c->taps[i].naddr; k++, n++) {
			addr_key(s[n].key, &c->taps[i].addr[k].addr);
			s[n].line = c->taps[i].line;
		}
		for (k = 0; k < c->taps[i].nroute; k++, n++) {
			addr_key(s[n].key, &c->taps[i].route[k]);
			s[n].line = c->taps[i].line;
		}
	}
	for (i = 0; i < c->nbridges; i++)
		for (k = 0; k < c->bridges[i].naddr; k++, n++) {
			addr_key(s[n].key, &c->bridges[i].addr[k].addr);
			s[n].line = c->bridges[i].line;
		}
	for (i = 0; i < n; i++) {
		char buf[INET6_ADDRSTRLEN];
		char *t = malloc(INET6_ADDRSTRLEN);

		inet_ntop(s[i].key[0], s[i].key + 1, buf, sizeof(buf));
		s[i].what = t ? strcpy(t, buf) : "address";
	}
	report_dups(c, s, n, "address ", "already used");
	for (i = 0; i < n; i++)
		if (strcmp(s[i].what, "address"))
			free((char *)s[i].what);
	free(s);
}

static const char *sysctl_word(enum conf_sysctl_kind k)
{
	static const char *const w[] = {
		[CONF_FORWARD4] = "forwarding ipv4", [CONF_FORWARD6] = "forwarding ipv6",
		[CONF_PROXY_ARP] = "proxyarp ", [CONF_PROXY_NDP] = "proxyndp ",
	};

	return w[k];
}

static void check_sysctls(struct conf *c)
{
	size_t i, k;

	for (i = 0; i < c->nsysctls; i++)
		for (k = 0; k < i; k++) {
			const struct conf_sysctl *a = &c->sysctls[i], *b = &c->sysctls[k];

			if (a->kind == b->kind && !strcmp(a->ifname, b->ifname)) {
				conf_error(c, a->line, "%s%s: already set at %s",
					   sysctl_word(a->kind), a->ifname,
					   conf_ref(c, a->line, b->line));
				break;
			}
		}
}

/* Forwards by family, protocol and first port; everything else first. */
static int cmp_nat(const void *a, const void *b)
{
	const struct conf_nat *x = *(struct conf_nat *const *)a, *y = *(struct conf_nat *const *)b;
	int r = (x->it.kind == HN_NFTNAT_DNAT) - (y->it.kind == HN_NFTNAT_DNAT);

	if (!r)
		r = x->it.family - y->it.family;
	if (!r)
		r = (int)x->it.proto - (int)y->it.proto;
	if (!r)
		r = (int)x->it.port_lo - (int)y->it.port_lo;
	return r ? r : x->line - y->line;
}

/* Two items for the same packets: the later line is the error. */
static void clash(struct conf *c, const struct conf_nat *a, const struct conf_nat *b)
{
	const struct conf_nat *first = a->line < b->line ? a : b, *last = a->line < b->line ? b : a;
	unsigned int port = a->it.port_lo > b->it.port_lo ? a->it.port_lo : b->it.port_lo;

	if (last->it.kind == HN_NFTNAT_DNAT)
		conf_error(c, last->line, "port %u/%s: already forwarded at %s", port,
			   last->it.proto == IPPROTO_TCP ? "tcp" : "udp",
			   conf_ref(c, last->line, first->line));
	else
		conf_error(c, last->line, "%s: same source%s as %s",
			   hn_nftnat_kind_name(last->it.kind),
			   last->it.oif[0] ? " and interface" : "",
			   conf_ref(c, last->line, first->line));
}

/* Sorted, a forward can only overlap the ones after it up to its last port. */
static void check_nats(struct conf *c)
{
	struct conf_nat **v = calloc(c->nnats + 1, sizeof(*v));
	size_t i, j;

	if (!v)
		return conf_error(c, 0, "out of memory");
	for (i = 0; i < c->nnats; i++)
		v[i] = &c->nats[i];
	if (c->nnats)
		qsort(v, c->nnats, sizeof(*v), cmp_nat);
	for (i = 0; i < c->nnats; i++) {
		for (j = i + 1; j < c->nnats; j++) {
			const struct hn_nftnat_item *a = &v[i]->it, *b = &v[j]->it;

			if (a->kind == HN_NFTNAT_DNAT && (b->family != a->family ||
			    b->proto != a->proto || b->port_lo > a->port_hi))
				break;
			if (hn_nftnat_same_key(a, b) || hn_nftnat_overlaps(a, b))
				clash(c, v[i], v[j]);
		}
	}
	free(v);
}

/**
 * conf_check - the checks that need the whole file: references, duplicates, conflicts
 *
 * Each problem is recorded in @c with the line it belongs to.
 */
void conf_check(struct conf *c)
{
	check_names(c);
	check_ports(c);
	check_addrs(c);
	check_sysctls(c);
	check_nats(c);
	conf_check_vxlans(c);
}
