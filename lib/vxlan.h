/* vxlan.h - VXLAN links through libnl-route-3's vxlan API: build the create request, read one back. */
#ifndef HN_VXLAN_H
#define HN_VXLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/if.h>

#include "parse.h"

struct hn_ctx;
struct nl_msg;
struct nlmsghdr;

#define HN_VXLAN_VNI_MAX	16777215u	/* 24 bits */
#define HN_VXLAN_PORT		4789		/* IANA; the kernel's own default is 8472 */
#define HN_VXLAN_OVERHEAD4	50		/* outer IPv4 20 + UDP 8 + VXLAN 8 + Ethernet 14 */
#define HN_VXLAN_OVERHEAD6	70		/* outer IPv6 40 + UDP 8 + VXLAN 8 + Ethernet 14 */

/* One VXLAN link's parameters; an address of family 0 is "not set". */
struct hn_vxlan {
	uint32_t id;			/* VNI, 1..HN_VXLAN_VNI_MAX */
	int link;			/* underlay ifindex, 0: none */
	struct hn_addr local;		/* source address of the tunnel's packets */
	struct hn_addr group;		/* multicast group (or a single remote) */
	uint16_t port;			/* UDP destination port */
	bool has_ttl;
	uint8_t ttl;
	bool learning;
};

int hn_vxlan_build_add(const char *name, const struct hn_vxlan *vx, struct nl_msg **msg);
int hn_vxlan_parse(const struct nlmsghdr *nlh, struct hn_vxlan *vx);
int hn_vxlan_get(struct hn_ctx *ctx, const char *name, struct hn_vxlan *vx);
unsigned int hn_vxlan_overhead(int family);

#endif
