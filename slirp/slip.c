/* slip.c - SLIP framing (RFC 1055) and the IPv4 <-> Ethernet shim between UML and libslirp: pure code, no I/O. */
#include <string.h>

#include "slip.h"

#define ETH_P_IP4 0x0800
#define ETH_P_ARP 0x0806
#define ARP_REQUEST 1
#define ARP_REPLY 2

/* libslirp answers for its own addresses with 52:55:a.b.c.d; the guest gets
 * a fixed locally administered MAC of its own (QEMU's default). */
static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/**
 * sl_dec_init - reset a decoder
 * @d: the decoder
 * @max: the longest frame accepted (at most SL_MTU_MAX); longer ones are dropped
 */
void sl_dec_init(struct sl_dec *d, size_t max)
{
	memset(d, 0, sizeof(*d));
	d->max = max > SL_MTU_MAX ? SL_MTU_MAX : max;
}

static enum sl_event end_frame(struct sl_dec *d)
{
	enum sl_event ev = d->oversize ? SL_OVERSIZE : d->badesc ? SL_BADESC : SL_FRAME;

	if (ev == SL_FRAME && d->len == 0)
		return SL_NONE;	/* back-to-back ENDs: UML starts every frame with one */
	d->dropped_oversize += ev == SL_OVERSIZE;
	d->dropped_badesc += ev == SL_BADESC;
	d->done = true;
	return ev;
}

static void put(struct sl_dec *d, const uint8_t *p, size_t n)
{
	size_t room = d->max - d->len;

	if (n > room) {
		n = room;
		d->oversize = true;
	}
	memcpy(d->buf + d->len, p, n);
	d->len += n;
}

/* Index of the next byte c at or after i, or n: memchr, so runs of plain
 * bytes go at memory speed. */
static size_t next(const uint8_t *in, size_t i, size_t n, uint8_t c)
{
	const uint8_t *p = memchr(in + i, c, n - i);

	return p ? (size_t)(p - in) : n;
}

/**
 * sl_dec_feed - decode bytes until a frame ends or the input is used up
 * @d: the decoder; after SL_FRAME its buf and len hold the frame
 * @in: the bytes read from the link
 * @n: their count
 * @used: set to the number of bytes consumed (the rest is for the next call)
 *
 * Linear in @n whatever the bytes: the next END and ESC positions are each
 * searched for only once they have been passed.
 *
 * Return: SL_NONE when all of @in was consumed without a frame ending,
 * otherwise the event for the frame that ended (the END byte is consumed).
 */
enum sl_event sl_dec_feed(struct sl_dec *d, const uint8_t *in, size_t n, size_t *used)
{
	size_t i = 0, e_end = 0, e_esc = 0;
	enum sl_event ev;

	if (d->done) {
		d->len = 0;
		d->esc = d->oversize = d->badesc = d->done = false;
	}
	while (i < n) {
		uint8_t c = in[i];

		if (c == SL_END) {
			d->esc = false;
			ev = end_frame(d);
			i++;
			if (ev != SL_NONE) {
				*used = i;
				return ev;
			}
			continue;
		}
		if (d->esc) {
			d->esc = false;
			if (c == SL_ESC_END)
				put(d, (const uint8_t[]){ SL_END }, 1);
			else if (c == SL_ESC_ESC)
				put(d, (const uint8_t[]){ SL_ESC }, 1);
			else
				d->badesc = true;
			i++;
			continue;
		}
		if (c == SL_ESC) {
			d->esc = true;
			i++;
			continue;
		}
		if (e_end <= i)
			e_end = next(in, i, n, SL_END);
		if (e_esc <= i)
			e_esc = next(in, i, e_end, SL_ESC);
		if (e_esc > e_end)
			e_esc = e_end;
		put(d, in + i, e_esc - i);
		i = e_esc;
	}
	*used = n;
	return SL_NONE;
}

/**
 * sl_encode - SLIP-frame a packet as UML's slip_common does: END, data, END
 * @pkt: the packet
 * @len: its length
 * @out: room for SL_ENC_MAX(len) bytes
 *
 * Return: the number of bytes written to @out.
 */
size_t sl_encode(const uint8_t *pkt, size_t len, uint8_t *out)
{
	size_t o = 0, i = 0, e_end = 0, e_esc = 0, stop;

	out[o++] = SL_END;
	while (i < len) {
		if (e_end <= i)
			e_end = next(pkt, i, len, SL_END);
		if (e_esc <= i)
			e_esc = next(pkt, i, len, SL_ESC);
		stop = e_end < e_esc ? e_end : e_esc;
		memcpy(out + o, pkt + i, stop - i);
		o += stop - i;
		i = stop;
		if (i == len)
			break;
		out[o++] = SL_ESC;
		out[o++] = pkt[i] == SL_END ? SL_ESC_END : SL_ESC_ESC;
		i++;
	}
	out[o++] = SL_END;
	return o;
}

