/* lan.c - addresses the LAN already uses, which no guest may claim: the host's gateway, its resolvers, live neighbours. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/neighbour.h>

#include "lan.h"
#include "neigh.h"
#include "route.h"

#define PROBE_MS	200	/* a LAN host answers ARP in milliseconds */
#define PROBE_STEP_MS	20

#ifndef UML_NET_RESOLV
#define UML_NET_RESOLV	"/etc/resolv.conf"
#endif

struct gw {
	struct in_addr a;
	bool hit;
};

/* A default route (any table, any metric) via the address. */
static int on_route(const void *obj, void *arg)
{
	const struct hn_route *rt = obj;
	struct gw *g = arg;

	if (rt->dst.len == 0 && rt->gw.family == AF_INET && rt->gw.u.v4.s_addr == g->a.s_addr)
		g->hit = true;
	return 0;
}

static bool is_gateway(struct um_run *r, struct in_addr a)
{
	struct gw g = { a, false };

	hn_route_list(&r->ctx, AF_INET, on_route, &g);
	return g.hit;
}

/* A "nameserver A.B.C.D" line of the resolver configuration. */
static bool is_resolver(struct in_addr a)
{
	FILE *f = fopen(UML_NET_RESOLV, "re");
	char line[256], word[64];
	struct in_addr ns;
	bool hit = false;

	if (!f)
		return false;
	while (!hit && fgets(line, sizeof(line), f))
		hit = sscanf(line, " nameserver %63s", word) == 1 &&
		      inet_pton(AF_INET, word, &ns) == 1 && ns.s_addr == a.s_addr;
	fclose(f);
	return hit;
}

#define LIVE (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT)

/* Does a neighbour on @ifindex currently answer for @a (not failed, not incomplete)? */
static bool is_neighbour(struct um_run *r, struct in_addr a, int ifindex)
{
	struct hn_addr dst = { .family = AF_INET, .u.v4 = a };
	unsigned int state;

	return hn_neigh_get_state(&r->ctx, &dst, ifindex, &state) == 0 && (state & LIVE);
}

/*
 * RFC 5227 in spirit: have the kernel ask for @a on @ifindex (NTF_USE starts
 * ARP resolution, from the interface's own address) and see whether anyone
 * answers within PROBE_MS; the entry is removed again when nobody did.
 */
static bool answers_arp(struct um_run *r, struct in_addr a, int ifindex)
{
	struct timespec step = { 0, PROBE_STEP_MS * 1000 * 1000 };
	struct hn_addr dst = { .family = AF_INET, .u.v4 = a };
	unsigned int state = 0;

	if (hn_neigh_resolve(&r->ctx, &dst, ifindex) < 0)
		return false;
	for (int i = 0; i < PROBE_MS / PROBE_STEP_MS && !(state & (LIVE | NUD_FAILED)); i++) {
		nanosleep(&step, NULL);
		hn_neigh_get_state(&r->ctx, &dst, ifindex, &state);
	}
	if (!(state & LIVE))
		hn_neigh_del(&r->ctx, &dst, ifindex);
	return state & LIVE;
}

/**
 * um_lan_claimed - is @a an address the LAN already uses?
 * @ifs: the interfaces whose connected prefix holds @a (a neighbour is
 *	 looked for there); @nifs of them
 * @why: receives the reason, "" when it is free
 *
 * Return: true when @a is the host's default gateway, one of its resolvers,
 * held by a live neighbour (reachable, stale, delay, probe, permanent), or
 * answers an ARP request on one of @ifs within PROBE_MS.
 */
bool um_lan_claimed(struct um_run *r, struct in_addr a, const int *ifs, size_t nifs,
		    char *why, size_t n)
{
	char s[INET_ADDRSTRLEN], dev[IF_NAMESIZE];

	inet_ntop(AF_INET, &a, s, sizeof(s));
	why[0] = '\0';
	if (is_gateway(r, a))
		snprintf(why, n, "%s is the host's default gateway", s);
	else if (is_resolver(a))
		snprintf(why, n, "%s is a resolver in " UML_NET_RESOLV, s);
	for (size_t k = 0; !why[0] && k < nifs; k++)
		if (is_neighbour(r, a, ifs[k]))
			snprintf(why, n, "%s is in use: a neighbour on %s answers for it", s,
				 if_indextoname((unsigned int)ifs[k], dev) ? dev : "?");
	for (size_t k = 0; !why[0] && k < nifs; k++)
		if (answers_arp(r, a, ifs[k]))
			snprintf(why, n, "%s is in use: it answers ARP on %s", s,
				 if_indextoname((unsigned int)ifs[k], dev) ? dev : "?");
	return why[0] != '\0';
}
