/* parse.c - strict parsers for names, numbers, ids, switches and addresses. */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if.h>

#include "parse.h"

/**
 * hn_parse_ifname - check an interface name by the kernel's rules
 * @s: the name as given
 * @flags: HN_PARSE_IFNAME_PATTERN to accept one "%d" for the kernel to fill
 * @why: if not NULL, receives a static text explaining a rejection
 *
 * The kernel's dev_valid_name(): not empty, shorter than IFNAMSIZ, not "."
 * or "..", no '/', ':' or whitespace. Names are never truncated.
 *
 * Return: 0, -EINVAL (bad character, empty, bad pattern) or -ENAMETOOLONG.
 */
int hn_parse_ifname(const char *s, unsigned int flags, const char **why)
{
	const char *dummy, *pct;
	size_t n = strlen(s);

	if (!why)
		why = &dummy;
	if (n == 0)
		return *why = "empty interface name", -EINVAL;
	if (n >= IFNAMSIZ)
		return *why = "interface name longer than 15 bytes", -ENAMETOOLONG;
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return *why = "'.' and '..' are not interface names", -EINVAL;
	for (const char *c = s; *c; c++) {
		if (*c == '/' || *c == ':')
			return *why = "'/' and ':' are not allowed in interface names", -EINVAL;
		if (isspace((unsigned char)*c))
			return *why = "whitespace is not allowed in interface names", -EINVAL;
	}
	pct = strchr(s, '%');
	if (pct && !(flags & HN_PARSE_IFNAME_PATTERN))
		return *why = "'%' is not allowed in interface names", -EINVAL;
	if (pct && (pct[1] != 'd' || strchr(pct + 2, '%')))
		return *why = "a name pattern has exactly one '%d'", -EINVAL;
	return 0;
}

/**
 * hn_parse_uint - parse a decimal number in 0..max
 * @s: digits only: no sign, no blanks, no leading zero, no base prefix
 * @max: the largest value accepted
 *
 * Leading zeros are refused because other tools read them as octal
 * (strtol base 0): "010" would mean 8 there and 10 here.
 *
 * Return: 0, -EINVAL (not a plain decimal number) or -ERANGE (> max).
 */
int hn_parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	unsigned long x = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (d > 9)
			return -EINVAL;
		if (d > max || x > (max - d) / 10)
			return -ERANGE;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

/** hn_parse_u32 - decimal 0..UINT32_MAX. Return: 0, -EINVAL, -ERANGE. */
int hn_parse_u32(const char *s, uint32_t *v)
{
	unsigned long x;
	int rc = hn_parse_uint(s, UINT32_MAX, &x);

	if (!rc)
		*v = (uint32_t)x;
	return rc;
}

/** hn_parse_u16 - decimal 0..65535. Return: 0, -EINVAL, -ERANGE. */
int hn_parse_u16(const char *s, uint16_t *v)
{
	unsigned long x;
	int rc = hn_parse_uint(s, UINT16_MAX, &x);

	if (!rc)
		*v = (uint16_t)x;
	return rc;
}

/** hn_parse_onoff - exactly "on" or "off". Return: 0 or -EINVAL. */
int hn_parse_onoff(const char *s, bool *on)
{
	if (!strcmp(s, "on"))
		*on = true;
	else if (!strcmp(s, "off"))
		*on = false;
	else
		return -EINVAL;
	return 0;
}

/**
 * hn_parse_mac - six colon-separated hex octets, "02:00:5e:10:00:01"
 *
 * Each octet is one or two hex digits. Return: 0 or -EINVAL.
 */
int hn_parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned int x = 0, n = 0;

		for (; isxdigit((unsigned char)*s) && n < 3; s++, n++)
			x = x * 16 + (unsigned int)(isdigit((unsigned char)*s) ?
				*s - '0' : tolower((unsigned char)*s) - 'a' + 10);
		if (n == 0 || n > 2)
			return -EINVAL;
		if (*s != (i == 5 ? '\0' : ':'))
			return -EINVAL;
		if (i < 5)
			s++;
		mac[i] = (uint8_t)x;
	}
	return 0;
}

/*
 * The id part of user/group parsing: a name from the database first (as
 * tunctl did), then a plain decimal number; with @num_first a plain decimal
 * number is the id itself, never looked up. The empty string and -1
 * (4294967295, "no id" to the kernel) are refused, as is anything larger.
 */
static int parse_id(const char *s, bool (*byname)(const char *, unsigned long *),
		    bool num_first, unsigned long *id, const char **why)
{
	const char *dummy;
	int rc;

	if (!why)
		why = &dummy;
	if (!*s)
		return *why = "empty (give a name or a decimal id)", -EINVAL;
	if (*s == '-' || *s == '+' || isspace((unsigned char)*s))
		return *why = "not a plain decimal number (and -1 means none)", -EINVAL;
	rc = num_first ? hn_parse_uint(s, UINT32_MAX, id) : -EINVAL;
	if (rc == -EINVAL && byname(s, id))
		return 0;
	if (rc == -EINVAL)
		rc = hn_parse_uint(s, UINT32_MAX, id);
	if (rc == -ERANGE || (!rc && *id == UINT32_MAX))
		return *why = "out of range (0-4294967294)", -ERANGE;
	if (rc)
		return *why = "not a known name nor a decimal number", -EINVAL;
	return 0;
}

