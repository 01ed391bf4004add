/* slip.h - SLIP framing (RFC 1055) and the IPv4 <-> Ethernet shim between UML and libslirp: pure code, no I/O. */
#ifndef HN_SLIRP_SLIP_H
#define HN_SLIRP_SLIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SL_END     0300
#define SL_ESC     0333
#define SL_ESC_END 0334
#define SL_ESC_ESC 0335

/* UML's slip receive buffer holds 1500 bytes: nothing longer ever goes out. */
#define SL_MTU_MAX 1500
#define SL_MTU_MIN 68
#define SL_ETH_HLEN 14
#define SL_ARP_LEN (SL_ETH_HLEN + 28)
/* Worst case of sl_encode(): every byte escaped, plus the two ENDs. */
#define SL_ENC_MAX(n) (2 * (n) + 2)

/* Decoder state: one frame at a time, never longer than max bytes. */
struct sl_dec {
	uint8_t buf[SL_MTU_MAX];
	size_t len, max;
	bool esc, oversize, badesc, done;
	unsigned long long dropped_oversize, dropped_badesc;	/* frames, since init */
};

enum sl_event {
	SL_NONE,	/* input used up, no frame ended */
	SL_FRAME,	/* buf[0..len) holds a frame, valid until the next feed */
	SL_OVERSIZE,	/* a frame longer than max ended: dropped */
	SL_BADESC,	/* a frame with ESC followed by neither ESC_END nor ESC_ESC: dropped */
};

void sl_dec_init(struct sl_dec *d, size_t max);
enum sl_event sl_dec_feed(struct sl_dec *d, const uint8_t *in, size_t n, size_t *used);
size_t sl_encode(const uint8_t *pkt, size_t len, uint8_t *out);

/* The shim: the guest is one fixed MAC behind a point-to-point link. */
#define SL_KNOWN_MAX 16
#define SL_ASKED_MAX 64
struct sl_shim {
	uint8_t guest_mac[6];
	uint32_t known[SL_KNOWN_MAX];	/* guest source addresses announced (network order) */
	unsigned int nknown, next;
	uint32_t vdns, dns;		/* dns != 0: guest DNS to vdns:53 goes to dns:53 */
	struct { uint32_t addr; uint16_t port; } asked[SL_ASKED_MAX];	/* who asked vdns */
	unsigned int nasked;
};

enum sl_out {
	SL_OUT_IP,	/* an IPv4 packet for the guest */
	SL_OUT_ARP,	/* libslirp asks for a guest address: feed back the reply built */
	SL_OUT_DROP,	/* nothing for the guest (ARP reply, IPv6, other, malformed) */
};

void sl_shim_init(struct sl_shim *s, uint32_t vdns, uint32_t dns);
int sl_ip_check(const uint8_t *p, size_t len);
bool sl_shim_learn(struct sl_shim *s, uint32_t src, uint32_t vhost, uint8_t arp[SL_ARP_LEN]);
size_t sl_eth_wrap(const struct sl_shim *s, const uint8_t *ip, size_t len, uint8_t *out);
enum sl_out sl_eth_unwrap(const struct sl_shim *s, const uint8_t *f, size_t len,
	const uint8_t **ip, size_t *iplen, uint8_t arp[SL_ARP_LEN]);
void sl_dns_out(struct sl_shim *s, uint8_t *ip, size_t len);
void sl_dns_in(const struct sl_shim *s, uint8_t *ip, size_t len);

#endif
