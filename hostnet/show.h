/* show.h - show.c: one line of text per planned change. */
#ifndef HOSTNET_SHOW_H
#define HOSTNET_SHOW_H

#include <stddef.h>

#include "plan.h"

const char *act_text(const struct act *a, char *buf, size_t len);

#endif
