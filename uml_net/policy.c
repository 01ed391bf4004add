/* policy.c - parse uml_net.conf(5) and decide requests from it: pure code, no I/O, no privileges. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "parse.h"
#include "policy.h"
#include "words.h"

#define MAX_TOKENS 8

struct line_ctx {
	struct policy *p;
	unsigned int line;
	policy_error_cb cb;
	void *arg;
	int errors;
};

static void __attribute__((format(printf, 2, 3)))
report(struct line_ctx *lc, const char *fmt, ...)
{
	char msg[sizeof(lc->p->file) + POLICY_WHY_MAX + 16], what[POLICY_WHY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "%s:%u: %s", lc->p->file, lc->line, what);
	lc->errors++;
	if (lc->cb)
		lc->cb(msg, lc->arg);
}

/** policy_init - an empty policy (which denies everything) read from @file. */
void policy_init(struct policy *p, const char *file)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->file, sizeof(p->file), "%s", file);
}

/** policy_free - release the rules; the policy is empty again. Accepts a zeroed policy. */
void policy_free(struct policy *p)
{
	free(p->rules);
	p->rules = NULL;
	p->n = p->cap = 0;
}

static int push(struct policy *p, const struct policy_rule *r)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct policy_rule *nr = realloc(p->rules, cap * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		p->rules = nr;
		p->cap = cap;
	}
	p->rules[p->n++] = *r;
	return 0;
}

/* "user NAME" / "group NAME" / "all": consumes one or two tokens. */
static int parse_who(struct line_ctx *lc, char **tok, int ntok, int *i, struct policy_rule *r)
{
	const char *why = NULL;

	if (*i >= ntok)
		return report(lc, "%s needs \"all\", \"user NAME\" or \"group NAME\"",
			      r->allow ? "allow" : "deny"), -1;
	if (!strcmp(tok[*i], "all")) {
		r->subject = POLICY_ALL;
		return ++*i, 0;
	}
	if (strcmp(tok[*i], "user") && strcmp(tok[*i], "group"))
		return report(lc, "unknown subject \"%s\" (all, user or group)", tok[*i]), -1;
	r->subject = tok[*i][0] == 'u' ? POLICY_USER : POLICY_GROUP;
	if (++*i >= ntok)
		return report(lc, "%s needs a name or number", tok[*i - 1]), -1;
	if (r->subject == POLICY_USER ? hn_parse_uid(tok[*i], &r->id, &why) < 0
				      : hn_parse_gid(tok[*i], &r->id, &why) < 0)
		return report(lc, "%s \"%s\": %s", tok[*i - 1], tok[*i], why), -1;
	return ++*i, 0;
}

static int arg_prefix(struct line_ctx *lc, const char *s, struct policy_rule *r)
{
	struct hn_prefix pfx;

	if (hn_parse_prefix(s, AF_INET, false, &pfx) < 0)
		return report(lc, "\"%s\" is not an IPv4 address or prefix (a.b.c.d[/len])", s), -1;
	if (!hn_prefix_is_network(&pfx))
		return report(lc, "\"%s\" has bits set beyond its prefix length", s), -1;
	r->net = pfx.addr.u.v4;
	r->len = pfx.len;
	return 0;
}

static int arg_ifname(struct line_ctx *lc, const char *s, struct policy_rule *r)
{
	const char *why;

	if (hn_parse_ifname(s, 0, &why) < 0)
		return report(lc, "\"%s\": %s", s, why), -1;
	strcpy(r->ifname, s);
	return 0;
}

static int arg_taps(struct line_ctx *lc, const char *s, struct policy_rule *r)
{
	if (hn_parse_uint(s, POLICY_TAPS_MAX, &r->taps) < 0)
		return report(lc, "\"%s\" is not a number of taps (0-%d)", s, POLICY_TAPS_MAX), -1;
	return 0;
}

/* The keyword of each object a rule can name; POLICY_EVERYTHING has none. */
static const struct object_kw {
	const char *name;
	int (*arg)(struct line_ctx *, const char *, struct policy_rule *);
	bool deny_ok;
} objects[] = {
	[POLICY_GATE]    = { "gate",    arg_prefix, true },
	[POLICY_ROUTE]   = { "route",   arg_prefix, true },
	[POLICY_PUBLISH] = { "publish", arg_ifname, true },
	[POLICY_BRIDGE]  = { "bridge",  arg_ifname, true },
	[POLICY_TAPS]    = { "taps",    arg_taps,   false },
	[POLICY_FORWARD] = { "forward", NULL,       true },
};

