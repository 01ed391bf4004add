/* args.h - uml_net's and QEMU's helper's command lines, and the answer's text (args.c) */
#ifndef UML_NET_ARGS_H
#define UML_NET_ARGS_H

#include "run.h"

void um_say(struct um_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int um_parse_request(struct um_run *r, int argc, char **argv);
int um_parse_qemu(struct um_run *r, int argc, char **argv);
int um_qemu_fd(int argc, char **argv);

#endif
