/* test_slirp_slip.c - slirp's SLIP codec and Ethernet shim: framing, escapes, bad input, ARP, DNS rewrite. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "../../slirp/slip.h"

/* Feed everything; collect the events and the last frame. */
static int feed_all(struct sl_dec *d, const uint8_t *in, size_t n, int ev[], int max, uint8_t *last, size_t *lastlen)
{
	size_t off = 0, used;
	int k = 0;

	while (off < n) {
		enum sl_event e = sl_dec_feed(d, in + off, n - off, &used);

		off += used;
		if (e == SL_NONE)
			continue;
		if (k < max)
			ev[k++] = e;
		if (e == SL_FRAME) {
			memcpy(last, d->buf, d->len);
			*lastlen = d->len;
		}
	}
	return k;
}

static uint16_t sum16(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* A UDP packet src:sport -> dst:dport with correct IP and UDP checksums. */
static size_t udp_pkt(uint8_t *p, const char *src, int sport, const char *dst, int dport)
{
	uint8_t ph[12 + 12];
	size_t len = 20 + 8 + 4;
	uint16_t s;

	memset(p, 0, len);
	p[0] = 0x45;
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = 17;
	inet_pton(AF_INET, src, p + 12);
	inet_pton(AF_INET, dst, p + 16);
	s = sum16(p, 20);
	p[10] = (uint8_t)(s >> 8), p[11] = (uint8_t)s;
	p[20] = (uint8_t)(sport >> 8), p[21] = (uint8_t)sport;
	p[22] = (uint8_t)(dport >> 8), p[23] = (uint8_t)dport;
	p[25] = 12;
	memcpy(p + 28, "\x12\x34\xab\xcd", 4);
	memcpy(ph, p + 12, 8);
	ph[8] = 0, ph[9] = 17, ph[10] = 0, ph[11] = 12;
	memcpy(ph + 12, p + 20, 12);
	s = sum16(ph, sizeof(ph));
	p[26] = (uint8_t)(s >> 8), p[27] = (uint8_t)s;
	return len;
}

static bool udp_ok(const uint8_t *p)
{
	uint8_t ph[24];

	memcpy(ph, p + 12, 8);
	ph[8] = 0, ph[9] = 17, ph[10] = 0, ph[11] = 12;
	memcpy(ph + 12, p + 20, 12);
	return sum16(p, 20) == 0 && sum16(ph, sizeof(ph)) == 0;
}

static void test_codec(void)
{
	static struct sl_dec d;
	const uint8_t pkt[] = { 1, 0300, 2, 0333, 3 };
	uint8_t enc[SL_ENC_MAX(sizeof(pkt))], last[SL_MTU_MAX];
	size_t n = sl_encode(pkt, sizeof(pkt), enc), lastlen = 0, used;
	int ev[8], k;

	is_int(n, 9, "encode: END, 3 plain, 2 escaped pairs, END");
	ok(enc[0] == 0300 && enc[2] == 0333 && enc[3] == 0334 && enc[5] == 0333 && enc[6] == 0335 &&
		enc[8] == 0300, "encode: RFC 1055 escapes");
	sl_dec_init(&d, 1500);
	k = feed_all(&d, enc, n, ev, 8, last, &lastlen);
	ok(k == 1 && ev[0] == SL_FRAME && lastlen == sizeof(pkt) && !memcmp(last, pkt, lastlen),
		"decode(encode(x)) == x");

	sl_dec_init(&d, 1500);
	lastlen = 0;
	for (size_t i = 0; i < n; i++) {	/* one byte at a time: split frames */
		enum sl_event e = sl_dec_feed(&d, enc + i, 1, &used);

		if (e == SL_FRAME)
			lastlen = d.len;
	}
	is_int(lastlen, sizeof(pkt), "a frame split into 1-byte reads decodes whole");

	const uint8_t bad[] = { 0300, 7, 0333, 9, 8, 0300, 5, 0300 };
	sl_dec_init(&d, 1500);
	k = feed_all(&d, bad, sizeof(bad), ev, 8, last, &lastlen);
	ok(k == 2 && ev[0] == SL_BADESC && ev[1] == SL_FRAME && lastlen == 1 && last[0] == 5,
		"ESC + other byte: that frame dropped, the next one decoded");
	ok(d.dropped_badesc == 1 && d.dropped_oversize == 0, "the decoder counts the dropped frame");

	uint8_t big[12];
	memset(big, 0x45, sizeof(big));
	big[11] = 0300;
	sl_dec_init(&d, 4);
	k = feed_all(&d, big, sizeof(big), ev, 8, last, &lastlen);
	ok(k == 1 && ev[0] == SL_OVERSIZE, "a frame over max is reported oversize, not truncated");
	ok(d.dropped_oversize == 1 && d.dropped_badesc == 0, "and counts it as oversize");
	const uint8_t ends[] = { 0300, 0300, 0300 };
	sl_dec_init(&d, 1500);
	is_int(feed_all(&d, ends, 3, ev, 8, last, &lastlen), 0, "empty frames are no events");
	sl_dec_init(&d, 99999);
	is_int(d.max, SL_MTU_MAX, "max is capped at 1500");
}

/* The byte-at-a-time reference: the codec's memchr runs must agree with it. */
static size_t ref_encode(const uint8_t *p, size_t n, uint8_t *o)
{
	size_t k = 0;

	o[k++] = 0300;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == 0300 || p[i] == 0333) {
			o[k++] = 0333;
			o[k++] = p[i] == 0300 ? 0334 : 0335;
		} else {
			o[k++] = p[i];
		}
	}
	o[k++] = 0300;
	return k;
}

