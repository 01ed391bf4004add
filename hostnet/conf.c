/* conf.c - the hostnet.conf parser: one object per line, keyword tables, every error kept with its line. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "conf.h"
#include "vec.h"
#include "words.h"
#include "conf_file.h"
#include "conf_nat.h"
#include "conf_vxlan.h"

#define TOK_MAX 512

/**
 * conf_error - record an error of line @line (0: the file as a whole)
 *
 * Errors past CONF_ERR_MAX are counted but not kept.
 */
void conf_error(struct conf *c, int line, const char *fmt, ...)
{
	va_list ap;

	if (c->nerrs < CONF_ERR_MAX) {
		c->errs[c->nerrs].line = line;
		va_start(ap, fmt);
		vsnprintf(c->errs[c->nerrs].msg, CONF_ERR_LEN, fmt, ap);
		va_end(ap);
	}
	c->nerrs++;
}

/** conf_init - an empty configuration read from @file (the name is kept, not copied). */
void conf_init(struct conf *c, const char *file)
{
	memset(c, 0, sizeof(*c));
	c->file = file;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define GROW(c, field) HN_VEC_PUSH((c)->field, (c)->n##field, (c)->c##field)
#define FORGET(c, field) HN_VEC_FREE((c)->field, (c)->n##field, (c)->c##field)

/** conf_free - free what the parser allocated; safe twice. */
void conf_free(struct conf *c)
{
	conf_free_files(c);
	FORGET(c, taps);
	FORGET(c, bridges);
	FORGET(c, ports);
	FORGET(c, sysctls);
	FORGET(c, nats);
	conf_free_vxlans(c);
}

/* ---- value parsers: each records its own error and returns 0 or -1 ---- */

static int get_ifname(struct conf *c, int line, const char *s, char out[IFNAMSIZ])
{
	const char *why;

	if (hn_parse_ifname(s, 0, &why) < 0) {
		conf_error(c, line, "\"%s\": %s", s, why);
		return -1;
	}
	strcpy(out, s);
	return 0;
}

/* A value that does not parse, named by the option it was given to (if any). */
static void bad_value(struct conf *c, int line, const char *s, const char *why)
{
	conf_error(c, line, "%s%s\"%s\": %s", c->opt, c->opt[0] ? " " : "", s, why);
}

static int get_onoff(struct conf *c, int line, const char *s, bool *on)
{
	if (hn_parse_onoff(s, on) < 0) {
		bad_value(c, line, s, "expected on or off");
		return -1;
	}
	return 0;
}

static int get_mtu(struct conf *c, int line, const char *s, unsigned int *mtu)
{
	unsigned long v;

	if (hn_parse_uint(s, 65535, &v) < 0 || v < 68) {
		bad_value(c, line, s, "expected 68..65535");
		return -1;
	}
	*mtu = (unsigned int)v;
	return 0;
}

static int get_prefix(struct conf *c, int line, const char *s, struct hn_prefix *p)
{
	if (hn_parse_prefix(s, AF_UNSPEC, false, p) < 0) {
		bad_value(c, line, s, "not an address or address/prefix");
		return -1;
	}
	return 0;
}

static int get_addr(struct conf *c, int line, const char *s, struct hn_addr *a)
{
	if (hn_parse_addr(s, AF_UNSPEC, a) < 0) {
		bad_value(c, line, s, "not an IPv4 or IPv6 address");
		return -1;
	}
	return 0;
}

/* Seconds as brctl reads them, but strict: digits with at most one '.'. */
static int get_secs(struct conf *c, int line, const char *s, uint32_t *cs)
{
	size_t i, dots = 0;

	for (i = 0; s[i]; i++) {
		if (s[i] == '.')
			dots++;
		else if (!isdigit((unsigned char)s[i]))
			break;
	}
	if (!i || s[i] || dots > 1 || hn_bridge_parse_time(s, cs) < 0) {
		bad_value(c, line, s, "expected seconds (e.g. 2 or 0.5)");
		return -1;
	}
	return 0;
}

/* ---- option tables: tap and bridge lines are NAME followed by options ---- */

/* Which field an option of several sharing one function sets. */
enum { TAP_USER, TAP_GROUP, TAP_MULTI_QUEUE, TAP_VNET_HDR, TAP_BRIDGE, TAP_PUBLISH };

struct opt {
	const char *name;
	int nargs;			/* 0 or 1 */
	int (*fn)(struct conf *c, int line, void *obj, const char *arg, unsigned int which);
	unsigned int which;		/* TAP_* or a bridge's HN_BRIDGE_SET_*, for @fn */
};

/*
 * A user or a group (@group), by name or number, into @id; @has is set
 * once it is known. The last name
 * looked up is kept with its id in @c: a file of 4000 taps of one user
 * reads the user database once. uid_t and gid_t are one type on Linux;
 * the compiler checks it where gid_t pointers are passed.
 */
static int get_owner(struct conf *c, int line, const char *arg, bool group, uid_t *id,
		     bool *has)
{
	char *last = group ? c->gname : c->uname;
	uid_t *last_id = group ? &c->gid : &c->uid;
	const char *why;

	if (last[0] && !strcmp(arg, last)) {
		*id = *last_id;
		*has = true;
		return 0;
	}
	if ((group ? hn_parse_gid_num : hn_parse_uid_num)(arg, id, &why) < 0) {
		bad_value(c, line, arg, why);
		return -1;
	}
	if (strlen(arg) < sizeof(c->uname)) {
		strcpy(last, arg);
		*last_id = *id;
	}
	*has = true;
	return 0;
}

/* user and group. */
static int tap_owner(struct conf *c, int line, void *obj, const char *arg, unsigned int which)
{
	struct conf_tap *t = obj;

	if (which == TAP_GROUP)
		return get_owner(c, line, arg, true, &t->group, &t->has_group);
	return get_owner(c, line, arg, false, &t->user, &t->has_user);
}

/* multi_queue and vnet_hdr: words with no value. */
static int tap_flag(struct conf *c, int line, void *obj, const char *arg, unsigned int which)
{
	struct conf_tap *t = obj;

	(void)c, (void)line, (void)arg;
	*(which == TAP_MULTI_QUEUE ? &t->multi_queue : &t->vnet_hdr) = true;
	return 0;
}

/* bridge and publish: an interface name. */
static int tap_ifname(struct conf *c, int line, void *obj, const char *arg, unsigned int which)
{
	struct conf_tap *t = obj;

	return get_ifname(c, line, arg, which == TAP_BRIDGE ? t->bridge : t->publish);
}

static int tap_mtu(struct conf *c, int line, void *obj, const char *arg, unsigned int which)
{
	(void)which;
	return get_mtu(c, line, arg, &((struct conf_tap *)obj)->mtu);
}

static int add_addr(struct conf *c, int line, struct hn_prefix *arr, size_t *n,
		    const char *arg)
{
	struct hn_prefix p;

	if (get_prefix(c, line, arg, &p) < 0)
		return -1;
	if (*n == CONF_ADDRS) {
		conf_error(c, line, "more than %d addresses", CONF_ADDRS);
		return -1;
	}
	arr[(*n)++] = p;
	return 0;
}

static int tap_address(struct conf *c, int line, void *obj, const char *arg, unsigned int which)
{
	struct conf_tap *t = obj;

	(void)which;
	return add_addr(c, line, t->addr, &t->naddr, arg);
}

static int tap_route(struct conf *c, int line, void *obj, const char *arg, unsigned int which)
{
	struct conf_tap *t = obj;
	struct hn_addr a;

	(void)which;
	if (get_addr(c, line, arg, &a) < 0)
		return -1;
	if (t->nroute == CONF_ROUTES) {
		conf_error(c, line, "more than %d routes", CONF_ROUTES);
		return -1;
	}
	t->route[t->nroute++] = a;
	return 0;
}

static const struct opt tap_opts[] = {
	{ "user",	 1, tap_owner, TAP_USER },
	{ "group",	 1, tap_owner, TAP_GROUP },
	{ "multi_queue", 0, tap_flag, TAP_MULTI_QUEUE },
	{ "vnet_hdr",	 0, tap_flag, TAP_VNET_HDR },
	{ "mtu",	 1, tap_mtu, 0 },
	{ "bridge",	 1, tap_ifname, TAP_BRIDGE },
	{ "address",	 1, tap_address, 0 },
	{ "route",	 1, tap_route, 0 },
	{ "publish",	 1, tap_ifname, TAP_PUBLISH },
};

static int br_mtu(struct conf *c, int line, void *obj, const char *arg, unsigned int which)
{
	(void)which;
	return get_mtu(c, line, arg, &((struct conf_bridge *)obj)->mtu);
}

static int br_address(struct conf *c, int line, void *obj, const char *arg, unsigned int which)
{
	struct conf_bridge *b = obj;

	(void)which;
	return add_addr(c, line, b->addr, &b->naddr, arg);
}

/* The two switches, stp and vlan_filtering: on|off, into the field of @flag. */
static int br_switch(struct conf *c, int line, void *obj, const char *arg, unsigned int flag)
{
	struct hn_bridge_attrs *a = &((struct conf_bridge *)obj)->attrs;
	bool on;

	if (get_onoff(c, line, arg, &on) < 0)
		return -1;
	if (flag == HN_BRIDGE_SET_STP_STATE)
		a->stp_state = on;
	else
		a->vlan_filtering = on;
	a->set |= flag;
	return 0;
}

static int br_prio(struct conf *c, int line, void *obj, const char *arg, unsigned int flag)
{
	struct hn_bridge_attrs *a = &((struct conf_bridge *)obj)->attrs;

	if (hn_parse_u16(arg, &a->priority) < 0) {
		bad_value(c, line, arg, "expected 0..65535");
		return -1;
	}
	a->set |= flag;
	return 0;
}

/* The four timers, in seconds: into the field of @flag. */
static int br_timer(struct conf *c, int line, void *obj, const char *arg, unsigned int flag)
{
	struct hn_bridge_attrs *a = &((struct conf_bridge *)obj)->attrs;
	uint32_t *field = flag == HN_BRIDGE_SET_FORWARD_DELAY ? &a->forward_delay :
			  flag == HN_BRIDGE_SET_HELLO_TIME ? &a->hello_time :
			  flag == HN_BRIDGE_SET_MAX_AGE ? &a->max_age : &a->ageing_time;

	if (get_secs(c, line, arg, field) < 0)
		return -1;
	a->set |= flag;
	return 0;
}

static const struct opt bridge_opts[] = {
	{ "address",	    1, br_address, 0 },
	{ "mtu",	    1, br_mtu, 0 },
	{ "stp",	    1, br_switch, HN_BRIDGE_SET_STP_STATE },
	{ "setfd",	    1, br_timer, HN_BRIDGE_SET_FORWARD_DELAY },
	{ "sethello",	    1, br_timer, HN_BRIDGE_SET_HELLO_TIME },
	{ "setmaxage",	    1, br_timer, HN_BRIDGE_SET_MAX_AGE },
	{ "setageing",	    1, br_timer, HN_BRIDGE_SET_AGEING_TIME },
	{ "setbridgeprio",  1, br_prio, HN_BRIDGE_SET_PRIORITY },
	{ "vlan_filtering", 1, br_switch, HN_BRIDGE_SET_VLAN_FILTERING },
};

/* Apply tok[0..n) as options of @obj from @tab; report unknown or repeated words. */
static int parse_opts(struct conf *c, int line, const char *what, const struct opt *tab,
		      size_t ntab, void *obj, int n, char **tok)
{
	unsigned long seen = 0;
	int i, rc = 0;
	size_t k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < ntab && strcmp(tok[i], tab[k].name); k++)
			;
		if (k == ntab) {
			conf_error(c, line, "%s: unknown option \"%s\"", what, tok[i]);
			return -1;
		}
		if ((seen & (1ul << k)) && strcmp(tab[k].name, "route") &&
		    strcmp(tab[k].name, "address"))
			conf_error(c, line, "%s: \"%s\" given twice", what, tok[i]), rc = -1;
		seen |= 1ul << k;
		if (tab[k].nargs && i + 1 >= n) {
			conf_error(c, line, "%s: \"%s\" needs a value", what, tok[i]);
			return -1;
		}
		snprintf(c->opt, sizeof(c->opt), "%s: %s", what, tab[k].name);
		if (tab[k].fn(c, line, obj, tab[k].nargs ? tok[i + 1] : NULL, tab[k].which) < 0)
			rc = -1;
		c->opt[0] = '\0';
		i += tab[k].nargs;
	}
	return rc;
}

