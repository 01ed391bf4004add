/* brctl.h - what bridge/main.c and bridge/show.c share: the show commands. */
#ifndef HN_BRCTL_H
#define HN_BRCTL_H

#include <stdbool.h>

struct hn_ctx;

int show_bridges(struct hn_ctx *ctx, bool json, int argc, char **argv);
int show_macs(struct hn_ctx *ctx, bool json, const char *name);
int show_stp(struct hn_ctx *ctx, bool json, const char *name);

#endif
