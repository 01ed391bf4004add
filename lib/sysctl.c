/* sysctl.c - /proc/sys/net reads and writes; every name is checked before a file is opened. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "nl.h"
#include "parse.h"
#include "sysctl.h"

/* The per-family directory and switch names (AF_INET = 2, AF_INET6 = 10). */
static const struct fam {
	const char *dir;		/* net/<dir>/conf/<if>/<key> */
	const char *forwarding;		/* the global forwarding switch */
	const char *proxy;		/* the per-interface proxy key */
} fams[] = {
	[AF_INET]  = { .dir = "ipv4", .forwarding = "net/ipv4/ip_forward",
		       .proxy = "proxy_arp" },
	[AF_INET6] = { .dir = "ipv6", .forwarding = "net/ipv6/conf/all/forwarding",
		       .proxy = "proxy_ndp" },
};

static const struct fam *fam_of(int family)
{
	if (family < 0 || (size_t)family >= sizeof(fams) / sizeof(fams[0]) ||
	    !fams[family].dir)
		return NULL;
	return &fams[family];
}

/*
 * Interface names may hold any byte but '/', ':' and whitespace ('$', '{',
 * '"', '\\' and control bytes included): every one of them is a name under
 * /proc/sys/net/ipv4/conf. Only the components "." and ".." could leave
 * /proc/sys/net, and those are refused below.
 */
static bool name_char_ok(char c)
{
	return !isspace((unsigned char)c);
}

/**
 * hn_sysctl_check_name - accept only "net/..." names that stay under /proc/sys/net
 * @name: slash form, e.g. "net/ipv4/conf/tap0/proxy_arp"
 *
 * Components must be non-empty and neither "." nor ".."; any byte but
 * whitespace may appear in them, as in the interface names they hold.
 *
 * Return: 0, -EINVAL, or -ENAMETOOLONG.
 */
int hn_sysctl_check_name(const char *name)
{
	const char *c = name;

	if (strlen(name) >= HN_SYSCTL_MAX)
		return -ENAMETOOLONG;
	if (strncmp(name, "net/", 4))
		return -EINVAL;
	for (; *c; c++)
		if (!name_char_ok(*c))
			return -EINVAL;
	for (c = name; c; c = strchr(c, '/') ? strchr(c, '/') + 1 : NULL) {
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return -EINVAL;
	}
	return 0;
}

/**
 * hn_sysctl_conf_name - build "net/ipv{4,6}/conf/<ifname>/<key>"
 * @family: AF_INET or AF_INET6
 * @ifname: a valid interface name, or "all" / "default"
 * @key: the knob, e.g. "proxy_arp", "rp_filter"
 * @buf: receives the name
 *
 * Return: 0, -EAFNOSUPPORT, -EINVAL/-ENAMETOOLONG (bad interface name or key).
 */
int hn_sysctl_conf_name(int family, const char *ifname, const char *key,
			char *buf, size_t len)
{
	const struct fam *f = fam_of(family);
	int rc, n;

	if (!f)
		return -EAFNOSUPPORT;
	rc = hn_parse_ifname(ifname, 0, NULL);
	if (rc)
		return rc;
	if (!*key || strchr(key, '/'))
		return -EINVAL;
	n = snprintf(buf, len, "net/%s/conf/%s/%s", f->dir, ifname, key);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return hn_sysctl_check_name(buf);
}

static int open_knob(struct hn_ctx *ctx, const char *name, int flags)
{
	char path[sizeof(HN_SYSCTL_ROOT) + HN_SYSCTL_MAX];
	int rc = hn_sysctl_check_name(name), fd;

	if (rc)
		return hn_ctx_fail(ctx, rc, "sysctl %s", name);
	snprintf(path, sizeof(path), HN_SYSCTL_ROOT "%s", name);
	fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return hn_ctx_fail(ctx, -errno, "sysctl %s", name);
	return fd;
}

/**
 * hn_sysctl_get - read a knob's value, without the trailing newline
 * @name: checked by hn_sysctl_check_name()
 * @buf: receives the text, NUL-terminated
 *
 * Return: 0, -EINVAL (bad name), -ENOENT (no such knob), -EOVERFLOW
 * (value longer than @len), or another -errno of open/read.
 */
