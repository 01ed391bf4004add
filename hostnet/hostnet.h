/* hostnet.h - what hostnet's files share: the run, live kernel state, the plan, records and the journal. */
#ifndef HOSTNET_H
#define HOSTNET_H

#include <stdbool.h>
#include <stddef.h>

#include "nl.h"
#include "conf.h"

/* One invocation: options, the parsed file, the kernel context. */
struct run {
	const char *file;
	const char *state_dir;
	bool json;
	unsigned int wait_ms;		/* -w: how long to wait for the lock */
	bool prune;			/* apply --prune: prune first, under the same lock */
	bool no_state;			/* the last state file read found none */
	struct conf conf;
	struct hn_ctx ctx;
};

struct recs;
struct plan;

int load_conf(struct run *r);
int make_plan(struct run *r, struct recs *old, struct plan *p);
int cmd_check(struct run *r);
int cmd_plan(struct run *r);
int cmd_apply(struct run *r);
int cmd_down(struct run *r);
int cmd_prune(struct run *r);
int cmd_status(struct run *r);

struct hn_out;
void warn_plan(struct run *r);
void warn_status(struct run *r, struct hn_out *o);

#endif
