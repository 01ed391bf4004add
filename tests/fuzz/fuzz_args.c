/* fuzz_args.c - libFuzzer target for uml_net's argv parsers (UML's protocol and QEMU's bridge
 * helper mode): the input is NUL-separated words. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../uml_net/args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct um_run r;
	static char buf[4096];
	char *argv[64] = { buf };
	int argc = 1;

	if (size >= sizeof(buf) - 1)
		return 0;
	memcpy(buf + 1, data, size);
	buf[0] = '\0';
	buf[size + 1] = '\0';
	for (size_t i = 1; i <= size && argc < 63; i++)
		if (buf[i - 1] == '\0')
			argv[argc++] = buf + i;
	memset(&r, 0, sizeof(r));
	um_parse_request(&r, argc, argv);
	if (strlen(r.text) != r.len)
		__builtin_trap();
	/* the same words as QEMU's helper command line */
	memset(&r, 0, sizeof(r));
	(void)um_qemu_fd(argc, argv);
	um_parse_qemu(&r, argc, argv);
	if (strlen(r.text) != r.len)
		__builtin_trap();
	return 0;
}
