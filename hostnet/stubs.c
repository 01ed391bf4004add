/* stubs.c - commands not written yet. */
#include "log.h"
#include "hostnet.h"

int cmd_plan(struct run *r) { (void)r; hn_log_err("plan: not yet"); return 1; }
int cmd_apply(struct run *r) { (void)r; hn_log_err("apply: not yet"); return 1; }
int cmd_down(struct run *r) { (void)r; hn_log_err("down: not yet"); return 1; }
int cmd_status(struct run *r) { (void)r; hn_log_err("status: not yet"); return 1; }
