/* show.c - one line of text per planned change: "create ...", "modify ...: old -> new". */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "plan.h"
#include "show.h"

#define ARROW " -> "


/* Append printf output to buf at *k, never past len. */
static void __attribute__((format(printf, 4, 5)))
cat(char *buf, size_t len, size_t *k, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*k >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *k, len - *k, fmt, ap);
	va_end(ap);
	if (n > 0)
		*k += (size_t)n;
}

static void link_text(const struct act *a, char *buf, size_t len, size_t *k)
{
	const struct hn_link_change *c = &a->chg, *o = &a->old;
	const char *sep = ": ";

	if (c->set & HN_LINK_SET_UP)
		cat(buf, len, k, "%sup", sep), sep = ", ";
	if ((c->set & HN_LINK_SET_MTU) && !a->create)
		cat(buf, len, k, "%smtu %u" ARROW "%u", sep, o->mtu, c->mtu), sep = ", ";
	else if (c->set & HN_LINK_SET_MTU)
		cat(buf, len, k, "%smtu %u", sep, c->mtu), sep = ", ";
	if ((c->set & HN_LINK_SET_MASTER) && a->create)
		cat(buf, len, k, "%smaster %s", sep, a->master), sep = ", ";
	else if (c->set & HN_LINK_SET_MASTER)
		cat(buf, len, k, "%smaster %s" ARROW "%s", sep,
		    a->oldmaster[0] ? a->oldmaster : "-", a->master[0] ? a->master : "-"), sep = ", ";
	if ((c->set & HN_LINK_SET_GROUP) && a->create)
		cat(buf, len, k, "%sgroup %u", sep, c->group);
	else if (c->set & HN_LINK_SET_GROUP)
		cat(buf, len, k, "%sgroup %u" ARROW "%u", sep, o->group, c->group);
}

static const char *onoff(unsigned int v)
{
	return v ? "on" : "off";
}

static void br_text(const struct act *a, char *buf, size_t len, size_t *k)
{
	static const struct { unsigned int flag; const char *name; size_t off; } f[] = {
#define F(fl, n, m) { fl, n, offsetof(struct hn_bridge_attrs, m) }
		F(HN_BRIDGE_SET_FORWARD_DELAY, "setfd", forward_delay),
		F(HN_BRIDGE_SET_HELLO_TIME, "sethello", hello_time),
		F(HN_BRIDGE_SET_MAX_AGE, "setmaxage", max_age),
		F(HN_BRIDGE_SET_AGEING_TIME, "setageing", ageing_time),
#undef F
	};
	const char *sep = ": ";

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		uint32_t nv, ov;

		if (!(a->br.set & f[i].flag))
			continue;
		memcpy(&nv, (const char *)&a->br + f[i].off, 4);
		memcpy(&ov, (const char *)&a->brold + f[i].off, 4);
		if (a->create)
			cat(buf, len, k, "%s%s %u.%02u", sep, f[i].name, nv / 100, nv % 100);
		else
			cat(buf, len, k, "%s%s %u.%02u" ARROW "%u.%02u", sep, f[i].name,
			    ov / 100, ov % 100, nv / 100, nv % 100);
		sep = ", ";
	}
	if (a->br.set & HN_BRIDGE_SET_STP_STATE)
		cat(buf, len, k, "%sstp %s%s%s", sep, a->create ? "" : onoff(a->brold.stp_state),
		    a->create ? "" : ARROW, onoff(a->br.stp_state)), sep = ", ";
	if ((a->br.set & HN_BRIDGE_SET_PRIORITY) && a->create)
		cat(buf, len, k, "%ssetbridgeprio %u", sep, a->br.priority), sep = ", ";
	else if (a->br.set & HN_BRIDGE_SET_PRIORITY)
		cat(buf, len, k, "%ssetbridgeprio %u" ARROW "%u", sep, a->brold.priority,
		    a->br.priority), sep = ", ";
	if (a->br.set & HN_BRIDGE_SET_VLAN_FILTERING)
		cat(buf, len, k, "%svlan_filtering %s%s%s", sep,
		    a->create ? "" : onoff(a->brold.vlan_filtering), a->create ? "" : ARROW,
		    onoff(a->br.vlan_filtering));
}

static void tap_text(const struct act *a, char *buf, size_t len, size_t *k)
{
	const struct conf_tap *t = a->tap;
	const char *sep = " (";

	if (t->has_user)
		cat(buf, len, k, "%suser %u", sep, (unsigned int)t->user), sep = ", ";
	if (t->has_group)
		cat(buf, len, k, "%sgroup %u", sep, (unsigned int)t->group), sep = ", ";
	if (t->multi_queue)
		cat(buf, len, k, "%smulti_queue", sep), sep = ", ";
	if (t->vnet_hdr)
		cat(buf, len, k, "%svnet_hdr", sep), sep = ", ";
	if (strcmp(sep, " ("))
		cat(buf, len, k, ")");
}

