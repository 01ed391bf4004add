/* nl.h - the hostnet context (netlink socket, error text) and the one place NLE_* become errno. */
#ifndef HN_NL_H
#define HN_NL_H

#include <stddef.h>

struct nl_sock;
struct nl_msg;
struct nlmsghdr;
struct nlattr;
struct mnl_socket;

#define HN_ERR_MAX 256

/*
 * Every kernel-facing call takes a context. The library writes the "what"
 * of a failure into err (the object, file:line) and the kernel's extended
 * ack text, when it sent one, into ext; the return value is the "why".
 */
struct hn_ctx {
	struct nl_sock *rtnl;		/* NETLINK_ROUTE, connected on first use */
	struct mnl_socket *nf;		/* NETLINK_NETFILTER for queries, opened on first use */
	unsigned int nf_seq;		/* seq of the last query on nf */
	int nl_errno;			/* raw errno of the last NLMSG_ERROR */
	char err[HN_ERR_MAX];		/* what failed */
	char ext[HN_ERR_MAX];		/* kernel extack message, or "" */
};

/* Callback for each reply message of a request; return 0 or -errno. */
typedef int (*hn_nl_msg_cb)(struct nl_msg *msg, void *arg);

/*
 * For hn_nl_dump(), as qsort() takes its comparator: a module's parser
 * fills @obj, an object of the module's type, from one reply and returns 1,
 * or returns 0 to skip the reply (another kind of object) or -EBADMSG for
 * one it cannot read; the caller's callback then gets the object as @obj
 * and returns 0 to go on or -errno to stop.
 */
typedef int (*hn_nl_parse_fn)(const struct nlmsghdr *nlh, void *obj);
typedef int (*hn_nl_obj_cb)(const void *obj, void *arg);

/* The highest attribute type hn_nl_read() takes (IFLA_MAX, the highest lib reads, is 61). */
#define HN_NL_ATTR_MAX 127

/*
 * For hn_nl_read(): a module's reader of one reply whose type and
 * attributes have been checked: @hdr is its family header (struct rtmsg
 * ...) and @tb its attributes, indexed by type; it fills @obj and returns
 * as an hn_nl_parse_fn does.
 */
typedef int (*hn_nl_read_fn)(const void *hdr, struct nlattr **tb, void *obj);

void hn_ctx_init(struct hn_ctx *ctx);
void hn_nl_env_ignore(void);
void hn_ctx_fini(struct hn_ctx *ctx);
int hn_ctx_fail(struct hn_ctx *ctx, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int hn_nl_errno(int nle);
int hn_nl_route(struct hn_ctx *ctx, struct nl_sock **sk);
int hn_nl_talk(struct hn_ctx *ctx, struct nl_msg *msg, hn_nl_msg_cb cb, void *arg);
int hn_nl_request(struct hn_ctx *ctx, int build_rc, struct nl_msg *msg, const char *what);
int hn_nl_msg_new(int type, int flags, const void *hdr, size_t len, struct nl_msg **msg);
int hn_nl_read(const struct nlmsghdr *nlh, int type, size_t hdrlen, int maxattr,
	       hn_nl_read_fn fill, void *obj);
int hn_nl_dump(struct hn_ctx *ctx, int build_rc, struct nl_msg *msg, hn_nl_parse_fn parse,
	       void *obj, hn_nl_obj_cb cb, void *arg, const char *what);
int hn_nl_list(struct hn_ctx *ctx, int type, const void *hdr, size_t len, hn_nl_parse_fn parse,
	       void *obj, hn_nl_obj_cb cb, void *arg, const char *what);
int hn_nl_talk_many(struct hn_ctx *ctx, struct nl_msg **msgs, size_t n, int *rcs);

#endif