static int parse_what(struct line_ctx *lc, char **tok, int ntok, int i, struct policy_rule *r)
{
	const struct object_kw *kw = NULL;

	if (i >= ntok) {
		if (r->allow)
			return report(lc, "allow needs what it grants (gate, route, publish, "
				      "bridge, taps or forward)"), -1;
		r->object = POLICY_EVERYTHING;
		return 0;
	}
	for (size_t k = 0; k < sizeof(objects) / sizeof(objects[0]) && !kw; k++)
		if (objects[k].name && !strcmp(tok[i], objects[k].name))
			kw = &objects[k];
	if (!kw)
		return report(lc, "unknown keyword \"%s\"", tok[i]), -1;
	if (!r->allow && !kw->deny_ok)
		return report(lc, "\"deny ... %s\" is not a rule; use \"allow ... %s 0\"",
			      kw->name, kw->name), -1;
	r->object = (enum policy_object)(kw - objects);
	if (kw->arg && i + 1 >= ntok)
		return report(lc, "%s needs an argument", kw->name), -1;
	if (kw->arg && kw->arg(lc, tok[i + 1], r) < 0)
		return -1;
	i += kw->arg ? 2 : 1;
	if (i < ntok)
		return report(lc, "unexpected \"%s\" after the rule", tok[i]), -1;
	return 0;
}

static void parse_line(struct line_ctx *lc, char *s)
{
	struct policy_rule r = { .line = lc->line };
	char *tok[MAX_TOKENS];
	int n = hn_words_split(s, tok, MAX_TOKENS), i = 1;

	if (n < 0) {
		report(lc, "too many words");
		return;
	}
	if (n == 0)
		return;
	if (strcmp(tok[0], "allow") && strcmp(tok[0], "deny")) {
		report(lc, "unknown keyword \"%s\" (allow or deny)", tok[0]);
		return;
	}
	r.allow = tok[0][0] == 'a';
	if (parse_who(lc, tok, n, &i, &r) < 0 || parse_what(lc, tok, n, i, &r) < 0)
		return;
	if (push(lc->p, &r) < 0)
		report(lc, "out of memory");
}

/**
 * policy_parse - read the rules of a whole file into @p
 * @p: initialised with policy_init(); rules are appended
 * @text: the file's contents, not necessarily NUL-terminated
 * @len: its length; more than POLICY_FILE_MAX is an error
 * @cb: called with "file:line: what" for each error (may be NULL)
 *
 * Every line is checked, so all errors are reported, not just the first.
 * Lines longer than POLICY_LINE_MAX and NUL bytes are errors.
 *
 * Return: the number of errors; 0 means @p holds the whole file.
 */
int policy_parse(struct policy *p, const char *text, size_t len, policy_error_cb cb, void *arg)
{
	struct line_ctx lc = { .p = p, .cb = cb, .arg = arg };
	char buf[POLICY_LINE_MAX + 1];

	if (len > POLICY_FILE_MAX)
		return report(&lc, "file larger than %d bytes", POLICY_FILE_MAX), lc.errors;
	for (size_t pos = 0; pos < len; ) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		lc.line++;
		if (end - pos > POLICY_LINE_MAX)
			report(&lc, "line longer than %d bytes", POLICY_LINE_MAX);
		else if (memchr(text + pos, '\0', end - pos))
			report(&lc, "NUL byte in line");
		else {
			memcpy(buf, text + pos, end - pos);
			buf[end - pos] = '\0';
			parse_line(&lc, buf);
		}
		pos = end + 1;
	}
	return lc.errors;
}

static bool in_groups(const struct policy_caller *c, gid_t g)
{
	if (c->gid == g)
		return true;
	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i] == g)
			return true;
	return false;
}

static bool applies(const struct policy_rule *r, const struct policy_caller *c)
{
	switch (r->subject) {
	case POLICY_ALL:	return true;
	case POLICY_USER:	return r->id == c->uid;
	case POLICY_GROUP:	return in_groups(c, r->id);
	}
	return false;
}

static bool in_prefix(const struct policy_rule *r, struct in_addr a)
{
	uint32_t mask = r->len ? htonl(~0u << (32 - r->len)) : 0;

	return (a.s_addr & mask) == r->net.s_addr;
}

/* The first applicable rule of @allow's kind for @object matching @match, or NULL. */
static const struct policy_rule *find(const struct policy *p, const struct policy_caller *c,
				      bool allow, enum policy_object object,
				      bool (*match)(const struct policy_rule *, const void *),
				      const void *what)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (r->allow == allow && applies(r, c) &&
		    (r->object == object || (!allow && r->object == POLICY_EVERYTHING)) &&
		    (r->object == POLICY_EVERYTHING || !match || match(r, what)))
			return r;
	}
	return NULL;
}

static bool match_addr(const struct policy_rule *r, const void *what)
{
	return in_prefix(r, *(const struct in_addr *)what);
}

static bool match_name(const struct policy_rule *r, const void *what)
{
	return !strcmp(r->ifname, what);
}

