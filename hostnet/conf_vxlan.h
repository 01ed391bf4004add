/* conf_vxlan.h - conf_vxlan.c: vxlan lines and their checks. */
#ifndef HOSTNET_CONF_VXLAN_H
#define HOSTNET_CONF_VXLAN_H

#include "conf.h"

int conf_parse_vxlan(struct conf *c, int line, const char *kw, int n, char **tok);
void conf_check_vxlans(struct conf *c);
void conf_free_vxlans(struct conf *c);

#endif
