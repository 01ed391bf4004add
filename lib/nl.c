/* nl.c - libnl socket setup, request/ack round trips, and the only NLE_* -> errno mapping. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/socket.h>
#include <libmnl/libmnl.h>

#include "nl.h"

#define HN_NL_BUF 65536		/* receive buffer: more than a dump batch (32 KB) */

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* libnl folds many errnos into a few codes; this is the best reverse map. */
static const int nle_errno[] = {
	[NLE_SUCCESS]		= 0,
	[NLE_FAILURE]		= EIO,
	[NLE_INTR]		= EINTR,
	[NLE_BAD_SOCK]		= EBADF,
	[NLE_AGAIN]		= EAGAIN,
	[NLE_NOMEM]		= ENOMEM,
	[NLE_EXIST]		= EEXIST,
	[NLE_INVAL]		= EINVAL,
	[NLE_RANGE]		= ERANGE,
	[NLE_MSGSIZE]		= EMSGSIZE,
	[NLE_OPNOTSUPP]		= EOPNOTSUPP,
	[NLE_AF_NOSUPPORT]	= EAFNOSUPPORT,
	[NLE_OBJ_NOTFOUND]	= ENOENT,
	[NLE_NOATTR]		= ENODATA,
	[NLE_MISSING_ATTR]	= EINVAL,
	[NLE_AF_MISMATCH]	= EAFNOSUPPORT,
	[NLE_SEQ_MISMATCH]	= EPROTO,
	[NLE_MSG_OVERFLOW]	= EOVERFLOW,
	[NLE_MSG_TRUNC]		= EMSGSIZE,
	[NLE_NOADDR]		= EADDRNOTAVAIL,
	[NLE_SRCRT_NOSUPPORT]	= EOPNOTSUPP,
	[NLE_MSG_TOOSHORT]	= EBADMSG,
	[NLE_MSGTYPE_NOSUPPORT]	= EOPNOTSUPP,
	[NLE_OBJ_MISMATCH]	= EINVAL,
	[NLE_NOCACHE]		= ENOENT,
	[NLE_BUSY]		= EBUSY,
	[NLE_PROTO_MISMATCH]	= EPROTONOSUPPORT,
	[NLE_NOACCESS]		= EACCES,
	[NLE_PERM]		= EPERM,
	[NLE_PKTLOC_FILE]	= ENOENT,
	[NLE_PARSE_ERR]		= EINVAL,
	[NLE_NODEV]		= ENODEV,
	[NLE_IMMUTABLE]		= EPERM,
	[NLE_DUMP_INTR]		= EINTR,
	[NLE_ATTRSIZE]		= ERANGE,
};

/**
 * hn_nl_errno - map a libnl error code to a negative errno
 * @nle: NLE_* code, positive or negative
 *
 * Return: 0 for NLE_SUCCESS, otherwise -errno (-EIO for unknown codes).
 */
int hn_nl_errno(int nle)
{
	unsigned int i = nle < 0 ? (unsigned int)-nle : (unsigned int)nle;

	if (i == 0)
		return 0;
	if (i >= sizeof(nle_errno) / sizeof(nle_errno[0]) || !nle_errno[i])
		return -EIO;
	return -nle_errno[i];
}

/** hn_ctx_init - zero a context; sockets are opened on first use. */
void hn_ctx_init(struct hn_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
}

/**
 * hn_nl_env_ignore - undo what libnl's constructors took from the
 * environment: they run before main and read NLDBG (debug level, printed
 * with heap pointers on stderr) and NLCB (the default callback set). A
 * privileged tool calls this first thing; hn_nl_route() already ignores NLCB
 * by giving its socket an explicit default callback set.
 */
void hn_nl_env_ignore(void)
{
	nl_debug = 0;
}

/** hn_ctx_fini - close the context's sockets. Safe on an initialised context. */
void hn_ctx_fini(struct hn_ctx *ctx)
{
	if (ctx->rtnl)
		nl_socket_free(ctx->rtnl);
	ctx->rtnl = NULL;
	if (ctx->nf)
		mnl_socket_close(ctx->nf);
	ctx->nf = NULL;
}

