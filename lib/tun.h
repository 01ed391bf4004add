/* tun.h - /dev/net/tun: create and attach, persist, owner, group; read tun/tap state back. */
#ifndef HN_TUN_H
#define HN_TUN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/if.h>
#include <linux/if_tun.h>

#include "nl.h"

#define HN_TUN_CLONE "/dev/net/tun"

struct hn_ctx;
struct nlmsghdr;
struct nl_msg;

/* What the kernel reports of a tun/tap device (IFLA_INFO_DATA of kind "tun"). */
struct hn_tun_info {
	char name[IFNAMSIZ];
	int ifindex;
	bool is_tun;			/* link kind is "tun" (tun or tap mode) */
	bool tap;			/* IFF_TAP, else IFF_TUN */
	bool pi, vnet_hdr, multi_queue, persist;
	bool has_owner, has_group;	/* unset owner/group are not reported */
	uint32_t owner, group;
	uint32_t num_queues, num_disabled_queues;
	unsigned int ifflags;		/* IFF_UP ... of the link */
};

/* What hn_tun_create() makes: each field is one of its steps. */
struct hn_tun_spec {
	const char *clone;	/* clone device to open, normally HN_TUN_CLONE ... */
	bool has_fd;		/* ... or use @fd, an fd of it opened earlier (taken over) */
	int fd;
	unsigned int flags;	/* IFF_TAP or IFF_TUN, plus hn_tun_attach()'s others */
	bool has_owner, has_group;
	uid_t owner;
	gid_t group;
	bool persist;		/* TUNSETPERSIST on, as the last step */
	bool keep_fd;		/* return the attached fd instead of closing it */
};

/* The step of hn_tun_create() that failed; hn_tun_step_name() names it. */
enum hn_tun_step {
	HN_TUN_STEP_ARGS,	/* the spec itself: nothing was opened */
	HN_TUN_STEP_OPEN,
	HN_TUN_STEP_ATTACH,
	HN_TUN_STEP_OWNER,
	HN_TUN_STEP_GROUP,
	HN_TUN_STEP_PERSIST,
};

int hn_tun_open(const char *clone);
int hn_tun_attach(int fd, char name[IFNAMSIZ], unsigned int flags);
int hn_tun_get_features(int fd, unsigned int *features);
int hn_tun_create(const struct hn_tun_spec *spec, char name[IFNAMSIZ], enum hn_tun_step *step);
const char *hn_tun_step_name(enum hn_tun_step step);
int hn_tun_get_flags(int fd, unsigned int *flags);
int hn_tun_set_persist(int fd, bool on);
int hn_tun_set_owner(int fd, uid_t uid);
int hn_tun_set_group(int fd, gid_t gid);
int hn_tun_build_get(const char *name, struct nl_msg **msg);
int hn_tun_info_parse(const struct nlmsghdr *nlh, struct hn_tun_info *info);
int hn_tun_query(struct hn_ctx *ctx, const char *name, struct hn_tun_info *info);
int hn_tun_list(struct hn_ctx *ctx, hn_nl_obj_cb cb, void *arg);

#endif
