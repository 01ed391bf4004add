/* nft.c - nftables batches: build into one buffer, send once, drain every reply, map errors by seq. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "nft.h"
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static int reserve(struct hn_nft_batch *b)
{
	size_t cap = b->cap ? b->cap : 64 * 1024;
	char *p;

	while (cap - b->len < HN_NFT_MSG_MAX)
		cap *= 2;
	if (cap != b->cap) {
		p = realloc(b->buf, cap);
		if (!p)
			return -ENOMEM;
		memset(p + b->cap, 0, cap - b->cap);
		b->buf = p;
		b->cap = cap;
	}
	if (b->ntags == b->tagcap) {
		size_t n = b->tagcap ? b->tagcap * 2 : 256;
		int *t = realloc(b->tags, n * sizeof(*t));

		if (!t)
			return -ENOMEM;
		b->tags = t;
		b->tagcap = n;
	}
	return 0;
}

/* Record the message just written at b->len and move past it. */
static void push(struct hn_nft_batch *b, struct nlmsghdr *nlh, int tag)
{
	b->tags[b->ntags++] = tag;
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
	b->seq++;
}

/**
 * hn_nft_batch_init - start a batch: BATCH_BEGIN with a fresh base seq
 *
 * Return: 0 or -ENOMEM.
 */
int hn_nft_batch_init(struct hn_nft_batch *b)
{
	int rc;

	memset(b, 0, sizeof(*b));
	b->tag = -1;
	b->seq0 = b->seq = (uint32_t)time(NULL) << 8;
	rc = reserve(b);
	if (rc)
		return rc;
	push(b, nftnl_batch_begin(b->buf + b->len, b->seq), -1);
	return 0;
}

/**
 * hn_nft_batch_set_genid - make the batch apply only to ruleset generation @genid
 *
 * The kernel refuses the whole batch with -ERESTART if the ruleset changed
 * since the caller read @genid (hn_nft_genid()); on success the ruleset is
 * then at hn_nft_genid_next(@genid), and at nothing else. Only before the
 * first object message.
 *
 * Return: 0, or -EBUSY after an object message.
 */
int hn_nft_batch_set_genid(struct hn_nft_batch *b, uint32_t genid)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)b->buf;

	if (b->nobj || b->ntags != 1)
		return -EBUSY;
	mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(genid));
	b->len = NLMSG_ALIGN(nlh->nlmsg_len);
	return 0;
}

/** hn_nft_genid_next - the generation a committed batch moves @genid to (0 is skipped). */
uint32_t hn_nft_genid_next(uint32_t genid)
{
	return genid + 1 ? genid + 1 : 1;
}

static int gen_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NFTA_GEN_ID && mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
		*(uint32_t *)data = ntohl(mnl_attr_get_u32(attr));
	return MNL_CB_OK;
}

static int gen_cb(const struct nlmsghdr *nlh, void *data)
{
	if ((nlh->nlmsg_type & 0xff) == NFT_MSG_NEWGEN)
		mnl_attr_parse(nlh, sizeof(struct nfgenmsg), gen_attr, data);
	return MNL_CB_OK;
}

/**
 * hn_nft_genid - the ruleset's generation: every committed change moves it on
 *
 * Return: 0, -ENODATA (no generation in the reply), or the query's -errno.
 */
int hn_nft_genid(struct hn_ctx *ctx, uint32_t *genid)
{
	char buf[128];
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETGEN, AF_UNSPEC, 0, 0);
	uint32_t g = 0;
	int rc = hn_nft_query(ctx, nlh, gen_cb, &g);

	if (!rc && !g)
		rc = -ENODATA;
	if (!rc)
		*genid = g;
	return rc;
}

/**
 * hn_nft_ruleset_id - which ruleset a generation counts in: a hash of the
 * boot's id and the network namespace's cookie, which the kernel never
 * hands out twice while it runs (SO_NETNS_COOKIE, kernel 5.14)
 *
 * Generations start again at 1 in a new namespace and after a reboot, so a
 * generation recorded elsewhere can match by chance; this id does not.
 *
 * Return: 0, or -errno (-ENOPROTOOPT: the kernel has no cookie).
 */
int hn_nft_ruleset_id(struct hn_ctx *ctx, uint64_t *id)
{
	char boot[64] = "";
	uint64_t cookie = 0, h = 0xcbf29ce484222325ull;
	socklen_t len = sizeof(cookie);
	int fd, rc = 0;

#ifdef SO_NETNS_COOKIE
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hn_ctx_fail(ctx, -errno, "socket");
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) < 0)
		rc = -errno;
	close(fd);
