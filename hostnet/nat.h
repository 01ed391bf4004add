/* nat.h - nat.c: the NAT part of plan, apply and down. */
#ifndef HOSTNET_NAT_H
#define HOSTNET_NAT_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "plan.h"
#include "state.h"

struct hn_ctx;
struct hn_nftnat_item;

int plan_nat(struct hn_ctx *ctx, const struct conf *c, const struct recs *old, struct plan *p);
uint64_t nat_hash(const struct conf *c, uint64_t seed);
int plan_nat_words(const struct hn_nftnat_item *x, char *buf, size_t len);
int exec_nat(struct hn_ctx *ctx, const struct conf *c, struct act *v, size_t n,
	     struct recs *journal);
int undo_nat(struct hn_ctx *ctx, const struct recs *r);

#endif