/**
 * sl_shim_init - set up the Ethernet shim
 * @s: the shim
 * @vdns: the virtual DNS address the guest uses (network order)
 * @dns: the real resolver that replaces it, or 0 to leave DNS to libslirp
 */
void sl_shim_init(struct sl_shim *s, uint32_t vdns, uint32_t dns)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->guest_mac, guest_mac, 6);
	s->vdns = vdns;
	s->dns = dns;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void set16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/**
 * sl_ip_check - is this a well-formed IPv4 packet?
 * @p: the packet as it came from the guest
 * @len: its length
 *
 * Return: the packet's length from its header (bytes past it are link
 * padding), or -1 if it is no IPv4 packet, its header is short or its total
 * length exceeds @len.
 */
int sl_ip_check(const uint8_t *p, size_t len)
{
	size_t hl, tot;

	if (len < 20 || p[0] >> 4 != 4)
		return -1;
	hl = (size_t)(p[0] & 0xf) * 4;
	tot = get16(p + 2);
	if (hl < 20 || tot < hl || tot > len)
		return -1;
	return (int)tot;
}

static void arp_build(uint8_t *f, const uint8_t dst[6], const uint8_t sha[6], uint32_t sip,
	const uint8_t tha[6], uint32_t tip)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, sha, 6);
	set16(f + 12, ETH_P_ARP);
	set16(f + 14, 1);		/* Ethernet */
	set16(f + 16, ETH_P_IP4);
	f[18] = 6;
	f[19] = 4;
	set16(f + 20, ARP_REPLY);
	memcpy(f + 22, sha, 6);
	memcpy(f + 28, &sip, 4);
	memcpy(f + 32, tha, 6);
	memcpy(f + 38, &tip, 4);
}

/**
 * sl_shim_learn - note a guest source address; announce it when it is new
 * @s: the shim
 * @src: the source address of a packet from the guest (network order)
 * @vhost: libslirp's host address, the ARP reply's target
 * @arp: receives an ARP reply frame to feed to libslirp before the packet
 *
 * libslirp drops a packet to the guest whose ARP resolution takes over a
 * second, and retries only when polled: the reply makes its ARP table know
 * the address before the guest's first packet is even answered.
 *
 * Return: true if @arp holds a frame to feed, false if @src was known (or 0).
 */
bool sl_shim_learn(struct sl_shim *s, uint32_t src, uint32_t vhost, uint8_t arp[SL_ARP_LEN])
{
	static const uint8_t slirp_mac[6] = { 0x52, 0x55, 0, 0, 0, 0 };

	if (src == 0 || src == 0xffffffffu)
		return false;
	for (unsigned int i = 0; i < s->nknown; i++)
		if (s->known[i] == src)
			return false;
	s->known[s->next] = src;
	s->next = (s->next + 1) % SL_KNOWN_MAX;
	if (s->nknown < SL_KNOWN_MAX)
		s->nknown++;
	arp_build(arp, slirp_mac, s->guest_mac, src, slirp_mac, vhost);
	return true;
}

/**
 * sl_eth_wrap - put a guest IPv4 packet in an Ethernet frame for libslirp
 * @s: the shim
 * @ip: the packet
 * @len: its length
 * @out: room for SL_ETH_HLEN + @len bytes
 *
 * Return: the frame's length.
 */
size_t sl_eth_wrap(const struct sl_shim *s, const uint8_t *ip, size_t len, uint8_t *out)
{
	static const uint8_t slirp_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

	memcpy(out, slirp_mac, 6);	/* libslirp does not look at it */
	memcpy(out + 6, s->guest_mac, 6);
	set16(out + 12, ETH_P_IP4);
	memcpy(out + SL_ETH_HLEN, ip, len);
	return SL_ETH_HLEN + len;
}

/**
 * sl_eth_unwrap - classify a frame libslirp sends to the guest
 * @s: the shim
 * @f: the Ethernet frame
 * @len: its length
 * @ip: for SL_OUT_IP, set to the IPv4 packet inside @f
 * @iplen: its length
 * @arp: for SL_OUT_ARP, receives the guest's reply, to feed to libslirp
 *
 * Every address libslirp asks about is on the guest's side of the
 * point-to-point link, so every request is answered with the guest's MAC.
 *
 * Return: what to do with the frame (enum sl_out).
 */
