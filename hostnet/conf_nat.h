/* conf_nat.h - conf_nat.c: NAT lines, in lib's NAT grammar. */
#ifndef HOSTNET_CONF_NAT_H
#define HOSTNET_CONF_NAT_H

#include "conf.h"

int conf_parse_nat(struct conf *c, int line, const char *kw, int n, char **tok);

#endif
