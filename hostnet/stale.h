/* stale.h - stale.c: records of earlier runs that the file no longer declares. */
#ifndef HOSTNET_STALE_H
#define HOSTNET_STALE_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "state.h"

int stale_recs(const struct conf *c, const struct recs *old, bool *stale, size_t *n);

#endif