/* ---- one parser per keyword: @kw is the keyword, tok[0..n) the words after it ---- */

/* A tap or bridge line's NAME, given as tok[0], into @name; then options from @tab. */
static int named(struct conf *c, int line, int n, char **tok, int *at, char *name,
		 const struct opt *tab, size_t ntab, void *obj)
{
	*at = line;
	if (get_ifname(c, line, tok[0], name) < 0)
		return -1;
	return parse_opts(c, line, name, tab, ntab, obj, n - 1, tok + 1);
}

/* No entry for a tap or bridge line: no NAME (@n is 0), or no memory for one. */
static int unnamed(struct conf *c, int line, const char *kw, int n)
{
	if (n)
		return -ENOMEM;
	conf_error(c, line, "%s: missing name", kw);
	return -1;
}

static int kw_tap(struct conf *c, int line, const char *kw, int n, char **tok)
{
	struct conf_tap *t = n ? GROW(c, taps) : NULL;

	return t ? named(c, line, n, tok, &t->line, t->name, tap_opts, NELEM(tap_opts), t)
		 : unnamed(c, line, kw, n);
}

static int kw_bridge(struct conf *c, int line, const char *kw, int n, char **tok)
{
	struct conf_bridge *b = n ? GROW(c, bridges) : NULL;

	return b ? named(c, line, n, tok, &b->line, b->name, bridge_opts, NELEM(bridge_opts), b)
		 : unnamed(c, line, kw, n);
}