static bool user_byname(const char *s, unsigned long *id)
{
	struct passwd *pw = getpwnam(s);

	if (pw)
		*id = pw->pw_uid;
	return pw != NULL;
}

static bool group_byname(const char *s, unsigned long *id)
{
	struct group *gr = getgrnam(s);

	if (gr)
		*id = gr->gr_gid;
	return gr != NULL;
}

static int parse_uid(const char *s, bool num_first, uid_t *uid, const char **why)
{
	unsigned long id;
	int rc = parse_id(s, user_byname, num_first, &id, why);

	if (!rc)
		*uid = (uid_t)id;
	return rc;
}

static int parse_gid(const char *s, bool num_first, gid_t *gid, const char **why)
{
	unsigned long id;
	int rc = parse_id(s, group_byname, num_first, &id, why);

	if (!rc)
		*gid = (gid_t)id;
	return rc;
}

/**
 * hn_parse_uid - a user name or a decimal uid in 0..4294967294
 * @why: if not NULL, receives a static reason on failure
 *
 * A name is looked up first, so a user named "1000" wins over uid 1000, as
 * in tunctl.
 *
 * Return: 0, -EINVAL or -ERANGE.
 */
int hn_parse_uid(const char *s, uid_t *uid, const char **why)
{
	return parse_uid(s, false, uid, why);
}

/**
 * hn_parse_uid_num - as hn_parse_uid(), but a plain decimal number is the
 * uid without a lookup (for our own file formats: an all-digit name is
 * refused by useradd and systemd, and a lookup that misses asks every NSS
 * module)
 */
int hn_parse_uid_num(const char *s, uid_t *uid, const char **why)
{
	return parse_uid(s, true, uid, why);
}

/** hn_parse_gid - a group name or a decimal gid; as hn_parse_uid(). */
int hn_parse_gid(const char *s, gid_t *gid, const char **why)
{
	return parse_gid(s, false, gid, why);
}

/** hn_parse_gid_num - a group name or a decimal gid; as hn_parse_uid_num(). */
int hn_parse_gid_num(const char *s, gid_t *gid, const char **why)
{
	return parse_gid(s, true, gid, why);
}

/**
 * hn_parse_addr - an IPv4 dotted quad or an IPv6 address
 * @family: AF_INET, AF_INET6, or AF_UNSPEC for either
 *
 * IPv4 must be four decimal octets (inet_pton's form, no "10.1" shorthand).
 *
 * Return: 0, -EINVAL (not an address) or -EAFNOSUPPORT (wrong family).
 */
int hn_parse_addr(const char *s, int family, struct hn_addr *a)
{
	struct hn_addr x = { 0 };

	if (inet_pton(AF_INET, s, &x.u.v4) == 1)
		x.family = AF_INET;
	else if (inet_pton(AF_INET6, s, &x.u.v6) == 1)
		x.family = AF_INET6;
	else
		return -EINVAL;
	if (family != AF_UNSPEC && family != x.family)
		return -EAFNOSUPPORT;
	*a = x;
	return 0;
}

/**
 * hn_parse_prefix - "ADDR/LEN", or a bare ADDR as a host prefix
 * @family: AF_INET, AF_INET6 or AF_UNSPEC
 * @need_len: refuse a bare address
 *
 * Return: 0, -EINVAL, -ERANGE (length too long) or -EAFNOSUPPORT.
 */
int hn_parse_prefix(const char *s, int family, bool need_len, struct hn_prefix *p)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long len;
	int rc;

	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	rc = hn_parse_addr(buf, family, &p->addr);
	if (rc)
		return rc;
	if (!slash) {
		if (need_len)
			return -EINVAL;
		p->len = p->addr.family == AF_INET ? 32 : 128;
		return 0;
	}
	rc = hn_parse_uint(slash + 1, ULONG_MAX, &len);
	if (rc)
		return -EINVAL;
	if (len > (p->addr.family == AF_INET ? 32u : 128u))
		return -ERANGE;
	p->len = (unsigned int)len;
	return 0;
}

/** hn_prefix_is_network - true when no bit beyond the prefix length is set. */
bool hn_prefix_is_network(const struct hn_prefix *p)
{
	unsigned int bytes = p->addr.family == AF_INET ? 4 : 16;

	for (unsigned int bit = p->len; bit < bytes * 8; bit++)
		if (p->addr.u.bytes[bit / 8] & (0x80u >> (bit % 8)))
			return false;
	return true;
}

/**
 * hn_addr_str - @a as text ("192.0.2.1", "2001:db8::1") in @buf
 * @buf: at least HN_ADDRSTRLEN bytes
 *
 * Return: @buf, or "?" for an address of no known family.
 */
_Static_assert(HN_ADDRSTRLEN == INET6_ADDRSTRLEN, "HN_ADDRSTRLEN holds any address");

const char *hn_addr_str(const struct hn_addr *a, char *buf)
{
	return inet_ntop(a->family, a->u.bytes, buf, HN_ADDRSTRLEN) ? buf : "?";
}
