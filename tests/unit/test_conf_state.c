/* test_conf_state.c - unit tests for hostnet's state file: round trip, corruption refused with its line, the lock. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "unit.h"
#include "../../hostnet/state.h"

static char dir[] = "/tmp/hn-state-test.XXXXXX";

static void write_file(const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/state", dir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, 0600);	/* state_read refuses a file others may write */
}

static void add(struct recs *r, enum rec_kind kind, const char *dev, const char *pfx,
		const char *name, const char *val)
{
	struct rec x;

	memset(&x, 0, sizeof(x));
	x.kind = kind;
	strcpy(x.dev, dev);
	if (pfx)
		hn_parse_prefix(pfx, AF_UNSPEC, false, &x.p);
	strcpy(x.name, name);
	strcpy(x.val, val);
	if (kind == REC_TUN)
		x.gid = 42, x.mode = 0660;
	recs_add(r, &x);
}

static void test_round_trip(void)
{
	struct recs w = { .linkgroup = 7, .natgen = 4000000000u, .nathash = 0x0123456789abcdefull }, r;
	char a[256], b[256];
	int line, rc;

	add(&w, REC_LINK, "br0", NULL, "", "");
	add(&w, REC_PORT, "eth0", NULL, "", "");
	add(&w, REC_ADDR, "br0", "10.0.0.1/24", "", "");
	add(&w, REC_ROUTE, "tap0", "10.0.0.2", "", "");
	add(&w, REC_NEIGH, "eth0", "fd00::2", "", "");
	add(&w, REC_SYSCTL, "", NULL, "net/ipv4/ip_forward", "0");
	add(&w, REC_TUN, "", NULL, "/dev/net/tun", "");
	add(&w, REC_NAT, "", NULL, "forward tcp 80 to 10.0.0.2 port 80", "");
	add(&w, REC_NFTTABLE, "", NULL, "ip", "");
	add(&w, REC_MOVEADDR, "eth0", "192.168.1.200/24", "", "");
	add(&w, REC_MOVEROUTE, "eth0", NULL,
	    "0.0.0.0/0 via 192.168.1.1 metric 0 table 254 proto 3 scope 0 type 1", "");
	w.v[w.n - 1].ifindex = 2;
	add(&w, REC_LINKSET, "tap9", NULL, "", "");	/* journal only: not written */
	is_int(state_write(dir, &w), 0, "state written");
	rc = state_read(dir, &r, &line);
	is_int(rc, 0, "state read back");
	is_int(r.n, w.n - 1, "every record but the journal-only one");
	is_int(r.linkgroup, 7, "linkgroup kept");
	ok(r.natgen == 4000000000u && r.nathash == 0x0123456789abcdefull, "natgen kept");
	for (size_t i = 0; i < r.n && i < w.n; i++)
		is_str(rec_text(&r.v[i], a, sizeof(a)), rec_text(&w.v[i], b, sizeof(b)),
		       "record %zu: %s", i, b);
	ok(recs_find(&r, &w.v[3]) == &r.v[3], "recs_find by object");
	recs_free(&w);
	recs_free(&r);
}

/* The index finds what the scan finds, among many links and other kinds. */
static void test_index(void)
{
	struct recs r = { 0 };
	struct rec k;
	char name[16];
	bool all = true;

	for (int i = 999; i >= 0; i--) {
		snprintf(name, sizeof(name), "t%d", i);
		add(&r, REC_LINK, name, NULL, "", "");
		add(&r, REC_ADDR, name, "10.0.0.1/24", "", "");
	}
	is_int(recs_index(&r), 0, "index built");
	for (size_t i = 0; i < r.n; i++)
		all &= recs_find(&r, &r.v[i]) == &r.v[i];
	ok(all, "every record found by bisection");
	memset(&k, 0, sizeof(k));
	k.kind = REC_LINK;
	strcpy(k.dev, "t1000");
	ok(!recs_find(&r, &k), "absent link not found");
	k.kind = REC_PORT;
	strcpy(k.dev, "t5");
	ok(!recs_find(&r, &k), "same name, other kind: not found");
	strcpy(k.dev, "t5");
	k.kind = REC_ADDR;
	hn_parse_prefix("10.0.0.1/25", AF_UNSPEC, false, &k.p);
	ok(!recs_find(&r, &k), "same address, other length: not found");
	add(&r, REC_LINK, "late", NULL, "", "");
	ok(!r.idx, "adding drops the index");
	memset(&k, 0, sizeof(k));
	k.kind = REC_LINK;
	strcpy(k.dev, "late");
	ok(recs_find(&r, &k) == &r.v[r.n - 1], "found by the scan after an add");
	recs_free(&r);
}

