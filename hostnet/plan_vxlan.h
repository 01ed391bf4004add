/* plan_vxlan.h - plan_vxlan.c: the vxlan lines of a plan (this host's peer, MTUs, links, remotes). */
#ifndef HOSTNET_PLAN_VXLAN_H
#define HOSTNET_PLAN_VXLAN_H

#include "plan.h"

int plan_vxlan_prepare(struct planner *pl);
int plan_vxlans(struct planner *pl);
unsigned int plan_vxlan_mtu(const struct plan *p, const char *bridge);

#endif
