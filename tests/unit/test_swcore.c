/* test_swcore.c - uml_switch's MAC table and forwarding decisions, with a fake clock. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "../../uml_switch/core.h"

static uint8_t frame[SW_FRAME_MAX + 1];

static const uint8_t *mk(uint8_t dst, uint8_t src)
{
	memset(frame, 0, 64);
	frame[0] = 0x02, frame[5] = dst;
	frame[6] = 0x02, frame[11] = src;
	if (dst == 0xff)
		memset(frame, 0xff, 6);
	return frame;
}

static void test_learning(struct sw_core *c)
{
	unsigned int out = 99;

	sw_core_init(c, false, SW_AGEING);
	is_int(sw_core_decide(c, 1, mk(2, 1), 60, 0, &out), SW_FLOOD, "unknown destination floods");
	is_int(sw_core_decide(c, 2, mk(1, 2), 60, 0, &out), SW_UNICAST, "learned destination: unicast");
	is_int(out, 1, "to the port it was learned on");
	is_int(sw_core_decide(c, 1, mk(2, 1), 60, 0, &out), SW_UNICAST, "and back");
	is_int(out, 2, "to port 2");
	is_int(sw_core_decide(c, 1, mk(0xff, 1), 60, 0, &out), SW_FLOOD, "broadcast floods");
	memcpy(frame, "\x01\x00\x5e\x00\x00\x01", 6);
	is_int(sw_core_decide(c, 1, frame, 60, 0, &out), SW_FLOOD, "multicast floods");
	is_int(sw_core_decide(c, 3, mk(1, 3), 60, 0, &out), SW_UNICAST, "third port reaches port 1");
	is_int(sw_core_decide(c, 1, mk(3, 1), 60, 0, &out), SW_UNICAST, "port 1 reaches port 3");
	is_int(out, 3, "port 3");
	/* The reference sends this one back to its own port. */
	is_int(sw_core_decide(c, 3, mk(3, 1), 60, 0, &out), SW_DROP_LOCAL,
	       "destination learned on the ingress port: never sent back");
	is_int(sw_core_lookup(c, (const uint8_t *)"\x02\x00\x00\x00\x00\x01", 0), 3,
	       "a source seen on another port moves");
	ok(c->moves == 1, "the move is counted");
	memset(frame + 6, 0xff, 6);
	sw_core_decide(c, 4, frame, 60, 0, &out);
	is_int(sw_core_lookup(c, frame + 6, 0), -1, "a group source address is never learned");
}

static void test_sizes(struct sw_core *c)
{
	unsigned int out;

	sw_core_init(c, false, SW_AGEING);
	is_int(sw_core_decide(c, 1, mk(2, 1), 13, 0, &out), SW_DROP_RUNT, "13 bytes: runt");
	is_int(sw_core_decide(c, 1, mk(2, 1), 14, 0, &out), SW_FLOOD, "14 bytes: a frame");
	is_int(sw_core_decide(c, 1, mk(2, 1), 1518, 0, &out), SW_FLOOD, "1518 bytes (a VLAN tag) pass");
	is_int(sw_core_decide(c, 1, mk(2, 1), 1519, 0, &out), SW_DROP_GIANT, "1519 bytes: giant");
}

static void test_ageing(struct sw_core *c)
{
	unsigned int out;

	sw_core_init(c, false, 100);
	sw_core_decide(c, 1, mk(2, 1), 60, 1000, &out);
	is_int(sw_core_decide(c, 2, mk(1, 2), 60, 1099, &out), SW_UNICAST, "known at 99 s");
	is_int(sw_core_decide(c, 1, mk(2, 1), 60, 1099 + 100, &out), SW_FLOOD, "port 2's address aged out at 100 s");
	is_int(c->count, 1, "the aged entry was freed");
	sw_core_learn(c, (const uint8_t *)"\x02\x00\x00\x00\x00\x09", 5, 1300);
	is_int(sw_core_expire(c, 1300), 1, "expire sweeps the old one");
	is_int(c->count, 1, "one left");
}

static void test_forget(struct sw_core *c)
{
	uint8_t m[6] = { 2, 0, 0, 0, 0, 0 };
	unsigned int out;

	sw_core_init(c, false, SW_AGEING);
	for (int i = 0; i < 10; i++) {
		m[5] = (uint8_t)i;
		sw_core_learn(c, m, i < 7 ? 4 : 5, 0);
	}
	is_int(sw_core_forget_port(c, 4), 7, "detach forgets every address of the port (the reference forgot one)");
	is_int(c->count, 3, "the other port's stay");
	is_int(sw_core_decide(c, 5, mk(3, 9), 60, 0, &out), SW_FLOOD, "a departed client's address floods");
}

static void test_full(struct sw_core *c)
{
	uint8_t m[6] = { 2, 0, 0, 0, 0, 0 };
	unsigned int out;

	sw_core_init(c, false, SW_AGEING);
	for (uint32_t i = 0; i < SW_MACS_MAX + 10; i++) {
		m[2] = (uint8_t)(i >> 16), m[3] = (uint8_t)(i >> 8), m[4] = (uint8_t)i;
		sw_core_learn(c, m, 1, 0);
	}
	is_int(c->count, SW_MACS_MAX, "the table holds at most SW_MACS_MAX");
	is_int(c->full, 10, "refusals counted");
	sw_core_learn(c, m, 1, SW_AGEING);
	is_int(c->count, 1, "when full, expired entries make room");
	{
		uint8_t f[60] = { 0 };	/* to m, from another address */

		memcpy(f, m, 6);
		f[6] = 2, f[11] = 0x99;
		is_int(sw_core_decide(c, 2, f, sizeof(f), SW_AGEING, &out), SW_UNICAST,
		       "and the new one is learned");
	}
}

static void test_hub(struct sw_core *c)
{
	unsigned int out;

	sw_core_init(c, true, SW_AGEING);
	sw_core_decide(c, 1, mk(2, 1), 60, 0, &out);
	is_int(sw_core_decide(c, 2, mk(1, 2), 60, 0, &out), SW_FLOOD, "hub: everything floods");
	is_int(c->count, 0, "hub: nothing learned");
}

int main(void)
{
	struct sw_core *c = malloc(sizeof(*c));

	if (!c)
		return 1;
	test_learning(c);
	test_sizes(c);
	test_ageing(c);
	test_forget(c);
	test_full(c);
	test_hub(c);
	free(c);
	return done_testing();
}
