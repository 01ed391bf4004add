/* req.c - parse and build daemon-transport control requests; pure code (unit tests, libFuzzer). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "req.h"

/*
 * Layouts, byte offsets in host order, as UML's daemon_user.c and the
 * reference switch lay their structs out (sockaddr_un is 2-byte aligned):
 *   v0: type@0 mac@4 addr@10                     (120 bytes, no magic)
 *   v1: magic@0 type@4 mac@8 addr@14             (124 bytes; "version" word is 0/1)
 *   v3: magic@0 version@4 type@8 addr@12 pad@122 (124 bytes)
 */
#define V0_ADDR	10
#define V1_ADDR	14
#define V3_ADDR	12

static uint32_t word(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int take_addr(struct sw_req *req, const unsigned char *p, const char **why)
{
	memcpy(&req->addr, p, sizeof(req->addr));
	if (req->addr.sun_family != AF_UNIX) {
		*why = "data socket address is not AF_UNIX";
		return -EINVAL;
	}
	if (!sw_addr_is_abstract(&req->addr) &&
	    !memchr(req->addr.sun_path, '\0', sizeof(req->addr.sun_path))) {
		*why = "data socket path is not NUL-terminated";
		return -EINVAL;
	}
	if (!sw_addr_is_abstract(&req->addr) && req->addr.sun_path[0] != '/') {
		*why = "data socket path is not absolute";
		return -EINVAL;
	}
	return 0;
}

/* A new-control request of @version whose data socket address is at @addr. */
static int new_control(struct sw_req *req, int version, const unsigned char *addr,
		       const char **why)
{
	req->version = version;
	req->type = SW_REQ_NEW_CONTROL;
	req->reply = version > 0;	/* v0 clients wait for no reply */
	return take_addr(req, addr, why);
}

static int parse_v0(const unsigned char *b, size_t len, struct sw_req *req, const char **why)
{
	if (len != SW_REQ_V0_LEN) {
		*why = len < SW_REQ_V0_LEN ? "short request" : "oversized request";
		return -EINVAL;
	}
	if (word(b) != SW_REQ_NEW_CONTROL) {
		*why = "bad magic";
		return -EPROTO;
	}
	return new_control(req, 0, b + V0_ADDR, why);
}

static int parse_v1(const unsigned char *b, struct sw_req *req, const char **why)
{
	if (word(b + 4) != SW_REQ_NEW_CONTROL) {
		*why = "unknown request type";
		return -EPROTO;
	}
	return new_control(req, 1, b + V1_ADDR, why);
}

static int parse_v3(const unsigned char *b, struct sw_req *req, const char **why)
{
	uint32_t type = word(b + 8);

	if (type != SW_REQ_NEW_CONTROL && type != SW_REQ_STATUS) {
		*why = "unknown request type";
		return -EPROTO;
	}
	if (type == SW_REQ_STATUS) {
		/* Only the format byte matters; the rest of the address is ignored. */
		req->version = 3;
		req->type = SW_REQ_STATUS;
		req->reply = true;
		req->fmt = b[V3_ADDR + 2] == SW_STATUS_JSON ? SW_STATUS_JSON : SW_STATUS_TEXT;
		return 0;
	}
	return new_control(req, 3, b + V3_ADDR, why);
}

/**
 * sw_req_parse - decode one control request, read from the stream in one piece
 * @buf: the bytes read
 * @len: their number
 * @req: filled on success
 * @why: on failure, a static text naming what was wrong
 *
 * Accepts exactly what UML and the reference switch accept: v0 (no magic),
 * v1 and v3 (magic 0xfeedface). Version 2 and versions above 3 are refused,
 * as is any length other than the version's own.
 * Return: 0, -EINVAL (length, address) or -EPROTO (magic, version, type).
 */
int sw_req_parse(const void *buf, size_t len, struct sw_req *req, const char **why)
{
	const unsigned char *b = buf;
	uint32_t version;

	memset(req, 0, sizeof(*req));
	*why = NULL;
	if (len < 4) {
		*why = "short request";
		return -EINVAL;
	}
	if (word(b) != SW_MAGIC)
		return parse_v0(b, len, req, why);
	if (len != SW_REQ_V3_LEN) {
		*why = len < SW_REQ_V3_LEN ? "short request" : "oversized request";
		return -EINVAL;
	}
	version = word(b + 4);
	if (version == 0 || version == 1)	/* v1: that word is its request type */
		return parse_v1(b, req, why);
	if (version == SW_VERSION)
		return parse_v3(b, req, why);
	*why = "unsupported protocol version";
	return -EPROTO;
}

static void put_word(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/**
 * sw_req_build - lay out a request as a client (UML, the test client, --status) sends it
 * @buf: output buffer, at least SW_REQ_MAX bytes
 * @size: its size
 * @version: 0, 1 or 3
 * @type: request type (v3 only may carry SW_REQ_STATUS)
 * @addr: the client's data socket address (copied whole)
 * Return: the request's length, or 0 if @size is too small or @version unknown.
 */
size_t sw_req_build(void *buf, size_t size, int version, enum sw_req_type type,
		    const struct sockaddr_un *addr)
{
	unsigned char *b = buf;

	if (size < SW_REQ_MAX)
		return 0;
	memset(b, 0, SW_REQ_MAX);
	switch (version) {
	case 0:
		put_word(b, type);
		memcpy(b + V0_ADDR, addr, SW_ADDR_LEN);
		return SW_REQ_V0_LEN;
	case 1:
		put_word(b, SW_MAGIC);
		put_word(b + 4, type);
		memcpy(b + V1_ADDR, addr, SW_ADDR_LEN);
		return SW_REQ_V1_LEN;
	case 3:
		put_word(b, SW_MAGIC);
		put_word(b + 4, SW_VERSION);
		put_word(b + 8, type);
		memcpy(b + V3_ADDR, addr, SW_ADDR_LEN);
		return SW_REQ_V3_LEN;
	}
	return 0;
}

/** sw_addr_is_abstract - true for Linux abstract names (first path byte NUL). */
bool sw_addr_is_abstract(const struct sockaddr_un *a)
{
	return a->sun_path[0] == '\0';
}

/**
 * sw_addr_format - printable form of a data address: a path as is (control
 * bytes as \xHH), an abstract name as '@' and the hex of its bytes up to the
 * last non-zero one (UML's name: pid and microseconds).
 * Return: the length written (always NUL-terminated when @size > 0).
 */
size_t sw_addr_format(const struct sockaddr_un *a, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)a->sun_path;
	size_t n = 0, end = sizeof(a->sun_path);
	int abs = sw_addr_is_abstract(a);

	if (!size)
		return 0;
	out[0] = '\0';
	if (abs) {
		while (end > 1 && !p[end - 1])
			end--;
		n += snprintf(out, size, "@");
		for (size_t i = 1; i < end && n + 3 < size; i++)
			n += snprintf(out + n, size - n, "%02x", p[i]);
		return n;
	}
	for (size_t i = 0; i < end && p[i] && n + 5 < size; i++)
		n += snprintf(out + n, size - n, p[i] < 0x20 || p[i] >= 0x7f ? "\\x%02x" : "%c", p[i]);
	return n;
}
