/* show.c - brctl's show, showmacs and showstp, byte for byte, and the same data as JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "brctl.h"
#include "log.h"
#include "nl.h"
#include "out.h"

/* Port state names as brctl prints them, right-aligned in 15 columns. */
/* bridge-utils' words for a name that is no bridge (control bytes escaped). */
static void not_a_bridge(bool exists, const char *name)
{
	char safe[4 * 256];

	hn_log_escape(safe, sizeof(safe), name);
	fprintf(stderr, exists ? "device %s is not a bridge!\n" : "bridge %s does not exist!\n",
		safe);
}

static const char *const port_states[] = {
	[0] = "disabled",
	[1] = "listening",
	[2] = "learning",
	[3] = "forwarding",
	[4] = "blocking",
};

static const char *state_name(unsigned int s)
{
	if (s >= sizeof(port_states) / sizeof(port_states[0]) || !port_states[s])
		return "<INVALID STATE>";
	return port_states[s];
}

/* "8000.02000000000a": priority, dot, MAC without separators. */
static const char *id_text(char buf[18], const struct hn_bridge_id *id)
{
	const uint8_t *a = id->addr;

	snprintf(buf, 18, "%.2x%.2x.%.2x%.2x%.2x%.2x%.2x%.2x", id->prio[0], id->prio[1],
		 a[0], a[1], a[2], a[3], a[4], a[5]);
	return buf;
}

static void out_id(struct hn_out *o, const char *key, const char *fmt, const struct hn_bridge_id *id)
{
	char buf[18];

	hn_out_str(o, key, fmt, id_text(buf, id));
}

/* A time: "%4i.%.2i" seconds in text, centiseconds in JSON (none when @key is NULL). */
static void out_timer(struct hn_out *o, const char *key, unsigned long long cs)
{
	if (key)
		hn_out_uint(o, key, NULL, cs);
	hn_out_text(o, "%4llu.%.2llu", cs / 100, cs % 100);
}

/*
 * "<label><value>\t\t\t<bridge label><value>": brctl reads each pair from
 * one sysfs file, so both columns are the bridge's value (JSON: @key once).
 */
static void out_timer_pair(struct hn_out *o, const char *label, const char *key,
			   const char *bridge_label, unsigned long long cs)
{
	hn_out_text(o, "%s", label);
	out_timer(o, key, cs);
	hn_out_text(o, "\t\t\t%s", bridge_label);
	out_timer(o, NULL, cs);
}

/* A dump failure is ours: "brctl: link dump: why". */
static int load(struct hn_ctx *ctx, struct hn_bridge_dump *d)
{
	int rc = hn_bridge_dump_get(ctx, d);

	if (rc)
		hn_log_ctx(ctx, rc);
	return rc;
}

/* ---- show ---- */

static void show_one(struct hn_out *o, const struct hn_bridge_dump *d,
		     const struct hn_bridge_link *br, bool *header)
{
	int nports = 0;

	if (!*header)
		hn_out_text(o, "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n");
	*header = true;
	hn_out_open(o, NULL, '{');
	hn_out_str(o, "bridge", "%s\t\t", br->name);
	out_id(o, "bridge_id", "%s\t", &br->br.id);
	hn_out_bool(o, "stp", NULL, br->br.stp_state != 0);
	hn_out_text(o, "%s\t\t", br->br.stp_state ? "yes" : "no");
	hn_out_bool(o, "vlan_filtering", NULL, br->br.vlan_filtering != 0);
	hn_out_open(o, "interfaces", '[');
	for (size_t i = 0; i < d->n; i++) {
		const struct hn_bridge_link *p = &d->links[i];

		if (!p->is_port || p->master != br->ifindex)
			continue;
		hn_out_text(o, "%s", nports++ ? "\t\t\t\t\t\t\t" : "");
		hn_out_str(o, NULL, "%s\n", p->name);
	}
	hn_out_close(o, '[');
	hn_out_close(o, '{');
	if (!nports)
		hn_out_text(o, "\n");
}

/* Named bridges in the order given; a bad name is reported and skipped. */
static int show_named(struct hn_out *o, const struct hn_bridge_dump *d, int argc, char **argv,
		      bool *header)
{
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		const struct hn_bridge_link *br = hn_bridge_dump_find(d, argv[i]);

		if (!br || !br->is_bridge) {
			fflush(o->f);
			not_a_bridge(br != NULL, argv[i]);
			rc = 1;
			continue;
		}
		show_one(o, d, br, header);
	}
	return rc;
}

