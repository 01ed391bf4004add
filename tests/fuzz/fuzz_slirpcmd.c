/* fuzz_slirpcmd.c - libFuzzer target for slirp's command parser: the input is newline-separated commands (argv words or ~/.slirprc lines). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../slirp/cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sl_conf c;
	static char buf[4096];
	char why[256], esc[64], *save = NULL;

	if (size >= sizeof(buf))
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	memset(&c, 0, sizeof(c));
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		enum sl_cmd_rc rc = sl_cmd_parse(&c, l, why, sizeof(why));

		if (rc != SL_CMD_OK && strlen(why) == 0)
			__builtin_trap();
		if (sl_cmd_blank(l) && rc != SL_CMD_ERR)
			__builtin_trap();
		if (c.nredir > SL_REDIR_MAX || (c.mtu && (c.mtu < 68 || c.mtu > 1500)))
			__builtin_trap();
		if (sl_escape(l, esc, sizeof(esc)) >= sizeof(esc))
			__builtin_trap();
	}
	for (unsigned int i = 0; i < c.nredir; i++)
		if (c.redir[i].hport == 0 || c.redir[i].gport == 0)
			__builtin_trap();
	return 0;
}
