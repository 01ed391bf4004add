/* conf_vxlan.c - the `vxlan` line of hostnet.conf: parsed into struct conf_vxlan and checked with the whole file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "conf.h"
#include "vxlan.h"
#include "conf_check.h"
#include "conf_file.h"
#include "conf_vxlan.h"
#include "vec.h"

/* The option words of a vxlan line; "peers" takes every word up to the next of them. */
enum vx_opt { VX_ID, VX_DEV, VX_PORT, VX_BRIDGE, VX_PEERS, VX_GROUP, VX_TTL, VX_LEARNING,
	      VX_NOPT };

static const char *const vx_words[VX_NOPT] = {
	[VX_ID] = "id", [VX_DEV] = "dev", [VX_PORT] = "port", [VX_BRIDGE] = "bridge",
	[VX_PEERS] = "peers", [VX_GROUP] = "group", [VX_TTL] = "ttl", [VX_LEARNING] = "learning",
};

static int vx_word(const char *s)
{
	for (int k = 0; k < VX_NOPT; k++)
		if (!strcmp(s, vx_words[k]))
			return k;
	return -1;
}

static bool is_multicast(const struct hn_addr *a)
{
	return a->family == AF_INET ? (a->u.bytes[0] & 0xf0) == 0xe0 : a->u.bytes[0] == 0xff;
}

/* Why @a cannot be a tunnel endpoint, or NULL if it can. */
static const char *bad_endpoint(const struct hn_addr *a)
{
	static const uint8_t zero[16];

	if (is_multicast(a))
		return "a multicast address (use group MCAST for a multicast underlay)";
	if (!memcmp(a->u.bytes, zero, a->family == AF_INET ? 4 : 16))
		return "the unspecified address";
	if (a->family == AF_INET && a->u.bytes[0] == 127)
		return "a loopback address";
	if (a->family == AF_INET && !memcmp(a->u.bytes, "\xff\xff\xff\xff", 4))
		return "the broadcast address";
	if (a->family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&a->u.v6))
		return "a loopback address";
	if (a->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->u.v6))
		return "a link-local address (the kernel needs a global one)";
	return NULL;
}

static bool same(const struct hn_addr *a, const struct hn_addr *b)
{
	return a->family == b->family && !memcmp(a->u.bytes, b->u.bytes, a->family == AF_INET ? 4 : 16);
}

static int add_peer(struct conf *c, struct conf_vxlan *v, const char *s)
{
	const char *why;
	struct hn_addr a, *np;

	if (hn_parse_addr(s, AF_UNSPEC, &a) < 0)
		return conf_error(c, v->line, "%s: peers: \"%s\": not an IPv4 or IPv6 address",
				  v->name, s), -1;
	if ((why = bad_endpoint(&a)))
		return conf_error(c, v->line, "%s: peers: %s: %s", v->name, s, why), -1;
	if (v->npeers && a.family != v->peers[0].family)
		return conf_error(c, v->line, "%s: peers: %s: IPv4 and IPv6 peers mixed (one "
				  "underlay family per vxlan)", v->name, s), -1;
	for (size_t i = 0; i < v->npeers; i++)
		if (same(&v->peers[i], &a))
			return conf_error(c, v->line, "%s: peers: %s given twice", v->name, s), -1;
	np = realloc(v->peers, (v->npeers + 1) * sizeof(*np));
	if (!np)
		return -ENOMEM;
	v->peers = np;
	v->peers[v->npeers++] = a;
	return 0;
}

/* The value of option @k at tok[0]; return 0, -1 (error recorded) or -ENOMEM. */
static int vx_value(struct conf *c, struct conf_vxlan *v, int k, const char *s)
{
	const char *why = NULL;
	unsigned long n;
	bool on;

	switch (k) {
	case VX_ID:
		if (hn_parse_uint(s, HN_VXLAN_VNI_MAX, &n) < 0 || !n)
			return conf_error(c, v->line, "%s: id \"%s\": expected a VNI 1..%u", v->name,
					  s, HN_VXLAN_VNI_MAX), -1;
		v->vni = (uint32_t)n;
		return 0;
	case VX_DEV: case VX_BRIDGE:
		if (hn_parse_ifname(s, 0, &why) < 0)
			return conf_error(c, v->line, "%s: %s \"%s\": %s", v->name, vx_words[k], s,
					  why), -1;
		strcpy(k == VX_DEV ? v->dev : v->bridge, s);
		return 0;
	case VX_PORT:
		if (hn_parse_uint(s, 65535, &n) < 0 || !n)
			return conf_error(c, v->line, "%s: port \"%s\": expected 1..65535", v->name,
					  s), -1;
		v->port = (uint16_t)n;
		return 0;
	case VX_GROUP:
		if (hn_parse_addr(s, AF_UNSPEC, &v->group) < 0 || !is_multicast(&v->group))
			return v->group.family = 0, conf_error(c, v->line, "%s: group \"%s\": not a "
				"multicast address (224.0.0.0/4 or ff00::/8; use peers for unicast)",
				v->name, s), -1;
		return 0;
	case VX_TTL:
		if (hn_parse_uint(s, 255, &n) < 0 || !n)
			return conf_error(c, v->line, "%s: ttl \"%s\": expected 1..255", v->name, s), -1;
		v->ttl = (uint8_t)n;
		v->has_ttl = true;
		return 0;
	default:
		if (hn_parse_onoff(s, &on) < 0)
			return conf_error(c, v->line, "%s: learning \"%s\": expected on or off",
					  v->name, s), -1;
		v->learning = on;
		return 0;
	}
}

