/* test_swreq.c - uml_switch's control-request parser: UML's layouts byte for byte, and refusals. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "unit.h"
#include "../../uml_switch/req.h"

/* UML's own struct (arch/um/drivers/daemon_user.c), to check our offsets against the compiler's. */
struct uml_request_v3 {
	uint32_t magic;
	uint32_t version;
	int type;
	struct sockaddr_un sock;
};

static struct sockaddr_un abstract_addr(void)
{
	struct sockaddr_un a;

	memset(&a, 0xa5, sizeof(a));	/* UML leaves the tail uninitialised */
	a.sun_family = AF_UNIX;
	a.sun_path[0] = '\0';
	a.sun_path[1] = 0x12;
	return a;
}

static void test_v3(void)
{
	struct sockaddr_un a = abstract_addr();
	struct uml_request_v3 u = { 0xfeedface, 3, 0, a };
	unsigned char buf[SW_REQ_MAX];
	struct sw_req r;
	const char *why;

	is_int(sizeof(u), 124, "UML's v3 request is 124 bytes");
	is_int(sizeof(struct sockaddr_un), 110, "the reply (a sockaddr_un) is 110 bytes");
	is_int(sw_req_build(buf, sizeof(buf), 3, SW_REQ_NEW_CONTROL, &a), 124, "v3 built at 124 bytes");
	ok(!memcmp(buf, &u, offsetof(struct uml_request_v3, sock) + sizeof(a)), "v3 layout is UML's");
	is_int(sw_req_parse(&u, sizeof(u), &r, &why), 0, "UML's v3 request parses");
	is_int(r.version, 3, "version 3");
	ok(r.reply, "v3 expects a reply");
	ok(!memcmp(&r.addr, &a, sizeof(a)), "address kept as a whole blob, tail included");
	is_int(sw_req_parse(buf, 122, &r, &why), -EINVAL, "122 bytes: short");
	is_str(why, "short request", "why: short");
	is_int(sw_req_parse(buf, 125, &r, &why), -EINVAL, "125 bytes: oversized");
	is_str(why, "oversized request", "why: oversized");
}

static void test_versions(void)
{
	struct sockaddr_un a = abstract_addr();
	unsigned char buf[SW_REQ_MAX];
	struct sw_req r;
	const char *why;
	uint32_t v;

	is_int(sw_req_build(buf, sizeof(buf), 0, SW_REQ_NEW_CONTROL, &a), 120, "v0 is 120 bytes");
	is_int(sw_req_parse(buf, 120, &r, &why), 0, "v0 parses");
	ok(r.version == 0 && !r.reply, "v0 gets no reply");
	ok(!memcmp(&r.addr, &a, sizeof(a)), "v0 address at offset 10");
	is_int(sw_req_build(buf, sizeof(buf), 1, SW_REQ_NEW_CONTROL, &a), 124, "v1 is 124 bytes");
	is_int(sw_req_parse(buf, 124, &r, &why), 0, "v1 parses");
	ok(r.version == 1 && r.reply, "v1 gets a reply");
	ok(!memcmp(&r.addr, &a, sizeof(a)), "v1 address at offset 14");
	sw_req_build(buf, sizeof(buf), 3, SW_REQ_NEW_CONTROL, &a);
	v = 2;
	memcpy(buf + 4, &v, 4);
	is_int(sw_req_parse(buf, 124, &r, &why), -EPROTO, "version 2 refused");
	is_str(why, "unsupported protocol version", "why: version");
	v = 4;
	memcpy(buf + 4, &v, 4);
	is_int(sw_req_parse(buf, 124, &r, &why), -EPROTO, "version 4 refused");
	v = 0xdeadbeef;
	memcpy(buf, &v, 4);
	is_int(sw_req_parse(buf, 120, &r, &why), -EPROTO, "wrong magic refused");
	is_str(why, "bad magic", "why: magic");
	is_int(sw_req_parse(buf, 3, &r, &why), -EINVAL, "3 bytes: short");
	is_int(sw_req_parse(buf, 0, &r, &why), -EINVAL, "nothing: short");
}

static void test_addresses(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	unsigned char buf[SW_REQ_MAX];
	struct sw_req r;
	const char *why;
	char out[240];

	strcpy(a.sun_path, "/tmp/x.sock");
	sw_req_build(buf, sizeof(buf), 3, SW_REQ_NEW_CONTROL, &a);
	is_int(sw_req_parse(buf, 124, &r, &why), 0, "a path address parses");
	sw_addr_format(&r.addr, out, sizeof(out));
	is_str(out, "/tmp/x.sock", "path printed as is");
	strcpy(a.sun_path, "rel/x");
	sw_req_build(buf, sizeof(buf), 3, SW_REQ_NEW_CONTROL, &a);
	is_int(sw_req_parse(buf, 124, &r, &why), -EINVAL, "a relative path is refused");
	memset(a.sun_path, 'x', sizeof(a.sun_path));
	a.sun_path[0] = '/';
	sw_req_build(buf, sizeof(buf), 3, SW_REQ_NEW_CONTROL, &a);
	is_int(sw_req_parse(buf, 124, &r, &why), -EINVAL, "an unterminated path is refused");
	a.sun_family = AF_INET;
	sw_req_build(buf, sizeof(buf), 3, SW_REQ_NEW_CONTROL, &a);
	is_int(sw_req_parse(buf, 124, &r, &why), -EINVAL, "a non-AF_UNIX address is refused");
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	a.sun_path[1] = 0x01;
	a.sun_path[2] = '\n';
	sw_addr_format(&a, out, sizeof(out));
	is_str(out, "@010a", "abstract name as hex up to its last non-zero byte");
	strcpy(a.sun_path, "/a\nb");
	sw_addr_format(&a, out, sizeof(out));
	is_str(out, "/a\\x0ab", "control bytes in a path escaped");
}

static void test_status(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	unsigned char buf[SW_REQ_MAX];
	struct sw_req r;
	const char *why;
	uint32_t t = 77;

	a.sun_path[0] = SW_STATUS_JSON;
	sw_req_build(buf, sizeof(buf), 3, SW_REQ_STATUS, &a);
	is_int(sw_req_parse(buf, 124, &r, &why), 0, "status request parses");
	ok(r.type == SW_REQ_STATUS && r.fmt == SW_STATUS_JSON, "status, JSON");
	memcpy(buf + 8, &t, 4);
	is_int(sw_req_parse(buf, 124, &r, &why), -EPROTO, "unknown v3 type refused");
	is_str(why, "unknown request type", "why: type");
	is_int(sw_req_build(buf, 10, 3, SW_REQ_STATUS, &a), 0, "build refuses a small buffer");
}

int main(void)
{
	test_v3();
	test_versions();
	test_addresses();
	test_status();
	return done_testing();
}
