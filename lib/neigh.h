/* neigh.h - published proxy neighbour entries (`arp -Ds IP IF pub`, NDP proxy); single neighbour entries. */
#ifndef HN_NEIGH_H
#define HN_NEIGH_H

#include <stdint.h>
#include <linux/if.h>

#include "nl.h"
#include "parse.h"

struct hn_ctx;
struct nl_msg;
struct nlmsghdr;

/* One proxy entry: the kernel answers ARP/NS for @dst arriving on @ifindex. */
struct hn_neigh_proxy {
	struct hn_addr dst;
	int ifindex;
	char dev[IFNAMSIZ];		/* "" when the index has no name */
};

int hn_neigh_build_proxy(int cmd, const struct hn_addr *dst, int ifindex,
			 struct nl_msg **msg);
int hn_neigh_parse_proxy(const struct nlmsghdr *nlh, void *obj);
int hn_neigh_list_proxy(struct hn_ctx *ctx, int family, hn_nl_obj_cb cb, void *arg);
int hn_neigh_build_req(int type, int flags, uint8_t ndm_flags, const struct hn_addr *dst,
		       int ifindex, struct nl_msg **msg);
int hn_neigh_send_proxy(struct hn_ctx *ctx, int cmd, const struct hn_addr *dst, int ifindex);
int hn_neigh_get_state(struct hn_ctx *ctx, const struct hn_addr *dst, int ifindex,
		       unsigned int *state);
int hn_neigh_resolve(struct hn_ctx *ctx, const struct hn_addr *dst, int ifindex);
int hn_neigh_del(struct hn_ctx *ctx, const struct hn_addr *dst, int ifindex);
int hn_neigh_has_proxy(struct hn_ctx *ctx, const struct hn_addr *dst, int ifindex);
int hn_neigh_add_proxy(struct hn_ctx *ctx, const struct hn_addr *dst, const char *dev);
int hn_neigh_del_proxy(struct hn_ctx *ctx, const struct hn_addr *dst, const char *dev);

#endif
