/* undo.h - taking back recorded changes (rollback and down); apply's executor. */
#ifndef HOSTNET_UNDO_H
#define HOSTNET_UNDO_H

#include <stddef.h>

#include "live.h"
#include "plan.h"
#include "state.h"

struct hn_ctx;

int undo_recs(struct hn_ctx *ctx, const struct recs *r, size_t *done);
int undo_nat(struct hn_ctx *ctx, const struct recs *r);
int exec_plan(struct hn_ctx *ctx, const struct conf *c, struct plan *p, struct recs *journal);
int exec_nat(struct hn_ctx *ctx, const struct conf *c, struct act *v, size_t n,
	     struct recs *journal);

#endif
