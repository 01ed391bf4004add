/* bridge.h - bridges and bridge ports over rtnetlink: create, delete, attach, attributes, FDB, STP state. */
#ifndef HN_BRIDGE_H
#define HN_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/if.h>

struct hn_ctx;
struct nl_msg;
struct nlmsghdr;

/* Times are in the kernel's clock_t unit (USER_HZ = 1/100 s), as sysfs and IFLA_BR_* use. */

/* A bridge id: priority and MAC address, as struct ifla_bridge_id. */
struct hn_bridge_id {
	uint8_t prio[2];		/* big-endian, as on the wire */
	uint8_t addr[6];
};

/* Bridge-level state (IFLA_INFO_DATA of kind "bridge"). */
struct hn_bridge_state {
	struct hn_bridge_id id, root;
	uint16_t root_port, priority;
	uint32_t root_path_cost;
	uint32_t forward_delay, hello_time, max_age, ageing_time;
	uint32_t stp_state;
	uint8_t vlan_filtering;
	uint8_t topology_change, topology_change_detected;
	uint64_t hello_timer, tcn_timer, topology_change_timer, gc_timer;
};

/* Port state (IFLA_INFO_SLAVE_DATA of slave kind "bridge"). */
struct hn_bridge_port_state {
	uint8_t state;			/* BR_STATE_* */
	uint16_t priority, port_id, port_no, designated_port;
	uint32_t cost, designated_cost;
	struct hn_bridge_id designated_root, designated_bridge;
	uint8_t hairpin, config_pending, topology_change_ack;
	uint64_t message_age_timer, forward_delay_timer, hold_timer;
};

/* One link of a dump, with its bridge or port state when it has one. */
struct hn_bridge_link {
	char name[IFNAMSIZ];
	int ifindex;
	int master;			/* ifindex of the master, 0 if none */
	unsigned int flags;		/* IFF_UP ... */
	uint8_t mac[6];
	bool is_bridge;			/* link kind "bridge" */
	bool is_port;			/* slave kind "bridge": a bridge port */
	struct hn_bridge_state br;	/* valid when is_bridge */
	struct hn_bridge_port_state port; /* valid when is_port */
};

/* Every link of the namespace, sorted by name in byte order (brctl's alphasort). */
struct hn_bridge_dump {
	struct hn_bridge_link *links;
	size_t n, cap;
};

/* One forwarding database entry of a bridge, as brctl showmacs lists them. */
struct hn_bridge_fdb {
	uint8_t mac[6];
	int ifindex;			/* the port's ifindex */
	uint16_t port_no;		/* IFLA_BRPORT_NO of that port */
	uint16_t vlan;			/* 0 when none */
	bool is_local;			/* NUD_PERMANENT: one of the ports' own addresses */
	uint32_t ageing_timer;		/* time since last seen; 0 for local entries */
};

/* Which fields of struct hn_bridge_attrs to apply. */
#define HN_BRIDGE_SET_FORWARD_DELAY	0x01u
#define HN_BRIDGE_SET_HELLO_TIME	0x02u
#define HN_BRIDGE_SET_MAX_AGE		0x04u
#define HN_BRIDGE_SET_AGEING_TIME	0x08u
#define HN_BRIDGE_SET_STP_STATE		0x10u
#define HN_BRIDGE_SET_PRIORITY		0x20u
#define HN_BRIDGE_SET_VLAN_FILTERING	0x40u

struct hn_bridge_attrs {
	unsigned int set;		/* HN_BRIDGE_SET_* */
	uint32_t forward_delay, hello_time, max_age, ageing_time, stp_state;
	uint16_t priority;
	uint8_t vlan_filtering;
};

/* Which fields of struct hn_bridge_port_attrs to apply. */
#define HN_BRIDGE_PORT_SET_COST		0x01u
#define HN_BRIDGE_PORT_SET_PRIORITY	0x02u
#define HN_BRIDGE_PORT_SET_HAIRPIN	0x04u
#define HN_BRIDGE_PORT_SET_STATE	0x08u

struct hn_bridge_port_attrs {
	unsigned int set;		/* HN_BRIDGE_PORT_SET_* */
	uint32_t cost;
	uint16_t priority;
	bool hairpin;
	uint8_t state;			/* BR_STATE_* */
};

/* The kernel's limit on ports per bridge (BR_MAX_PORTS - 1 usable numbers). */
#define HN_BRIDGE_MAX_PORTS 1023

int hn_bridge_parse_time(const char *s, uint32_t *cs);
int hn_bridge_parse_int(const char *s, long *v);
int hn_bridge_parse_bool(const char *s, bool *on);

int hn_bridge_build_add(const char *name, struct nl_msg **msg);
int hn_bridge_add(struct hn_ctx *ctx, const char *name);
int hn_bridge_del(struct hn_ctx *ctx, const struct hn_bridge_link *br);
int hn_bridge_build_set(const char *name, const struct hn_bridge_attrs *a, struct nl_msg **msg);
int hn_bridge_set(struct hn_ctx *ctx, const char *name, const struct hn_bridge_attrs *a);
int hn_bridge_attrs_parse(const struct nlmsghdr *nlh, struct hn_bridge_attrs *a);

int hn_bridge_port_add(struct hn_ctx *ctx, const struct hn_bridge_link *br,
		       const struct hn_bridge_link *port);
int hn_bridge_port_del(struct hn_ctx *ctx, const struct hn_bridge_link *br,
		       const struct hn_bridge_link *port);
int hn_bridge_port_build_set(int ifindex, const struct hn_bridge_port_attrs *a,
			     struct nl_msg **msg);
int hn_bridge_port_set(struct hn_ctx *ctx, const struct hn_bridge_link *port,
		       const struct hn_bridge_port_attrs *a);
int hn_bridge_port_attrs_parse(const struct nlmsghdr *nlh, struct hn_bridge_port_attrs *a);

int hn_bridge_link_parse(const struct nlmsghdr *nlh, struct hn_bridge_link *l);
int hn_bridge_dump_get(struct hn_ctx *ctx, struct hn_bridge_dump *d);
void hn_bridge_dump_free(struct hn_bridge_dump *d);
struct hn_bridge_link *hn_bridge_dump_find(const struct hn_bridge_dump *d, const char *name);
struct hn_bridge_link *hn_bridge_dump_find_index(const struct hn_bridge_dump *d, int ifindex);

int hn_bridge_fdb_parse(const struct nlmsghdr *nlh, const struct hn_bridge_dump *d,
			const struct hn_bridge_link *br, struct hn_bridge_fdb *e);
int hn_bridge_fdb_get(struct hn_ctx *ctx, const struct hn_bridge_dump *d,
		      const struct hn_bridge_link *br, struct hn_bridge_fdb **fdb, size_t *n);

#endif
