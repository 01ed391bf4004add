/* sysctl.h - read and write /proc/sys/net/... knobs, only under validated names. */
#ifndef HN_SYSCTL_H
#define HN_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>

struct hn_ctx;

#define HN_SYSCTL_ROOT	"/proc/sys/"
#define HN_SYSCTL_MAX	128		/* longest accepted name, "net/..." */

int hn_sysctl_check_name(const char *name);
int hn_sysctl_conf_name(int family, const char *ifname, const char *key,
			char *buf, size_t len);
int hn_sysctl_get(struct hn_ctx *ctx, const char *name, char *buf, size_t len);
int hn_sysctl_set(struct hn_ctx *ctx, const char *name, const char *val);
int hn_sysctl_get_bool(struct hn_ctx *ctx, const char *name, bool *on);
int hn_sysctl_get_uint(struct hn_ctx *ctx, const char *name, unsigned long *v);
int hn_sysctl_get_forwarding(struct hn_ctx *ctx, int family, bool *on);
int hn_sysctl_set_forwarding(struct hn_ctx *ctx, int family, bool on);
int hn_sysctl_get_proxy(struct hn_ctx *ctx, int family, const char *ifname, bool *on);
int hn_sysctl_set_proxy(struct hn_ctx *ctx, int family, const char *ifname, bool on);
int hn_sysctl_get_conf(struct hn_ctx *ctx, int family, const char *ifname,
		       const char *key, unsigned long *v);
int hn_sysctl_conf_each(int family, int (*fn)(const char *name, void *arg), void *arg);

#endif
