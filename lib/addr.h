/* addr.h - interface addresses through rtnetlink: add, delete, dump. */
#ifndef HN_ADDR_H
#define HN_ADDR_H

#include "nl.h"
#include "parse.h"

struct hn_ctx;
struct nl_msg;
struct nlmsghdr;

/* One address of an interface, as the kernel reports it. */
struct hn_addr_info {
	int ifindex;
	struct hn_prefix local;		/* IFA_LOCAL (else IFA_ADDRESS) and prefix length */
	unsigned int scope;		/* RT_SCOPE_* */
};

int hn_addr_build_add(int ifindex, const struct hn_prefix *p, struct nl_msg **msg);
int hn_addr_build_del(int ifindex, const struct hn_prefix *p, struct nl_msg **msg);
int hn_addr_add(struct hn_ctx *ctx, const char *ifname, const struct hn_prefix *p);
int hn_addr_info_parse(const struct nlmsghdr *nlh, void *obj);
int hn_addr_list(struct hn_ctx *ctx, int family, hn_nl_obj_cb cb, void *arg);

#endif
