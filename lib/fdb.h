/* fdb.h - forwarding entries of a VXLAN device (`bridge fdb append 00:00:00:00:00:00 dst PEER`). */
#ifndef HN_FDB_H
#define HN_FDB_H

#include <stdint.h>

#include "nl.h"
#include "parse.h"

struct hn_ctx;
struct nl_msg;
struct nlmsghdr;

/* One remote of a device's forwarding table: frames for @mac go to @dst. */
struct hn_fdb {
	int ifindex;
	uint8_t mac[6];			/* all zeros: the default (flood) entry */
	struct hn_addr dst;		/* the remote tunnel endpoint */
};

int hn_fdb_build(int cmd, const struct hn_fdb *f, struct nl_msg **msg);
int hn_fdb_parse(const struct nlmsghdr *nlh, void *obj);
int hn_fdb_build_dump(int ifindex, struct nl_msg **msg);
int hn_fdb_list(struct hn_ctx *ctx, int ifindex, hn_nl_obj_cb cb, void *arg);

#endif
