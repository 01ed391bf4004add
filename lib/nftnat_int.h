/* nftnat_int.h - inside lib's NAT module: natctl's sets and maps and their fields, shared by the nftnat_*.c files. */
#ifndef HN_NFTNAT_INT_H
#define HN_NFTNAT_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "nftnat.h"

/* Key and data fields, each with its nftables datatype so that `nft list` names them. */
enum field { F_END, F_SADDR, F_DADDR, F_IIF, F_OIF, F_PROTO, F_DPORT, F_TOADDR, F_TOPORT };

/*
 * natctl's sets and maps. A forward of one port to one port whose
 * destination is one address or any address has an exact key and lands in
 * one of the hash maps fwd*: with or without input interface, with or
 * without destination address, and the key-without-interface copy for the
 * output hook (a local forward names its address); the packet is looked up
 * there in constant time however many forwards exist. Every other forward (a port range, a destination
 * prefix) lands in one of the interval maps dnat*: with or without input
 * interface (nft cannot print an "any name" range), to one port or keeping
 * the ports of a range (only the address changes), and the output copies.
 * Overlaps are refused across all of them, so the order of lookups does
 * not matter.
 */
enum setid { S_MASQ, S_SNAT, S_HAIRPIN,
	     S_FWD, S_FWD_ADDR, S_FWD_IIF, S_FWD_IIF_ADDR, S_FWD_LOCAL_ADDR,
	     S_DNAT, S_DNAT_RANGE, S_DNAT_IIF, S_DNAT_IIF_RANGE, S_DNAT_LOCAL, S_DNAT_LOCAL_RANGE,
	     S_MAX };

struct setdef {
	const char *name;
	enum hn_nftnat_kind kind;
	bool output;			/* the output-hook copy (forwards marked local) */
	bool exact;			/* a hash map: no intervals */
	uint8_t key[5];			/* fields, F_END-terminated */
	uint8_t data[3];		/* empty for a plain set */
};

extern const struct setdef nftnat_sets[S_MAX];

/* Bytes of an address of @family. */
static inline uint32_t nftnat_alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* Masquerade and SNAT share one key: source and output interface. */
static inline bool nftnat_is_src_kind(enum hn_nftnat_kind k)
{
	return k == HN_NFTNAT_MASQ || k == HN_NFTNAT_SNAT;
}

/* nftnat_layout.c */
uint32_t nftnat_field_len(enum field f, int family);
uint32_t nftnat_concat_len(const uint8_t *fields, int family);
uint32_t nftnat_concat_type(const uint8_t *fields, int family);
const struct setdef *nftnat_setdef_of(const struct hn_nftnat_item *it, bool output);
const struct setdef *nftnat_setdef_named(const char *name);

/* nftnat_elem.c */
bool nftnat_point_key(const struct setdef *sd, const struct hn_nftnat_item *it, uint16_t port,
		      bool any, struct hn_nftnat_elem *e);

#endif
