/* list.c - natctl list, route list, publish list: one printing path for text and JSON. */
#include <stdio.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "natctl.h"
#include "neigh.h"
#include "nl.h"
#include "route.h"
#include "sysctl.h"

static const char *ntop(const struct hn_addr *a, char *buf)
{
	return inet_ntop(a->family, a->u.bytes, buf, INET6_ADDRSTRLEN) ? buf : "?";
}

static void json_prefix(struct hn_out *o, const char *key, const struct hn_prefix *p)
{
	char buf[HN_NFTNAT_PREFIX_MAX];

	hn_out_str(o, key, NULL, hn_nftnat_prefix_text(p, buf));
}

static void json_forward(struct hn_out *o, const struct hn_nftnat_item *it)
{
	char a[INET6_ADDRSTRLEN];

	hn_out_str(o, "proto", NULL, it->proto == IPPROTO_TCP ? "tcp" : "udp");
	hn_out_uint(o, "port", NULL, it->port_lo);
	hn_out_uint(o, "port_end", NULL, it->port_hi);
	if (it->iif[0])
		hn_out_str(o, "in", NULL, it->iif);
	else
		hn_out_null(o, "in", NULL);
	if (it->dst.len)
		json_prefix(o, "dst", &it->dst);
	else
		hn_out_null(o, "dst", NULL);
	hn_out_str(o, "to", NULL, ntop(&it->to, a));
	hn_out_uint(o, "to_port", NULL, it->to_lo);
	hn_out_uint(o, "to_port_end", NULL, it->to_hi);
	hn_out_bool(o, "local", NULL, it->local);
}

/**
 * nat_print_item - one item: in text the line hn_nftnat_format() writes (a
 * natctl command and a hostnet.conf line), or a JSON object of its fields
 */
void nat_print_item(struct hn_out *o, const struct hn_nftnat_item *it)
{
	char a[INET6_ADDRSTRLEN], line[HN_NFTNAT_TEXT_MAX];

	hn_out_open(o, NULL, '{');
	if (!o->json) {
		hn_nftnat_format(it, line, sizeof(line));
		hn_out_text(o, "%s\n", line);
		hn_out_close(o, '{');
		return;
	}
	hn_out_str(o, "family", NULL, it->family == AF_INET ? "ipv4" : "ipv6");
	if (it->kind == HN_NFTNAT_DNAT)
		json_forward(o, it);
	else
		json_prefix(o, "src", &it->src);
	if (it->kind == HN_NFTNAT_MASQ || it->kind == HN_NFTNAT_SNAT)
		hn_out_str(o, "out", NULL, it->oif);
	if (it->kind == HN_NFTNAT_SNAT)
		hn_out_str(o, "to", NULL, ntop(&it->to, a));
	hn_out_close(o, '{');
}

static void print_kind(struct run *r, enum hn_nftnat_kind kind)
{
	hn_out_open(&r->out, hn_nftnat_kind_name(kind), '[');
	for (size_t i = 0; i < r->st.n; i++)
		if (r->st.items[i].kind == kind)
			nat_print_item(&r->out, &r->st.items[i]);
	hn_out_close(&r->out, '[');
}

/* One "WORD ADDR dev IFACE" line: a host route or a published entry. */
static int print_dst_dev(struct hn_out *o, const char *fmt, const struct hn_addr *dst,
			 const char *dev)
{
	char a[INET6_ADDRSTRLEN];

	hn_out_open(o, NULL, '{');
	hn_out_str(o, "dst", fmt, ntop(dst, a));
	hn_out_str(o, "dev", " dev %s\n", dev);
	hn_out_close(o, '{');
	return 0;
}

static int print_route(const void *obj, void *arg)
{
	const struct hn_route_host *rt = obj;

	return print_dst_dev(arg, "route %s", &rt->dst, rt->dev);
}

static int print_publish(const void *obj, void *arg)
{
	const struct hn_neigh_proxy *p = obj;

	return print_dst_dev(arg, "publish %s", &p->dst, p->dev);
}

/* The kernel's lists natctl shows, one line or JSON object an entry. Return: 0 or -errno. */
static int routes(struct run *r)
{
	return hn_route_list_host(r->ctx, AF_UNSPEC, print_route, &r->out);
}

static int published(struct run *r)
{
	return hn_neigh_list_proxy(r->ctx, AF_UNSPEC, print_publish, &r->out);
}

/* One of them as the JSON array @key (NULL: the whole output). Return: EXIT_OK or EXIT_FAIL. */
static int array(struct run *r, struct op *op, const char *key, int (*fill)(struct run *r))
{
	int rc;

	hn_out_open(&r->out, key, '[');
	rc = fill(r);
	hn_out_close(&r->out, '[');
	return rc ? op_fail(op, r->ctx, rc) : EXIT_OK;
}

/* One of them alone: `route list`, `publish list`. */
static int list_only(struct run *r, struct op *op, int (*fill)(struct run *r))
{
	int rc = array(r, op, NULL, fill);

	hn_out_end(&r->out);
	return rc;
}

/** route_list - host routes of the main table. Return: EXIT_OK or EXIT_FAIL. */
int route_list(struct run *r, struct op *op)
{
	return list_only(r, op, routes);
}

/** publish_list - proxy ARP/NDP entries. Return: EXIT_OK or EXIT_FAIL. */
int publish_list(struct run *r, struct op *op)
{
	return list_only(r, op, published);
}

static int forwarding(struct run *r, struct op *op)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	bool on;
	int rc;

	hn_out_open(&r->out, "forwarding", '{');
	for (size_t i = 0; i < 2; i++) {
		rc = hn_sysctl_get_forwarding(r->ctx, fams[i], &on);
		if (rc)
			return op_fail(op, r->ctx, rc);
		hn_out_text(&r->out, "forwarding %s ", i ? "ipv6" : "ipv4");
		hn_out_bool(&r->out, i ? "ipv6" : "ipv4", "%s\n", on);
	}
	hn_out_close(&r->out, '{');
	return EXIT_OK;
}

/**
 * nat_list - everything natctl manages: forwarding, the nftables items
 * (as planned by this run), host routes and published entries
 *
 * Return: EXIT_OK or EXIT_FAIL.
 */
int nat_list(struct run *r, struct op *op)
{
	int rc;

	hn_out_open(&r->out, NULL, '{');
	rc = forwarding(r, op);
	for (int k = 0; !rc && k < HN_NFTNAT_KIND_MAX; k++)
		print_kind(r, (enum hn_nftnat_kind)k);
	if (!rc)
		rc = array(r, op, "route", routes);
	if (!rc)
		rc = array(r, op, "publish", published);
	hn_out_close(&r->out, '{');
	hn_out_end(&r->out);
	return rc;
}
