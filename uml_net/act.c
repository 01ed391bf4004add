/* act.c - every host change uml_net makes, each behind the policy and the host-state checks. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>	/* LOG_* levels only: lib/log.c writes */
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/tty.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "act.h"
#include "args.h"
#include "lan.h"
#include "lock.h"
#include "addr.h"
#include "link.h"
#include "log.h"
#include "neigh.h"
#include "route.h"
#include "sysctl.h"
#include "tun.h"

#define PROG		"uml_net"
#define RTPROT_UML_NET	117	/* marks our host routes: del removes only these */

static const char *ntoa(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static struct hn_addr v4(struct in_addr a)
{
	struct hn_addr x = { .family = AF_INET };

	x.u.v4 = a;
	return x;
}

/**
 * um_audit - log a grant or a refusal to syslog (authpriv) with the uid,
 * the request and the reason; bytes outside printable ASCII are escaped
 * (hn_log_escape), since the reason can quote argv or device names
 *
 * Return: 0, or -errno when the line could not be written.
 */
int um_audit(const struct um_run *r, bool granted, const char *why)
{
	char line[UM_TEXT_MAX], safe[4 * UM_TEXT_MAX];

	snprintf(line, sizeof(line), "uid %u: %s: %s: %s", (unsigned int)r->who.uid,
		 r->req.line, granted ? "granted" : "refused", why);
	hn_log_escape(safe, sizeof(safe), line);
	return hn_log_syslog(LOG_AUTHPRIV | (granted ? LOG_INFO : LOG_WARNING), safe);
}

/* A grant stands only once its audit line is written; else the caller undoes it. */
static int audit_grant(struct um_run *r, const char *why)
{
	int rc = um_audit(r, true, why);

	if (rc < 0)
		um_say(r, PROG ": syslog: %s; undone, nothing is granted without an audit line",
		       strerror(-rc));
	return rc;
}

static int refuse(struct um_run *r, int status, const char *why)
{
	um_say(r, PROG ": %s: not permitted: %s", r->req.line, why);
	um_audit(r, false, why);
	return status;
}

/* Report a failed library call; the answer carries "what: why". */
static int failed(struct um_run *r, int rc)
{
	um_say(r, PROG ": %s: %s%s%s%s", r->ctx.err[0] ? r->ctx.err : "error", strerror(-rc),
	       r->ctx.ext[0] ? " (" : "", r->ctx.ext, r->ctx.ext[0] ? ")" : "");
	um_audit(r, false, r->ctx.err[0] ? r->ctx.err : strerror(-rc));
	return -1;
}

/* ---- the policy's verdict (also all that --check shows) ------------------ */

static const struct {
	uint32_t net;
	unsigned int len;
	const char *what;
} specials[] = {
	{ 0x00000000u, 8, "an unspecified (0.0.0.0/8) address" },
	{ 0x7f000000u, 8, "a loopback address" },
	{ 0xe0000000u, 4, "a multicast address" },
	{ 0xf0000000u, 4, "a reserved or broadcast address" },
};

/* Addresses no guest or gate may have; with a mask, also its network/broadcast. */
static const char *special(struct in_addr a, unsigned int masklen)
{
	uint32_t h = ntohl(a.s_addr), host;

	for (size_t i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		if ((h >> (32 - specials[i].len)) == (specials[i].net >> (32 - specials[i].len)))
			return specials[i].what;
	if (masklen == 0 || masklen > 30)	/* /31 and /32 have no such addresses */
		return NULL;
	host = ~0u >> masklen;
	if ((h & host) == 0)
		return "the network address of its subnet";
	if ((h & host) == host)
		return "the broadcast address of its subnet";
	return NULL;
}

static bool eval_gate(struct um_run *r, char *why, size_t n)
{
	char a[INET_ADDRSTRLEN];
	const char *s;

	if (!r->req.has_gate)
		return snprintf(why, n, "no gate address given, and no bridge rule applies"), false;
	s = special(r->req.gate, 0);
	if (s)
		return snprintf(why, n, "gate %s is %s", ntoa(r->req.gate, a), s), false;
	if (!policy_gate(&r->pol, &r->who, r->req.gate, why, n))
		return false;
	if (r->req.op == UM_UP && !policy_max_taps(&r->pol, &r->who))
		return snprintf(why, n, "no taps allowed"), false;
	return true;
}

static bool eval_up(struct um_run *r, char *why, size_t n)
{
	char br[IFNAMSIZ];

	if (policy_bridge(&r->pol, &r->who, br)) {
		if (!policy_max_taps(&r->pol, &r->who))
			return snprintf(why, n, "no taps allowed"), false;
		return snprintf(why, n, "bridge mode: the tap joins %s", br), true;
	}
	return eval_gate(r, why, n);
}

/* QEMU's helper: the bridge it names, by the same bridge rules and tap limit. */
static bool eval_bridge(struct um_run *r, char *why, size_t n)
{
	if (!policy_bridge_allowed(&r->pol, &r->who, r->req.dev, why, n))
		return false;
	if (!policy_max_taps(&r->pol, &r->who))
		return snprintf(why, n, "no taps allowed"), false;
	return true;
}

static bool eval_change(struct um_run *r, char *why, size_t n)
{
	char a[INET_ADDRSTRLEN], br[IFNAMSIZ];
	const char *s;

	if (policy_bridge(&r->pol, &r->who, br))
		return snprintf(why, n, "bridge mode: nothing to route"), true;
	if (r->req.op == UM_DEL)
		return snprintf(why, n, "del removes only uml_net's own entries for your tap"), true;
	s = special(r->req.addr, r->req.masklen);
	if (s)
		return snprintf(why, n, "%s is %s", ntoa(r->req.addr, a), s), false;
	return policy_route(&r->pol, &r->who, r->req.addr, why, n);
}

/* The line on fd 0 is the caller's; the policy must still allow them slip at all. */
static bool eval_slip_down(struct um_run *r, char *why, size_t n)
{
	if (r->policy_bad[0] || !policy_max_taps(&r->pol, &r->who))
		return snprintf(why, n, "no slip lines allowed"), false;
	return snprintf(why, n, "the line on fd 0 is yours"), true;
}

/**
 * um_evaluate - what the policy says about the parsed request, without
 * looking at the host
 * @verbose: also put the verdict into the answer when it is a grant
 *
 * A refusal is always put into the answer and logged.
 *
 * Return: true when the policy permits the request.
 */
bool um_evaluate(struct um_run *r, bool verbose)
{
	char why[POLICY_WHY_MAX + 64];
	bool ok;

	switch (r->req.op) {
	case UM_UP:		ok = eval_up(r, why, sizeof(why)); break;
	case UM_ADD:
	case UM_DEL:		ok = eval_change(r, why, sizeof(why)); break;
	case UM_SLIP_UP:	ok = eval_gate(r, why, sizeof(why)); break;
	case UM_SLIP_DOWN:	ok = eval_slip_down(r, why, sizeof(why)); break;
	case UM_BRIDGE:		ok = eval_bridge(r, why, sizeof(why)); break;
	default:		ok = false; snprintf(why, sizeof(why), "unknown request"); break;
	}
	if (!ok && r->policy_bad[0])
		snprintf(why, sizeof(why), "%s", r->policy_bad);
	if (!ok)
		return refuse(r, 1, why), false;
	if (verbose)
		um_say(r, PROG ": %s: permitted: %s", r->req.line, why);
	return true;
}

/* ---- tuntap up ------------------------------------------------------------ */

/*
 * Every tap uml_net makes carries the alias "uml_net uid=N": only
 * CAP_NET_ADMIN can change an alias, so the fd holder cannot forge or move
 * it (it can TUNSETPERSIST and TUNSETOWNER the tap). Taps are counted and
 * owned by this mark, never by the tun owner.
 */
#define MARK_FMT	"uml_net uid=%u"

static bool marked(const char *alias, unsigned int *uid)
{
	char again[HN_LINK_ALIAS_MAX];

	if (sscanf(alias, MARK_FMT, uid) != 1)
		return false;
	snprintf(again, sizeof(again), MARK_FMT, *uid);
	return !strcmp(again, alias);	/* exactly the mark, nothing around it */
}

struct tally {
	uid_t uid;
	unsigned long n;		/* live marked taps of uid */
	char stale[16][IFNAMSIZ];	/* marked, persistent, no carrier (no fd): left behind */
	size_t nstale;
};

/* A tap has carrier exactly while some fd is attached to it (tun.c). */
static bool carrier(struct nlmsghdr *nlh)
{
	struct nlattr *a = nlmsg_find_attr(nlh, sizeof(struct ifinfomsg), IFLA_CARRIER);

	return a && nla_len(a) >= 1 && nla_get_u8(a);
}

static int tally_one(struct nl_msg *msg, void *arg)
{
	struct tally *t = arg;
	struct hn_tun_info info;
	char alias[HN_LINK_ALIAS_MAX];
	unsigned int uid;

	if (hn_tun_info_parse(nlmsg_hdr(msg), &info) < 0 || !info.is_tun ||
	    hn_link_alias_parse(nlmsg_hdr(msg), alias) < 0 || !marked(alias, &uid))
		return 0;
	if (info.persist && !carrier(nlmsg_hdr(msg))) {
		if (t->nstale < sizeof(t->stale) / sizeof(t->stale[0]))
			memcpy(t->stale[t->nstale++], info.name, IFNAMSIZ);
	} else if (uid == t->uid) {
		t->n++;
	}
	return 0;
}

/* Count the caller's marked taps; delete marked taps nobody holds any more. */
static int tally_taps(struct um_run *r, struct tally *t)
{
	struct nl_msg *msg;
	int rc = hn_tun_build_get(NULL, &msg);

	memset(t, 0, sizeof(*t));
	t->uid = r->who.uid;
	if (rc == 0) {
		rc = hn_nl_talk(&r->ctx, msg, tally_one, t);
		nlmsg_free(msg);
	}
	if (rc < 0)
		return failed(r, hn_ctx_fail(&r->ctx, rc, "list tun/tap devices"));
	for (size_t k = 0; k < t->nstale; k++)
		if (hn_link_del(&r->ctx, t->stale[k]) == 0)
			um_say(r, PROG ": %s: left behind by an earlier guest (persistent, unused); deleted",
			       t->stale[k]);
	return 0;
}

static int check_tap_limit(struct um_run *r)
{
	unsigned long max = policy_max_taps(&r->pol, &r->who);
	struct tally t;
	char why[64];

	if (tally_taps(r, &t) < 0)
		return -1;
	if (t.n < max)
		return 0;
	snprintf(why, sizeof(why), "you already own %lu taps (limit %lu)", t.n, max);
	return refuse(r, 0, why), -1;
}

/* The mark, set by us before the fd leaves: from then on the tap is counted. */
static int mark_tap(struct um_run *r)
{
	char mark[HN_LINK_ALIAS_MAX];
	int ifindex, rc;

	snprintf(mark, sizeof(mark), MARK_FMT, (unsigned int)r->who.uid);
	if ((rc = hn_link_index(&r->ctx, r->tap, &ifindex)) < 0 ||
	    (rc = hn_link_set_alias(&r->ctx, ifindex, mark)) < 0)
		return failed(r, rc);
	return 0;
}

/*
 * A fresh non-persistent tapN owned by the caller; it dies with the fd. The
 * clone device was opened before the drop (main.c): CAP_NET_ADMIN does not
 * pass file permissions, and the setuid install must work with a 0600 node.
 */
static int create_tap(struct um_run *r)
{
	struct hn_tun_spec spec = { .has_fd = true, .fd = r->clone_fd, .flags = IFF_TAP | IFF_NO_PI,
				    .has_owner = true, .owner = r->who.uid, .keep_fd = true };
	unsigned int features;
	enum hn_tun_step step;
	int fd;

	r->clone_fd = -EBADF;
	if (spec.fd < 0) {
		um_say(r, PROG ": " HN_TUN_CLONE ": open: %s", strerror(-spec.fd));
		return -1;
	}
	/* --use-vnet: the header when this kernel has it, else a plain tap, as QEMU's helper */
	if (r->req.vnet && hn_tun_get_features(spec.fd, &features) == 0 &&
	    (features & IFF_VNET_HDR))
		spec.flags |= IFF_VNET_HDR;
	r->tap[0] = '\0';
	fd = hn_tun_create(&spec, r->tap, &step);
	if (fd < 0) {
		if (step == HN_TUN_STEP_OWNER)
			um_say(r, PROG ": %s: TUNSETOWNER: %s", r->tap, strerror(-fd));
		else
			um_say(r, PROG ": %s: %s", hn_tun_step_name(step), strerror(-fd));
		return -1;
	}
	r->tap_fd = fd;
	return 0;
}

/*
 * As qemu-bridge-helper: the bridge's MTU, and a MAC starting with 0xfe so
 * the tap never becomes the lowest port MAC the bridge takes its own from.
 * The holder can still re-MAC the tap (SIOCSIFHWADDR on its fd), so the
 * bridge's address is also pinned: set explicitly (to what it is), a bridge
 * never again takes a port's address.
 */
static int join_bridge(struct um_run *r, const char *br)
{
	struct hn_link_change chg = { .set = HN_LINK_SET_MTU | HN_LINK_SET_MAC |
					     HN_LINK_SET_MASTER };
	struct hn_link_info info, tap;
	int rc = hn_link_get(&r->ctx, br, &info);

	if (rc < 0)
		return failed(r, rc);
	if (strcmp(info.kind, "bridge")) {
		um_say(r, PROG ": %s: not a bridge", br);
		return -1;
	}
	if (info.has_mac && (rc = hn_link_set_mac(&r->ctx, br, info.mac)) < 0)
		return failed(r, rc);
	rc = hn_link_get(&r->ctx, r->tap, &tap);
	if (rc < 0)
		return failed(r, rc);
	memcpy(chg.mac, tap.mac, sizeof(chg.mac));
	chg.mac[0] = 0xfe;
	chg.mtu = info.mtu;
	chg.master = info.ifindex;
	rc = hn_link_change(&r->ctx, r->tap, &chg);
	if (rc < 0)
		return failed(r, rc);
	um_say(r, PROG ": %s: created for uid %u, attached to bridge %s", r->tap,
	       (unsigned int)r->who.uid, br);
	return 0;
}

static int add_gate(struct um_run *r)
{
	struct hn_prefix p = { .addr = v4(r->req.gate), .len = 32 };
	char a[INET_ADDRSTRLEN], why[96];
	int rc;

	if (um_lan_claimed(r, r->req.gate, NULL, 0, why, sizeof(why)))
		return refuse(r, 0, why), -1;
	rc = hn_addr_add(&r->ctx, r->tap, &p);

	if (rc < 0)
		return failed(r, rc);
	um_say(r, PROG ": %s: created for uid %u, gate %s/32", r->tap,
	       (unsigned int)r->who.uid, ntoa(r->req.gate, a));
	return 0;
}

/* Only with a "forward" grant; otherwise say so when it is off. */
static void enable_forward(struct um_run *r)
{
	char why[POLICY_WHY_MAX];
	bool on = false;
	int rc = hn_sysctl_get_forwarding(&r->ctx, AF_INET, &on);

	if (rc == 0 && on)
		return;
	if (!policy_forward(&r->pol, &r->who, why, sizeof(why))) {
		um_say(r, PROG ": ip_forward: left off (%s)", why);
		return;
	}
	rc = hn_sysctl_set_forwarding(&r->ctx, AF_INET, true);
	if (rc < 0)
		um_say(r, PROG ": ip_forward: %s", strerror(-rc));
	else
		um_say(r, PROG ": ip_forward: turned on (%s)", why);
}

/* tuntap up, and QEMU's helper (UM_BRIDGE: always bridged, to the bridge it named). */
static int act_up(struct um_run *r)
{
	char br[IFNAMSIZ];
	bool bridged = r->req.op == UM_BRIDGE ? (memcpy(br, r->req.dev, IFNAMSIZ), true)
					      : policy_bridge(&r->pol, &r->who, br);
	int rc;

	if (um_lock(r) < 0 || check_tap_limit(r) < 0 || create_tap(r) < 0)
		return 0;
	rc = mark_tap(r);
	if (rc == 0)
		rc = bridged ? join_bridge(r, br) : add_gate(r);
	if (rc == 0 && (rc = hn_link_set_up(&r->ctx, r->tap, true)) < 0)
		rc = failed(r, rc);
	if (rc == 0 && (rc = audit_grant(r, r->tap)) == 0 && !bridged)
		enable_forward(r);
	if (rc < 0) {
		close(r->tap_fd);	/* the tap goes with its only fd */
		r->tap_fd = -1;
	}
	return 0;
}

/* ---- add / del ------------------------------------------------------------ */

struct mine {
	struct hn_tun_info t;
	char alias[HN_LINK_ALIAS_MAX];
};

static int on_tap(struct nl_msg *msg, void *arg)
{
	struct mine *m = arg;
	int rc = hn_tun_info_parse(nlmsg_hdr(msg), &m->t);

	return rc < 0 ? rc : hn_link_alias_parse(nlmsg_hdr(msg), m->alias);
}

/*
 * <dev> must be a tap uml_net made for the caller: its mark, which the fd
 * holder cannot change (not the tun owner, which it can). A persistent tap
 * someone else made, or another user's, is refused.
 */
static int own_tap(struct um_run *r, int *ifindex)
{
	struct mine m;
	struct nl_msg *msg;
	unsigned int uid;
	char why[96];
	int rc = hn_tun_build_get(r->req.dev, &msg);

	memset(&m, 0, sizeof(m));
	if (rc == 0) {
		rc = hn_nl_talk(&r->ctx, msg, on_tap, &m);
		nlmsg_free(msg);
	}
	if (rc == -ENODEV || (rc == 0 && (!m.t.is_tun || !m.t.tap || !marked(m.alias, &uid) ||
					  uid != r->who.uid))) {
		snprintf(why, sizeof(why), "%s is not a tap uml_net made for uid %u", r->req.dev,
			 (unsigned int)r->who.uid);
		return refuse(r, 1, why), -1;
	}
	if (rc < 0)
		return failed(r, hn_ctx_fail(&r->ctx, rc, "%s", r->req.dev));
	*ifindex = m.t.ifindex;
	return 0;
}

/* What the addresses of the host say about the guest address. */
struct scan {
	struct um_run *r;
	int tap;
	const char *own;		/* "address of this host" when set */
	char own_dev[IFNAMSIZ];
	const char *edge;		/* network/broadcast of a connected prefix */
	int ifs[32];			/* interfaces whose connected prefix holds it */
	size_t nifs;
};

static bool in_prefix(struct in_addr a, const struct hn_prefix *p)
{
	uint32_t mask = p->len ? htonl(~0u << (32 - p->len)) : 0;

	return (a.s_addr & mask) == (p->addr.u.v4.s_addr & mask);
}

static int scan_one(const void *obj, void *arg)
{
	const struct hn_addr_info *i = obj;
	struct scan *s = arg;
	struct in_addr a = s->r->req.addr;
	uint32_t host;

	if (i->local.addr.u.v4.s_addr == a.s_addr) {
		s->own = "an address of this host";
		if (!if_indextoname((unsigned int)i->ifindex, s->own_dev))
			strcpy(s->own_dev, "?");
		return 0;
	}
	if (i->ifindex == s->tap || i->local.len >= 32 || !in_prefix(a, &i->local))
		return 0;
	host = ntohl(a.s_addr) & (~0u >> i->local.len);
	if (i->local.len <= 30 && (host == 0 || host == ~0u >> i->local.len))
		s->edge = host ? "the broadcast address" : "the network address";
	for (size_t k = 0; k < s->nifs; k++)
		if (s->ifs[k] == i->ifindex)
			return 0;
	if (s->nifs < sizeof(s->ifs) / sizeof(s->ifs[0]))
		s->ifs[s->nifs++] = i->ifindex;
	return 0;
}

static int scan_host(struct um_run *r, int tap, struct scan *s)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->r = r;
	s->tap = tap;
	rc = hn_addr_list(&r->ctx, AF_INET, scan_one, s);
	return rc < 0 ? failed(r, rc) : 0;
}

/*
 * The main-table host route to the guest address, if any: the route the
 * kernel would use (hn_route_get_match(): one GET, not a dump of every
 * route, so the cost does not grow with the number of guests).
 * Return: 0 (found), -ENOENT, or -errno.
 */
static int host_route(struct um_run *r, struct hn_route_host *h)
{
	struct hn_addr dst = v4(r->req.addr);

	return hn_route_get_match(&r->ctx, &dst, h);
}

/* Whose is the host route to the guest address? 1 ours on this tap, 0 none, -1 refused. */
static int route_owner(struct um_run *r, int tap)
{
	struct hn_route_host cur;
	struct hn_tun_info t;
	char why[128];
	int rc = host_route(r, &cur);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return failed(r, rc);
	if (cur.ifindex == tap && cur.protocol == RTPROT_UML_NET)
		return 1;
	if (cur.ifindex == tap)
		snprintf(why, sizeof(why), "the route to it on %s was not made by uml_net", cur.dev);
	else if (hn_tun_query(&r->ctx, cur.dev, &t) == 0 && t.is_tun && t.has_owner &&
		 t.owner != r->who.uid)
		snprintf(why, sizeof(why), "it is claimed by another user's tap (%s)", cur.dev);
	else
		snprintf(why, sizeof(why), "it is routed to %s", cur.dev[0] ? cur.dev : "another device");
	return refuse(r, 1, why), -1;
}

/* Our host routes carry RTPROT_UML_NET: a delete removes only a route of ours. */
static int send_route(struct um_run *r, int cmd, int tap)
{
	struct hn_route_host h = { .dst = v4(r->req.addr), .ifindex = tap,
				   .protocol = RTPROT_UML_NET };
	int rc;

	snprintf(h.dev, sizeof(h.dev), "%s", r->req.dev);
	rc = hn_route_send_host(&r->ctx, cmd, &h, cmd == RTM_NEWROUTE ? NLM_F_CREATE | NLM_F_EXCL : 0);
	return rc < 0 ? failed(r, rc) : 0;
}

/* Is the guest address published on @ifindex? 1, 0 or -errno. */
static int has_proxy(struct um_run *r, int ifindex)
{
	struct hn_addr dst = v4(r->req.addr);

	return hn_neigh_has_proxy(&r->ctx, &dst, ifindex);
}

static int send_proxy(struct um_run *r, int cmd, int ifindex)
{
	struct hn_addr dst = v4(r->req.addr);

	return hn_neigh_send_proxy(&r->ctx, cmd, &dst, ifindex);
}

/* What one add changed, so that a failed step can undo it all (newest first). */
struct undo {
	bool route, arp;
	int pub[32];			/* interfaces published on by this call */
	size_t npub;
};

/*
 * Publish on each interface whose own connected prefix holds the address, if
 * granted (add), or withdraw. With @u (add), a failed publish stops at once
 * and returns -1; @u lists what was published.
 */
static int publish(struct um_run *r, const struct scan *s, bool add, struct undo *u)
{
	char dev[IF_NAMESIZE], why[POLICY_WHY_MAX];
	int rc;

	for (size_t k = 0; k < s->nifs; k++) {
		if (!if_indextoname((unsigned int)s->ifs[k], dev))
			continue;
		if (add && !policy_publish(&r->pol, &r->who, dev, why, sizeof(why))) {
			um_say(r, PROG ": %s: not published (%s)", dev, why);
			continue;
		}
		rc = has_proxy(r, s->ifs[k]);
		if (rc < 0 || rc == add)
			continue;
		rc = send_proxy(r, add ? RTM_NEWNEIGH : RTM_DELNEIGH, s->ifs[k]);
		if (rc < 0 && u)
			return failed(r, rc);
		if (rc < 0)
			failed(r, rc);
		else
			um_say(r, PROG ": %s: proxy entry %s", dev, add ? "published" : "withdrawn");
		if (rc == 0 && u)
			u->pub[u->npub++] = s->ifs[k];
	}
	if (add && !s->nifs)
		um_say(r, PROG ": no host interface has a connected prefix holding it; not published");
	return 0;
}

/* A step of add failed (already said): take back what this call made. */
static int roll_back(struct um_run *r, int tap, const struct undo *u)
{
	for (size_t k = u->npub; k-- > 0;)
		send_proxy(r, RTM_DELNEIGH, u->pub[k]);
	if (u->arp)
		hn_sysctl_set_proxy(&r->ctx, AF_INET, r->req.dev, false);
	if (u->route && send_route(r, RTM_DELROUTE, tap) < 0)
		return 1;
	um_say(r, PROG ": %s: rolled back, nothing changed", r->req.dev);
	return 1;
}

/* proxy_arp on the tap, noting in @u when this call turned it on. */
static int proxy_arp_on(struct um_run *r, struct undo *u)
{
	bool on = false;
	int rc = hn_sysctl_get_proxy(&r->ctx, AF_INET, r->req.dev, &on);

	if (rc == 0 && !on && (rc = hn_sysctl_set_proxy(&r->ctx, AF_INET, r->req.dev, true)) == 0)
		u->arp = true;
	return rc < 0 ? failed(r, rc) : 0;
}

/* Bridge mode: the guest is on the bridge's segment; there is nothing to route. */
static bool bridged(struct um_run *r)
{
	char br[IFNAMSIZ];

	if (!policy_bridge(&r->pol, &r->who, br))
		return false;
	um_say(r, PROG ": %s: bridge mode: nothing to route", r->req.line);
	return true;
}

static int act_add(struct um_run *r)
{
	struct scan s;
	struct undo u = { 0 };
	char why[96], a[INET_ADDRSTRLEN];
	int tap, rc;

	if (bridged(r))
		return 0;
	ntoa(r->req.addr, a);
	if (um_lock(r) < 0 || own_tap(r, &tap) < 0 || scan_host(r, tap, &s) < 0)
		return 1;
	if (s.own || s.edge) {
		snprintf(why, sizeof(why), "%s is %s%s%s", a,
			 s.own ? s.own : s.edge, s.own ? " on " : " of a host subnet",
			 s.own ? s.own_dev : "");
		return refuse(r, 1, why);
	}
	if (um_lan_claimed(r, r->req.addr, s.ifs, s.nifs, why, sizeof(why)))
		return refuse(r, 1, why);
	rc = route_owner(r, tap);
	if (rc < 0 || (rc == 0 && send_route(r, RTM_NEWROUTE, tap) < 0))
		return 1;
	u.route = rc == 0;
	um_say(r, PROG ": %s: route %s %s", r->req.dev, a, rc ? "already there" : "added");
	if (proxy_arp_on(r, &u) < 0 || publish(r, &s, true, &u) < 0 ||
	    audit_grant(r, "routed") < 0)
		return roll_back(r, tap, &u);
	return 0;
}

static int count_ours(const void *obj, void *arg)
{
	const struct hn_route_host *h = obj;
	int *c = arg;

	if (h->ifindex == c[0] && h->protocol == RTPROT_UML_NET)
		c[1]++;
	return 0;
}

/* proxy_arp stays on while any of our routes remains on the tap. */
static void proxy_arp_off_if_unused(struct um_run *r, int tap)
{
	int c[2] = { tap, 0 };
	int rc = hn_route_list_host(&r->ctx, AF_INET, count_ours, c);

	if (rc < 0) {
		failed(r, rc);
		return;
	}
	if (c[1] == 0 && (rc = hn_sysctl_set_proxy(&r->ctx, AF_INET, r->req.dev, false)) < 0)
		failed(r, rc);
	else if (c[1] == 0)
		um_say(r, PROG ": %s: proxy_arp off", r->req.dev);
}

static int act_del(struct um_run *r)
{
	struct scan s;
	char a[INET_ADDRSTRLEN];
	int tap, rc;

	if (bridged(r))
		return 0;
	if (um_lock(r) < 0 || own_tap(r, &tap) < 0 || scan_host(r, tap, &s) < 0)
		return 1;
	rc = route_owner(r, tap);
	if (rc < 0)
		return 1;
	if (rc == 0) {
		um_say(r, PROG ": %s: no route to %s made by uml_net; nothing to do",
		       r->req.dev, ntoa(r->req.addr, a));
		return 0;
	}
	if (send_route(r, RTM_DELROUTE, tap) < 0)
		return 1;
	um_say(r, PROG ": %s: route %s deleted", r->req.dev, ntoa(r->req.addr, a));
	publish(r, &s, false, NULL);
	proxy_arp_off_if_unused(r, tap);
	um_audit(r, true, "unrouted");
	return 0;
}

/* ---- slip (fd 0 is the line; it is also the proof of ownership) ---------- */

/* The kernel's tty SIOCGIFNAME writes into a struct ifreq's worth of memory. */
static int slip_name(struct um_run *r, char name[IFNAMSIZ], const char *what)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(0, SIOCGIFNAME, &ifr) < 0) {
		um_say(r, "%s: %s", what, strerror(errno));
		return -1;
	}
	memcpy(name, ifr.ifr_name, IFNAMSIZ);
	name[IFNAMSIZ - 1] = '\0';
	return 0;
}

