/* nft.h - nftables transactions over libmnl: batches of libnftnl messages, acks mapped back by seq. */
#ifndef HN_NFT_H
#define HN_NFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct hn_ctx;
struct nlmsghdr;

/* A growing buffer of nf_tables messages between BATCH_BEGIN and BATCH_END. */
struct hn_nft_batch {
	char *buf;
	size_t len, cap;
	uint32_t seq0;			/* seq of BATCH_BEGIN */
	uint32_t seq;			/* next seq to hand out */
	int *tags;			/* tags[seq - seq0]: the caller's tag, -1 for framing */
	size_t ntags, tagcap;
	size_t nobj;			/* object messages (between begin and end) */
	int tag;			/* tag given to the next message */
	int error;			/* first build failure (-ENOMEM), reported by commit */
	uint32_t set_id;		/* last NFTA_SET_ID handed out */
};

/*
 * Called by hn_nft_batch_commit() for each message the kernel refused.
 * @tag: the tag that was current when the message was added (-1: the batch)
 * @err: negative errno; @ext: the kernel's extack text or ""
 */
typedef void (*hn_nft_err_cb)(int tag, int err, const char *ext, void *arg);

#define HN_NFT_MSG_MAX	8192		/* room reserved for one message */
#define HN_NFT_BUF	32768		/* receive buffer; a request is built in one too */

int hn_nft_batch_init(struct hn_nft_batch *b);
void hn_nft_batch_fini(struct hn_nft_batch *b);
void hn_nft_batch_set_tag(struct hn_nft_batch *b, int tag);
struct nlmsghdr *hn_nft_batch_msg(struct hn_nft_batch *b, uint16_t type, uint16_t family,
				  uint16_t flags);
int hn_nft_batch_tag_of(const struct hn_nft_batch *b, uint32_t seq);
int hn_nft_batch_close(struct hn_nft_batch *b);
int hn_nft_batch_set_genid(struct hn_nft_batch *b, uint32_t genid);
uint32_t hn_nft_genid_next(uint32_t genid);
int hn_nft_genid(struct hn_ctx *ctx, uint32_t *genid);
int hn_nft_ruleset_id(struct hn_ctx *ctx, uint64_t *id);
int hn_nft_batch_commit(struct hn_ctx *ctx, struct hn_nft_batch *b, hn_nft_err_cb cb, void *arg);
/* A base chain at the forward hook of a table natctl does not own. */
struct hn_nft_fwd_chain {
	int family;			/* NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_INET ... */
	char table[64], chain[64];
	int32_t prio;
	bool policy_drop;
	unsigned int drop_rules;	/* rules of the chain itself ending in drop/reject */
};

typedef int (*hn_nft_chain_cb)(const struct hn_nft_fwd_chain *c, void *arg);

int hn_nft_forward_chains(struct hn_ctx *ctx, const char *skip_table, hn_nft_chain_cb cb,
			  void *arg);
int hn_nft_query(struct hn_ctx *ctx, struct nlmsghdr *req, mnl_cb_t cb, void *arg);

#endif