/**
 * show_bridges - brctl show [<bridge>...]: every bridge in name order, or
 * the named ones; nothing at all when there is no bridge.
 *
 * Return: the exit status, 0 or 1.
 */
int show_bridges(struct hn_ctx *ctx, bool json, int argc, char **argv)
{
	struct hn_bridge_dump d;
	struct hn_out o;
	bool header = false;
	int rc = 0;

	if (load(ctx, &d))
		return 1;
	hn_out_init(&o, stdout, json);
	hn_out_open(&o, NULL, '[');
	if (argc)
		rc = show_named(&o, &d, argc, argv, &header);
	for (size_t i = 0; !argc && i < d.n; i++) {
		if (d.links[i].is_bridge)
			show_one(&o, &d, &d.links[i], &header);
	}
	hn_out_close(&o, '[');
	hn_out_end(&o);
	hn_bridge_dump_free(&d);
	return rc;
}

/* ---- showmacs ---- */

static void mac_one(struct hn_out *o, const struct hn_bridge_fdb *e)
{
	char mac[18];

	snprintf(mac, sizeof(mac), "%.2x:%.2x:%.2x:%.2x:%.2x:%.2x",
		 e->mac[0], e->mac[1], e->mac[2], e->mac[3], e->mac[4], e->mac[5]);
	hn_out_open(o, NULL, '{');
	hn_out_uint(o, "port_no", NULL, e->port_no);
	/* brforward has an 8-bit port field, which is all brctl prints. */
	hn_out_text(o, "%3u\t", e->port_no & 0xffu);
	hn_out_str(o, "mac", "%s\t", mac);
	if (e->vlan)
		hn_out_uint(o, "vlan", NULL, e->vlan);
	hn_out_bool(o, "is_local", NULL, e->is_local);
	hn_out_text(o, "%s\t\t", e->is_local ? "yes" : "no");
	out_timer(o, "ageing_timer", e->ageing_timer);
	hn_out_text(o, "\n");
	hn_out_close(o, '{');
}

/**
 * show_macs - brctl showmacs <bridge>: the forwarding database sorted by MAC.
 *
 * Return: the exit status, 0 or 1.
 */
int show_macs(struct hn_ctx *ctx, bool json, const char *name)
{
	struct hn_bridge_dump d;
	struct hn_bridge_link *br;
	struct hn_bridge_fdb *fdb = NULL;
	struct hn_out o;
	size_t n = 0;
	int rc;

	if (load(ctx, &d))
		return 1;
	br = hn_bridge_dump_find(&d, name);
	rc = br ? hn_bridge_fdb_get(ctx, &d, br, &fdb, &n) : -ENODEV;
	hn_bridge_dump_free(&d);
	if (rc) {
		fprintf(stderr, "read of forward table failed: %s\n", strerror(-rc));
		return 1;
	}
	hn_out_init(&o, stdout, json);
	hn_out_text(&o, "port no\tmac addr\t\tis local?\tageing timer\n");
	hn_out_open(&o, NULL, '[');
	for (size_t i = 0; i < n; i++)
		mac_one(&o, &fdb[i]);
	hn_out_close(&o, '[');
	hn_out_end(&o);
	free(fdb);
	return 0;
}

/* ---- showstp ---- */

static void stp_bridge(struct hn_out *o, const struct hn_bridge_link *br)
{
	const struct hn_bridge_state *s = &br->br;

	hn_out_str(o, "bridge", "%s\n", br->name);
	out_id(o, "bridge_id", " bridge id\t\t%s\n", &s->id);
	out_id(o, "designated_root", " designated root\t%s\n", &s->root);
	hn_out_uint(o, "root_port", " root port\t\t%4llu\t\t\t", s->root_port);
	hn_out_uint(o, "path_cost", "path cost\t\t%4llu\n", s->root_path_cost);
	out_timer_pair(o, " max age\t\t", "max_age", "bridge max age\t\t", s->max_age);
	out_timer_pair(o, "\n hello time\t\t", "hello_time", "bridge hello time\t", s->hello_time);
	out_timer_pair(o, "\n forward delay\t\t", "forward_delay", "bridge forward delay\t",
		       s->forward_delay);
	hn_out_text(o, "\n ageing time\t\t");
	out_timer(o, "ageing_time", s->ageing_time);
	hn_out_text(o, "\n hello timer\t\t");
	out_timer(o, "hello_timer", s->hello_timer);
	hn_out_text(o, "\t\t\ttcn timer\t\t");
	out_timer(o, "tcn_timer", s->tcn_timer);
	hn_out_text(o, "\n topology change timer\t");
	out_timer(o, "topology_change_timer", s->topology_change_timer);
	hn_out_text(o, "\t\t\tgc timer\t\t");
	out_timer(o, "gc_timer", s->gc_timer);
	hn_out_text(o, "\n");
}