static int kw_addif(struct conf *c, int line, const char *kw, int n, char **tok)
{
	char br[IFNAMSIZ];
	struct conf_port *p;
	bool takeover = n > 2 && !strcmp(tok[n - 1], "takeover");
	int i;

	n -= takeover;
	if (n < 2) {
		conf_error(c, line, "%s: expected BRIDGE DEVICE... [takeover]", kw);
		return -1;
	}
	if (get_ifname(c, line, tok[0], br) < 0)
		return -1;
	for (i = 1; i < n; i++) {
		p = GROW(c, ports);
		if (!p)
			return -ENOMEM;
		p->line = line;
		p->takeover = takeover;
		strcpy(p->bridge, br);
		if (get_ifname(c, line, tok[i], p->dev) < 0)
			c->nports--;
	}
	return 0;
}

/* A forwarding or proxy line's entry: @kind, on|off from @on, on @ifname (NULL: none). */
static int add_sysctl(struct conf *c, int line, enum conf_sysctl_kind kind, const char *on,
		      const char *ifname)
{
	struct conf_sysctl *s = GROW(c, sysctls);

	if (!s)
		return -ENOMEM;
	s->line = line;
	s->kind = kind;
	if (get_onoff(c, line, on, &s->on) < 0 ||
	    (ifname && get_ifname(c, line, ifname, s->ifname) < 0))
		return c->nsysctls--, -1;
	return 0;
}

