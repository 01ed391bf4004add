/* out.c - text and JSON output from the same calls; JSON strings escaped per RFC 8259. */
#include <stdarg.h>
#include <stdio.h>

#include "out.h"

/* The field formats are the callers' literals, one value each (as iproute2 json_print.c). */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/** hn_out_init - start output to @f, as JSON when @json. */
void hn_out_init(struct hn_out *o, FILE *f, bool json)
{
	o->f = f;
	o->json = json;
	o->depth = 0;
	o->first[0] = true;
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Comma and key before a JSON value; false in text mode. */
static bool json_key(struct hn_out *o, const char *key)
{
	if (!o->json)
		return false;
	if (!o->first[o->depth])
		fputc(',', o->f);
	o->first[o->depth] = false;
	if (key) {
		json_string(o->f, key);
		fputc(':', o->f);
	}
	return true;
}

/**
 * hn_out_open - open a JSON object ('{') or array ('['), under @key inside
 * an object; nothing is printed in text mode.
 */
void hn_out_open(struct hn_out *o, const char *key, char kind)
{
	if (!json_key(o, key))
		return;
	fputc(kind, o->f);
	if (o->depth + 1 < HN_OUT_DEPTH)
		o->first[++o->depth] = true;
}

/** hn_out_close - close what hn_out_open() opened ('{' or '['). */
void hn_out_close(struct hn_out *o, char kind)
{
	if (!o->json)
		return;
	fputc(kind == '{' ? '}' : ']', o->f);
	if (o->depth > 0)
		o->depth--;
}

/** hn_out_str - a string field; JSON null when @val is NULL. */
void hn_out_str(struct hn_out *o, const char *key, const char *fmt, const char *val)
{
	if (json_key(o, key)) {
		if (val)
			json_string(o->f, val);
		else
			fputs("null", o->f);
	} else if (!o->json && fmt) {
		fprintf(o->f, fmt, val ? val : "-");
	}
}

/** hn_out_uint - an unsigned number field. */
void hn_out_uint(struct hn_out *o, const char *key, const char *fmt, unsigned long long val)
{
	if (json_key(o, key))
		fprintf(o->f, "%llu", val);
	else if (!o->json && fmt)
		fprintf(o->f, fmt, val);
}

/** hn_out_int - a signed number field. */
void hn_out_int(struct hn_out *o, const char *key, const char *fmt, long long val)
{
	if (json_key(o, key))
		fprintf(o->f, "%lld", val);
	else if (!o->json && fmt)
		fprintf(o->f, fmt, val);
}

/** hn_out_bool - a boolean: JSON true/false, text "on"/"off" through @fmt (%s). */
void hn_out_bool(struct hn_out *o, const char *key, const char *fmt, bool val)
{
	if (json_key(o, key))
		fputs(val ? "true" : "false", o->f);
	else if (!o->json && fmt)
		fprintf(o->f, fmt, val ? "on" : "off");
}

/** hn_out_null - an absent value: JSON null, text "-" through @fmt (%s). */
void hn_out_null(struct hn_out *o, const char *key, const char *fmt)
{
	hn_out_str(o, key, fmt, NULL);
}

/** hn_out_text - text-mode-only output. */
void hn_out_text(struct hn_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

/** hn_out_end - finish: JSON output gets its final newline. */
void hn_out_end(struct hn_out *o)
{
	if (o->json)
		fputc('\n', o->f);
	fflush(o->f);
}