#else
	rc = -ENOPROTOOPT;
#endif
	if (!rc && (fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC)) < 0)
		rc = -errno;
	if (!rc) {
		ssize_t n = read(fd, boot, sizeof(boot) - 1);

		rc = n > 0 ? 0 : n < 0 ? -errno : -ENODATA;
		close(fd);
	}
	if (rc)
		return hn_ctx_fail(ctx, rc, "ruleset id");
	for (size_t i = 0; i < sizeof(cookie); i++)
		h = (h ^ ((cookie >> (8 * i)) & 0xff)) * 0x100000001b3ull;
	for (const char *s = boot; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	*id = h;
	return 0;
}

/** hn_nft_batch_fini - free what the batch holds; safe after a failed init. */
void hn_nft_batch_fini(struct hn_nft_batch *b)
{
	free(b->buf);
	free(b->tags);
	memset(b, 0, sizeof(*b));
}

/** hn_nft_batch_set_tag - tag the messages added from now on (a command's index). */
void hn_nft_batch_set_tag(struct hn_nft_batch *b, int tag)
{
	b->tag = tag;
}

/**
 * hn_nft_batch_msg - append a message header for the caller to fill
 * @type: NFT_MSG_* (the subsystem is added here)
 * @family: NFPROTO_IPV4, NFPROTO_IPV6 ...
 * @flags: NLM_F_CREATE, NLM_F_EXCL, NLM_F_APPEND ... (NLM_F_REQUEST is implied)
 *
 * The caller writes the payload with the libnftnl *_nlmsg_build_payload()
 * functions right away, before the next call: the message is accounted
 * for (its length, seq and tag) on the next call or on close.
 *
 * Return: the header, or NULL when out of memory (remembered in b->error).
 */
struct nlmsghdr *hn_nft_batch_msg(struct hn_nft_batch *b, uint16_t type, uint16_t family,
				  uint16_t flags)
{
	struct nlmsghdr *nlh;
	int rc;

	if (b->error)
		return NULL;
	if (b->nobj)		/* account for the previous object message */
		push(b, (struct nlmsghdr *)(b->buf + b->len), b->tags[b->ntags]);
	rc = reserve(b);
	if (rc) {
		b->error = rc;
		return NULL;
	}
	nlh = nftnl_nlmsg_build_hdr(b->buf + b->len, type, family, flags, b->seq);
	b->tags[b->ntags] = b->tag;
	b->nobj++;
	return nlh;
}

/**
 * hn_nft_batch_tag_of - the tag of the message sent with @seq
 *
 * Return: the tag, or -1 for BATCH_BEGIN/END and unknown seqs.
 */
int hn_nft_batch_tag_of(const struct hn_nft_batch *b, uint32_t seq)
{
	uint32_t i = seq - b->seq0;

	if (seq < b->seq0 || i >= b->ntags)
		return -1;
	return b->tags[i];
}

/**
 * hn_nft_batch_close - account for the last message and append BATCH_END
 *
 * Return: 0, -ENOMEM, or -ENODATA for a batch without object messages.
 */
int hn_nft_batch_close(struct hn_nft_batch *b)
{
	int rc;

	if (b->error)
		return b->error;
	if (!b->nobj)
		return -ENODATA;
	push(b, (struct nlmsghdr *)(b->buf + b->len), b->tags[b->ntags]);
	rc = reserve(b);
	if (rc)
		return b->error = rc;
	push(b, nftnl_batch_end(b->buf + b->len, b->seq), -1);
	return 0;
}

static struct mnl_socket *open_nf(struct hn_ctx *ctx, size_t sndbuf)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	int one = 1, sz = sndbuf > (1u << 30) ? 1 << 30 : (int)sndbuf;

	if (!nl) {
		hn_ctx_fail(ctx, -errno, "nftables: netlink socket");
		return NULL;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		hn_ctx_fail(ctx, -errno, "nftables: bind");
		mnl_socket_close(nl);
		return NULL;
	}
	/* Small error replies with the kernel's text; best effort. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (sz > 0 && setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUFFORCE,
				 &sz, sizeof(sz)) < 0)
		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	return nl;
}

static int ext_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		*msg = attr;
	return MNL_CB_OK;
}

/* The extack text behind a (capped) nlmsgerr, or "". */
static const char *extack(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *msg = NULL;
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return "";
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (mnl_nlmsg_get_payload_len(nlh) <= off)
		return "";
	mnl_attr_parse(nlh, (unsigned int)off, ext_attr, &msg);
	return msg ? mnl_attr_get_str(msg) : "";
}

