/* lan.c - addresses the LAN already uses, which no guest may claim: the host's gateway, its resolvers, live neighbours. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "act.h"

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

/* Does a neighbour on @ifindex currently answer for @a (not failed, not incomplete)? */
static bool is_neighbour(struct um_run *r, struct in_addr a, int ifindex)
{
	struct ndmsg nd = { .ndm_family = AF_INET, .ndm_ifindex = ifindex };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETNEIGH, 0);
	unsigned int state = 0;

	if (msg && nlmsg_append(msg, &nd, sizeof(nd), NLMSG_ALIGNTO) >= 0 &&
	    nla_put(msg, NDA_DST, 4, &a) >= 0 && hn_nl_talk(&r->ctx, msg, on_neigh, &state) < 0)
		state = 0;
	nlmsg_free(msg);
	return state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT);
}

/**
 * um_lan_claimed - is @a an address the LAN already uses?
 * @ifs: the interfaces whose connected prefix holds @a (a neighbour is
 *	 looked for there); @nifs of them
 * @why: receives the reason, "" when it is free
 *
 * Return: true when @a is the host's default gateway, one of its resolvers,
 * or held by a live neighbour (reachable, stale, delay, probe, permanent).
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
	return why[0] != '\0';
}
