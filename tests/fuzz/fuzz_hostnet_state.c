/* fuzz_hostnet_state.c - libFuzzer target: hostnet's state file parser (state_parse), then every record printed and indexed. */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../hostnet/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct recs r;
	char text[1024];
	int line = -1, rc;
	FILE *f;

	if (!size)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	rc = state_parse(f, &r, &line);
	fclose(f);
	if (rc != 0 && rc != -EBADMSG)
		__builtin_trap();
	if (rc) {
		if (line < 0 || r.v || r.n)
			__builtin_trap();
		return 0;
	}
	/* What down and status do with what was read: print, key, index, find. */
	for (size_t i = 0; i < r.n; i++) {
		rec_text(&r.v[i], text, sizeof(text));
		rec_key(&r.v[i], text, sizeof(text));
		rec_has_dev(&r.v[i]);
	}
	if (recs_index(&r) == 0)
		for (size_t i = 0; i < r.n; i++)
			if (!recs_find(&r, &r.v[i]))
				__builtin_trap();
	recs_free(&r);
	return 0;
}
