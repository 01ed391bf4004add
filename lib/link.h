/* link.h - links through libnl-route-3: lookup, up/down, MTU, MAC, master, group, delete. */
#ifndef HN_LINK_H
#define HN_LINK_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/if.h>

#include "nl.h"

struct nl_msg;
struct nlmsghdr;
struct rtnl_link;

struct hn_link_info {
	char name[IFNAMSIZ];
	int ifindex;
	unsigned int flags;		/* IFF_UP, IFF_LOWER_UP ... */
	unsigned int mtu;
	uint8_t mac[6];
	bool has_mac;			/* an Ethernet-sized hardware address */
	int master;			/* ifindex of the master, 0 if none */
	uint32_t group;
	char kind[32];			/* "bridge", "tun", "veth" ..., "" if none */
};

/* Which fields of struct hn_link_change to apply. */
#define HN_LINK_SET_UP		0x01u
#define HN_LINK_SET_MTU		0x02u
#define HN_LINK_SET_MAC		0x04u
#define HN_LINK_SET_MASTER	0x08u
#define HN_LINK_SET_GROUP	0x10u

#define HN_LINK_ALIAS_MAX	256	/* IFALIASZ, with the NUL */

struct hn_link_change {
	unsigned int set;		/* HN_LINK_SET_* */
	bool up;
	unsigned int mtu;
	uint8_t mac[6];
	int master;			/* ifindex; 0 detaches */
	uint32_t group;
};

int hn_link_build_req(const char *name, const char *kind, struct nl_msg **msg);
int hn_link_build_get(const char *name, struct nl_msg **msg);
int hn_link_talk_get(struct hn_ctx *ctx, const char *name, hn_nl_msg_cb cb, void *arg);
int hn_link_get(struct hn_ctx *ctx, const char *name, struct hn_link_info *info);
int hn_link_index(struct hn_ctx *ctx, const char *name, int *ifindex);
void hn_link_name(int ifindex, char dev[IFNAMSIZ]);
int hn_link_build_change(const char *name, const struct hn_link_change *chg,
			 struct nl_msg **msg);
int hn_link_change(struct hn_ctx *ctx, const char *name, const struct hn_link_change *chg);
int hn_link_set_up(struct hn_ctx *ctx, const char *name, bool up);
int hn_link_set_mtu(struct hn_ctx *ctx, const char *name, unsigned int mtu);
int hn_link_set_mac(struct hn_ctx *ctx, const char *name, const uint8_t mac[6]);
int hn_link_set_master(struct hn_ctx *ctx, const char *name, const char *master);
int hn_link_set_group(struct hn_ctx *ctx, const char *name, uint32_t group);
int hn_link_alloc_named(const char *name, unsigned int flags, struct rtnl_link **l);
int hn_link_build_changes(struct rtnl_link *c, struct nl_msg **msg);
int hn_link_build_delete(const char *name, struct nl_msg **msg);
int hn_link_request_named(struct hn_ctx *ctx, const char *name,
			  int (*build)(const char *name, struct nl_msg **msg));
int hn_link_del(struct hn_ctx *ctx, const char *name);
int hn_link_build_alias(int ifindex, const char *alias, struct nl_msg **msg);
int hn_link_set_alias(struct hn_ctx *ctx, int ifindex, const char *alias);
int hn_link_alias_parse(const struct nlmsghdr *nlh, char alias[HN_LINK_ALIAS_MAX]);

#endif
