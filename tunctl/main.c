/* tunctl - create, delete and list persistent tun/tap devices; a drop-in for uml-utilities tunctl. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "nl.h"
#include "out.h"
#include "parse.h"
#include "tun.h"

#define PROG "tunctl"

enum mode { MODE_CREATE, MODE_DELETE, MODE_LIST };

struct opts {
	enum mode mode;
	bool brief, json, tun, multi_queue, vnet_hdr;
	bool has_owner, has_group;
	uid_t owner;
	gid_t group;
	const char *clone;
	char name[IFNAMSIZ];		/* "" lets the kernel pick */
};

enum { OPT_VERSION = 256, OPT_MQ, OPT_VNET };

/* A device name in a message: its control bytes escaped (hn_log_escape()). */
static const char *shown(const char *name)
{
	static char buf[4 * IFNAMSIZ + 1];

	hn_log_escape(buf, sizeof(buf), name);
	return buf;
}

static const struct option longopts[] = {
	{ "help",	 no_argument, NULL, 'h' },
	{ "version",	 no_argument, NULL, OPT_VERSION },
	{ "list",	 no_argument, NULL, 'l' },
	{ "json",	 no_argument, NULL, 'j' },
	{ "tun",	 no_argument, NULL, 'n' },
	{ "tap",	 no_argument, NULL, 'p' },
	{ "multi-queue", no_argument, NULL, OPT_MQ },
	{ "vnet-hdr",	 no_argument, NULL, OPT_VNET },
	{ NULL, 0, NULL, 0 },
};

/* The reference's usage text, byte for byte, then where to find more. */
static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
		"Create: " PROG " [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]\n"
		"Delete: " PROG " -d device-name [-f tun-clone-device]\n"
		"\n"
		"The default tun clone device is /dev/net/tun - some systems use\n"
		"/dev/misc/net/tun instead\n"
		"\n"
		"-b will result in brief output (just the device name)\n"
		"Try '" PROG " --help' for the full list of options.\n");
	exit(1);
}

static void __attribute__((noreturn)) help(void)
{
	printf("Usage: " PROG " [-b] [-n|-p] [-u owner] [-g group] [-t name] [-f clone-device]\n"
	       "              [--multi-queue] [--vnet-hdr]\n"
	       "       " PROG " -d name [-f clone-device]\n"
	       "       " PROG " -l [-j]\n"
	       "\n"
	       "Create a persistent tap (or tun) device owned by a user and/or group,\n"
	       "delete one, or list them.\n"
	       "\n"
	       "  -t NAME         device name, or a pattern with one %%d (default tap%%d)\n"
	       "  -u OWNER        user allowed to attach (name or uid; default: you,\n"
	       "                  unless -g is given)\n"
	       "  -g GROUP        group allowed to attach (name or gid)\n"
	       "  -b              brief: print only the device name\n"
	       "  -d NAME         make NAME non-persistent, so it goes when unused\n"
	       "  -f PATH         tun clone device (default " HN_TUN_CLONE ")\n"
	       "  -n, --tun       create a tun (layer 3) device\n"
	       "  -p, --tap       create a tap (layer 2) device (the default)\n"
	       "      --multi-queue   create a multi-queue device\n"
	       "      --vnet-hdr      enable the virtio-net header\n"
	       "  -l, --list      list tun/tap devices with owner, group and flags\n"
	       "  -j, --json      with -l: JSON output\n"
	       "  -h, --help      this text\n"
	       "      --version   print the version\n"
	       "\n"
	       "Exit status: 0 success, 1 failure. See tunctl(8).\n");
	exit(0);
}

static void __attribute__((noreturn)) bad_id(const char *opt, const char *arg, const char *why)
{
	hn_log_err("%s '%s': %s", opt, arg, why);
	exit(1);
}

/* -t and -d set the same name, as in the reference: the last one wins. */
static void set_name(struct opts *o, const char *arg)
{
	const char *why;

	/* An empty -t means "let the kernel pick", as in the reference. */
	if (!*arg) {
		o->name[0] = '\0';
		return;
	}
	if (hn_parse_ifname(arg, HN_PARSE_IFNAME_PATTERN, &why) < 0) {
		hn_log_err("'%s': %s", arg, why);
		exit(1);
	}
	strcpy(o->name, arg);
}

static void parse_opt(struct opts *o, int c, const char *arg, char *const *argv)
{
	const char *why;

	switch (c) {
	case 'b': o->brief = true; break;
	case 'd': o->mode = MODE_DELETE; set_name(o, arg); break;
	case 't': set_name(o, arg); break;
	case 'f': o->clone = arg; break;
	case 'u':
		if (hn_parse_uid(arg, &o->owner, &why) < 0)
			bad_id("-u", arg, why);
		o->has_owner = true;
		break;
	case 'g':
		if (hn_parse_gid(arg, &o->group, &why) < 0)
			bad_id("-g", arg, why);
		o->has_group = true;
		break;
	case 'n': o->tun = true; break;
	case 'p': o->tun = false; break;
	case 'l': o->mode = MODE_LIST; break;
	case 'j': o->json = true; break;
	case OPT_MQ: o->multi_queue = true; break;
	case OPT_VNET: o->vnet_hdr = true; break;
	case 'h': help();
	case OPT_VERSION: printf(PROG " (hostnet) %s\n", HN_VERSION); exit(0);
	case ':':
		hn_log_err("option requires an argument -- '%c'", optopt);
		usage();
	default:
		if (optopt)
			hn_log_err("invalid option -- '%c'", optopt);
		else
			hn_log_err("unrecognized option '%s'", argv[optind - 1]);
		usage();
	}
}

