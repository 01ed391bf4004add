/* fuzz_nat.c - libFuzzer target: lib's NAT grammar (natctl's words, hostnet.conf's NAT lines) and its printer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nftnat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse; whatever parses prints as text that parses back to the same item. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[HN_NFTNAT_TEXT_MAX * 2], out[HN_NFTNAT_TEXT_MAX], why[256];
	struct hn_nftnat_item a, b;
	int n;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (hn_nftnat_parse_text(text, &a, why, sizeof(why)))
		return 0;
	n = hn_nftnat_format(&a, out, sizeof(out));
	if (n < 0 || (size_t)n >= sizeof(out))
		abort();		/* HN_NFTNAT_TEXT_MAX too small */
	if (hn_nftnat_parse_text(out, &b, why, sizeof(why)) || memcmp(&a, &b, sizeof(a)))
		abort();		/* the printer wrote what the parser reads otherwise */
	return 0;
}
