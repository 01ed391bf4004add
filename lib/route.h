/* route.h - host routes (a /32 or /128 straight to a device) through libnl-route-3. */
#ifndef HN_ROUTE_H
#define HN_ROUTE_H

#include <stdbool.h>
#include <linux/if.h>

#include <stddef.h>
#include <stdint.h>

#include "nl.h"
#include "parse.h"

struct hn_ctx;
struct nl_msg;
struct nlmsghdr;

/* One host route of the main table: destination and output device. */
struct hn_route_host {
	struct hn_addr dst;
	int ifindex;
	char dev[IFNAMSIZ];		/* "" when the index has no name */
	unsigned int protocol;		/* RTPROT_BOOT for routes route(8) would add */
};

int hn_route_build_host(int cmd, const struct hn_addr *dst, int ifindex, int flags,
			struct nl_msg **msg);
int hn_route_build_host_proto(int cmd, const struct hn_addr *dst, int ifindex, int flags,
			      unsigned int protocol, struct nl_msg **msg);
int hn_route_build_get(const struct hn_addr *dst, unsigned int rtm_flags, struct nl_msg **msg);
int hn_route_send_host(struct hn_ctx *ctx, int cmd, const struct hn_route_host *h, int flags);
int hn_route_get_match(struct hn_ctx *ctx, const struct hn_addr *dst, struct hn_route_host *h);
int hn_route_parse_host(const struct nlmsghdr *nlh, void *obj);
int hn_route_get_host(struct hn_ctx *ctx, const struct hn_addr *dst, struct hn_route_host *r);
int hn_route_add_host(struct hn_ctx *ctx, const struct hn_addr *dst, const char *dev,
		      bool replace);
int hn_route_del_host(struct hn_ctx *ctx, const struct hn_addr *dst, const char *dev);
int hn_route_list_host(struct hn_ctx *ctx, int family, hn_nl_obj_cb cb, void *arg);
int hn_route_lookup(struct hn_ctx *ctx, const struct hn_addr *dst, int *ifindex);

/* Any route with one output device (no multipath), as a move needs it. */
struct hn_route {
	struct hn_prefix dst;		/* 0.0.0.0/0 or ::/0 for a default route */
	struct hn_addr gw;		/* family 0: no gateway */
	struct hn_addr src;		/* preferred source; family 0: none */
	uint32_t table, priority;
	uint8_t protocol, scope, type;
	int oif;
};

#define HN_ROUTE_TEXT_MAX 256

int hn_route_parse(const struct nlmsghdr *nlh, void *obj);
int hn_route_list(struct hn_ctx *ctx, int family, hn_nl_obj_cb cb, void *arg);
int hn_route_build(int cmd, int flags, const struct hn_route *r, struct nl_msg **msg);
int hn_route_text(const struct hn_route *r, char *buf, size_t len);
int hn_route_from_text(const char *s, struct hn_route *r);

#endif