static int act_slip_up(struct um_run *r)
{
	struct hn_prefix p = { .addr = v4(r->req.gate), .len = 32 };
	int disc = N_SLIP, encap = 0, rc;

	if (um_lock(r) < 0)
		return 1;
	if (ioctl(0, TIOCSETD, &disc) < 0)
		return um_say(r, "Setting slip line discipline: %s", strerror(errno)), 1;
	if (ioctl(0, SIOCSIFENCAP, &encap) < 0)
		return um_say(r, "Setting slip encapsulation: %s", strerror(errno)), 1;
	if (slip_name(r, r->tap, "Getting slip interface name") < 0)
		return 1;
	if ((rc = hn_addr_add(&r->ctx, r->tap, &p)) < 0 ||
	    (rc = hn_link_set_up(&r->ctx, r->tap, true)) < 0)
		return failed(r, rc), 1;
	if (audit_grant(r, r->tap) < 0) {
		hn_link_set_up(&r->ctx, r->tap, false);
		return 1;
	}
	um_say(r, PROG ": %s: up, gate %s/32", r->tap, inet_ntoa(r->req.gate));
	enable_forward(r);
	return 0;
}

static int act_slip_down(struct um_run *r)
{
	int rc;

	if (um_lock(r) < 0 || slip_name(r, r->tap, "Getting slip line discipline") < 0)
		return 1;
	if ((rc = hn_link_set_up(&r->ctx, r->tap, false)) < 0)
		return failed(r, rc), 1;
	um_say(r, PROG ": %s: down", r->tap);
	um_audit(r, true, r->tap);
	return 0;
}