static void owner_text(const struct act *a, char *buf, size_t len, size_t *k)
{
	const struct conf_tap *t = a->tap;

	if (t->has_user)
		cat(buf, len, k, ": user %d" ARROW "%u", (int)a->oldgid, (unsigned int)t->user);
	if (t->has_group)
		cat(buf, len, k, "%sgroup %d" ARROW "%u", t->has_user ? ", " : ": ",
		    (int)a->oldmode, (unsigned int)t->group);
}

static const char *const what[ACT_KIND_MAX] = {
	[ACT_TUN] = "tun device", [ACT_FORWARD] = "sysctl", [ACT_BRIDGE_ADD] = "bridge",
	[ACT_BRIDGE_SET] = "bridge", [ACT_TAP_ADD] = "tap", [ACT_TAP_OWNER] = "tap",
	[ACT_LINK_SET] = "link", [ACT_PORT] = "link", [ACT_PROXY_ARP] = "sysctl",
	[ACT_ADDR] = "address", [ACT_ROUTE] = "route", [ACT_NEIGH] = "proxy",
	[ACT_TAKEOVER] = "addresses and routes",
	[ACT_NAT] = "nat", [ACT_VXLAN_ADD] = "vxlan", [ACT_FDB] = "fdb", [ACT_FDB_DEL] = "fdb",
};

/* " vx0 (id 42, dev eth0, local 10.0.0.1, port 4789, learning on)" */
static void vxlan_text(const struct act *a, char *buf, size_t len, size_t *k)
{
	char ipbuf[INET6_ADDRSTRLEN];

	cat(buf, len, k, " %s (id %u, dev %s", a->dev, a->vx.id, a->name);
	if (a->vx.local.family)
		cat(buf, len, k, ", local %s", hn_addr_str(&a->vx.local, ipbuf));
	if (a->vx.group.family)
		cat(buf, len, k, ", group %s", hn_addr_str(&a->vx.group, ipbuf));
	cat(buf, len, k, ", port %u", a->vx.port);
	if (a->vx.has_ttl)
		cat(buf, len, k, ", ttl %u", a->vx.ttl);
	cat(buf, len, k, ", learning %s)", onoff(a->vx.learning));
}

/** act_text - @a as one line of plan output (no newline), in @buf. */
const char *act_text(const struct act *a, char *buf, size_t len)
{
	bool set = a->create && (a->kind == ACT_LINK_SET || a->kind == ACT_BRIDGE_SET ||
				 a->kind == ACT_PROXY_ARP);
	char ipbuf[INET6_ADDRSTRLEN];
	size_t k = 0;

	cat(buf, len, &k, "%s %s", set ? "set" : a->kind == ACT_TAKEOVER ? "move" :
	    a->kind == ACT_FDB_DEL ? "remove" :
	    a->create ? "create" : "modify", what[a->kind]);
	switch (a->kind) {
	case ACT_TUN:
		cat(buf, len, &k, " %s", a->name);
		if (a->set_gid)
			cat(buf, len, &k, ": group %u" ARROW "%u", a->oldgid, a->gid);
		if (a->set_mode)
			cat(buf, len, &k, "%smode %04o" ARROW "%04o", a->set_gid ? ", " : ": ",
			    a->oldmode, a->mode);
		break;
	case ACT_FORWARD: case ACT_PROXY_ARP:
		cat(buf, len, &k, " %s: %s" ARROW "%s", a->name, a->oldval, a->newval); break;
	case ACT_BRIDGE_ADD: cat(buf, len, &k, " %s", a->dev); break;
	case ACT_BRIDGE_SET: cat(buf, len, &k, " %s", a->dev); br_text(a, buf, len, &k); break;
	case ACT_TAP_ADD: cat(buf, len, &k, " %s", a->dev); tap_text(a, buf, len, &k); break;
	case ACT_TAP_OWNER: cat(buf, len, &k, " %s", a->dev); owner_text(a, buf, len, &k); break;
	case ACT_LINK_SET: case ACT_PORT:
		cat(buf, len, &k, " %s", a->dev); link_text(a, buf, len, &k); break;
	case ACT_ADDR:
		cat(buf, len, &k, " %s/%u on %s", hn_addr_str(&a->p.addr, ipbuf), a->p.len, a->dev); break;
	case ACT_ROUTE: cat(buf, len, &k, " %s dev %s", hn_addr_str(&a->p.addr, ipbuf), a->dev); break;
	case ACT_NEIGH: cat(buf, len, &k, " %s on %s", hn_addr_str(&a->p.addr, ipbuf), a->dev); break;
	case ACT_NAT: cat(buf, len, &k, " %s", a->name); break;
	case ACT_TAKEOVER: cat(buf, len, &k, " of %s to %s: %s", a->dev, a->master, a->name); break;
	case ACT_VXLAN_ADD: vxlan_text(a, buf, len, &k); break;
	case ACT_FDB: case ACT_FDB_DEL:
		cat(buf, len, &k, " %s 00:00:00:00:00:00 dst %s", a->dev, hn_addr_str(&a->p.addr, ipbuf));
		break;
	default: break;
	}
	return buf;
}
