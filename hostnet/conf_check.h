/* conf_check.h - conf_check.c: the checks across lines, after the whole file is read. */
#ifndef HOSTNET_CONF_CHECK_H
#define HOSTNET_CONF_CHECK_H

#include "conf.h"

void conf_check(struct conf *c);
const struct conf_bridge *conf_find_bridge(const struct conf *c, const char *name);
const struct conf_tap *conf_find_tap(const struct conf *c, const char *name);

#endif
