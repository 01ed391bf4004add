/* req.h - the control requests of UML's daemon transport (and our status request): parse and build. */
#ifndef SW_REQ_H
#define SW_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>

#define SW_MAGIC	0xfeedfaceU
#define SW_VERSION	3
/* Sizes as UML (x86-64 and i386 alike) writes and reads them. */
#define SW_ADDR_LEN	sizeof(struct sockaddr_un)	/* 110: the reply, and every address */
#define SW_REQ_V0_LEN	120	/* type, mac[6], sockaddr_un */
#define SW_REQ_V1_LEN	124	/* magic, type, mac[6], sockaddr_un */
#define SW_REQ_V3_LEN	124	/* magic, version, type, sockaddr_un, 2 bytes of padding */
#define SW_REQ_MAX	124	/* the largest request; more bytes in one read is "oversized" */

/* Request types: UML only sends NEW_CONTROL; STATUS is hostnet's own (v3 layout). */
enum sw_req_type {
	SW_REQ_NEW_CONTROL = 0,
	SW_REQ_STATUS = 0x68737701,	/* "\1wsh": no UML kernel sends it */
};

/* Status formats, carried in the first byte of a status request's address. */
enum sw_status_fmt { SW_STATUS_TEXT = 't', SW_STATUS_JSON = 'j' };

struct sw_req {
	int version;			/* 0, 1 or 3 */
	enum sw_req_type type;
	bool reply;			/* v1 and v3 expect the switch's data address back */
	struct sockaddr_un addr;	/* the client's data socket, as sent (a whole blob) */
	enum sw_status_fmt fmt;		/* SW_REQ_STATUS only */
};

int sw_req_parse(const void *buf, size_t len, struct sw_req *req, const char **why);
size_t sw_req_build(void *buf, size_t size, int version, enum sw_req_type type,
		    const struct sockaddr_un *addr);
bool sw_addr_is_abstract(const struct sockaddr_un *a);
size_t sw_addr_format(const struct sockaddr_un *a, char *out, size_t size);

#endif
