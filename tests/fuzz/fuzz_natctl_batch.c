/*
 * fuzz_natctl_batch.c - libFuzzer target: natctl --batch's reader and parser
 * (read_batch) on an in-memory file holding the input. Nothing runs: read_batch
 * only parses, as natctl does before it changes anything.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <unistd.h>

#include "tool_argv.h"

#define main natctl_main
#include "../../nat/main.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct ops ops = { 0 };
	int rc;

	if (fd < 0) {
		fd = memfd_create("natctl-batch", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	rc = read_batch(path, &ops);
	if (rc != EXIT_OK && rc != EXIT_USAGE && rc != EXIT_FAIL)
		__builtin_trap();
	/* A clean batch is ops each with its command, each from a line of the file. */
	for (size_t i = 0; !rc && i < ops.n; i++)
		if (!ops.v[i].cmd || !ops.v[i].where || strncmp(ops.v[i].where, path, strlen(path)))
			__builtin_trap();
	free_ops(&ops);
	return 0;
}
