/* fuzz_slip.c - libFuzzer target for slirp's guest-facing code: the SLIP decoder, then each frame through the Ethernet shim both ways. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../slirp/slip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void frame(struct sl_shim *s, const uint8_t *f, size_t len)
{
	uint8_t eth[SL_ETH_HLEN + SL_MTU_MAX], arp[SL_ARP_LEN], pkt[SL_MTU_MAX];
	const uint8_t *ip;
	size_t iplen, n;
	uint32_t src;
	int k = sl_ip_check(f, len);

	if (k >= 0) {
		if ((size_t)k > len)
			__builtin_trap();
		memcpy(&src, f + 12, 4);
		sl_shim_learn(s, src, 0x0202000a, arp);
		n = sl_eth_wrap(s, f, (size_t)k, eth);
		sl_dns_out(s, eth + SL_ETH_HLEN, n - SL_ETH_HLEN);
	}
	/* The same bytes as a frame from libslirp. */
	if (sl_eth_unwrap(s, f, len, &ip, &iplen, arp) == SL_OUT_IP) {
		if (ip + iplen > f + len || iplen > sizeof(pkt))
			__builtin_trap();
		memcpy(pkt, ip, iplen);
		sl_dns_in(s, pkt, iplen);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sl_dec d;
	static struct sl_shim s;
	static uint8_t enc[SL_ENC_MAX(SL_MTU_MAX)];
	size_t off = 0, used;

	sl_shim_init(&s, 0x0302000a, size > 4 ? 0x0100007f : 0);
	sl_dec_init(&d, size > 0 ? 68 + data[0] * 6 : 1500);
	while (off < size) {
		enum sl_event e = sl_dec_feed(&d, data + off, size - off, &used);

		if (used == 0 || used > size - off || d.len > d.max)
			__builtin_trap();
		off += used;
		if (e == SL_FRAME) {
			static struct sl_dec back;
			size_t n = sl_encode(d.buf, d.len, enc), u;

			if (n < d.len + 2 || n > SL_ENC_MAX(d.len))
				__builtin_trap();
			sl_dec_init(&back, SL_MTU_MAX);
			if (sl_dec_feed(&back, enc, n, &u) != SL_FRAME || u != n ||
			    back.len != d.len || memcmp(back.buf, d.buf, d.len) != 0)
				__builtin_trap();
			frame(&s, d.buf, d.len);
		}
	}
	return 0;
}
