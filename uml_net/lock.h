/* lock.h - the lock that makes check-and-act one step across callers (lock.c) */
#ifndef UML_NET_LOCK_H
#define UML_NET_LOCK_H

#include "run.h"

void um_lock_open(struct um_run *r);
int um_lock(struct um_run *r);
void um_unlock(struct um_run *r);

#endif
