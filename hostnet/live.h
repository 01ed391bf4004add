/* live.h - the kernel's state as hostnet compares it: links, addresses, host routes, proxy entries. */
#ifndef HOSTNET_LIVE_H
#define HOSTNET_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "bridge.h"
#include "neigh.h"
#include "route.h"
#include "tun.h"

struct hn_ctx;

/* What live_load() reads besides the links. */
#define LIVE_ADDRS	0x1u
#define LIVE_ROUTES	0x2u
#define LIVE_NEIGHS	0x4u

struct live_link {
	char name[IFNAMSIZ];
	int ifindex, master;
	unsigned int flags, mtu;
	uint32_t group;
	char kind[16];
	struct hn_tun_info tun;		/* tun.is_tun for tun/tap links */
	bool is_bridge;
	struct hn_bridge_state br;
};

struct live {
	struct live_link *links;	/* sorted by name */
	size_t nlinks, clinks;
	const struct live_link **byindex;	/* the same, sorted by ifindex */
	struct hn_addr_info *addrs;
	size_t naddrs, caddrs;
	struct hn_route_host *routes;
	size_t nroutes, croutes;
	struct hn_neigh_proxy *neighs;
	size_t nneighs, cneighs;
};

int live_load(struct hn_ctx *ctx, struct live *l, unsigned int what);
int live_load_links(struct hn_ctx *ctx, struct live *l);
int live_load_names(struct hn_ctx *ctx, struct live *l);
void live_free(struct live *l);
const struct live_link *live_link(const struct live *l, const char *name);
const struct live_link *live_link_index(const struct live *l, int ifindex);
bool live_has_addr(const struct live *l, int ifindex, const struct hn_prefix *p);
const struct hn_route_host *live_route(const struct live *l, const struct hn_addr *dst);
bool live_has_neigh(const struct live *l, int ifindex, const struct hn_addr *dst);

#endif
