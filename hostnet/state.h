/* state.h - records of what hostnet did: the state file under /run/hostnet, the journal, the lock. */
#ifndef HOSTNET_STATE_H
#define HOSTNET_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/if.h>

#include "bridge.h"
#include "link.h"
#include "nftnat.h"
#include "parse.h"

enum rec_kind {
	REC_LINK,			/* a link we created: delete it */
	REC_PORT,			/* a device we made a port: detach it */
	REC_ADDR,			/* an address we added */
	REC_ROUTE,			/* a host route we added */
	REC_NEIGH,			/* a proxy entry we added */
	REC_SYSCTL,			/* a sysctl we changed: its old value */
	REC_TUN,			/* tun clone device: its old group and mode */
	REC_NAT,			/* a NAT item we added (config words) */
	REC_NFTTABLE,			/* a natctl table we created: "ip" or "ip6" */
	REC_MOVEADDR,			/* takeover: an address we took off a port */
	REC_MOVEROUTE,			/* takeover: a route of a port we moved to its bridge */
	REC_FDB,			/* a VXLAN remote we added (dev, peer address) */
	REC_LINKSET,			/* journal only: old attributes of an adopted link */
	REC_BRSET,			/* journal only: old attributes of an adopted bridge */
	REC_FDBDEL,			/* journal only: a recorded VXLAN remote apply removed */
	REC_KIND_MAX,
};

struct rec {
	enum rec_kind kind;
	char dev[IFNAMSIZ];
	int ifindex;			/* @dev's when recorded; 0: not known (older state file) */
	struct hn_prefix p;		/* address; route and proxy destination */
	char name[256];			/* sysctl name, tun path, NAT words, moved route */
	char val[32];			/* old sysctl value */
	uint32_t gid, mode;		/* old tun group and mode */
	struct hn_link_change chg;	/* LINKSET: the old values */
	struct hn_bridge_attrs br;	/* BRSET: the old values */
};

_Static_assert(sizeof(((struct rec *)0)->name) >= HN_NFTNAT_TEXT_MAX, "a NAT line fits a record");

struct recs {
	struct rec *v;
	size_t n, cap;
	uint32_t linkgroup;		/* the group our links carry, 0 if none */
	uint32_t natgen;		/* nft ruleset generation that held every NAT item */
	uint64_t nathash;		/* ... of the config whose NAT part hashes to this */
	const struct rec **idx;		/* recs_index(): v sorted by object; NULL once added to */
};

int recs_add(struct recs *r, const struct rec *x);
int recs_index(struct recs *r);
const struct rec *recs_find(const struct recs *r, const struct rec *x);
void recs_free(struct recs *r);
int state_parse(FILE *f, struct recs *r, int *line);
int state_read(const char *dir, struct recs *r, int *line);
int state_write(const char *dir, const struct recs *r);
int state_remove(const char *dir);
int state_lock(const char *dir, unsigned int wait_ms);
const char *state_unsafe(void);
const char *rec_text(const struct rec *x, char *buf, size_t len);
const char *rec_words(const struct rec *x, char *buf, size_t len);
const char *rec_key(const struct rec *x, char *buf, size_t len);
bool rec_has_dev(const struct rec *x);

#endif
