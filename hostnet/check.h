/* check.h - check.c: reading and checking the config file (every command but down). */
#ifndef HOSTNET_CHECK_H
#define HOSTNET_CHECK_H

#include "hostnet.h"

int load_conf(struct run *r);
int cmd_check(struct run *r);

#endif
