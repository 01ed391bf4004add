/* hostnet.h - what every command of hostnet shares: the run (each file's functions are in its own header). */
#ifndef HOSTNET_H
#define HOSTNET_H

#include <stdbool.h>
#include <stddef.h>

#include "nl.h"
#include "conf.h"

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