/**
 * hn_ctx_fail - record what failed and pass the error through
 * @ctx: context whose err[] receives the formatted text
 * @rc: the negative errno to return
 *
 * Return: @rc, so callers can write "return hn_ctx_fail(ctx, -EINVAL, ...)".
 */
int hn_ctx_fail(struct hn_ctx *ctx, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
	va_end(ap);
	return rc;
}

/**
 * hn_nl_route - the context's rtnetlink socket, connected on first use
 * @sk: receives the socket
 *
 * Return: 0, or -errno (-ENOMEM, -EPERM, -EPROTONOSUPPORT ...).
 */
int hn_nl_route(struct hn_ctx *ctx, struct nl_sock **sk)
{
	int one = 1, rc;

	if (!ctx->rtnl) {
		struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);	/* never $NLCB's */

		ctx->rtnl = cb ? nl_socket_alloc_cb(cb) : NULL;
		nl_cb_put(cb);
		if (!ctx->rtnl)
			return -ENOMEM;
		rc = nl_connect(ctx->rtnl, NETLINK_ROUTE);
		if (rc < 0) {
			nl_socket_free(ctx->rtnl);
			ctx->rtnl = NULL;
			return hn_nl_errno(rc);
		}
		/* Best effort: older kernels simply send no extack text. */
		setsockopt(nl_socket_get_fd(ctx->rtnl), SOL_NETLINK,
			   NETLINK_EXT_ACK, &one, sizeof(one));
		/*
		 * One read per batch of messages: libnl peeks first by default,
		 * so the kernel copied every batch twice. The buffer holds the
		 * largest batch a dump sends (32 KB), and the kernel sizes a
		 * dump's batches by the reads it sees: twice as many links each.
		 */
		nl_socket_disable_msg_peek(ctx->rtnl);
		nl_socket_set_msg_buf_size(ctx->rtnl, HN_NL_BUF);
	}
	*sk = ctx->rtnl;
	return 0;
}

struct talk {
	struct hn_ctx *ctx;
	hn_nl_msg_cb cb;
	void *arg;
	int rc;			/* first error of the callback or the kernel */
	bool done;
};

/* Pick the extack message text out of the TLVs behind an nlmsgerr. */
static void read_extack(struct hn_ctx *ctx, struct nlmsgerr *e)
{
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);
	int len;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = (int)h->nlmsg_len - NLMSG_HDRLEN - (int)off;
	if (len <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off),
		      len, NULL) < 0 || !tb[NLMSGERR_ATTR_MSG])
		return;
	nla_strlcpy(ctx->ext, tb[NLMSGERR_ATTR_MSG], sizeof(ctx->ext));
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct talk *t = arg;

	(void)who;
	t->ctx->nl_errno = -e->error;
	read_extack(t->ctx, e);
	if (!t->rc)
		t->rc = e->error;
	t->done = true;
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	(void)msg;
	t->done = true;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;
	int rc;

	if (!t->cb || t->rc)
		return NL_OK;
	rc = t->cb(msg, t->arg);
	if (rc < 0)
		t->rc = rc;
	return NL_OK;
}

/**
 * hn_nl_talk - send one rtnetlink request and read every reply up to its ack
 * @ctx: context; ctx->ext receives the kernel's extack text on error
 * @msg: the request (NLM_F_ACK is added); not freed
 * @cb: called for each reply message (a dump's entries), or NULL
 * @arg: passed to @cb
 *
 * The raw errno from the kernel's NLMSG_ERROR is returned as is, not
 * through libnl's lossy NLE_* codes.
 *
 * Return: 0, the first negative value @cb returned, or -errno.
 */
