/* core.h - the switch core: MAC learning with ageing and the forwarding decision; pure code. */
#ifndef SW_CORE_H
#define SW_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SW_ETH_HLEN	14
#define SW_FRAME_MAX	1518	/* 1500 + header + one VLAN tag */
#define SW_AGEING	100	/* seconds, as the reference and bridge defaults */
#define SW_MACS_MAX	4096	/* learned addresses at most; beyond that, unknown = flood */
#define SW_PORTS_MAX	1024

/* What to do with one frame. */
enum sw_verdict {
	SW_DROP_RUNT,		/* shorter than an Ethernet header */
	SW_DROP_GIANT,		/* longer than SW_FRAME_MAX */
	SW_DROP_LOCAL,		/* destination learned on the ingress port: never sent back */
	SW_UNICAST,		/* to one learned port */
	SW_FLOOD,		/* to every port but the ingress one */
};

struct sw_mac {
	uint8_t mac[6];
	uint16_t port;
	int32_t next;		/* hash chain, or free list; -1 ends */
	time_t seen;
};

struct sw_core {
	bool hub;
	time_t ageing;
	unsigned int count;		/* learned entries in use */
	int32_t free;			/* free list head */
	int32_t bucket[SW_MACS_MAX];
	struct sw_mac mac[SW_MACS_MAX];
	unsigned long long full;	/* learning refused: table full */
	unsigned long long moves;	/* an address seen on another port */
};

void sw_core_init(struct sw_core *c, bool hub, time_t ageing);
enum sw_verdict sw_core_decide(struct sw_core *c, unsigned int in_port, const uint8_t *frame,
			       size_t len, time_t now, unsigned int *out_port);
int sw_core_lookup(struct sw_core *c, const uint8_t mac[6], time_t now);
void sw_core_learn(struct sw_core *c, const uint8_t mac[6], unsigned int port, time_t now);
unsigned int sw_core_forget_port(struct sw_core *c, unsigned int port);
unsigned int sw_core_expire(struct sw_core *c, time_t now);

typedef void (*sw_core_walk_cb)(const struct sw_mac *m, void *arg);
void sw_core_walk(const struct sw_core *c, sw_core_walk_cb cb, void *arg);

#endif