struct drain {
	struct hn_ctx *ctx;
	struct hn_nft_batch *b;
	hn_nft_err_cb cb;
	void *arg;
	int rc;
};

static void on_reply(struct drain *d, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	int tag;

	if (nlh->nlmsg_type != NLMSG_ERROR || !e->error)
		return;
	tag = hn_nft_batch_tag_of(d->b, nlh->nlmsg_seq);
	if (!d->rc) {
		d->rc = e->error;
		snprintf(d->ctx->ext, sizeof(d->ctx->ext), "%s", extack(nlh));
	}
	if (d->cb)
		d->cb(tag, e->error, extack(nlh), d->arg);
}

/*
 * The kernel runs the whole batch inside sendmsg() and queues its errors
 * before returning, so the replies are read until the socket is empty
 * (nftables' mnl_batch_talk does the same with a zero timeout).
 */
static int drain(struct mnl_socket *nl, struct drain *d)
{
	char buf[HN_NFT_BUF];
	struct pollfd p = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
	const struct nlmsghdr *nlh;
	ssize_t n;
	int left;

	while (poll(&p, 1, 0) > 0) {
		n = recv(p.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n < 0)
			return -errno;
		left = (int)n;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left))
			on_reply(d, nlh);
	}
	return 0;
}

/**
 * hn_nft_batch_commit - close the batch, send it as one transaction, read every reply
 * @cb: called for each refused message with its tag (may be NULL)
 *
 * All or nothing: when any message fails, the kernel applies none.
 * ctx->ext receives the extack text of the first error.
 *
 * Return: 0, the first refused message's -errno, -ENOMEM, -ENODATA
 * (empty batch), -ENOBUFS (replies lost), or the socket's -errno.
 */
int hn_nft_batch_commit(struct hn_ctx *ctx, struct hn_nft_batch *b, hn_nft_err_cb cb, void *arg)
{
	struct drain d = { .ctx = ctx, .b = b, .cb = cb, .arg = arg };
	struct mnl_socket *nl;
	int rc = hn_nft_batch_close(b);

	ctx->ext[0] = '\0';
	if (rc)
		return hn_ctx_fail(ctx, rc, "nftables batch");
	nl = open_nf(ctx, b->len);
	if (!nl)
		return -errno ? -errno : -EIO;
	if (mnl_socket_sendto(nl, b->buf, b->len) < 0)
		rc = hn_ctx_fail(ctx, -errno, "nftables batch: send");
	else
		rc = drain(nl, &d);
	mnl_socket_close(nl);
	if (rc)
		return rc;
	return d.rc;
}

struct query {
	mnl_cb_t cb;
	void *arg;
	int rc;
};

/**
 * hn_nft_query - send one request (a get or a dump) and run @cb on each reply
 * @req: the request; its seq is set here
 *
 * Return: 0, -ENOENT (no such object), the first -errno @cb set through
 * MNL_CB_ERROR with errno, or the socket's -errno.
 */
int hn_nft_query(struct hn_ctx *ctx, struct nlmsghdr *req, mnl_cb_t cb, void *arg)
{
	char buf[HN_NFT_BUF];
	struct mnl_socket *nl;
	uint32_t seq, portid;
	ssize_t n;
	int rc = 0;

	/* One socket for all queries of the context: one costs more to set up than a small dump. */
	if (!ctx->nf) {
		ctx->nf = open_nf(ctx, 0);
		ctx->nf_seq = (unsigned int)time(NULL);
	}
	nl = ctx->nf;
	if (!nl)
		return -EIO;
	seq = ++ctx->nf_seq;
	portid = mnl_socket_get_portid(nl);
	req->nlmsg_seq = seq;
	/* A plain get ends with its ack, a dump with NLMSG_DONE. */
	if ((req->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		rc = -errno;
	while (!rc) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			rc = -errno;
			break;
		}
		rc = mnl_cb_run(buf, (size_t)n, seq, portid, cb, arg);
		if (rc <= MNL_CB_STOP) {
			rc = rc < 0 ? -(errno ? errno : EIO) : 0;
			break;
		}
		rc = 0;
	}
	/* After an error the rest of a dump may still be queued: start over next time. */
	if (rc) {
		mnl_socket_close(nl);
		ctx->nf = NULL;
	}
	return rc;
}

