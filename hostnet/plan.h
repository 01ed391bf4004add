/* plan.h - plan.c: the changes that make the host match the file, computed against live kernel state. */
#ifndef HOSTNET_PLAN_H
#define HOSTNET_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/if.h>

#include "bridge.h"
#include "link.h"
#include "conf.h"
#include "live.h"
#include "state.h"
#include "vxlan.h"

/* In the order apply carries them out. */
enum act_kind {
	ACT_TUN,			/* chgrp/chmod the tun clone device */
	ACT_FORWARD,			/* forwarding sysctl */
	ACT_BRIDGE_ADD,
	ACT_BRIDGE_SET,
	ACT_TAP_ADD,
	ACT_TAP_OWNER,			/* an existing tap's owner/group */
	ACT_VXLAN_ADD,			/* a VXLAN link (made a port by a LINK_SET) */
	ACT_LINK_SET,			/* mtu, up, group, master of a bridge or tap */
	ACT_PORT,			/* addif: an existing device onto a bridge */
	ACT_PROXY_ARP,			/* per-interface proxy_arp sysctl */
	ACT_ADDR,
	ACT_TAKEOVER,			/* a port's addresses and routes onto its bridge */
	ACT_ROUTE,
	ACT_NEIGH,
	ACT_FDB_DEL,			/* a VXLAN remote the file no longer lists */
	ACT_FDB,			/* a VXLAN remote: all-zeros FDB entry to a peer */
	ACT_NAT,
	ACT_KIND_MAX,
};

struct act {
	enum act_kind kind;
	int line;
	size_t seq;			/* order of planning, to keep the sort stable */
	bool create;			/* a new object (else a modification) */
	bool ours;			/* the link is one we created (now or before) */
	char dev[IFNAMSIZ];
	char master[IFNAMSIZ];		/* LINK_SET/PORT with HN_LINK_SET_MASTER: "" detaches */
	struct hn_link_change chg, old;	/* LINK_SET, PORT: old.master is an ifindex */
	char oldmaster[IFNAMSIZ];
	struct hn_bridge_attrs br, brold;
	const struct conf_tap *tap;
	const struct conf_nat *nat;
	struct hn_prefix p;		/* ADDR; ROUTE and NEIGH destination */
	char name[256];			/* sysctl name, tun path, NAT words, what a takeover moves */
	char oldval[32], newval[32];	/* sysctl */
	uint32_t gid, mode, oldgid, oldmode;
	bool set_gid, set_mode;
	struct hn_vxlan vx;		/* VXLAN_ADD; vx.link is found at apply */
};

/* A vxlan line as planned on this host: its local peer and MTUs. */
struct plan_vx {
	const struct conf_vxlan *v;
	int local;			/* index of this host's peer, -1: none (group) */
	unsigned int underlay_mtu, mtu;	/* mtu: the overlay's, underlay's less overhead */
};

struct plan {
	struct act *v;
	size_t n, cap;
	size_t nconflicts;		/* live objects in the way: apply refuses */
	uint32_t natgen;		/* nft generation seen holding every NAT item, or 0 */
	uint64_t nathash;		/* nat_hash() of the config in this ruleset; 0: none */
	struct plan_vx *vx;		/* one per vxlan line, in the file's order */
	size_t nvx;
};

/* What plan.c's steps share (plan_build() makes one). */
struct planner {
	struct hn_ctx *ctx;
	const struct conf *c;
	const struct live *l;
	const struct recs *old;
	struct plan *p;
};

int plan_build(struct hn_ctx *ctx, const struct conf *c, const struct live *l,
	       const struct recs *old, struct plan *p);
void plan_free(struct plan *p);
struct act *plan_add_act(struct plan *p, enum act_kind kind, int line, const char *dev);
struct act *plan_add_create(struct plan *p, enum act_kind kind, int line, const char *dev);
int plan_sysctl_name(const struct conf_sysctl *s, char *buf, size_t len);
void plan_conflict(struct planner *pl, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int plan_link_of(struct planner *pl, int line, const char *dev, unsigned int mtu,
		 const char *master);

#endif
