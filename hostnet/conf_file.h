/* conf_file.h - conf_file.c: reading the file and its includes, and naming places in them (FILE:LINE). */
#ifndef HOSTNET_CONF_FILE_H
#define HOSTNET_CONF_FILE_H

#include <stddef.h>

#include "conf.h"

int conf_load(struct conf *c, const char *path);
int conf_include(struct conf *c, int line, const char *kw, int n, char **tok);
const char *conf_where(const struct conf *c, int line, char *buf, size_t len);
const char *conf_ref(const struct conf *c, int from, int line);
void conf_free_files(struct conf *c);

#endif
