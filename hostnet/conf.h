/* conf.h - hostnet.conf as data: the declared objects, and conf.c's line parser (pure code). */
#ifndef HOSTNET_CONF_H
#define HOSTNET_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/if.h>

#include "parse.h"
#include "bridge.h"
#include "nftnat.h"

#define CONF_LINE_MAX	4096		/* longer lines are an error, never cut */
#define CONF_ERR_MAX	100		/* errors kept; later ones are counted */
#define CONF_ERR_LEN	200
#define CONF_ROUTES	32		/* routes per tap */
#define CONF_ADDRS	8		/* addresses per bridge or tap */

struct conf_err {
	int line;
	char msg[CONF_ERR_LEN];
};

/* A tap (tunctl's vocabulary): persistent, owned, optionally on a bridge or routed. */
struct conf_tap {
	int line;
	char name[IFNAMSIZ];
	bool has_user, has_group, multi_queue, vnet_hdr;
	uid_t user;
	gid_t group;
	unsigned int mtu;		/* 0: leave as the kernel made it */
	char bridge[IFNAMSIZ];		/* "" when not a port */
	struct hn_prefix addr[CONF_ADDRS];	/* host-side addresses */
	size_t naddr;
	struct hn_addr route[CONF_ROUTES];	/* guests routed to this tap */
	size_t nroute;
	char publish[IFNAMSIZ];		/* proxy entries for the routes on this interface */
};

/* A bridge (brctl's vocabulary). */
struct conf_bridge {
	int line;
	char name[IFNAMSIZ];
	struct hn_bridge_attrs attrs;	/* attrs.set says which were given */
	unsigned int mtu;
	struct hn_prefix addr[CONF_ADDRS];
	size_t naddr;
	size_t nports;			/* taps and addif ports, counted by the checker */
};

/* `addif BRIDGE DEV... [takeover]`: an existing device made a port. */
struct conf_port {
	int line;
	char bridge[IFNAMSIZ];
	char dev[IFNAMSIZ];
	bool takeover;			/* its addresses and routes move to the bridge */
};

enum conf_sysctl_kind { CONF_FORWARD4, CONF_FORWARD6, CONF_PROXY_ARP, CONF_PROXY_NDP };

struct conf_sysctl {
	int line;
	enum conf_sysctl_kind kind;
	char ifname[IFNAMSIZ];		/* proxyarp, proxyndp */
	bool on;
};

/* masquerade / snat / forward / hairpin: natctl's add commands without the verb. */
struct conf_nat {
	int line;
	struct hn_nftnat_item it;
};

/* `vxlan NAME id VNI dev UNDERLAY ...`: one line for every host of the fleet. */
struct conf_vxlan {
	int line;
	char name[IFNAMSIZ];
	uint32_t vni;			/* 0: not given (an error) */
	char dev[IFNAMSIZ];		/* the underlay; "" not given (an error) */
	uint16_t port;			/* UDP port, HN_VXLAN_PORT unless given */
	char bridge[IFNAMSIZ];		/* "" when not a bridge port */
	struct hn_addr *peers;		/* every host's underlay address, this one's too */
	size_t npeers;
	struct hn_addr group;		/* multicast group; family 0 with peers */
	bool has_ttl, learning;
	uint8_t ttl;
};

/* `tun_access`: group and mode of the tun clone device (seed 004's chgrp/chmod). */
struct conf_tun_access {
	int line;			/* 0: not declared */
	char path[256];
	bool has_group, has_mode;
	gid_t group;
	mode_t mode;
};

/* One file read: its lines are numbered base + 1 .. base + nlines (conf_where()). */
struct conf_src {
	char *path;
	int base, nlines;
};

#define CONF_INCLUDE_DEPTH 8		/* include inside include inside ... */

struct conf {
	const char *file;
	struct conf_src *srcs;		/* every file read, the top one first */
	size_t nsrcs, csrcs;
	int base;			/* line numbers of the file being parsed start after it */
	int nlines;			/* lines numbered so far, all files */
	int depth;			/* includes open */
	bool files;			/* read from disk: include allowed */
	uint32_t linkgroup;		/* 0: created links are not tagged */
	int linkgroup_line;
	struct conf_tap *taps;
	size_t ntaps, ctaps;
	struct conf_bridge *bridges;
	size_t nbridges, cbridges;
	struct conf_port *ports;
	size_t nports, cports;
	struct conf_sysctl *sysctls;
	size_t nsysctls, csysctls;
	struct conf_nat *nats;
	size_t nnats, cnats;
	struct conf_tun_access tun;
	struct conf_vxlan *vxlans;
	size_t nvxlans, cvxlans;
	char uname[64], gname[64];	/* the last user and group looked up ... */
	uid_t uid;			/* ... and what they were: a file of 4000 taps */
	gid_t gid;			/* of one user reads the user database once */
	struct conf_err errs[CONF_ERR_MAX];
	size_t nerrs;			/* every error, also those not kept */
	char opt[IFNAMSIZ + 24];	/* "br0: stp" while an option is parsed */
};

void conf_init(struct conf *c, const char *file);
void conf_free(struct conf *c);
int conf_parse_line(struct conf *c, int line, char *text);
int conf_parse_buf(struct conf *c, const char *buf, size_t len);
void conf_error(struct conf *c, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
