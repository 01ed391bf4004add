/* takeover.h - a port's addresses and routes moved to its bridge (addif ... takeover). */
#ifndef HOSTNET_TAKEOVER_H
#define HOSTNET_TAKEOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "route.h"
#include "state.h"

struct hn_ctx;
struct nl_msg;

#define TAKEOVER_MAX 64			/* addresses, and routes, one port may hold */

struct holdings {
	int ifindex;
	struct hn_prefix addr[TAKEOVER_MAX];
	size_t naddr;
	struct hn_route route[TAKEOVER_MAX];
	size_t nroute;
};

int takeover_holdings(struct hn_ctx *ctx, int ifindex, struct holdings *h);
const char *takeover_text(const struct holdings *h, char *buf, size_t len);
int takeover_run(struct hn_ctx *ctx, const char *port, int pi, const char *br, int bri,
		 struct recs *j);
int takeover_undo(const struct rec *x, int ifindex, struct nl_msg **msg);
bool takeover_kept(const struct conf *c, const struct recs *old, const struct rec *x);

#endif