static int kw_forwarding(struct conf *c, int line, const char *kw, int n, char **tok)
{
	if (n != 2 || (strcmp(tok[0], "ipv4") && strcmp(tok[0], "ipv6"))) {
		conf_error(c, line, "%s: expected ipv4|ipv6 on|off", kw);
		return -1;
	}
	return add_sysctl(c, line, strcmp(tok[0], "ipv4") ? CONF_FORWARD6 : CONF_FORWARD4,
			  tok[1], NULL);
}

/* proxyarp|proxyndp on|off IFACE, in natctl's order. */
static int kw_proxy(struct conf *c, int line, const char *kw, int n, char **tok)
{
	if (n != 2) {
		conf_error(c, line, "%s: expected on|off INTERFACE", kw);
		return -1;
	}
	return add_sysctl(c, line, strcmp(kw, "proxyarp") ? CONF_PROXY_NDP : CONF_PROXY_ARP,
			  tok[0], tok[1]);
}

static int kw_linkgroup(struct conf *c, int line, const char *kw, int n, char **tok)
{
	if (n != 1 || hn_parse_u32(tok[0], &c->linkgroup) < 0 || !c->linkgroup) {
		conf_error(c, line, "%s: expected a number 1..4294967295", kw);
		return -1;
	}
	if (c->linkgroup_line)
		conf_error(c, line, "%s already set at %s", kw,
			   conf_ref(c, line, c->linkgroup_line));
	c->linkgroup_line = line;
	return 0;
}