/* A link's identity: written as " @IFINDEX", read back, not part of the key. */
static void test_identity(void)
{
	struct recs r;
	struct rec k = { .kind = REC_LINK, .dev = "tap0" };
	char a[256];
	int line;

	write_file("hostnet-state 1\nlink tap0 @7\naddr tap0 10.0.0.1/24 @7\n"
		   "link tap1\nneigh eth0 10.0.0.2 @2\nend\n");
	is_int(state_read(dir, &r, &line), 0, "identities read");
	is_int(r.n, 4, "four records");
	is_int(r.v[0].ifindex, 7, "link ifindex");
	is_int(r.v[1].ifindex, 7, "addr ifindex");
	is_int(r.v[2].ifindex, 0, "an older record without identity");
	is_str(rec_text(&r.v[1], a, sizeof(a)), "addr tap0 10.0.0.1/24 @7", "written back with it");
	is_str(rec_key(&r.v[1], a, sizeof(a)), "addr tap0 10.0.0.1/24", "key without it");
	is_str(rec_text(&r.v[2], a, sizeof(a)), "link tap1", "none written when unknown");
	recs_index(&r);
	ok(recs_find(&r, &k) == &r.v[0], "found by name, whatever the ifindex");
	recs_free(&r);
}

static void test_corrupt(void)
{
	static const struct { const char *text; int line; } cases[] = {
		{ "", 0 },
		{ "hostnet-state 1\nlink tap0\n", 0 },			/* no end mark */
		{ "hostnet-state 2\nend\n", 1 },
		{ "hostnet-state 1\nlink\nend\n", 2 },
		{ "hostnet-state 1\nlink tap0 x\nend\n", 2 },
		{ "hostnet-state 1\nlink 0123456789abcdef\nend\n", 2 },
		{ "hostnet-state 1\nfrob tap0\nend\n", 2 },
		{ "hostnet-state 1\naddr tap0 10.0.0.1\nend\n", 2 },	/* no prefix length */
		{ "hostnet-state 1\ntun dev/net/tun 0 0660\nend\n", 2 },
		{ "hostnet-state 1\nnfttable inet\nend\n", 2 },
		{ "hostnet-state 1\nnatgen 0 0123456789abcdef\nend\n", 2 },	/* no generation 0 */
		{ "hostnet-state 1\nnatgen 5 0123456789abcde\nend\n", 2 },	/* 15 digits */
		{ "hostnet-state 1\nnatgen 5 0123456789ABCDEF\nend\n", 2 },
		{ "hostnet-state 1\nnatgen 5\nend\n", 2 },
		{ "hostnet-state 1\nnatgen 99999999999 0123456789abcdef\nend\n", 2 },
		{ "hostnet-state 1\nend\nlink tap0\n", 3 },		/* after the end */
		{ "hostnet-state 1\nlink tap0", 2 },			/* cut short */
		{ "hostnet-state 1\nlink tap0 @0\nend\n", 2 },		/* no ifindex 0 */
		{ "hostnet-state 1\nlink tap0 @x\nend\n", 2 },
		{ "hostnet-state 1\nlink tap0 @3000000000\nend\n", 2 },
		{ "hostnet-state 1\naddr tap0 @4 10.0.0.1/24\nend\n", 2 },	/* identity last */
		{ "hostnet-state 1\nmoveroute eth0 0.0.0.0/0 via x metric 0\nend\n", 2 },
		{ "hostnet-state 1\nmoveroute eth0\nend\n", 2 },
		{ "hostnet-state 1\nmoveaddr eth0 10.0.0.1\nend\n", 2 },
	};
	struct recs r;
	int line;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(cases[i].text);
		is_int(state_read(dir, &r, &line), -EBADMSG, "corrupt %zu refused", i);
		is_int(line, cases[i].line, "corrupt %zu at line %d", i, cases[i].line);
		ok(r.n == 0 && !r.v, "corrupt %zu: nothing kept to act on", i);
	}
	is_int(state_remove(dir), 0, "state removed");
	is_int(state_read(dir, &r, &line), -ENOENT, "missing state: -ENOENT");
}

/* NAT records of an older hostnet (dst A/32) read back as lib prints items now. */
static void test_old_nat_words(void)
{
	struct recs r;
	int line;

	write_file("hostnet-state 1\n"
		   "nat forward tcp 8080 dst 203.0.113.5/32 to 192.168.2.12 port 80 local\n"
		   "nat hairpin 10.0.0.2/32\nnat something else\nend\n");
	is_int(state_read(dir, &r, &line), 0, "old NAT records read");
	is_int(r.n, 3, "three records");
	if (r.n == 3) {
		is_str(r.v[0].name, "forward tcp 8080 dst 203.0.113.5 to 192.168.2.12 port 80 local",
		       "forward: dst printed bare");
		is_str(r.v[1].name, "hairpin 10.0.0.2", "hairpin: host prefix printed bare");
		is_str(r.v[2].name, "something else", "unparsable words kept as they are");
	}
	recs_free(&r);
}

static void test_lock(void)
{
	int a = state_lock(dir, 0), b;

	ok(a >= 0, "lock taken");
	b = state_lock(dir, 0);
	is_int(b, -EWOULDBLOCK, "second lock refused");
	b = state_lock(dir, 30);
	is_int(b, -EWOULDBLOCK, "second lock refused after waiting 30 ms");
	close(a);
	b = state_lock(dir, 30);
	ok(b >= 0, "lock free again after close");
	close(b);
}

int main(void)
{
	char cmd[128];

	if (!mkdtemp(dir))
		return 1;
	test_round_trip();
	test_index();
	test_identity();
	test_corrupt();
	test_old_nat_words();
	test_lock();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		return 1;
	return done_testing();
}