int hn_nl_talk(struct hn_ctx *ctx, struct nl_msg *msg, hn_nl_msg_cb cb, void *arg)
{
	struct talk t = { .ctx = ctx, .cb = cb, .arg = arg };
	struct nl_sock *sk;
	struct nl_cb *nlcb, *orig;
	int rc;

	ctx->nl_errno = 0;
	ctx->ext[0] = '\0';
	rc = hn_nl_route(ctx, &sk);
	if (rc < 0)
		return rc;
	orig = nl_socket_get_cb(sk);	/* takes a reference */
	nlcb = nl_cb_clone(orig);
	nl_cb_put(orig);
	if (!nlcb)
		return -ENOMEM;
	nl_cb_err(nlcb, NL_CB_CUSTOM, on_error, &t);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &t);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &t);
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);

	/* Dumps end with NLMSG_DONE; everything else is asked for an ack. */
	if ((nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	rc = nl_send_auto(sk, msg);
	while (rc >= 0 && !t.done)
		rc = nl_recvmsgs(sk, nlcb);
	nl_cb_put(nlcb);
	if (t.rc)
		return t.rc;
	return rc < 0 ? hn_nl_errno(rc) : 0;
}

#define PIPE_WINDOW 64		/* requests in flight; their acks fit the receive buffer */
#define PIPE_RCVBUF (1 << 20)	/* each ack is an skb of its own: room for a window's */
#define PIPE_BUF 65536

/*
 * Pipelined requests carry seqs of their own, far from libnl's counter, so
 * libnl's check of the next ack it expects is not disturbed.
 */
static uint32_t pipe_seq = 0x80000000u;

struct pipe {
	struct hn_ctx *ctx;
	uint32_t seq0;			/* seq of msgs[base] */
	size_t base, count, acked;
	int *rcs;
	int first;			/* -errno of the first failing request, or 0 */
};

/* Record one ack; return 1 if it belongs to the window. */
static int pipe_ack(struct pipe *p, struct nlmsghdr *h)
{
	struct nlmsgerr *e = NLMSG_DATA(h);
	uint32_t i = h->nlmsg_seq - p->seq0;

	if (h->nlmsg_type != NLMSG_ERROR || i >= p->count ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return 0;
	p->rcs[p->base + i] = e->error;
	if (e->error && !p->first) {
		p->first = e->error;
		p->ctx->nl_errno = -e->error;
		read_extack(p->ctx, e);
	}
	p->acked++;
	return 1;
}

static int pipe_send(int fd, struct nl_msg **msgs, size_t n)
{
	struct iovec iov[PIPE_WINDOW];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = iov };
	size_t i;

	for (i = 0; i < n; i++) {
		iov[i].iov_base = nlmsg_hdr(msgs[i]);
		iov[i].iov_len = nlmsg_hdr(msgs[i])->nlmsg_len;
	}
	mh.msg_iovlen = n;
	return sendmsg(fd, &mh, 0) < 0 ? -errno : 0;
}

static int pipe_recv(int fd, struct pipe *p, char *buf)
{
	struct nlmsghdr *h;
	ssize_t len;
	int left;

	while (p->acked < p->count) {
		len = recv(fd, buf, PIPE_BUF, 0);
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return -errno;
		left = (int)len;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left))
			pipe_ack(p, h);
	}
	return 0;
}

/* After a lost ack (-ENOBUFS), leave nothing behind for the next request to trip on. */
static void drain(int fd, char *buf)
{
	while (recv(fd, buf, PIPE_BUF, MSG_DONTWAIT) > 0 || errno == ENOBUFS)
		;
}

/**
 * hn_nl_talk_many - send many rtnetlink requests pipelined, matching acks by seq
 * @ctx: context; on failure ctx->ext holds the first failing request's extack
 * @msgs: @n requests; each gets NLM_F_ACK and a fresh seq; none is freed
 * @rcs: receives 0 or the kernel's -errno for each request
 *
 * Up to PIPE_WINDOW requests go out in one sendmsg() before their acks are
 * read, so the cost is one system call per window rather than a round trip
 * per request. Every request is sent even if an earlier one failed: callers
 * read @rcs to know exactly what took effect. Not for dumps.
 *
 * Return: 0 when all succeeded, the first request failure's -errno, or a
 * socket -errno (then @rcs of unsent requests are -EIO).
 */