static void parse_args(struct opts *o, int argc, char **argv)
{
	int c, li = -1;

	o->clone = HN_TUN_CLONE;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":bd:f:t:u:g:hnplj", longopts, &li)) != -1) {
		/* getopt_long accepts abbreviations ("--he"); we match exactly. */
		if (li >= 0 && strcmp(argv[optind - 1] + 2, longopts[li].name)) {
			hn_log_err("unrecognized option '%s'", argv[optind - 1]);
			usage();
		}
		parse_opt(o, c, optarg, argv);
		li = -1;
	}
	if (optind < argc) {
		hn_log_err("unexpected argument '%s'", argv[optind]);
		usage();
	}
	if (o->mode == MODE_DELETE && (!o->name[0] || strchr(o->name, '%'))) {
		hn_log_err("'%s': -d needs a device name, not a pattern", o->name);
		exit(1);
	}
	if (o->json && o->mode != MODE_LIST) {
		hn_log_err("-j only applies to -l");
		usage();
	}
}

/* "uid 1000 gid 100", "uid 1000", "gid 100" or "nobody" into buf. */
static const char *owner_text(char *buf, size_t n, bool ho, uid_t u, bool hg, gid_t g)
{
	int k = 0;

	buf[0] = '\0';
	if (ho)
		k = snprintf(buf, n, "uid %u", (unsigned int)u);
	if (hg)
		snprintf(buf + k, n - (size_t)k, "%sgid %u", ho ? " " : "", (unsigned int)g);
	return buf[0] ? buf : "nobody";
}

/*
 * Re-running create on an existing device must not silently take it from
 * its owner or group (the reference re-owns it). Devices without owner and
 * group are adopted as before.
 */
static int check_existing(const struct opts *o, const struct hn_tun_info *cur,
			  bool want_owner, uid_t owner)
{
	bool new_ho = want_owner || cur->has_owner, new_hg = o->has_group || cur->has_group;
	uid_t new_u = want_owner ? owner : cur->owner;
	gid_t new_g = o->has_group ? o->group : cur->group;
	char a[48], b[48];

	if (!cur->is_tun)
		return hn_log_err("%s: exists and is not a tun/tap device", o->name), -1;
	if (cur->tap == o->tun)
		return hn_log_err("%s: exists as a %s device, not %s", o->name,
				  cur->tap ? "tap" : "tun", o->tun ? "tun" : "tap"), -1;
	if (cur->multi_queue != o->multi_queue)
		return hn_log_err("%s: exists as a %s device%s", o->name,
				  cur->multi_queue ? "multi-queue" : "single-queue",
				  cur->multi_queue ? " (add --multi-queue)" : ""), -1;
	if (!cur->has_owner && !cur->has_group)
		return 0;
	if (new_ho == cur->has_owner && new_hg == cur->has_group &&
	    (!new_ho || new_u == cur->owner) && (!new_hg || new_g == cur->group))
		return 0;
	hn_log_err("%s: already owned by %s; refusing to change it to %s "
		   "(delete it first: " PROG " -d %s)", o->name,
		   owner_text(a, sizeof(a), cur->has_owner, cur->owner, cur->has_group, cur->group),
		   owner_text(b, sizeof(b), new_ho, new_u, new_hg, new_g), o->name);
	return -1;
}

/* Look the named device up; 1 if it exists, 0 if not, -1 on error. */
static int lookup(struct hn_ctx *ctx, const char *name, struct hn_tun_info *info)
{
	int rc;

	if (!name[0] || strchr(name, '%'))
		return 0;
	rc = hn_tun_query(ctx, name, info);
	if (rc == -ENODEV)
		return 0;
	if (rc < 0) {
		hn_log_ctx(ctx, rc);
		return -1;
	}
	return 1;
}

/* What tunctl has always printed when hn_tun_create() fails at @step. */
static void tun_failed(const struct opts *o, const char *name, enum hn_tun_step step, int rc)
{
	if (step == HN_TUN_STEP_OPEN)
		hn_log_err("%s: open: %s", o->clone, strerror(-rc));
	else if (step == HN_TUN_STEP_ATTACH || step == HN_TUN_STEP_ARGS)
		hn_log_err("%s: TUNSETIFF: %s%s", name[0] ? name : o->clone, strerror(-rc),
			   rc == -ENOTTY ? " (is the -f path a tun clone device?)" : "");
	else
		hn_log_err("%s: %s: %s", name, hn_tun_step_name(step), strerror(-rc));
}

