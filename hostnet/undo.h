/* undo.h - undo.c: taking back recorded changes (rollback and down). */
#ifndef HOSTNET_UNDO_H
#define HOSTNET_UNDO_H

#include <stddef.h>

#include "state.h"

struct hn_ctx;

int undo_recs(struct hn_ctx *ctx, const struct recs *r, size_t *done);

#endif