int hn_sysctl_get(struct hn_ctx *ctx, const char *name, char *buf, size_t len)
{
	int fd = open_knob(ctx, name, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = read(fd, buf, len);
	close(fd);
	if (n < 0)
		return hn_ctx_fail(ctx, -errno, "sysctl %s", name);
	if ((size_t)n >= len)
		return hn_ctx_fail(ctx, -EOVERFLOW, "sysctl %s", name);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

/**
 * hn_sysctl_set - write @val and a newline to a knob
 *
 * Return: 0, -EINVAL (bad name), -ENOENT, -EACCES/-EPERM, or -errno of write.
 */
int hn_sysctl_set(struct hn_ctx *ctx, const char *name, const char *val)
{
	char line[64];
	int fd, n;
	ssize_t w;

	n = snprintf(line, sizeof(line), "%s\n", val);
	if (n < 0 || (size_t)n >= sizeof(line))
		return hn_ctx_fail(ctx, -EINVAL, "sysctl %s", name);
	fd = open_knob(ctx, name, O_WRONLY);
	if (fd < 0)
		return fd;
	w = write(fd, line, (size_t)n);
	if (w < 0)
		n = -errno;
	else
		n = w == n ? 0 : -EIO;
	close(fd);
	return n ? hn_ctx_fail(ctx, n, "sysctl %s", name) : 0;
}

/** hn_sysctl_get_uint - a knob holding one decimal number. Return: as hn_sysctl_get(); -EBADMSG if not a number. */
int hn_sysctl_get_uint(struct hn_ctx *ctx, const char *name, unsigned long *v)
{
	char buf[32];
	int rc = hn_sysctl_get(ctx, name, buf, sizeof(buf));

	if (rc)
		return rc;
	if (hn_parse_uint(buf, (unsigned long)-1, v))
		return hn_ctx_fail(ctx, -EBADMSG, "sysctl %s", name);
	return 0;
}

/**
 * hn_sysctl_get_bool - a knob read as "non-zero"; false when it cannot be read
 *
 * Return: as hn_sysctl_get_uint().
 */
int hn_sysctl_get_bool(struct hn_ctx *ctx, const char *name, bool *on)
{
	unsigned long v = 0;
	int rc = hn_sysctl_get_uint(ctx, name, &v);

	*on = !rc && v != 0;
	return rc;
}

/**
 * hn_sysctl_get_forwarding - the global forwarding switch of the namespace
 * @family: AF_INET (net.ipv4.ip_forward) or AF_INET6 (conf/all/forwarding)
 *
 * Return: 0, -EAFNOSUPPORT, or as hn_sysctl_get().
 */
int hn_sysctl_get_forwarding(struct hn_ctx *ctx, int family, bool *on)
{
	const struct fam *f = fam_of(family);

	if (!f)
		return hn_ctx_fail(ctx, -EAFNOSUPPORT, "forwarding");
	return hn_sysctl_get_bool(ctx, f->forwarding, on);
}

/** hn_sysctl_set_forwarding - turn the global switch on or off. Return: as hn_sysctl_set(). */
int hn_sysctl_set_forwarding(struct hn_ctx *ctx, int family, bool on)
{
	const struct fam *f = fam_of(family);

	if (!f)
		return hn_ctx_fail(ctx, -EAFNOSUPPORT, "forwarding");
	return hn_sysctl_set(ctx, f->forwarding, on ? "1" : "0");
}

/*
 * A missing conf/<if> directory means no such interface: say -ENODEV, the
 * errno every other lookup by name gives.
 */
static int conf_rc(struct hn_ctx *ctx, int rc, const char *ifname)
{
	if (rc == -ENOENT)
		return hn_ctx_fail(ctx, -ENODEV, "%s", ifname);
	return rc;
}

/**
 * hn_sysctl_get_conf - read net/ipv{4,6}/conf/<ifname>/<key> as a number
 * @ifname: a valid interface name, "all" or "default"
 *
 * Return: 0, -EINVAL/-ENAMETOOLONG (bad name), -ENODEV (no such
 * interface or key), -EAFNOSUPPORT, or as hn_sysctl_get().
 */
int hn_sysctl_get_conf(struct hn_ctx *ctx, int family, const char *ifname,
		       const char *key, unsigned long *v)
{
	char name[HN_SYSCTL_MAX];
	int rc = hn_sysctl_conf_name(family, ifname, key, name, sizeof(name));

	if (rc)
		return hn_ctx_fail(ctx, rc, "%s", ifname);
	return conf_rc(ctx, hn_sysctl_get_uint(ctx, name, v), ifname);
}

/**
 * hn_sysctl_get_proxy - proxy_arp (AF_INET) or proxy_ndp (AF_INET6) of @ifname
 *
 * Return: as hn_sysctl_get_conf().
 */
int hn_sysctl_get_proxy(struct hn_ctx *ctx, int family, const char *ifname, bool *on)
{
	const struct fam *f = fam_of(family);
	unsigned long v;
	int rc;

	if (!f)
		return hn_ctx_fail(ctx, -EAFNOSUPPORT, "%s", ifname);
	rc = hn_sysctl_get_conf(ctx, family, ifname, f->proxy, &v);
	if (!rc)
		*on = v != 0;
	return rc;
}

/** hn_sysctl_set_proxy - set proxy_arp / proxy_ndp of @ifname. Return: as hn_sysctl_get_conf(), -EPERM. */
int hn_sysctl_set_proxy(struct hn_ctx *ctx, int family, const char *ifname, bool on)
{
	const struct fam *f = fam_of(family);
	char name[HN_SYSCTL_MAX];
	int rc;

	if (!f)
		return hn_ctx_fail(ctx, -EAFNOSUPPORT, "%s", ifname);
	rc = hn_sysctl_conf_name(family, ifname, f->proxy, name, sizeof(name));
	if (rc)
		return hn_ctx_fail(ctx, rc, "%s", ifname);
	return conf_rc(ctx, hn_sysctl_set(ctx, name, on ? "1" : "0"), ifname);
}

/**
 * hn_sysctl_conf_each - call @fn for each directory under net/<family>/conf
 * @family: AF_INET or AF_INET6
 * @fn: called with each name ("all", "default" and every interface's);
 *      a non-zero return stops the walk and is returned
 * @arg: passed to @fn
 *
 * Writing a family's global forwarding knob makes the kernel overwrite
 * every interface's: this is how a caller saves them first.
 *
 * Return: 0, what @fn returned, -EAFNOSUPPORT, or -errno of opendir.
 */
int hn_sysctl_conf_each(int family, int (*fn)(const char *name, void *arg), void *arg)
{
	const struct fam *f = fam_of(family);
	char path[64];
	struct dirent *d;
	DIR *dir;
	int rc = 0;

	if (!f)
		return -EAFNOSUPPORT;
	snprintf(path, sizeof(path), HN_SYSCTL_ROOT "net/%s/conf", f->dir);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while (!rc && (d = readdir(dir)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			rc = fn(d->d_name, arg);
	closedir(dir);
	return rc;
}