static const struct {
	int (*fn)(struct um_run *r);
	int refused;		/* exit status of a refusal: tuntap up always exits 0 */
} acts[] = {
	[UM_UP]		= { act_up, 0 },
	[UM_ADD]	= { act_add, 1 },
	[UM_DEL]	= { act_del, 1 },
	[UM_SLIP_UP]	= { act_slip_up, 1 },
	[UM_SLIP_DOWN]	= { act_slip_down, 1 },
	[UM_BRIDGE]	= { act_up, 1 },
};

/**
 * um_act - carry out a parsed request, if the policy and the host allow it
 *
 * The answer text is built in @r; the caller sends it.
 *
 * Return: the exit status (0, 1, or 2 when the policy file has a syntax error).
 */
int um_act(struct um_run *r)
{
	unsigned int op = (unsigned int)r->req.op;

	if (op >= sizeof(acts) / sizeof(acts[0]) || !acts[op].fn)
		return um_say(r, PROG ": nothing to do"), 1;
	if (!um_evaluate(r, false))
		return acts[op].refused && r->syntax_error ? 2 : acts[op].refused;
	if (r->log_rc < 0)	/* no audit trail, no action */
		return um_say(r, PROG ": %s: syslog: %s; nothing is done without an audit line",
			      UML_NET_LOG, strerror(-r->log_rc)), acts[op].refused;
	return acts[op].fn(r);
}
