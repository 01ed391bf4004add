/* fuzz_evaluate.c - libFuzzer target for um_evaluate(): varied callers, requests and addresses against a fuzzed policy. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <string.h>

#include "../../uml_net/act.h"
#include "../../uml_net/args.h"

/*
 * The first 24 bytes choose the request and the caller; the rest is the
 * policy text. um_evaluate() must never crash, must always leave a
 * NUL-terminated answer, and must never grant a special address.
 */
struct head {
	uint8_t op, masklen, has_gate, ngroups;
	uint8_t uid[2], gid[2];
	uint8_t gate[4], addr[4];
	uint8_t groups[4][2];
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t u16(const uint8_t b[2])
{
	/* Small ids, with the ones the stub tables and policies name often. */
	static const uint32_t common[] = { 0, 100, 1000, 65534 };
	uint32_t v = (uint32_t)b[0] << 8 | b[1];

	return v < 0x100 ? common[v & 3] : v;
}

static void fill(struct um_run *r, const struct head *h, gid_t *groups)
{
	static const enum um_op ops[] = { UM_UP, UM_ADD, UM_DEL, UM_SLIP_UP, UM_SLIP_DOWN, UM_NONE };

	r->req.op = ops[h->op % (sizeof(ops) / sizeof(ops[0]))];
	r->req.has_gate = h->has_gate & 1;
	memcpy(&r->req.gate, h->gate, 4);
	memcpy(&r->req.addr, h->addr, 4);
	r->req.masklen = h->masklen % 33;
	r->req.mask.s_addr = r->req.masklen ? htonl(~0u << (32 - r->req.masklen)) : 0;
	snprintf(r->req.dev, sizeof(r->req.dev), "tap%u", h->op >> 4);
	snprintf(r->req.line, sizeof(r->req.line), "4 fuzz %u", h->op);
	r->who.uid = u16(h->uid);
	r->who.gid = u16(h->gid);
	for (size_t i = 0; i < 4; i++)
		groups[i] = u16(h->groups[i]);
	r->who.groups = groups;
	r->who.ngroups = h->ngroups % 5;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct um_run r;
	struct head h;
	gid_t groups[4];
	bool ok;

	if (size < sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	memset(&r, 0, sizeof(r));
	r.lock_fd = r.tap_fd = r.clone_fd = -1;
	fill(&r, &h, groups);
	policy_init(&r.pol, "fuzz.conf");
	if (policy_parse(&r.pol, (const char *)data + sizeof(h), size - sizeof(h), NULL, NULL) > 0) {
		policy_free(&r.pol);
		policy_init(&r.pol, "fuzz.conf");
		snprintf(r.policy_bad, sizeof(r.policy_bad), "fuzz.conf: syntax error");
	}
	ok = um_evaluate(&r, true);
	if (r.len >= sizeof(r.text) || r.text[r.len] != '\0' || strlen(r.text) != r.len)
		__builtin_trap();
	/* Loopback, multicast and 0.0.0.0/8 are never granted as a route or a gate. */
	if (ok && r.req.op == UM_ADD && !r.pol.n)
		__builtin_trap();	/* an empty policy grants no route */
	if (ok && (r.req.op == UM_ADD || r.req.op == UM_SLIP_UP || r.req.op == UM_UP)) {
		uint32_t a = ntohl(r.req.op == UM_ADD ? r.req.addr.s_addr : r.req.gate.s_addr);
		bool bridged = r.req.op != UM_SLIP_UP && strstr(r.text, "bridge mode");

		if (!bridged && (a >> 24 == 127 || a >> 24 == 0 || a >> 28 >= 14) &&
		    (r.req.op != UM_UP || r.req.has_gate))
			__builtin_trap();
	}
	policy_free(&r.pol);
	return 0;
}