/* Options tok[0..n); every error is recorded, parsing goes on where it can. */
static int vx_opts(struct conf *c, struct conf_vxlan *v, int n, char **tok, unsigned int *given)
{
	unsigned int seen = 0;
	int i = 0, k, rc = 0, r;

	while (i < n) {
		if ((k = vx_word(tok[i])) < 0)
			return conf_error(c, v->line, "%s: unknown option \"%s\"", v->name, tok[i]), -1;
		if (seen & (1u << k))
			conf_error(c, v->line, "%s: \"%s\" given twice", v->name, tok[i]), rc = -1;
		seen |= 1u << k;
		*given = seen;
		if (++i >= n || vx_word(tok[i]) >= 0)
			return conf_error(c, v->line, "%s: \"%s\" needs a value", v->name,
					  vx_words[k]), -1;
		if (k != VX_PEERS) {
			if ((r = vx_value(c, v, k, tok[i++])) < 0)
				rc = r == -ENOMEM ? r : rc ? rc : -1;
			continue;
		}
		for (; i < n && vx_word(tok[i]) < 0; i++)
			if ((r = add_peer(c, v, tok[i])) < 0)
				rc = r == -ENOMEM ? r : rc ? rc : -1;
	}
	return rc;
}

/* What the line lacks (@given: the options it has), or gives too much of, as a whole. */
static void vx_complete(struct conf *c, const struct conf_vxlan *v, unsigned int given)
{
	if (!(given & (1u << VX_ID)))
		conf_error(c, v->line, "%s: id VNI missing", v->name);
	if (!(given & (1u << VX_DEV)))
		conf_error(c, v->line, "%s: dev UNDERLAY missing (the interface the tunnel's "
			   "packets leave by)", v->name);
	if ((given & (1u << VX_PEERS)) && (given & (1u << VX_GROUP)))
		conf_error(c, v->line, "%s: peers and group exclude each other", v->name);
	if (!(given & (1u << VX_PEERS)) && !(given & (1u << VX_GROUP)))
		conf_error(c, v->line, "%s: peers ADDR... or group MCAST missing", v->name);
	if (v->dev[0] && !strcmp(v->dev, v->name))
		conf_error(c, v->line, "%s: cannot be its own underlay", v->name);
}

/**
 * conf_parse_vxlan - parse the words after @kw (`vxlan`) of line @line
 *
 * Return: 0 or -1 (errors recorded in @c), or -ENOMEM.
 */
int conf_parse_vxlan(struct conf *c, int line, const char *kw, int n, char **tok)
{
	struct conf_vxlan *v;
	unsigned int given = 0;
	const char *why;
	int rc;

	if (n < 1)
		return conf_error(c, line, "%s: missing name", kw), -1;
	if (hn_parse_ifname(tok[0], 0, &why) < 0)
		return conf_error(c, line, "\"%s\": %s", tok[0], why), -1;
	v = HN_VEC_PUSH(c->vxlans, c->nvxlans, c->cvxlans);
	if (!v)
		return -ENOMEM;
	v->line = line;
	v->port = HN_VXLAN_PORT;
	v->learning = true;
	strcpy(v->name, tok[0]);
	rc = vx_opts(c, v, n - 1, tok + 1, &given);
	if (rc != -ENOMEM)
		vx_complete(c, v, given);
	return rc;
}

/** conf_free_vxlans - free the vxlan lines and their peer lists. */
void conf_free_vxlans(struct conf *c)
{
	for (size_t i = 0; i < c->nvxlans; i++)
		free(c->vxlans[i].peers);
	HN_VEC_FREE(c->vxlans, c->nvxlans, c->cvxlans);
}

static void check_one(struct conf *c, struct conf_vxlan *v, size_t i)
{
	struct conf_bridge *b;

	if (conf_find_tap(c, v->name) || conf_find_bridge(c, v->name))
		conf_error(c, v->line, "%s: already declared as a %s", v->name,
			   conf_find_tap(c, v->name) ? "tap" : "bridge");
	for (size_t k = 0; k < c->nports; k++)
		if (!strcmp(c->ports[k].dev, v->name))
			conf_error(c, c->ports[k].line, "%s: a declared vxlan; use \"bridge %s\" on "
				   "its line", v->name, c->ports[k].bridge);
	b = v->bridge[0] ? (struct conf_bridge *)conf_find_bridge(c, v->bridge) : NULL;
	if (v->bridge[0] && !b)
		conf_error(c, v->line, "%s: bridge %s is not declared", v->name, v->bridge);
	else if (b && ++b->nports == HN_BRIDGE_MAX_PORTS + 1)
		conf_error(c, b->line, "%s: more than %d ports", b->name, HN_BRIDGE_MAX_PORTS);
	for (size_t k = 0; k < i; k++) {
		const struct conf_vxlan *o = &c->vxlans[k];

		if (!strcmp(o->name, v->name))
			conf_error(c, v->line, "%s: already declared at %s", v->name,
				   conf_ref(c, v->line, o->line));
		else if (o->vni == v->vni && o->port == v->port && v->vni)
			conf_error(c, v->line, "%s: id %u port %u already used by %s at %s",
				   v->name, v->vni, v->port, o->name, conf_ref(c, v->line, o->line));
		if (!strcmp(o->name, v->dev) || !strcmp(v->name, o->dev))
			conf_error(c, v->line, "%s: a vxlan cannot be the underlay of another",
				   v->name);
	}
}

/**
 * conf_check_vxlans - the checks of vxlan lines that need the whole file:
 * names, the bridge each joins, VNIs used twice
 */
void conf_check_vxlans(struct conf *c)
{
	for (size_t i = 0; i < c->nvxlans; i++)
		check_one(c, &c->vxlans[i], i);
}
