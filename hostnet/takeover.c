/* takeover.c - `addif BR DEV takeover`: DEV's addresses and routes move to the bridge, and back on down. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>

#include "addr.h"
#include "nl.h"
#include "route.h"
#include "takeover.h"

/* Append @obj of @size bytes to @arr, which has @n of TAKEOVER_MAX; -E2BIG when full. */
static int hold(void *arr, size_t *n, const void *obj, size_t size)
{
	if (*n == TAKEOVER_MAX)
		return -E2BIG;
	memcpy((char *)arr + (*n)++ * size, obj, size);
	return 0;
}

/*
 * What a port holds that enslaving it cuts off: its addresses (IPv6
 * link-local ones aside: every link has its own) and the routes of the
 * main table through it that someone made (the kernel's own, made with an
 * address, come and go with it).
 */
static int on_addr(const void *obj, void *arg)
{
	const struct hn_addr_info *a = obj;
	struct holdings *h = arg;
	bool v6 = a->local.addr.family == AF_INET6;
	bool held = a->ifindex == h->ifindex && (a->local.addr.family == AF_INET ||
		    (v6 && a->scope != RT_SCOPE_LINK && a->scope != RT_SCOPE_HOST));

	return held ? hold(h->addr, &h->naddr, &a->local, sizeof(a->local)) : 0;
}

static int on_route(const void *obj, void *arg)
{
	const struct hn_route *r = obj;
	struct holdings *h = arg;
	bool held = r->oif == h->ifindex && r->table == RT_TABLE_MAIN &&
		    r->protocol != RTPROT_KERNEL && r->type == RTN_UNICAST;

	return held ? hold(h->route, &h->nroute, r, sizeof(*r)) : 0;
}

/**
 * takeover_holdings - the addresses and routes link @ifindex holds
 *
 * Return: 0, -E2BIG (more than TAKEOVER_MAX of either), or -errno.
 */
int takeover_holdings(struct hn_ctx *ctx, int ifindex, struct holdings *h)
{
	int rc;

	memset(h, 0, sizeof(*h));
	h->ifindex = ifindex;
	rc = hn_addr_list(ctx, AF_UNSPEC, on_addr, h);
	return rc ? rc : hn_route_list(ctx, AF_UNSPEC, on_route, h);
}

/**
 * takeover_text - the holdings as people read them, e.g.
 * "192.168.1.200/24, route 0.0.0.0/0 via 192.168.1.1"
 */
const char *takeover_text(const struct holdings *h, char *buf, size_t len)
{
	char a[HN_ADDRSTRLEN], g[HN_ADDRSTRLEN];
	size_t k = 0;
	int n;

	buf[0] = '\0';
	for (size_t i = 0; i < h->naddr + h->nroute && k < len; i++, k += (size_t)n) {
		const char *sep = i ? ", " : "";

		if (i < h->naddr) {
			const struct hn_prefix *p = &h->addr[i];

			n = snprintf(buf + k, len - k, "%s%s/%u", sep, hn_addr_str(&p->addr, a),
				     p->len);
		} else {
			const struct hn_route *r = &h->route[i - h->naddr];

			n = snprintf(buf + k, len - k, "%sroute %s/%u%s%s", sep,
				     hn_addr_str(&r->dst.addr, a), r->dst.len,
				     r->gw.family ? " via " : "", r->gw.family ? hn_addr_str(&r->gw, g) : "");
		}
		if (n < 0)
			break;
	}
	if (k >= len && len > 4)
		strcpy(buf + len - 4, "...");	/* a summary: the journal has each one */
	return buf;
}

/* Send one message; the kernel's answer as -errno. */
static int send1(struct hn_ctx *ctx, struct nl_msg *msg)
{
	int rc = hn_nl_talk(ctx, msg, NULL, NULL);

	nlmsg_free(msg);
	return rc;
}

static int journal(struct recs *j, enum rec_kind kind, const char *dev,
		   const struct hn_prefix *p, const char *name)
{
	struct rec x;

	memset(&x, 0, sizeof(x));
	x.kind = kind;
	snprintf(x.dev, sizeof(x.dev), "%s", dev);
	if (p)
		x.p = *p;
	if (name)
		snprintf(x.name, sizeof(x.name), "%s", name);
	return recs_add(j, &x);
}

/* Each address of @h onto the bridge too (those it has already are left). */
static int copy_addrs(struct hn_ctx *ctx, const struct holdings *h, const char *br, int bri,
		      struct recs *j)
{
	struct nl_msg *msg;
	int rc;

