/* fuzz_policy.c - libFuzzer target for the uml_net.conf parser and the decisions made from it. */
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>

#include "../../uml_net/policy.h"

/* User and group names resolve through tests/fuzz/nss_stub.c, not NSS. */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const gid_t groups[] = { 100, 4242 };
	struct policy_caller c = { 1000, 1000, groups, 2 };
	struct policy p;
	char why[POLICY_WHY_MAX], br[IFNAMSIZ];
	struct in_addr a = { htonl(0x0a000002) };

	policy_init(&p, "fuzz.conf");
	if (policy_parse(&p, (const char *)data, size, NULL, NULL) == 0) {
		policy_gate(&p, &c, a, why, sizeof(why));
		policy_route(&p, &c, a, why, sizeof(why));
		policy_publish(&p, &c, "eth0", why, sizeof(why));
		policy_bridge(&p, &c, br);
		policy_forward(&p, &c, why, sizeof(why));
		if (policy_max_taps(&p, &c) > POLICY_TAPS_MAX && policy_max_taps(&p, &c) != POLICY_TAPS_DEFAULT)
			__builtin_trap();
	}
	policy_free(&p);
	return 0;
}
