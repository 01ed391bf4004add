/* lan.c - addresses the LAN already uses, which no guest may claim: the host's gateway, its resolvers, live neighbours. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "act.h"

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
static int on_route(struct nl_msg *msg, void *arg)
{
	struct rtmsg *rt = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *gw = nlmsg_find_attr(nlmsg_hdr(msg), sizeof(*rt), RTA_GATEWAY);
	struct gw *g = arg;

	if (rt->rtm_family == AF_INET && rt->rtm_dst_len == 0 && gw && nla_len(gw) == 4 &&
	    !memcmp(nla_data(gw), &g->a, 4))
		g->hit = true;
	return 0;
}

static bool is_gateway(struct um_run *r, struct in_addr a)
{
	struct rtmsg rt = { .rtm_family = AF_INET };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_DUMP);
	struct gw g = { a, false };

	if (msg && nlmsg_append(msg, &rt, sizeof(rt), NLMSG_ALIGNTO) >= 0)
		hn_nl_talk(&r->ctx, msg, on_route, &g);
	nlmsg_free(msg);
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

static int on_neigh(struct nl_msg *msg, void *arg)
{
	struct ndmsg *nd = nlmsg_data(nlmsg_hdr(msg));

	*(unsigned int *)arg = nd->ndm_state;
	return 0;
}

/* One neighbour request for @a on @ifindex: GET (state into @state), NEW with NTF_USE, or DEL. */
static int neigh_req(struct um_run *r, int type, int flags, uint8_t ndflags, struct in_addr a,
		     int ifindex, unsigned int *state)
{
	struct ndmsg nd = { .ndm_family = AF_INET, .ndm_ifindex = ifindex, .ndm_flags = ndflags,
			    .ndm_state = NUD_NONE };
	struct nl_msg *msg = nlmsg_alloc_simple(type, flags);
	int rc = -ENOMEM;

	if (state)
		*state = 0;
	if (msg && nlmsg_append(msg, &nd, sizeof(nd), NLMSG_ALIGNTO) >= 0 &&
	    nla_put(msg, NDA_DST, 4, &a) >= 0)
		rc = hn_nl_talk(&r->ctx, msg, state ? on_neigh : NULL, state);
	nlmsg_free(msg);
	return rc;
}

#define LIVE (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT)

/* Does a neighbour on @ifindex currently answer for @a (not failed, not incomplete)? */
static bool is_neighbour(struct um_run *r, struct in_addr a, int ifindex)
{
	unsigned int state;

	return neigh_req(r, RTM_GETNEIGH, 0, 0, a, ifindex, &state) == 0 && (state & LIVE);
}

/*
 * RFC 5227 in spirit: have the kernel ask for @a on @ifindex (NTF_USE starts
 * ARP resolution, from the interface's own address) and see whether anyone
 * answers within PROBE_MS; the entry is removed again when nobody did.
 */
static bool answers_arp(struct um_run *r, struct in_addr a, int ifindex)
{
	struct timespec step = { 0, PROBE_STEP_MS * 1000 * 1000 };
	unsigned int state = 0;

	if (neigh_req(r, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, NTF_USE, a, ifindex, NULL) < 0)
		return false;
	for (int i = 0; i < PROBE_MS / PROBE_STEP_MS && !(state & (LIVE | NUD_FAILED)); i++) {
		nanosleep(&step, NULL);
		neigh_req(r, RTM_GETNEIGH, 0, 0, a, ifindex, &state);
	}
	if (!(state & LIVE))
		neigh_req(r, RTM_DELNEIGH, 0, 0, a, ifindex, NULL);
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
