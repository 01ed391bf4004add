/* fuzz_swreq.c - libFuzzer target for uml_switch's control-request parser (bytes from any local user). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../uml_switch/req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_req r;
	const char *why;
	char out[240];
	unsigned char again[SW_REQ_MAX];

	if (sw_req_parse(data, size, &r, &why) < 0) {
		if (!why)
			__builtin_trap();	/* every refusal says why */
		return 0;
	}
	if (strlen(out + 0 * sw_addr_format(&r.addr, out, sizeof(out))) >= sizeof(out))
		__builtin_trap();
	if (r.type == SW_REQ_NEW_CONTROL) {
		/* What parses rebuilds to the same request. */
		size_t n = sw_req_build(again, sizeof(again), r.version, r.type, &r.addr);
		struct sw_req r2;

		if (!n || sw_req_parse(again, n, &r2, &why) < 0 || memcmp(&r.addr, &r2.addr, sizeof(r.addr)))
			__builtin_trap();
	}
	return 0;
}