enum sl_out sl_eth_unwrap(const struct sl_shim *s, const uint8_t *f, size_t len,
	const uint8_t **ip, size_t *iplen, uint8_t arp[SL_ARP_LEN])
{
	uint32_t sip, tip;
	int n;

	if (len < SL_ETH_HLEN)
		return SL_OUT_DROP;
	switch (get16(f + 12)) {
	case ETH_P_IP4:
		n = sl_ip_check(f + SL_ETH_HLEN, len - SL_ETH_HLEN);
		if (n < 0)
			return SL_OUT_DROP;
		*ip = f + SL_ETH_HLEN;
		*iplen = (size_t)n;
		return SL_OUT_IP;
	case ETH_P_ARP:
		if (len < SL_ARP_LEN || get16(f + 14) != 1 || get16(f + 16) != ETH_P_IP4 ||
		    f[18] != 6 || f[19] != 4 || get16(f + 20) != ARP_REQUEST)
			return SL_OUT_DROP;
		memcpy(&sip, f + 28, 4);
		memcpy(&tip, f + 38, 4);
		arp_build(arp, f + 22, s->guest_mac, tip, f + 22, sip);
		return SL_OUT_ARP;
	default:
		return SL_OUT_DROP;
	}
}

/* RFC 1624 (eqn. 3) update of a checksum when 4 bytes change from old to new. */
static void csum_fix(uint8_t *sum, const uint8_t *old, const uint8_t *new)
{
	uint32_t s = (uint16_t)~get16(sum);

	s += (uint16_t)~get16(old) + (uint16_t)~get16(old + 2);
	s += get16(new) + get16(new + 2);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	set16(sum, (uint16_t)~s);
}

/* Rewrite the address at ip[off] (12: source, 16: destination) of a UDP
 * packet, fixing the IP and UDP checksums. */
static void rewrite(uint8_t *ip, size_t hl, size_t off, uint32_t to)
{
	uint8_t old[4];

	memcpy(old, ip + off, 4);
	memcpy(ip + off, &to, 4);
	csum_fix(ip + 10, old, ip + off);
	if (get16(ip + hl + 6) != 0) {	/* 0: the sender sent no UDP checksum */
		csum_fix(ip + hl + 6, old, ip + off);
		if (get16(ip + hl + 6) == 0)
			set16(ip + hl + 6, 0xffff);
	}
}

/* Header length if ip is an unfragmented UDP packet with room for its
 * header and the given port at port_off (0: source, 2: destination) is 53. */
static size_t udp53(const uint8_t *ip, size_t len, size_t port_off)
{
	size_t hl;

	if (sl_ip_check(ip, len) < 0 || ip[9] != 17 || (get16(ip + 6) & 0x3fff) != 0)
		return 0;
	hl = (size_t)(ip[0] & 0xf) * 4;
	if (len < hl + 8 || get16(ip + hl + port_off) != 53)
		return 0;
	return hl;
}

/* Did the guest's socket addr:port ask the virtual DNS address lately? */
static bool asked(const struct sl_shim *s, uint32_t addr, uint16_t port)
{
	unsigned int n = s->nasked < SL_ASKED_MAX ? s->nasked : SL_ASKED_MAX;

	for (unsigned int i = 0; i < n; i++)
		if (s->asked[i].addr == addr && s->asked[i].port == port)
			return true;
	return false;
}

/**
 * sl_dns_out - send the guest's queries to the virtual DNS address to the real resolver
 * @s: the shim; nothing happens unless a resolver was set (`dns ADDR`)
 * @ip: an IPv4 packet from the guest, changed in place
 * @len: its length
 */
void sl_dns_out(struct sl_shim *s, uint8_t *ip, size_t len)
{
	uint32_t src;
	uint16_t port;
	size_t hl;

	if (s->dns == 0 || (hl = udp53(ip, len, 2)) == 0 || memcmp(ip + 16, &s->vdns, 4) != 0)
		return;
	memcpy(&src, ip + 12, 4);
	port = get16(ip + hl);
	if (!asked(s, src, port)) {
		s->asked[s->nasked % SL_ASKED_MAX].addr = src;
		s->asked[s->nasked % SL_ASKED_MAX].port = port;
		s->nasked++;
	}
	rewrite(ip, hl, 16, s->dns);
}

/**
 * sl_dns_in - make the real resolver's answers come from the virtual DNS address
 * @s: the shim; nothing happens unless a resolver was set (`dns ADDR`), and
 *     only answers to a guest port that asked the virtual address (one of
 *     the last SL_ASKED_MAX) are rewritten
 * @ip: an IPv4 packet for the guest, changed in place
 * @len: its length
 */
void sl_dns_in(const struct sl_shim *s, uint8_t *ip, size_t len)
{
	size_t hl;

	uint32_t dst;

	if (s->dns == 0 || (hl = udp53(ip, len, 0)) == 0 || memcmp(ip + 12, &s->dns, 4) != 0)
		return;
	memcpy(&dst, ip + 16, 4);
	if (asked(s, dst, get16(ip + hl + 2)))	/* else the guest asked s->dns itself */
		rewrite(ip, hl, 12, s->vdns);
}