static void test_random(void)
{
	static struct sl_dec d;
	static uint8_t pkt[1500], enc[SL_ENC_MAX(1500)], ref[SL_ENC_MAX(1500)];
	unsigned int seed = 12345, bad = 0;

	for (int round = 0; round < 2000; round++) {
		size_t n = 1 + (size_t)(rand_r(&seed) % 1500), m, off = 0, used, got = 0;

		for (size_t i = 0; i < n; i++) {	/* a third special bytes */
			int r = rand_r(&seed) % 6;
			pkt[i] = r == 0 ? 0300 : r == 1 ? 0333 : (uint8_t)rand_r(&seed);
		}
		m = sl_encode(pkt, n, enc);
		if (m != ref_encode(pkt, n, ref) || memcmp(enc, ref, m) != 0)
			bad++;
		sl_dec_init(&d, 1500);
		while (off < m) {	/* random split reads */
			size_t k = 1 + (size_t)(rand_r(&seed) % 700);

			if (k > m - off)
				k = m - off;
			if (sl_dec_feed(&d, enc + off, k, &used) == SL_FRAME) {
				got++;
				if (d.len != n || memcmp(d.buf, pkt, n) != 0)
					bad++;
			}
			off += used;
		}
		if (got != 1)
			bad++;
	}
	is_int(bad, 0, "2000 random packets: encoding matches the reference, round trip through random splits");
}

static void test_ipcheck(void)
{
	uint8_t p[64];
	size_t n = udp_pkt(p, "10.0.2.15", 1000, "10.0.2.3", 53);
	uint8_t padded[80];

	is_int(sl_ip_check(p, n), n, "well-formed IPv4");
	memcpy(padded, p, n);
	is_int(sl_ip_check(padded, n + 10), n, "trailing link padding is not part of the packet");
	is_int(sl_ip_check(p, n - 1), -1, "total length beyond the frame");
	is_int(sl_ip_check(p, 19), -1, "shorter than a header");
	p[0] = 0x65;
	is_int(sl_ip_check(p, n), -1, "IPv6 version nibble");
	p[0] = 0x44;
	is_int(sl_ip_check(p, n), -1, "header length below 20");
}

