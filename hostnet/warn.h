/* warn.h - warn.c: the warnings of plan and status (lib's doctor checks for the traffic of the NAT lines). */
#ifndef HOSTNET_WARN_H
#define HOSTNET_WARN_H

#include "hostnet.h"

struct hn_out;

void warn_plan(struct run *r);
void warn_status(struct run *r, struct hn_out *o);

#endif
