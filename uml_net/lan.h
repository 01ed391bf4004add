/* lan.h - addresses the LAN already uses, which no guest may claim (lan.c) */
#ifndef UML_NET_LAN_H
#define UML_NET_LAN_H

#include "run.h"

bool um_lan_claimed(struct um_run *r, struct in_addr a, const int *ifs, size_t nifs,
		    char *why, size_t n);

#endif