	for (size_t i = 0; i < h->naddr; i++) {
		if ((rc = hn_addr_build_add(bri, &h->addr[i], &msg)) < 0)
			return rc;
		rc = send1(ctx, msg);
		if (rc == -EEXIST)
			continue;
		if (rc || (rc = journal(j, REC_ADDR, br, &h->addr[i], NULL)) < 0)
			return hn_ctx_fail(ctx, rc, "%s: copy an address", br);
	}
	return 0;
}

/* Each route of @h through the bridge instead, in place (NLM_F_REPLACE). */
static int move_routes(struct hn_ctx *ctx, const struct holdings *h, const char *port, int bri,
		       struct recs *j)
{
	char text[HN_ROUTE_TEXT_MAX];
	struct nl_msg *msg;
	struct hn_route r;
	int rc;

	for (size_t i = 0; i < h->nroute; i++) {
		r = h->route[i];
		r.oif = bri;
		if ((rc = hn_route_text(&r, text, sizeof(text))) < 0 ||
		    (rc = hn_route_build(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, &r, &msg)) < 0)
			return rc;
		if ((rc = send1(ctx, msg)) || (rc = journal(j, REC_MOVEROUTE, port, NULL, text)) < 0)
			return hn_ctx_fail(ctx, rc, "route %s: move to the bridge", text);
	}
	return 0;
}

/* The port's addresses off it, secondaries (later ones) first. */
static int drop_addrs(struct hn_ctx *ctx, const struct holdings *h, const char *port,
		      struct recs *j)
{
	struct nl_msg *msg;
	int rc;

	for (size_t i = h->naddr; i-- > 0;) {
		if ((rc = hn_addr_build_del(h->ifindex, &h->addr[i], &msg)) < 0)
			return rc;
		rc = send1(ctx, msg);
		if (rc == -EADDRNOTAVAIL)
			continue;	/* went with the primary it was a secondary of */
		if (rc || (rc = journal(j, REC_MOVEADDR, port, &h->addr[i], NULL)) < 0)
			return hn_ctx_fail(ctx, rc, "%s: remove an address", port);
	}
	return 0;
}

/**
 * takeover_run - move what port @port (@pi) holds to bridge @br (@bri),
 * journaling each step so that undoing (newest first) gives it back
 *
 * The order keeps connections to the host's address alive: the addresses
 * are copied to the bridge, the routes are replaced in place by the same
 * routes through the bridge, and only then do the addresses leave the port.
 *
 * Return: 0 or -errno (what was done is in @j, to be rolled back).
 */
int takeover_run(struct hn_ctx *ctx, const char *port, int pi, const char *br, int bri,
		 struct recs *j)
{
	struct holdings h;
	int rc = takeover_holdings(ctx, pi, &h);

	if (!rc)
		rc = copy_addrs(ctx, &h, br, bri, j);
	if (!rc)
		rc = move_routes(ctx, &h, port, bri, j);
	if (!rc)
		rc = drop_addrs(ctx, &h, port, j);
	return rc;
}

/**
 * takeover_undo - the message giving back what record @x moved off the
 * port (now link @ifindex): its address, or its route through it again
 *
 * Return: 0, -EBADMSG (a record whose route does not read back), -ENOMEM.
 */
int takeover_undo(const struct rec *x, int ifindex, struct nl_msg **msg)
{
	struct hn_route r;

	if (x->kind == REC_MOVEADDR)
		return hn_addr_build_add(ifindex, &x->p, msg);
	if (hn_route_from_text(x->name, &r) < 0)
		return -EBADMSG;
	r.oif = ifindex;
	return hn_route_build(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, &r, msg);
}

/* Did record set @old take address @p off port @dev? */
static bool moved_off(const struct recs *old, const char *dev, const struct hn_prefix *p)
{
	for (size_t i = 0; i < old->n; i++)
		if (old->v[i].kind == REC_MOVEADDR && !strcmp(old->v[i].dev, dev) &&
		    old->v[i].p.len == p->len && old->v[i].p.addr.family == p->addr.family &&
		    !memcmp(old->v[i].p.addr.u.bytes, p->addr.u.bytes, 16))
			return true;
	return false;
}

/**
 * takeover_kept - is @x (of @old) a record of a takeover that @c still
 * declares: what was moved off the port, and the address copied onto its
 * bridge?
 */
bool takeover_kept(const struct conf *c, const struct recs *old, const struct rec *x)
{
	for (size_t i = 0; i < c->nports; i++) {
		const struct conf_port *pt = &c->ports[i];

		if (!pt->takeover)
			continue;
		if ((x->kind == REC_MOVEADDR || x->kind == REC_MOVEROUTE) && !strcmp(pt->dev, x->dev))
			return true;
		if (x->kind == REC_ADDR && !strcmp(pt->bridge, x->dev) && moved_off(old, pt->dev, &x->p))
			return true;
	}
	return false;
}
