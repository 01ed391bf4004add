/* exec.h - exec.c: carrying out a plan, journaling each change. */
#ifndef HOSTNET_EXEC_H
#define HOSTNET_EXEC_H

#include "conf.h"
#include "plan.h"
#include "state.h"

struct hn_ctx;

int exec_plan(struct hn_ctx *ctx, const struct conf *c, struct plan *p, struct recs *journal);

#endif
