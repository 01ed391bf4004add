/* parse.h - strict parsers: the whole string is accepted or it is rejected, never truncated. */
#ifndef HN_PARSE_H
#define HN_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

/* hn_parse_ifname() flags */
#define HN_PARSE_IFNAME_PATTERN	0x1u	/* allow exactly one "%d" (kernel allocates) */

/* An IPv4 or IPv6 address; family is AF_INET or AF_INET6. */
struct hn_addr {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	} u;
};

/* An address with a prefix length (0..32 or 0..128). */
struct hn_prefix {
	struct hn_addr addr;
	unsigned int len;
};

int hn_parse_ifname(const char *s, unsigned int flags, const char **why);
int hn_parse_u32(const char *s, uint32_t *v);
int hn_parse_u16(const char *s, uint16_t *v);
int hn_parse_uint(const char *s, unsigned long max, unsigned long *v);
int hn_parse_onoff(const char *s, bool *on);
int hn_parse_mac(const char *s, uint8_t mac[6]);
int hn_parse_uid(const char *s, uid_t *uid, const char **why);
int hn_parse_gid(const char *s, gid_t *gid, const char **why);
int hn_parse_uid_num(const char *s, uid_t *uid, const char **why);
int hn_parse_gid_num(const char *s, gid_t *gid, const char **why);
int hn_parse_addr(const char *s, int family, struct hn_addr *a);
int hn_parse_prefix(const char *s, int family, bool need_len, struct hn_prefix *p);
bool hn_prefix_is_network(const struct hn_prefix *p);

#define HN_ADDRSTRLEN 46		/* INET6_ADDRSTRLEN: any address and its NUL */

const char *hn_addr_str(const struct hn_addr *a, char *buf);

#endif