static void stp_bridge_flags(struct hn_out *o, const struct hn_bridge_link *br)
{
	hn_out_bool(o, "topology_change", NULL, br->br.topology_change);
	hn_out_bool(o, "topology_change_detected", NULL, br->br.topology_change_detected);
	hn_out_uint(o, "stp_state", NULL, br->br.stp_state);
	hn_out_bool(o, "vlan_filtering", NULL, br->br.vlan_filtering != 0);
	hn_out_text(o, " flags\t\t\t%s%s\n\n\n",
		    br->br.topology_change ? "TOPOLOGY_CHANGE " : "",
		    br->br.topology_change_detected ? "TOPOLOGY_CHANGE_DETECTED " : "");
}

static void stp_port(struct hn_out *o, const struct hn_bridge_link *p)
{
	const struct hn_bridge_port_state *s = &p->port;

	hn_out_open(o, NULL, '{');
	hn_out_str(o, "port", "%s ", p->name);
	hn_out_uint(o, "port_no", "(%llu)\n", s->port_no);
	hn_out_uint(o, "port_id", " port id\t\t%.4llx\t\t\t", s->port_id);
	hn_out_str(o, "state", "state\t\t%15s\n", state_name(s->state));
	out_id(o, "designated_root", " designated root\t%s\t", &s->designated_root);
	hn_out_uint(o, "path_cost", "path cost\t\t%4llu\n", s->cost);
	out_id(o, "designated_bridge", " designated bridge\t%s\t", &s->designated_bridge);
	hn_out_text(o, "message age timer\t");
	out_timer(o, "message_age_timer", s->message_age_timer);
	hn_out_uint(o, "designated_port", "\n designated port\t%.4llx\t\t\t", s->designated_port);
	hn_out_text(o, "forward delay timer\t");
	out_timer(o, "forward_delay_timer", s->forward_delay_timer);
	hn_out_uint(o, "designated_cost", "\n designated cost\t%4llu\t\t\t", s->designated_cost);
	hn_out_text(o, "hold timer\t\t");
	out_timer(o, "hold_timer", s->hold_timer);
	hn_out_bool(o, "config_pending", NULL, s->config_pending);
	hn_out_bool(o, "topology_change_ack", NULL, s->topology_change_ack);
	hn_out_bool(o, "hairpin", NULL, s->hairpin);
	hn_out_text(o, "\n flags\t\t\t%s%s\n", s->config_pending ? "CONFIG_PENDING " : "",
		    s->topology_change_ack ? "TOPOLOGY_CHANGE_ACK " : "");
	if (s->hairpin)
		hn_out_text(o, " hairpin mode\t\t%4d\n", 1);
	hn_out_text(o, "\n");
	hn_out_close(o, '{');
}

/**
 * show_stp - brctl showstp <bridge>: the bridge's STP state, then each port
 * in name order.
 *
 * Return: the exit status, 0 or 1.
 */
int show_stp(struct hn_ctx *ctx, bool json, const char *name)
{
	struct hn_bridge_dump d;
	const struct hn_bridge_link *br;
	struct hn_out o;

	if (load(ctx, &d))
		return 1;
	br = hn_bridge_dump_find(&d, name);
	if (!br || !br->is_bridge) {
		not_a_bridge(br != NULL, name);
		hn_bridge_dump_free(&d);
		return 1;
	}
	hn_out_init(&o, stdout, json);
	hn_out_open(&o, NULL, '{');
	stp_bridge(&o, br);
	stp_bridge_flags(&o, br);
	hn_out_open(&o, "ports", '[');
	for (size_t i = 0; i < d.n; i++) {
		if (d.links[i].is_port && d.links[i].master == br->ifindex)
			stp_port(&o, &d.links[i]);
	}
	hn_out_close(&o, '[');
	hn_out_close(&o, '{');
	hn_out_end(&o);
	hn_bridge_dump_free(&d);
	return 0;
}
