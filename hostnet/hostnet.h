/* hostnet.h - what every command of hostnet shares: the run (each file's functions are in its own header). */
#ifndef HOSTNET_H
#define HOSTNET_H

#include <stdbool.h>
#include <stddef.h>

#include "nl.h"
#include "conf.h"

/* Exit statuses (hostnet.8, EXIT STATUS): 2 is a usage or config error. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* One invocation: options, the parsed file, the kernel context. */
struct run {
	const char *file;
	const char *state_dir;
	bool json;
	unsigned int wait_ms;		/* -w: how long to wait for the lock */
	bool prune;			/* apply --prune: prune first, under the same lock */
	bool no_state;			/* the last state file read found none */
	struct conf conf;
	struct hn_ctx ctx;
};

#endif