int hn_nl_talk_many(struct hn_ctx *ctx, struct nl_msg **msgs, size_t n, int *rcs)
{
	struct pipe p = { .ctx = ctx, .rcs = rcs };
	struct nl_sock *sk;
	char *buf;
	size_t i;
	int fd, rc = hn_nl_route(ctx, &sk);

	for (i = 0; i < n; i++)
		rcs[i] = -EIO;
	if (rc < 0)
		return rc;
	ctx->nl_errno = 0;
	ctx->ext[0] = '\0';
	buf = malloc(PIPE_BUF);
	if (!buf)
		return -ENOMEM;
	fd = nl_socket_get_fd(sk);
	/* Best effort: with the default buffer a window of acks can overflow it. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &(int){ PIPE_RCVBUF }, sizeof(int));
	for (p.base = 0; p.base < n && !rc; p.base += p.count) {
		p.count = n - p.base < PIPE_WINDOW ? n - p.base : PIPE_WINDOW;
		p.acked = 0;
		for (i = 0; i < p.count; i++) {
			struct nlmsghdr *h = nlmsg_hdr(msgs[p.base + i]);

			h->nlmsg_seq = pipe_seq++;
			h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
			h->nlmsg_pid = nl_socket_get_local_port(sk);
			if (i == 0)
				p.seq0 = h->nlmsg_seq;
		}
		rc = pipe_send(fd, msgs + p.base, p.count);
		if (!rc)
			rc = pipe_recv(fd, &p, buf);
	}
	if (rc)
		drain(fd, buf);
	free(buf);
	return rc ? rc : p.first;
}

/**
 * hn_nl_request - send a request a builder made, wait for its ack, free it
 * @build_rc: what the builder returned; @msg is used (and freed) only if 0
 * @msg: the built request
 * @what: the object, written to ctx->err on failure
 *
 * One place for the build -> send -> free -> report steps of every
 * single-request library call.
 *
 * Return: 0, @build_rc, or the kernel's -errno.
 */
int hn_nl_request(struct hn_ctx *ctx, int build_rc, struct nl_msg *msg, const char *what)
{
	int rc = build_rc;

	if (!rc) {
		rc = hn_nl_talk(ctx, msg, NULL, NULL);
		nlmsg_free(msg);
	}
	return rc ? hn_ctx_fail(ctx, rc, "%s", what) : 0;
}

/**
 * hn_nl_msg_new - a request of @type with its family header (ifinfomsg, rtmsg ...)
 * @flags: NLM_F_DUMP, NLM_F_CREATE ... (NLM_F_REQUEST is always set)
 * @hdr: the header, copied; @len its size
 * @msg: receives the message (NULL on failure); free with nlmsg_free()
 *
 * Return: 0 or -ENOMEM.
 */
int hn_nl_msg_new(int type, int flags, const void *hdr, size_t len, struct nl_msg **msg)
{
	*msg = nlmsg_alloc_simple(type, flags);
	if (!*msg)
		return -ENOMEM;
	if (nlmsg_append(*msg, (void *)hdr, len, NLMSG_ALIGNTO) < 0) {
		nlmsg_free(*msg);
		*msg = NULL;
		return -ENOMEM;
	}
	return 0;
}

/**
 * hn_nl_read - check a reply's type, parse its attributes and have @fill read them into @obj
 * @nlh: the message
 * @type: the type it must have (RTM_NEWROUTE ...)
 * @hdrlen: the size of its family header (sizeof(struct rtmsg) ...)
 * @maxattr: its highest attribute type (RTA_MAX ...), at most HN_NL_ATTR_MAX
 * @fill: the module's reader, given the family header and the attributes
 * @obj: handed to @fill
 *
 * The steps a parser of a reply starts with, so that a module's parser
 * (an hn_nl_parse_fn) is one call of this with its own @fill.
 *
 * Return: -EBADMSG for a message of another type or one that does not
 * parse, -EINVAL if @maxattr exceeds HN_NL_ATTR_MAX, else what @fill returns.
 */
int hn_nl_read(const struct nlmsghdr *nlh, int type, size_t hdrlen, int maxattr,
	       hn_nl_read_fn fill, void *obj)
{
	struct nlattr *tb[HN_NL_ATTR_MAX + 1];

	if (maxattr > HN_NL_ATTR_MAX)
		return -EINVAL;
	if (nlh->nlmsg_type != type ||
	    nlmsg_parse((struct nlmsghdr *)nlh, (int)hdrlen, tb, maxattr, NULL) < 0)
		return -EBADMSG;
	return fill(nlmsg_data(nlh), tb, obj);
}

/* hn_nl_dump()'s state: the module's parser, its object, and the caller's callback. */
struct dump {
	hn_nl_parse_fn parse;
	void *obj;
	hn_nl_obj_cb cb;
	void *arg;
};

static int on_reply(struct nl_msg *msg, void *arg)
{
	const struct dump *d = arg;
	int rc = d->parse(nlmsg_hdr(msg), d->obj);

	if (rc == 1)
		return d->cb(d->obj, d->arg);
	return rc == -EBADMSG ? 0 : rc;
}

/**
 * hn_nl_dump - send a request, hand each object of its replies to a callback, free it
 * @build_rc: what the builder returned; @msg is used (and freed) only if 0
 * @msg: the request, normally a dump
 * @parse: the module's parser of one reply (hn_route_parse() ...): it fills
 *	   @obj and returns 1 when the message holds one of the module's
 *	   objects, else 0 to skip the message, or -EBADMSG for one it
 *	   cannot read
 * @obj: the object @parse fills, of the module's type; reused for every reply
 * @cb: the caller's callback, called with @obj each time @parse filled it;
 *	the object is overwritten by the next reply
 * @arg: passed to @cb
 * @what: the objects, written to ctx->err on failure ("routes")
 *
 * One place for the build -> send -> parse each -> call back -> free ->
 * report steps of every listing in lib. A reply that cannot be read is
 * skipped, so one odd message does not fail a listing; a callback that
 * wants to stop returns another -errno.
 *
 * Return: 0, @build_rc, the first -errno @parse (but -EBADMSG) or @cb
 * returned, or the kernel's -errno.
 */
int hn_nl_dump(struct hn_ctx *ctx, int build_rc, struct nl_msg *msg, hn_nl_parse_fn parse,
	       void *obj, hn_nl_obj_cb cb, void *arg, const char *what)
{
	struct dump d = { parse, obj, cb, arg };
	int rc = build_rc;

	if (!rc) {
		rc = hn_nl_talk(ctx, msg, on_reply, &d);
		nlmsg_free(msg);
	}
	return rc ? hn_ctx_fail(ctx, rc, "%s", what) : 0;
}

/**
 * hn_nl_list - dump the objects of one kind and hand each to a callback
 * @type: the request (RTM_GETROUTE ...), sent with NLM_F_DUMP
 * @hdr: its family header (struct rtmsg ...), which can filter the dump
 *	 (by family, by the NTF_PROXY table); @len its size
 * @parse: @obj: @cb: @arg: @what: as for hn_nl_dump()
 *
 * Return: 0, -ENOMEM, the first -errno @parse (but -EBADMSG) or @cb
 * returned, or the kernel's -errno.
 */
int hn_nl_list(struct hn_ctx *ctx, int type, const void *hdr, size_t len, hn_nl_parse_fn parse,
	       void *obj, hn_nl_obj_cb cb, void *arg, const char *what)
{
	struct nl_msg *msg;
	int rc = hn_nl_msg_new(type, NLM_F_DUMP, hdr, len, &msg);

	return hn_nl_dump(ctx, rc, msg, parse, obj, cb, arg, what);
}
