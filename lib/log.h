/* log.h - the tools' "tool: what: why" output on stderr. The only lib module that prints. */
#ifndef HN_LOG_H
#define HN_LOG_H

#include <stddef.h>

struct hn_ctx;

void hn_log_setprog(const char *name);
const char *hn_log_prog(void);
void hn_log_verbose(int level);
int hn_log_level(void);
void hn_log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hn_log_info(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int hn_log_syslog_open(const char *path);
int hn_log_syslog(int pri, const char *msg);
int hn_log_escape(char *dst, size_t n, const char *src);
void hn_log_ctx(const struct hn_ctx *ctx, int rc);

#endif