/* --- read-only look at other tables' forward chains (natctl doctor) --- */

#define FWD_MAX 64

struct fwd {
	struct hn_nft_fwd_chain c[FWD_MAX];
	size_t n;
	const char *skip;
};

static int chain_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct fwd *f = arg;
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct hn_nft_fwd_chain *x = &f->c[f->n];
	uint32_t fam;

	if (!c)
		return MNL_CB_OK;
	if (nftnl_chain_nlmsg_parse(nlh, c) < 0) {
		nftnl_chain_free(c);
		return MNL_CB_OK;
	}
	fam = nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY);
	if (f->n < FWD_MAX && nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM) &&
	    nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM) == NF_INET_FORWARD &&
	    (fam == NFPROTO_IPV4 || fam == NFPROTO_IPV6 || fam == NFPROTO_INET) &&
	    (strcmp(nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE), f->skip) || fam == NFPROTO_INET)) {
		memset(x, 0, sizeof(*x));
		x->family = (int)fam;
		snprintf(x->table, sizeof(x->table), "%s", nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE));
		snprintf(x->chain, sizeof(x->chain), "%s", nftnl_chain_get_str(c, NFTNL_CHAIN_NAME));
		x->prio = nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO);
		x->policy_drop = nftnl_chain_is_set(c, NFTNL_CHAIN_POLICY) &&
				 nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY) == NF_DROP;
		f->n++;
	}
	nftnl_chain_free(c);
	return MNL_CB_OK;
}

static int is_drop(struct nftnl_expr *e, void *arg)
{
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);

	if (!strcmp(name, "reject") ||
	    (!strcmp(name, "immediate") && nftnl_expr_is_set(e, NFTNL_EXPR_IMM_VERDICT) &&
	     nftnl_expr_get_u32(e, NFTNL_EXPR_IMM_VERDICT) == NF_DROP))
		*(bool *)arg = true;
	return 0;
}

static int rule_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct fwd *f = arg;
	struct nftnl_rule *r = nftnl_rule_alloc();
	bool drop = false;

	if (!r)
		return MNL_CB_OK;
	if (nftnl_rule_nlmsg_parse(nlh, r) < 0) {
		nftnl_rule_free(r);
		return MNL_CB_OK;
	}
	nftnl_expr_foreach(r, is_drop, &drop);
	for (size_t i = 0; drop && i < f->n; i++)
		if (f->c[i].family == (int)nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY) &&
		    !strcmp(f->c[i].table, nftnl_rule_get_str(r, NFTNL_RULE_TABLE)) &&
		    !strcmp(f->c[i].chain, nftnl_rule_get_str(r, NFTNL_RULE_CHAIN)))
			f->c[i].drop_rules++;
	nftnl_rule_free(r);
	return MNL_CB_OK;
}

static int dump_all(struct hn_ctx *ctx, uint16_t type, mnl_cb_t cb, void *arg)
{
	char buf[HN_NFT_BUF];
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, type, NFPROTO_UNSPEC, NLM_F_DUMP, 0);

	return hn_nft_query(ctx, nlh, cb, arg);
}

/**
 * hn_nft_forward_chains - report each base chain at the forward hook of
 * other tables (ip, ip6, inet), with its policy and its drop/reject rules
 * @skip_table: natctl's own table name (ip/ip6 tables of that name are skipped)
 * @cb: called per chain; a negative return stops and is returned
 *
 * Read-only. Rules reached only through jumps are not counted.
 *
 * Return: 0, the callback's -errno, or the kernel's -errno.
 */
int hn_nft_forward_chains(struct hn_ctx *ctx, const char *skip_table, hn_nft_chain_cb cb,
			  void *arg)
{
	struct fwd *f = calloc(1, sizeof(*f));
	int rc;

	if (!f)
		return -ENOMEM;
	f->skip = skip_table;
	rc = dump_all(ctx, NFT_MSG_GETCHAIN, chain_cb, f);
	if (!rc && f->n)
		rc = dump_all(ctx, NFT_MSG_GETRULE, rule_cb, f);
	for (size_t i = 0; !rc && i < f->n; i++)
		rc = cb(&f->c[i], arg);
	free(f);
	return rc ? hn_ctx_fail(ctx, rc, "nftables forward chains") : 0;
}
