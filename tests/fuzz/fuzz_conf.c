/* fuzz_conf.c - libFuzzer target: hostnet's config parser and checker on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "../../hostnet/conf.h"
#include "../../hostnet/conf_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parse, check, free: must never crash, leak, or read out of bounds. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c;

	conf_init(&c, "fuzz");
	if (conf_parse_buf(&c, (const char *)data, size) == 0)
		conf_check(&c);
	conf_free(&c);
	return 0;
}
