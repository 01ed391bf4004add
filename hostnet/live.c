/* live.c - read the kernel's links, addresses, host routes and proxy entries in four dumps. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "nl.h"
#include "link.h"
#include "live.h"
#include "vec.h"

#define MORE(l, f) hn_vec_push(&(l)->f, &(l)->n##f, &(l)->c##f, sizeof(*(l)->f), 64)

static void link_extra(const struct nlmsghdr *nlh, struct live_link *k)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];

	if (nlmsg_parse((struct nlmsghdr *)nlh, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0)
		return;
	if (tb[IFLA_MTU])
		k->mtu = nla_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_GROUP])
		k->group = nla_get_u32(tb[IFLA_GROUP]);
	if (tb[IFLA_LINKINFO] &&
	    nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) == 0 &&
	    li[IFLA_INFO_KIND])
		nla_strlcpy(k->kind, li[IFLA_INFO_KIND], sizeof(k->kind));
}

static int on_link(struct nl_msg *msg, void *arg)
{
	struct live *l = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct hn_bridge_link bl;
	struct live_link *k;

	if (hn_bridge_link_parse(nlh, &bl) < 0)
		return 0;
	k = MORE(l, links);
	if (!k)
		return -ENOMEM;
	memset(k, 0, sizeof(*k));
	strcpy(k->name, bl.name);
	k->ifindex = bl.ifindex;
	k->master = bl.master;
	k->flags = bl.flags;
	k->is_bridge = bl.is_bridge;
	k->br = bl.br;
	hn_tun_info_parse(nlh, &k->tun);
	link_extra(nlh, k);
	return 0;
}

/* Name, ifindex, flags, master and group: one parse of the message where on_link makes five. */
static int on_name(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1];
	struct live *l = arg;
	struct live_link *k;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse(nlh, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0 ||
	    !tb[IFLA_IFNAME])
		return 0;
	k = MORE(l, links);
	if (!k)
		return -ENOMEM;
	memset(k, 0, sizeof(*k));
	nla_strlcpy(k->name, tb[IFLA_IFNAME], sizeof(k->name));
	k->ifindex = ((struct ifinfomsg *)nlmsg_data(nlh))->ifi_index;
	k->flags = ((struct ifinfomsg *)nlmsg_data(nlh))->ifi_flags;
	if (tb[IFLA_MASTER])
		k->master = (int)nla_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_GROUP])
		k->group = nla_get_u32(tb[IFLA_GROUP]);
	return 0;
}

static int cmp_link(const void *a, const void *b)
{
	return strcmp(((const struct live_link *)a)->name, ((const struct live_link *)b)->name);
}

static int cmp_index(const void *a, const void *b)
{
	int x = (*(const struct live_link *const *)a)->ifindex;
	int y = (*(const struct live_link *const *)b)->ifindex;

	return (x > y) - (x < y);
}

/* Sort by name, and index by ifindex: a plan looks up each tap's master. */
static int sort_links(struct live *l)
{
	if (!l->nlinks)
		return 0;
	qsort(l->links, l->nlinks, sizeof(*l->links), cmp_link);
	return hn_vec_index(&l->byindex, l->links, l->nlinks, sizeof(*l->links), cmp_index);
}

static int dump_links(struct hn_ctx *ctx, struct live *l, hn_nl_msg_cb cb)
{
	struct nl_msg *msg;
	int rc;

	if (hn_link_build_req(NULL, NULL, &msg) < 0)
		return hn_ctx_fail(ctx, -ENOMEM, "list links");
	/* The dump may move links: no index into them until it is sorted again. */
	free(l->byindex);
	l->byindex = NULL;
	l->nlinks = 0;
	rc = hn_nl_talk(ctx, msg, cb, l);
	nlmsg_free(msg);
	if (!rc)
		rc = sort_links(l);
	return rc ? hn_ctx_fail(ctx, rc, "list links") : 0;
}

/** live_load_links - (re)read every link of the namespace into @l. Return: 0 or -errno. */
int live_load_links(struct hn_ctx *ctx, struct live *l)
{
	return dump_links(ctx, l, on_link);
}

/**
 * live_load_names - (re)read every link of the namespace into @l, with only
 * its name, ifindex, flags, master and group (what down and apply's
 * requests need; at 4000 taps, parsing the rest cost more than the
 * kernel's dump)
 *
 * Return: 0 or -errno.
 */
