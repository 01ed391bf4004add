/* core.c - MAC table (chained hash over a fixed pool, so memory never grows) and forwarding. */
#include <string.h>

#include "core.h"

static unsigned int hash(const uint8_t mac[6])
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (int i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h % SW_MACS_MAX;
}

/**
 * sw_core_init - an empty table
 * @c: the core
 * @hub: flood every frame (no learning)
 * @ageing: seconds after which an address not seen again is forgotten
 */
void sw_core_init(struct sw_core *c, bool hub, time_t ageing)
{
	memset(c, 0, sizeof(*c));
	c->hub = hub;
	c->ageing = ageing;
	for (int i = 0; i < SW_MACS_MAX; i++) {
		c->bucket[i] = -1;
		c->mac[i].next = i + 1 < SW_MACS_MAX ? i + 1 : -1;
	}
	c->free = 0;
}

static bool expired(const struct sw_core *c, const struct sw_mac *m, time_t now)
{
	return now - m->seen >= c->ageing;
}

/* Find @mac; *prevp gets the link that points at it, for unlinking. */
static int32_t find(struct sw_core *c, const uint8_t mac[6], int32_t **prevp)
{
	int32_t *link = &c->bucket[hash(mac)];

	while (*link >= 0) {
		if (!memcmp(c->mac[*link].mac, mac, 6)) {
			if (prevp)
				*prevp = link;
			return *link;
		}
		link = &c->mac[*link].next;
	}
	return -1;
}

static void unlink_entry(struct sw_core *c, int32_t *link)
{
	int32_t i = *link;

	*link = c->mac[i].next;
	c->mac[i].next = c->free;
	c->free = i;
	c->count--;
}

/**
 * sw_core_lookup - the port @mac was last seen on, if not aged out
 * Return: the port, or -1 (unknown or expired; an expired entry is freed).
 */
int sw_core_lookup(struct sw_core *c, const uint8_t mac[6], time_t now)
{
	int32_t *link, i = find(c, mac, &link);

	if (i < 0)
		return -1;
	if (expired(c, &c->mac[i], now)) {
		unlink_entry(c, link);
		return -1;
	}
	return c->mac[i].port;
}

/**
 * sw_core_learn - record that @mac was seen as a source on @port
 *
 * Group addresses are never learned. When the pool is full, expired entries
 * are swept first; if none is free still, the address stays unknown (its
 * frames are flooded) and c->full counts it.
 */
void sw_core_learn(struct sw_core *c, const uint8_t mac[6], unsigned int port, time_t now)
{
	int32_t i = find(c, mac, NULL);
	unsigned int b;

	if (mac[0] & 1)
		return;
	if (i >= 0) {
		if (c->mac[i].port != port)
			c->moves++;
		c->mac[i].port = port;
		c->mac[i].seen = now;
		return;
	}
	if (c->free < 0 && !sw_core_expire(c, now)) {
		c->full++;
		return;
	}
	i = c->free;
	c->free = c->mac[i].next;
	memcpy(c->mac[i].mac, mac, 6);
	c->mac[i].port = port;
	c->mac[i].seen = now;
	b = hash(mac);
	c->mac[i].next = c->bucket[b];
	c->bucket[b] = i;
	c->count++;
}

/* Remove every entry for which @pred holds; returns how many went. */
static unsigned int sweep(struct sw_core *c, bool (*pred)(const struct sw_core *, const struct sw_mac *,
							 unsigned long), unsigned long arg)
{
	unsigned int n = 0;

	for (int b = 0; b < SW_MACS_MAX; b++) {
		int32_t *link = &c->bucket[b];

		while (*link >= 0) {
			if (pred(c, &c->mac[*link], arg)) {
				unlink_entry(c, link);
				n++;
			} else {
				link = &c->mac[*link].next;
			}
		}
	}
	return n;
}

static bool on_port(const struct sw_core *c, const struct sw_mac *m, unsigned long port)
{
	(void)c;
	return m->port == port;
}

static bool too_old(const struct sw_core *c, const struct sw_mac *m, unsigned long now)
{
	return expired(c, m, (time_t)now);
}

/** sw_core_forget_port - drop every address learned on @port (it detached). Return: how many. */
unsigned int sw_core_forget_port(struct sw_core *c, unsigned int port)
{
	return sweep(c, on_port, port);
}

/** sw_core_expire - drop every address not seen for the ageing time. Return: how many. */
unsigned int sw_core_expire(struct sw_core *c, time_t now)
{
	return sweep(c, too_old, (unsigned long)now);
}

/**
 * sw_core_decide - learn from one frame and say where it goes
 * @c: the core
 * @in_port: the port it came in on
 * @frame: the frame, from its destination address on
 * @len: its length
 * @now: a monotonic clock in seconds
 * @out_port: for SW_UNICAST, the port to send it to
 * Return: the verdict. SW_FLOOD means every attached port except @in_port.
 */
enum sw_verdict sw_core_decide(struct sw_core *c, unsigned int in_port, const uint8_t *frame,
			       size_t len, time_t now, unsigned int *out_port)
{
	int p;

	if (len < SW_ETH_HLEN)
		return SW_DROP_RUNT;
	if (len > SW_FRAME_MAX)
		return SW_DROP_GIANT;
	if (c->hub)
		return SW_FLOOD;
	sw_core_learn(c, frame + 6, in_port, now);
	if (frame[0] & 1)
		return SW_FLOOD;
	p = sw_core_lookup(c, frame, now);
	if (p < 0)
		return SW_FLOOD;
	if ((unsigned int)p == in_port)
		return SW_DROP_LOCAL;
	*out_port = (unsigned int)p;
	return SW_UNICAST;
}

/** sw_core_walk - call @cb for every entry in use (expired ones included until swept). */
void sw_core_walk(const struct sw_core *c, sw_core_walk_cb cb, void *arg)
{
	for (int b = 0; b < SW_MACS_MAX; b++)
		for (int32_t i = c->bucket[b]; i >= 0; i = c->mac[i].next)
			cb(&c->mac[i], arg);
}
