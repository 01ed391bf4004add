/* act.h - judge one call against the policy, make its host changes, and audit it (act.c) */
#ifndef UML_NET_ACT_H
#define UML_NET_ACT_H

#include <stdbool.h>

#include "run.h"

int um_audit(const struct um_run *r, bool granted, const char *why);
bool um_evaluate(struct um_run *r, bool verbose);
int um_act(struct um_run *r);

#endif