/* An octal mode with a leading 0, as chmod takes it: "0660". */
static int get_mode(const char *s, mode_t *mode)
{
	size_t len = strlen(s);

	if (len < 2 || len > 5 || s[0] != '0' || strspn(s, "01234567") != len)
		return -1;
	*mode = (mode_t)strtoul(s, NULL, 8);
	return 0;
}

static int tun_words(struct conf *c, int line, int n, char **tok)
{
	struct conf_tun_access *t = &c->tun;
	const char *why;
	int i;

	for (i = 0; i + 1 < n; i += 2) {
		if (!strcmp(tok[i], "group") && hn_parse_gid_num(tok[i + 1], &t->group, &why) == 0)
			t->has_group = true;
		else if (!strcmp(tok[i], "mode") && get_mode(tok[i + 1], &t->mode) == 0)
			t->has_mode = true;
		else if (!strcmp(tok[i], "path") && tok[i + 1][0] == '/' &&
			 strlen(tok[i + 1]) < sizeof(t->path))
			strcpy(t->path, tok[i + 1]);
		else
			break;
	}
	if (i != n || (!t->has_group && !t->has_mode)) {
		conf_error(c, line, "tun_access: expected [path /PATH] [group GROUP] [mode 0NNN]");
		return -1;
	}
	return 0;
}

static int kw_tun_access(struct conf *c, int line, const char *kw, int n, char **tok)
{
	if (c->tun.line) {
		conf_error(c, line, "%s already set at %s", kw,
			   conf_ref(c, line, c->tun.line));
		return -1;
	}
	c->tun.line = line;
	strcpy(c->tun.path, "/dev/net/tun");
	if (tun_words(c, line, n, tok) < 0)
		return c->tun.line = 0, -1;
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(struct conf *c, int line, const char *kw, int n, char **tok);
} keywords[] = {
	{ "linkgroup",	kw_linkgroup },
	{ "tun_access",	kw_tun_access },
	{ "bridge",	kw_bridge },
	{ "addif",	kw_addif },
	{ "tap",	kw_tap },
	{ "forwarding",	kw_forwarding },
	{ "proxyarp",	kw_proxy },
	{ "proxyndp",	kw_proxy },
	{ "masquerade",	conf_parse_nat },
	{ "snat",	conf_parse_nat },
	{ "forward",	conf_parse_nat },
	{ "hairpin",	conf_parse_nat },
	{ "include",	conf_include },
	{ "vxlan",	conf_parse_vxlan },
};

/**
 * conf_parse_line - parse one line (modified in place) into @c
 * @line: its number, for error messages
 *
 * Return: 0 (errors, if any, are recorded in @c), or -ENOMEM.
 */
int conf_parse_line(struct conf *c, int line, char *text)
{
	char *tok[TOK_MAX];
	size_t k;
	int n = hn_words_split(text, tok, TOK_MAX);

	if (n < 0) {
		conf_error(c, line, "more than %d words", TOK_MAX);
		return 0;
	}
	if (n == 0)
		return 0;
	for (k = 0; k < NELEM(keywords); k++)
		if (!strcmp(tok[0], keywords[k].name))
			return keywords[k].fn(c, line, tok[0], n - 1, tok + 1) == -ENOMEM ?
			       -ENOMEM : 0;
	conf_error(c, line, "unknown keyword \"%s\"", tok[0]);
	return 0;
}

/**
 * conf_parse_buf - parse a whole file's bytes (not NUL-terminated)
 *
 * Lines longer than CONF_LINE_MAX and NUL bytes are errors of their line.
 * Lines are numbered from c->base + 1 (see conf_file.c for several files).
 *
 * Return: 0 (see c->nerrs), or -ENOMEM.
 */
int conf_parse_buf(struct conf *c, const char *buf, size_t len)
{
	char text[CONF_LINE_MAX + 1];
	size_t start = 0, end;
	int line = 0, rc;

	while (start < len) {
		line++;
		for (end = start; end < len && buf[end] != '\n'; end++)
			;
		if (end - start > CONF_LINE_MAX)
			conf_error(c, c->base + line, "line longer than %d bytes", CONF_LINE_MAX);
		else if (memchr(buf + start, '\0', end - start))
			conf_error(c, c->base + line, "NUL byte in line");
		else {
			memcpy(text, buf + start, end - start);
			text[end - start] = '\0';
			rc = conf_parse_line(c, c->base + line, text);
			if (rc < 0)
				return rc;
		}
		start = end + 1;
	}
	return 0;
}
