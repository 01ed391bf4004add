/* route.h - host routes (a /32 or /128 straight to a device) through libnl-route-3. */
#ifndef HN_ROUTE_H
#define HN_ROUTE_H

#include <stdbool.h>
#include <linux/if.h>

#include "parse.h"

struct hn_ctx;
struct nl_msg;
struct nlmsghdr;

/* One host route of the main table: destination and output device. */
struct hn_route_host {
	struct hn_addr dst;
	int ifindex;
	char dev[IFNAMSIZ];		/* "" when the index has no name */
	unsigned int protocol;		/* RTPROT_BOOT for routes we add */
};

/* Called for each host route; return 0 to go on or -errno to stop. */
typedef int (*hn_route_list_cb)(const struct hn_route_host *r, void *arg);

int hn_route_build_host(int cmd, const struct hn_addr *dst, int ifindex, int flags,
			struct nl_msg **msg);
int hn_route_parse_host(const struct nlmsghdr *nlh, struct hn_route_host *r);
int hn_route_get_host(struct hn_ctx *ctx, const struct hn_addr *dst, struct hn_route_host *r);
int hn_route_add_host(struct hn_ctx *ctx, const struct hn_addr *dst, const char *dev,
		      bool replace);
int hn_route_del_host(struct hn_ctx *ctx, const struct hn_addr *dst, const char *dev);
int hn_route_list_host(struct hn_ctx *ctx, int family, hn_route_list_cb cb, void *arg);
int hn_route_lookup(struct hn_ctx *ctx, const struct hn_addr *dst, int *ifindex);

#endif
