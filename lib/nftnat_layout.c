/* nftnat_layout.c - natctl's nftables layout: which set or map each item lands in, and the fields and types of their keys. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "nft.h"
#include "nftnat_int.h"
#include "nl.h"

enum { TYPE_IPADDR = 7, TYPE_IP6ADDR = 8, TYPE_INET_PROTOCOL = 12,
       TYPE_INET_SERVICE = 13, TYPE_IFNAME = 41, TYPE_BITS = 6 };



#define KEY_DNAT	{ F_DADDR, F_PROTO, F_DPORT }
#define KEY_DNAT_IIF	{ F_IIF, F_DADDR, F_PROTO, F_DPORT }
#define KEY_PORT	{ F_PROTO, F_DPORT }
#define KEY_PORT_IIF	{ F_IIF, F_PROTO, F_DPORT }
#define TO_PORT		{ F_TOADDR, F_TOPORT }
#define TO_ADDR		{ F_TOADDR }
#define FWD(n, k, out)	{ .name = n, .kind = HN_NFTNAT_DNAT, .output = out, .exact = true, \
			  .key = k, .data = TO_PORT }

const struct setdef nftnat_sets[S_MAX] = {
	[S_MASQ] = { .name = "masq", .kind = HN_NFTNAT_MASQ, .key = { F_SADDR, F_OIF } },
	[S_SNAT] = { .name = "snat_to", .kind = HN_NFTNAT_SNAT, .key = { F_SADDR, F_OIF },
		     .data = TO_ADDR },
	[S_HAIRPIN] = { .name = "hairpin", .kind = HN_NFTNAT_HAIRPIN, .key = { F_SADDR, F_SADDR } },
	[S_FWD] = FWD("fwd_any", KEY_PORT, false),
	[S_FWD_ADDR] = FWD("fwd_addr", KEY_DNAT, false),
	[S_FWD_IIF] = FWD("fwd_iif", KEY_PORT_IIF, false),
	[S_FWD_IIF_ADDR] = FWD("fwd_iif_addr", KEY_DNAT_IIF, false),
	[S_FWD_LOCAL_ADDR] = FWD("fwd_local_addr", KEY_DNAT, true),
	[S_DNAT] = { .name = "dnat_any", .kind = HN_NFTNAT_DNAT, .key = KEY_DNAT, .data = TO_PORT },
	[S_DNAT_RANGE] = { .name = "dnat_range", .kind = HN_NFTNAT_DNAT, .key = KEY_DNAT,
			   .data = TO_ADDR },
	[S_DNAT_IIF] = { .name = "dnat_iif", .kind = HN_NFTNAT_DNAT, .key = KEY_DNAT_IIF,
			 .data = TO_PORT },
	[S_DNAT_IIF_RANGE] = { .name = "dnat_iif_range", .kind = HN_NFTNAT_DNAT,
			       .key = KEY_DNAT_IIF, .data = TO_ADDR },
	[S_DNAT_LOCAL] = { .name = "dnat_local", .kind = HN_NFTNAT_DNAT, .output = true,
			   .key = KEY_DNAT, .data = TO_PORT },
	[S_DNAT_LOCAL_RANGE] = { .name = "dnat_local_range", .kind = HN_NFTNAT_DNAT,
				 .output = true, .key = KEY_DNAT, .data = TO_ADDR },
};

static const char *const kind_names[] = {
	[HN_NFTNAT_MASQ] = "masquerade",
	[HN_NFTNAT_SNAT] = "snat",
	[HN_NFTNAT_DNAT] = "forward",
	[HN_NFTNAT_HAIRPIN] = "hairpin",
};

/** hn_nftnat_kind_name - the natctl word for @kind, or "?" when out of range. */
const char *hn_nftnat_kind_name(enum hn_nftnat_kind kind)
{
	if ((unsigned int)kind >= HN_NFTNAT_KIND_MAX)
		return "?";
	return kind_names[kind];
}


static bool is_addr(enum field f)
{
	return f == F_SADDR || f == F_DADDR || f == F_TOADDR;
}

uint32_t nftnat_field_len(enum field f, int family)
{
	static const uint32_t len[] = { [F_IIF] = IFNAMSIZ, [F_OIF] = IFNAMSIZ,
		[F_PROTO] = 1, [F_DPORT] = 2, [F_TOPORT] = 2 };

	return is_addr(f) ? nftnat_alen(family) : len[f];
}

static uint32_t field_type(enum field f, int family)
{
	static const uint32_t type[] = { [F_IIF] = TYPE_IFNAME, [F_OIF] = TYPE_IFNAME,
		[F_PROTO] = TYPE_INET_PROTOCOL, [F_DPORT] = TYPE_INET_SERVICE,
		[F_TOPORT] = TYPE_INET_SERVICE };

	if (is_addr(f))
		return family == AF_INET ? TYPE_IPADDR : TYPE_IP6ADDR;
	return type[f];
}

/* Length in bytes (each field padded to 32 bits) and nftables type of a concatenation. */
uint32_t nftnat_concat_len(const uint8_t *fields, int family)
{
	uint32_t n = 0;

	for (; *fields; fields++)
		n += (nftnat_field_len(*fields, family) + 3) & ~3u;
	return n;
}

uint32_t nftnat_concat_type(const uint8_t *fields, int family)
{
	uint32_t t = 0;

	for (; *fields; fields++)
		t = (t << TYPE_BITS) | field_type(*fields, family);
	return t;
}

/* A port range forwarded to the same ports: only the address is rewritten. */
static bool keeps_ports(const struct hn_nftnat_item *it)
{
	return it->to_lo != it->to_hi;
}

/* One port to one port, to one destination address or (not in the output hook) any. */
static bool is_exact(const struct hn_nftnat_item *it, bool output)
{
	return it->port_lo == it->port_hi && it->to_lo == it->to_hi &&
	       ((it->dst.len == 0 && !output) || it->dst.len == nftnat_alen(it->family) * 8);
}

const struct setdef *nftnat_setdef_of(const struct hn_nftnat_item *it, bool output)
{
	static const enum setid of_kind[] = { [HN_NFTNAT_MASQ] = S_MASQ,
		[HN_NFTNAT_SNAT] = S_SNAT, [HN_NFTNAT_HAIRPIN] = S_HAIRPIN };
	enum setid s;

	if ((unsigned int)it->kind >= HN_NFTNAT_KIND_MAX)
		return NULL;
	if (it->kind != HN_NFTNAT_DNAT)
		return &nftnat_sets[of_kind[it->kind]];
	if (output && is_exact(it, true))
		return &nftnat_sets[S_FWD_LOCAL_ADDR];
	if (!output && is_exact(it, false)) {	/* each shape followed by its _ADDR twin */
		s = it->iif[0] ? S_FWD_IIF : S_FWD;
		return &nftnat_sets[s + (it->dst.len ? 1 : 0)];
	}
	s = output ? S_DNAT_LOCAL : it->iif[0] ? S_DNAT_IIF : S_DNAT;
	return &nftnat_sets[s + (keeps_ports(it) ? 1 : 0)];
}

const struct setdef *nftnat_setdef_named(const char *name)
{
	for (size_t i = 0; i < S_MAX; i++)
		if (!strcmp(name, nftnat_sets[i].name))
			return &nftnat_sets[i];
	return NULL;
}
