/* confine.h - after the privilege drop, the seccomp allow-list of uml_net's system calls (confine.c) */
#ifndef UML_NET_CONFINE_H
#define UML_NET_CONFINE_H

#include "run.h"

int um_confine(void);

#endif