/* Deny wins, then allow, then the default: deny. @what is for the reason text. */
static bool decide(const struct policy *p, const struct policy_caller *c,
		   enum policy_object object,
		   bool (*match)(const struct policy_rule *, const void *),
		   const void *arg, const char *what, char *why, size_t n)
{
	const struct policy_rule *r = find(p, c, false, object, match, arg);

	if (r) {
		snprintf(why, n, "%s denied by %s:%u", what, p->file, r->line);
		return false;
	}
	r = find(p, c, true, object, match, arg);
	if (r) {
		snprintf(why, n, "%s allowed by %s:%u", what, p->file, r->line);
		return true;
	}
	snprintf(why, n, "no rule in %s allows %s", p->file, what);
	return false;
}

static bool decide_addr(const struct policy *p, const struct policy_caller *c,
			enum policy_object object, struct in_addr a, char *why, size_t n)
{
	char what[64], buf[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	snprintf(what, sizeof(what), "%s %s", objects[object].name, buf);
	return decide(p, c, object, match_addr, &a, what, why, n);
}

/**
 * policy_gate - may @c put the gate address @a on its tap?
 * @why: receives the reason either way ("gate 10.0.0.1 denied by file:3")
 *
 * Return: true when an allow rule grants it and no deny rule forbids it.
 */
bool policy_gate(const struct policy *p, const struct policy_caller *c,
		 struct in_addr a, char *why, size_t n)
{
	return decide_addr(p, c, POLICY_GATE, a, why, n);
}

/** policy_route - may @c route the guest address @a to its tap (and publish it)? As policy_gate(). */
bool policy_route(const struct policy *p, const struct policy_caller *c,
		  struct in_addr a, char *why, size_t n)
{
	return decide_addr(p, c, POLICY_ROUTE, a, why, n);
}

/** policy_publish - may @c have proxy entries published on host interface @ifname? As policy_gate(). */
bool policy_publish(const struct policy *p, const struct policy_caller *c,
		    const char *ifname, char *why, size_t n)
{
	char what[64];

	snprintf(what, sizeof(what), "publish on %s", ifname);
	return decide(p, c, POLICY_PUBLISH, match_name, ifname, what, why, n);
}

/**
 * policy_bridge - the bridge @c's taps are attached to (bridge mode), if any
 * @bridge: receives the name of the first allowed bridge that no rule denies
 *
 * Return: true in bridge mode.
 */
bool policy_bridge(const struct policy *p, const struct policy_caller *c, char bridge[IFNAMSIZ])
{
	for (size_t i = 0; i < p->n; i++) {
		const struct policy_rule *r = &p->rules[i];

		if (!r->allow || r->object != POLICY_BRIDGE || !applies(r, c) ||
		    find(p, c, false, POLICY_BRIDGE, match_name, r->ifname))
			continue;
		memcpy(bridge, r->ifname, IFNAMSIZ);
		return true;
	}
	return false;
}

/**
 * policy_bridge_allowed - may @c attach a tap to @bridge (QEMU's helper)?
 *
 * The same "bridge" rules that put @c's UML taps in bridge mode; any bridge
 * an allow rule names for @c will do, not only the first. As policy_gate().
 */
bool policy_bridge_allowed(const struct policy *p, const struct policy_caller *c,
			   const char *bridge, char *why, size_t n)
{
	char what[64];

	snprintf(what, sizeof(what), "bridge %s", bridge);
	return decide(p, c, POLICY_BRIDGE, match_name, bridge, what, why, n);
}

/**
 * policy_max_taps - how many taps @c may own at a time
 *
 * The most specific "taps" rules decide: user rules over group rules over
 * "all" rules; among rules of the same level the smallest number wins.
 *
 * Return: the limit; 0 when "deny <who>" covers @c; POLICY_TAPS_DEFAULT when
 * no taps rule applies.
 */
unsigned long policy_max_taps(const struct policy *p, const struct policy_caller *c)
{
	static const enum policy_subject levels[] = { POLICY_USER, POLICY_GROUP, POLICY_ALL };

	if (find(p, c, false, POLICY_TAPS, NULL, NULL))
		return 0;
	for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++) {
		unsigned long lim = ~0ul;

		for (size_t i = 0; i < p->n; i++) {
			const struct policy_rule *r = &p->rules[i];

			if (r->object == POLICY_TAPS && r->subject == levels[l] &&
			    applies(r, c) && r->taps < lim)
				lim = r->taps;
		}
		if (lim != ~0ul)
			return lim;
	}
	return POLICY_TAPS_DEFAULT;
}

/** policy_forward - may the helper turn on IPv4 forwarding for @c? As policy_gate(). */
bool policy_forward(const struct policy *p, const struct policy_caller *c, char *why, size_t n)
{
	return decide(p, c, POLICY_FORWARD, NULL, NULL, "forward", why, n);
}
