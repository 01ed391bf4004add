/* out.h - one printing path for text and JSON output (iproute2's print_*() shape). */
#ifndef HN_OUT_H
#define HN_OUT_H

#include <stdbool.h>
#include <stdio.h>

#define HN_OUT_DEPTH 8

/*
 * Each field call prints its text form with a printf format in text mode,
 * or "key": value in JSON mode; a NULL format or key skips that mode.
 * hn_out_text() prints in text mode only (headers, separators, newlines).
 */
struct hn_out {
	FILE *f;
	bool json;
	int depth;
	bool first[HN_OUT_DEPTH];	/* no comma needed yet at this depth */
};

void hn_out_init(struct hn_out *o, FILE *f, bool json);
void hn_out_open(struct hn_out *o, const char *key, char kind);
void hn_out_close(struct hn_out *o, char kind);
void hn_out_str(struct hn_out *o, const char *key, const char *fmt, const char *val);
void hn_out_uint(struct hn_out *o, const char *key, const char *fmt, unsigned long long val);
void hn_out_int(struct hn_out *o, const char *key, const char *fmt, long long val);
void hn_out_bool(struct hn_out *o, const char *key, const char *fmt, bool val);
void hn_out_null(struct hn_out *o, const char *key, const char *fmt);
void hn_out_text(struct hn_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hn_out_end(struct hn_out *o);

#endif
