/* plan.c - natctl's nftables commands through lib's planner (nftnat_plan.c), with natctl's messages; interfaces checked first. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "link.h"
#include "natctl.h"
#include "nft.h"
#include "nl.h"

static const char *ntop(const struct hn_addr *a, char *buf)
{
	return inet_ntop(a->family, a->u.bytes, buf, INET6_ADDRSTRLEN) ? buf : "?";
}

/* "tcp 8080", "udp 5000-5010" */
static const char *ports_text(const struct hn_nftnat_item *it, char *buf, size_t n)
{
	char ports[16];

	snprintf(buf, n, "%s %s", it->proto == IPPROTO_TCP ? "tcp" : "udp",
		 hn_nftnat_ports_text(it->port_lo, it->port_hi, ports));
	return buf;
}

/* A duplicate or an overlap, named by the existing item. */
static void report_dup(const struct op *op, const struct hn_nftnat_item *old)
{
	static const char *const done[] = { [HN_NFTNAT_MASQ] = "masqueraded",
		[HN_NFTNAT_SNAT] = "SNATed", [HN_NFTNAT_HAIRPIN] = "hairpinned" };
	const struct hn_nftnat_item *it = &op->item;
	char a[INET6_ADDRSTRLEN], p[64], q[64];

	if (old->kind == HN_NFTNAT_DNAT) {
		op_err(op, "forward add: %s: already forwarded (%s to %s)",
		       ports_text(it, p, sizeof(p)), ports_text(old, q, sizeof(q)),
		       ntop(&old->to, a));
		return;
	}
	hn_nftnat_prefix_text(&it->src, p);
	if (hn_nftnat_same_key(it, old))
		op_err(op, "%s add: %s: already %s", op->cmd->obj, p, done[old->kind]);
	else
		op_err(op, "%s add: %s: overlaps %s %s", op->cmd->obj, p,
		       hn_nftnat_kind_name(old->kind), hn_nftnat_prefix_text(&old->src, q));
}

/**
 * nat_plan - add @op's nftables change to @b with lib's planner, checked
 * against @st: the tables as read, as the earlier commands of the batch
 * leave them
 *
 * Return: 0, or -errno after printing why.
 */
int nat_plan(struct hn_nftnat_state *st, struct op *op, struct hn_nft_batch *b)
{
	const struct hn_nftnat_item *old = NULL;
	bool made;
	int rc;

	if (!op->cmd->verb)
		rc = hn_nftnat_plan_flush(st, b);
	else if (op->cmd->del)
		rc = hn_nftnat_plan_del(st, b, &op->item);
	else
		rc = hn_nftnat_plan_add(st, b, &op->item, &old, &made);
	if (rc == -EEXIST && old)
		report_dup(op, old);
	else if (rc == -ENOENT)
		op_err(op, "%s del: no such %s", op->cmd->obj, hn_nftnat_kind_name(op->item.kind));
	else if (rc)
		op_err(op, "%s %s: %s", op->cmd->obj, op->cmd->verb ? op->cmd->verb : "",
		       strerror(-rc));
	return rc;
}

/* Names already found to exist, so a batch of 4000 forwards "in eth0" asks once. */
struct seen {
	char names[16][IFNAMSIZ];
	size_t n;
};

static int check_dev(struct run *r, const struct op *op, const char *dev, struct seen *seen)
{
	int ifindex, rc;

	if (!dev[0])
		return 0;
	for (size_t i = 0; i < seen->n; i++)
		if (!strcmp(seen->names[i], dev))
			return 0;
	rc = hn_link_index(r->ctx, dev, &ifindex);
	if (rc == -ENODEV)
		op_err(op, "%s: unknown interface", dev);
	else if (rc)
		op_fail(op, r->ctx, rc);
	else if (seen->n < sizeof(seen->names) / sizeof(seen->names[0]))
		strcpy(seen->names[seen->n++], dev);
	return rc;
}

/**
 * nat_check_devs - every interface the commands name must exist, before
 * anything is changed (an interface vanishing later still fails its command)
 *
 * Return: EXIT_OK or EXIT_FAIL after printing which one is missing.
 */
int nat_check_devs(struct run *r, struct op *ops, size_t n)
{
	struct seen seen = { .n = 0 };
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		if (ops[i].cmd->del)
			continue;
		rc = check_dev(r, &ops[i], ops[i].dev, &seen);
		if (!rc)
			rc = check_dev(r, &ops[i], ops[i].item.iif, &seen);
		if (!rc)
			rc = check_dev(r, &ops[i], ops[i].item.oif, &seen);
	}
	return rc ? EXIT_FAIL : EXIT_OK;
}
