/* test_sysctl.c - unit tests for lib/sysctl.c: which names are accepted and how conf names are built. */
#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "unit.h"
#include "nl.h"
#include "sysctl.h"

static void test_names(void)
{
	static const struct { const char *s; int rc; } cases[] = {
		{ "net/ipv4/ip_forward", 0 },
		{ "net/ipv4/conf/tap0/proxy_arp", 0 },
		{ "net/ipv4/conf/eth0.5/proxy_arp", 0 },
		{ "net/ipv6/conf/all/forwarding", 0 },
		/* any byte the kernel allows in an interface name */
		{ "net/ipv4/conf/a$b{c}/proxy_arp", 0 },
		{ "net/ipv4/conf/q\"\\x/proxy_arp", 0 },
		{ "net/ipv4/conf/e\033[1m/proxy_arp", 0 },
		{ "net/ipv4/conf/..x/proxy_arp", 0 },
		{ "kernel/hostname", -EINVAL },
		{ "/net/ipv4/ip_forward", -EINVAL },
		{ "net/../kernel/hostname", -EINVAL },
		{ "net/ipv4/conf/../../../kernel/x", -EINVAL },
		{ "net/ipv4/conf/./proxy_arp", -EINVAL },
		{ "net//ipv4", -EINVAL },
		{ "net/ipv4/", -EINVAL },
		{ "net/ipv4/ip forward", -EINVAL },
		{ "net/ipv4/ip_forward\n", -EINVAL },
		{ "net", -EINVAL },
		{ "", -EINVAL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(hn_sysctl_check_name(cases[i].s), cases[i].rc, "name '%s'", cases[i].s);
}

static void test_conf_names(void)
{
	char buf[HN_SYSCTL_MAX];

	is_int(hn_sysctl_conf_name(AF_INET, "tap0", "proxy_arp", buf, sizeof(buf)), 0, "v4 conf");
	is_str(buf, "net/ipv4/conf/tap0/proxy_arp", "v4 conf name");
	is_int(hn_sysctl_conf_name(AF_INET6, "eth0.5", "proxy_ndp", buf, sizeof(buf)), 0, "v6 conf");
	is_str(buf, "net/ipv6/conf/eth0.5/proxy_ndp", "v6 conf name (slash form keeps the dot)");
	is_int(hn_sysctl_conf_name(AF_INET, "all", "rp_filter", buf, sizeof(buf)), 0, "all");
	is_str(buf, "net/ipv4/conf/all/rp_filter", "all name");
	is_int(hn_sysctl_conf_name(AF_INET, "..", "proxy_arp", buf, sizeof(buf)), -EINVAL, "'..' refused");
	is_int(hn_sysctl_conf_name(AF_INET, "a/b", "proxy_arp", buf, sizeof(buf)), -EINVAL, "slash refused");
	is_int(hn_sysctl_conf_name(AF_INET, "0123456789abcdef", "proxy_arp", buf, sizeof(buf)),
	       -ENAMETOOLONG, "16-byte name refused, not truncated");
	is_int(hn_sysctl_conf_name(AF_INET, "tap0", "../x", buf, sizeof(buf)), -EINVAL, "key with slash");
	is_int(hn_sysctl_conf_name(AF_INET, "tap0", "", buf, sizeof(buf)), -EINVAL, "empty key");
	is_int(hn_sysctl_conf_name(AF_UNIX, "tap0", "x", buf, sizeof(buf)), -EAFNOSUPPORT, "bad family");
	is_int(hn_sysctl_conf_name(AF_INET, "tap0", "proxy_arp", buf, 10), -ENAMETOOLONG, "small buffer");
}

/* A knob that cannot be read reads as off, whatever the caller's variable held. */
static void test_get_bool(void)
{
	struct hn_ctx ctx;
	bool on = true;

	hn_ctx_init(&ctx);
	is_int(hn_sysctl_get_bool(&ctx, "kernel/hostname", &on), -EINVAL, "bool: bad name refused");
	ok(!on, "bool: false when not read");
	on = true;
	is_int(hn_sysctl_get_bool(&ctx, "net/ipv4/conf/no-such-if0/forwarding", &on), -ENOENT,
	       "bool: missing knob");
	ok(!on, "bool: false when missing");
	hn_ctx_fini(&ctx);
}

int main(void)
{
	test_names();
	test_conf_names();
	test_get_bool();
	return done_testing();
}
