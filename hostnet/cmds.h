/* cmds.h - cmds.c: plan, apply, prune and down. */
#ifndef HOSTNET_CMDS_H
#define HOSTNET_CMDS_H

#include "hostnet.h"
#include "plan.h"
#include "state.h"

int make_plan(struct run *r, struct recs *old, struct plan *p);
int cmd_plan(struct run *r);
int cmd_apply(struct run *r);
int cmd_down(struct run *r);
int cmd_prune(struct run *r);

#endif
