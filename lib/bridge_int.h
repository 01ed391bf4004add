/* bridge_int.h - what bridge.c and bridge_dump.c share; not for tools. */
#ifndef HN_BRIDGE_INT_H
#define HN_BRIDGE_INT_H

#include <stddef.h>

struct nlattr;
struct nlmsghdr;

struct nlattr *hn_bridge_linkinfo(const struct nlmsghdr *nlh, int which, char *kind, size_t n);

#endif
