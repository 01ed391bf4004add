/* nftnat.h - lib's NAT module, used by natctl and hostnet: items, their grammar, the tables "ip hostnet" and "ip6 hostnet", planning and committing changes. */
#ifndef HN_NFTNAT_H
#define HN_NFTNAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/if.h>

#include "parse.h"

struct hn_ctx;
struct hn_nft_batch;

#define HN_NFTNAT_TABLE		"hostnet"
#define HN_NFTNAT_KEY_MAX	64	/* bytes: the 16 32-bit registers */
#define HN_NFTNAT_DATA_MAX	32
#define HN_NFTNAT_TEXT_MAX	192	/* hn_nftnat_format() of any item, with its NUL */
#define HN_NFTNAT_PREFIX_MAX	(46 + 4)	/* INET6_ADDRSTRLEN + "/128" */

enum hn_nftnat_kind {
	HN_NFTNAT_MASQ,			/* set masq: saddr . oifname */
	HN_NFTNAT_SNAT,			/* map snat: saddr . oifname : address */
	HN_NFTNAT_DNAT,			/* hash maps fwd*, interval maps dnat*: see nftnat_int.h */
	HN_NFTNAT_HAIRPIN,		/* set hairpin: saddr . daddr */
	HN_NFTNAT_KIND_MAX,
};

/* One NAT item (natctl and hostnet write the same tables); which fields count depends on kind. */
struct hn_nftnat_item {
	enum hn_nftnat_kind kind;
	int family;			/* AF_INET or AF_INET6 */
	struct hn_prefix src;		/* masq, snat, hairpin */
	char oif[IFNAMSIZ];		/* masq, snat */
	struct hn_addr to;		/* snat: new source; dnat: the guest */
	char iif[IFNAMSIZ];		/* dnat: "" for any interface */
	struct hn_prefix dst;		/* dnat: len 0 for any address */
	uint8_t proto;			/* dnat: IPPROTO_TCP or IPPROTO_UDP */
	uint16_t port_lo, port_hi;	/* dnat: matched destination ports */
	uint16_t to_lo, to_hi;		/* dnat: the guest's ports */
	bool local;			/* dnat: also for the host's own traffic */
};

/* A set element as the kernel sees it. */
struct hn_nftnat_elem {
	const char *set;
	uint8_t key[HN_NFTNAT_KEY_MAX], key_end[HN_NFTNAT_KEY_MAX];
	uint32_t key_len;
	uint8_t data[HN_NFTNAT_DATA_MAX];
	uint32_t data_len;		/* 0 for a plain set */
	bool interval;			/* key_end counts (interval sets only) */
};

/* What natctl's tables hold, read back from the kernel, with an index by key. */
struct hn_nftnat_state {
	bool present[2];		/* [0] ip hostnet, [1] ip6 hostnet */
	bool known[2];			/* present[] was asked */
	uint32_t dumped[2];		/* the sets read whole, by bit */
	struct hn_nftnat_item *items;
	size_t n, cap;
	size_t bad;			/* elements that natctl would not have written */
	size_t *slot, nslot;		/* the index by key (hn_nftnat_find); a cache */
	bool stale;			/* the index must be built again */
	/* [v6][udp]: the ports some forward matches (after a del, a superset) */
	uint8_t ports[2][2][65536 / 8];
};

/* nftnat_layout.c: which set or map an item lands in */
const char *hn_nftnat_kind_name(enum hn_nftnat_kind kind);

/* nftnat_words.c: the one grammar, both ways (natctl(8), hostnet.conf(5)) */
int hn_nftnat_kind_parse(const char *word, enum hn_nftnat_kind *kind);
int hn_nftnat_parse(enum hn_nftnat_kind kind, bool del, int argc, char *const argv[],
		    struct hn_nftnat_item *it, char *why, size_t len);
int hn_nftnat_parse_text(const char *text, struct hn_nftnat_item *it, char *why, size_t len);
int hn_nftnat_format(const struct hn_nftnat_item *it, char *buf, size_t len);
const char *hn_nftnat_prefix_text(const struct hn_prefix *p, char *buf);
const char *hn_nftnat_ports_text(uint16_t lo, uint16_t hi, char buf[16]);

/* nftnat_elem.c: an item as a set element and back */
int hn_nftnat_encode(const struct hn_nftnat_item *it, bool output, struct hn_nftnat_elem *e);
int hn_nftnat_decode(int family, const struct hn_nftnat_elem *e, struct hn_nftnat_item *it);

/* nftnat_state.c: key and overlap rules; the state and its index */
bool hn_nftnat_same_key(const struct hn_nftnat_item *a, const struct hn_nftnat_item *b);
bool hn_nftnat_overlaps(const struct hn_nftnat_item *a, const struct hn_nftnat_item *b);
const struct hn_nftnat_item *hn_nftnat_find(const struct hn_nftnat_state *st,
					    const struct hn_nftnat_item *it, bool overlap);
int hn_nftnat_state_add(struct hn_nftnat_state *st, const struct hn_nftnat_item *it);
void hn_nftnat_state_del(struct hn_nftnat_state *st, const struct hn_nftnat_item *it);
void hn_nftnat_state_free(struct hn_nftnat_state *st);

/* nftnat_rules.c: tables, chains, rules and element messages into a batch */
int hn_nftnat_build_tables(struct hn_nft_batch *b, int family);
int hn_nftnat_build_add(struct hn_nft_batch *b, const struct hn_nftnat_item *it);
int hn_nftnat_build_del(struct hn_nft_batch *b, const struct hn_nftnat_item *it);
int hn_nftnat_build_flush(struct hn_nft_batch *b, int family);

/* nftnat_load.c: the tables read back */
int hn_nftnat_load(struct hn_ctx *ctx, struct hn_nftnat_state *st);
int hn_nftnat_load_for(struct hn_ctx *ctx, struct hn_nftnat_state *st,
		       const struct hn_nftnat_item *it, bool del);

/* nftnat_plan.c: changes planned against a state, committed for its generation */
enum hn_nftnat_clash {
	HN_NFTNAT_CLASH_NONE,
	HN_NFTNAT_CLASH_SAME,		/* the very item is there */
	HN_NFTNAT_CLASH_KEY,		/* its key, with another translation */
	HN_NFTNAT_CLASH_OVERLAP,	/* another key matching some of the same packets */
};

#define HN_NFTNAT_TRIES	10		/* rounds of hn_nftnat_commit() */

/* One transaction: how to read the tables, what to change, whom to tell. */
struct hn_nftnat_txn {
	int (*load)(struct hn_ctx *ctx, struct hn_nftnat_state *st, void *arg);
	int (*plan)(struct hn_nftnat_state *st, struct hn_nft_batch *b, void *arg);
	void (*on_err)(int tag, int err, const char *ext, void *arg);
	void *arg;
};

enum hn_nftnat_clash hn_nftnat_clash(const struct hn_nftnat_state *st,
				     const struct hn_nftnat_item *it,
				     const struct hn_nftnat_item **old);
int hn_nftnat_plan_add(struct hn_nftnat_state *st, struct hn_nft_batch *b,
		       const struct hn_nftnat_item *it, const struct hn_nftnat_item **old,
		       bool *made_table);
int hn_nftnat_plan_del(struct hn_nftnat_state *st, struct hn_nft_batch *b,
		       struct hn_nftnat_item *it);
int hn_nftnat_plan_flush(struct hn_nftnat_state *st, struct hn_nft_batch *b);
int hn_nftnat_commit(struct hn_ctx *ctx, const struct hn_nftnat_txn *t,
		     struct hn_nftnat_state *st, uint32_t *genid);

#endif