static int do_create(struct hn_ctx *ctx, struct opts *o)
{
	bool want_owner = o->has_owner || !o->has_group;
	struct hn_tun_spec spec = {
		.clone = o->clone,
		.flags = (o->tun ? IFF_TUN : IFF_TAP) | IFF_NO_PI |
			 (o->multi_queue ? IFF_MULTI_QUEUE : 0) | (o->vnet_hdr ? IFF_VNET_HDR : 0),
		.has_owner = want_owner, .owner = o->has_owner ? o->owner : geteuid(),
		.has_group = o->has_group, .group = o->group,
		.persist = true,
	};
	enum hn_tun_step step;
	struct hn_tun_info cur;
	char name[IFNAMSIZ], ids[48];
	int exists, rc;

	exists = lookup(ctx, o->name, &cur);
	if (exists < 0 || (exists && check_existing(o, &cur, want_owner, spec.owner) < 0))
		return 1;
	strcpy(name, o->name);
	rc = hn_tun_create(&spec, name, &step);
	if (rc < 0) {
		tun_failed(o, name, step, rc);
		return 1;
	}
	if (o->brief)
		printf("%s\n", name);	/* data for $(tunctl -b): the name itself */
	else
		printf("Set '%s' persistent and owned by %s\n", shown(name),
		       owner_text(ids, sizeof(ids), want_owner, spec.owner, o->has_group, o->group));
	return 0;
}

static int do_delete(struct hn_ctx *ctx, struct opts *o)
{
	struct hn_tun_spec spec = { .clone = o->clone, .flags = IFF_NO_PI, .keep_fd = true };
	enum hn_tun_step step;
	struct hn_tun_info cur;
	int fd, rc, exists = lookup(ctx, o->name, &cur);

	if (exists < 0)
		return 1;
	if (!exists) {
		/* Scripts use -d as "make sure it is gone": it is. */
		hn_log_err("%s: no such device; nothing to delete", o->name);
		printf("Set '%s' nonpersistent\n", shown(o->name));
		return 0;
	}
	if (!cur.is_tun) {
		hn_log_err("%s: not a tun/tap device", o->name);
		return 1;
	}
	spec.flags |= (cur.tap ? IFF_TAP : IFF_TUN) | (cur.multi_queue ? IFF_MULTI_QUEUE : 0);
	fd = hn_tun_create(&spec, o->name, &step);
	if (fd < 0) {
		tun_failed(o, o->name, step, fd);
		return 1;
	}
	rc = hn_tun_set_persist(fd, false);
	close(fd);
	if (rc < 0) {
		hn_log_err("%s: TUNSETPERSIST: %s", o->name, strerror(-rc));
		return 1;
	}
	printf("Set '%s' nonpersistent\n", shown(o->name));
	return 0;
}

static void print_id(struct hn_out *out, const char *key, bool has, uint32_t id)
{
	if (has)
		hn_out_uint(out, key, "%-11llu", id);
	else
		hn_out_null(out, key, "%-11s");
}

static int print_one(const void *obj, void *arg)
{
	const struct hn_tun_info *t = obj;
	struct hn_out *out = arg;
	static const char *const names[] = { "pi", "vnet_hdr", "multi_queue", "up" };
	bool on[] = { t->pi, t->vnet_hdr, t->multi_queue, (t->ifflags & IFF_UP) != 0 };
	int any = 0;

	hn_out_open(out, NULL, '{');
	hn_out_str(out, "ifname", "%-16s", t->name);
	hn_out_str(out, "mode", "%-5s", t->tap ? "tap" : "tun");
	print_id(out, "owner", t->has_owner, t->owner);
	print_id(out, "group", t->has_group, t->group);
	hn_out_bool(out, "persist", "%-8s", t->persist);
	for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		hn_out_bool(out, names[i], NULL, on[i]);
		if (on[i])
			hn_out_text(out, "%s%s", any++ ? "," : "", names[i]);
	}
	hn_out_text(out, "%s\n", any ? "" : "-");
	hn_out_close(out, '{');
	return 0;
}

static int do_list(struct hn_ctx *ctx, const struct opts *o)
{
	struct hn_out out;
	int rc;

	hn_out_init(&out, stdout, o->json);
	hn_out_text(&out, "%-16s%-5s%-11s%-11s%-8s%s\n",
		    "NAME", "MODE", "OWNER", "GROUP", "PERSIST", "FLAGS");
	hn_out_open(&out, NULL, '[');
	rc = hn_tun_list(ctx, print_one, &out);
	hn_out_close(&out, '[');
	hn_out_end(&out);
	if (rc < 0) {
		hn_log_ctx(ctx, rc);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .mode = MODE_CREATE };
	struct hn_ctx ctx;
	int rc;

	hn_log_setprog(PROG);
	parse_args(&o, argc, argv);
	hn_ctx_init(&ctx);
	if (o.mode == MODE_LIST)
		rc = do_list(&ctx, &o);
	else if (o.mode == MODE_DELETE)
		rc = do_delete(&ctx, &o);
	else
		rc = do_create(&ctx, &o);
	hn_ctx_fini(&ctx);
	return rc;
}
