/* status.h - status.c: declared vs live, drift marked. */
#ifndef HOSTNET_STATUS_H
#define HOSTNET_STATUS_H

#include "hostnet.h"

int cmd_status(struct run *r);

#endif