int live_load_names(struct hn_ctx *ctx, struct live *l)
{
	return dump_links(ctx, l, on_name);
}

/* One of struct live's arrays, which on_copy() appends a list's objects to. */
struct copy_to {
	void *arrp;			/* &l->addrs ... */
	size_t *n, *cap;
	size_t size;			/* of an element: the list's object type */
};

#define COPY_TO(l, f) (&(struct copy_to){ &(l)->f, &(l)->n##f, &(l)->c##f, sizeof(*(l)->f) })

/* hn_*_list()'s callback: a copy of each object to the end of the array @arg names. */
static int on_copy(const void *obj, void *arg)
{
	const struct copy_to *to = arg;
	void *x = hn_vec_push(to->arrp, to->n, to->cap, to->size, 64);

	if (!x)
		return -ENOMEM;
	memcpy(x, obj, to->size);
	return 0;
}

/**
 * live_load - read the links, and the addresses, host routes and proxy
 * entries that @what asks for (LIVE_*); lists not asked for stay empty
 *
 * Return: 0, or -errno (ctx->err says which dump failed).
 */
int live_load(struct hn_ctx *ctx, struct live *l, unsigned int what)
{
	int rc;

	memset(l, 0, sizeof(*l));
	rc = live_load_links(ctx, l);
	if (!rc && (what & LIVE_ADDRS))
		rc = hn_addr_list(ctx, AF_UNSPEC, on_copy, COPY_TO(l, addrs));
	if (!rc && (what & LIVE_ROUTES))
		rc = hn_route_list_host(ctx, AF_UNSPEC, on_copy, COPY_TO(l, routes));
	if (!rc && (what & LIVE_NEIGHS))
		rc = hn_neigh_list_proxy(ctx, AF_UNSPEC, on_copy, COPY_TO(l, neighs));
	return rc;
}

/** live_free - free what live_load() read. */
void live_free(struct live *l)
{
	free(l->links);
	free(l->byindex);
	free(l->addrs);
	free(l->routes);
	free(l->neighs);
	memset(l, 0, sizeof(*l));
}

/** live_link - the link called @name, or NULL. */
const struct live_link *live_link(const struct live *l, const char *name)
{
	struct live_link key;

	if (strlen(name) >= sizeof(key.name))
		return NULL;
	strcpy(key.name, name);
	if (!l->nlinks)
		return NULL;
	return bsearch(&key, l->links, l->nlinks, sizeof(key), cmp_link);
}

/** live_link_index - the link with @ifindex, or NULL. */
const struct live_link *live_link_index(const struct live *l, int ifindex)
{
	struct live_link key = { .ifindex = ifindex };
	const struct live_link *kp = &key, *const *hit;

	if (!l->byindex)
		return NULL;
	hit = bsearch(&kp, l->byindex, l->nlinks, sizeof(*l->byindex), cmp_index);
	return hit ? *hit : NULL;
}

static bool same_addr(const struct hn_addr *a, const struct hn_addr *b)
{
	return a->family == b->family &&
	       !memcmp(a->u.bytes, b->u.bytes, a->family == AF_INET ? 4 : 16);
}

/** live_has_addr - is @p (address and length) on @ifindex? */
bool live_has_addr(const struct live *l, int ifindex, const struct hn_prefix *p)
{
	for (size_t i = 0; i < l->naddrs; i++)
		if (l->addrs[i].ifindex == ifindex && l->addrs[i].local.len == p->len &&
		    same_addr(&l->addrs[i].local.addr, &p->addr))
			return true;
	return false;
}

/** live_route - the main table's host route to @dst, or NULL. */
const struct hn_route_host *live_route(const struct live *l, const struct hn_addr *dst)
{
	for (size_t i = 0; i < l->nroutes; i++)
		if (same_addr(&l->routes[i].dst, dst))
			return &l->routes[i];
	return NULL;
}

/** live_has_neigh - is @dst published on @ifindex? */
bool live_has_neigh(const struct live *l, int ifindex, const struct hn_addr *dst)
{
	for (size_t i = 0; i < l->nneighs; i++)
		if (l->neighs[i].ifindex == ifindex && same_addr(&l->neighs[i].dst, dst))
			return true;
	return false;
}