static void test_shim(void)
{
	static struct sl_shim s;
	uint8_t arp[SL_ARP_LEN], req[SL_ARP_LEN] = { 0 }, frame[100], ip4[64];
	uint32_t g, h, vdns, dns;
	const uint8_t *ip;
	size_t iplen, n;

	inet_pton(AF_INET, "10.0.2.15", &g);
	inet_pton(AF_INET, "10.0.2.2", &h);
	inet_pton(AF_INET, "10.0.2.3", &vdns);
	inet_pton(AF_INET, "192.0.2.53", &dns);
	sl_shim_init(&s, vdns, dns);
	ok(sl_shim_learn(&s, g, h, arp), "a new guest address is announced");
	ok(arp[12] == 0x08 && arp[13] == 0x06 && arp[21] == 2 && !memcmp(arp + 28, &g, 4) &&
		!memcmp(arp + 22, s.guest_mac, 6), "as an ARP reply: the guest's MAC for its address");
	ok(!sl_shim_learn(&s, g, h, arp), "a known address is not announced again");
	ok(!sl_shim_learn(&s, 0, h, arp), "0.0.0.0 (DHCP) is not announced");

	/* libslirp asks who has 10.0.2.15 */
	memset(req, 0xff, 6);
	req[12] = 0x08, req[13] = 0x06, req[15] = 1, req[16] = 0x08, req[18] = 6, req[19] = 4, req[21] = 1;
	memcpy(req + 22, "\x52\x55\x0a\x00\x02\x02", 6);
	memcpy(req + 28, &h, 4);
	memcpy(req + 38, &g, 4);
	is_int(sl_eth_unwrap(&s, req, sizeof(req), &ip, &iplen, arp), SL_OUT_ARP, "ARP request answered");
	ok(!memcmp(arp + 28, &g, 4) && !memcmp(arp + 38, &h, 4) && !memcmp(arp + 32, req + 22, 6),
		"reply: sender the guest address, target the asker");
	req[21] = 2;
	is_int(sl_eth_unwrap(&s, req, sizeof(req), &ip, &iplen, arp), SL_OUT_DROP, "ARP reply dropped");
	is_int(sl_eth_unwrap(&s, req, 13, &ip, &iplen, arp), SL_OUT_DROP, "runt frame dropped");

	n = udp_pkt(ip4, "10.0.2.2", 7, "10.0.2.15", 9);
	is_int(sl_eth_wrap(&s, ip4, n, frame), n + 14, "wrap adds 14 bytes");
	ok(frame[12] == 0x08 && frame[13] == 0 && !memcmp(frame + 6, s.guest_mac, 6), "IPv4 from the guest MAC");
	is_int(sl_eth_unwrap(&s, frame, n + 14, &ip, &iplen, arp), SL_OUT_IP, "IPv4 unwrapped");
	ok(iplen == n && ip == frame + 14, "to the same packet");
	frame[12] = 0x86, frame[13] = 0xdd;
	is_int(sl_eth_unwrap(&s, frame, n + 14, &ip, &iplen, arp), SL_OUT_DROP, "IPv6 dropped");

	/* dns ADDR: queries to 10.0.2.3:53 go to 192.0.2.53, answers come back from 10.0.2.3 */
	n = udp_pkt(ip4, "10.0.2.15", 3333, "10.0.2.3", 53);
	sl_dns_out(&s, ip4, n);
	ok(!memcmp(ip4 + 16, &dns, 4) && udp_ok(ip4), "query rewritten to the resolver, checksums right");
	n = udp_pkt(ip4, "192.0.2.53", 53, "10.0.2.15", 3333);
	sl_dns_in(&s, ip4, n);
	ok(!memcmp(ip4 + 12, &vdns, 4) && udp_ok(ip4), "answer rewritten from 10.0.2.3, checksums right");
	n = udp_pkt(ip4, "192.0.2.53", 53, "10.0.2.15", 4444);
	sl_dns_in(&s, ip4, n);
	ok(!memcmp(ip4 + 12, &dns, 4), "an answer to a port that asked the resolver itself: untouched");
	n = udp_pkt(ip4, "10.0.2.15", 3333, "10.0.2.3", 54);
	sl_dns_out(&s, ip4, n);
	ok(!memcmp(ip4 + 16, &vdns, 4), "another port untouched");
	n = udp_pkt(ip4, "10.0.2.15", 3333, "10.0.2.3", 53);
	ip4[7] = 8;	/* a fragment */
	sl_dns_out(&s, ip4, n);
	ok(!memcmp(ip4 + 16, &vdns, 4), "fragments untouched");
	sl_shim_init(&s, vdns, 0);
	n = udp_pkt(ip4, "10.0.2.15", 3333, "10.0.2.3", 53);
	sl_dns_out(&s, ip4, n);
	ok(!memcmp(ip4 + 16, &vdns, 4), "without dns ADDR: nothing rewritten");
}

int main(void)
{
	test_codec();
	test_random();
	test_ipcheck();
	test_shim();
	return done_testing();
}
