/* log.c - program name, verbosity and the "tool: what: why" diagnostics on stderr. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "nl.h"

static const char *prog = "hostnet";
static int verbosity;

/** hn_log_setprog - fix the program name; tools pass a constant, never argv[0]. */
void hn_log_setprog(const char *name)
{
	prog = name;
}

/** hn_log_prog - the program name set by hn_log_setprog(). */
const char *hn_log_prog(void)
{
	return prog;
}

/** hn_log_verbose - set the level up to which hn_log_info() prints. */
void hn_log_verbose(int level)
{
	verbosity = level;
}

/** hn_log_level - the current verbosity. */
int hn_log_level(void)
{
	return verbosity;
}

/**
 * hn_log_escape - copy text for a log line or a terminal, with every byte
 * outside printable ASCII written as \xNN and the backslash as \\, so
 * untrusted text (argv, device names) cannot forge or split a line
 * @dst: output, always NUL-terminated when @n > 0
 * @n: size of @dst
 * @src: NUL-terminated input
 *
 * Return: 0, or -ENOSPC when @src did not fit whole (@dst then ends at an
 * escape boundary).
 */
int hn_log_escape(char *dst, size_t n, const char *src)
{
	size_t o = 0;

	if (n == 0)
		return -ENOSPC;
	for (const unsigned char *c = (const unsigned char *)src; *c; c++) {
		char e[5];
		size_t k;

		if (*c >= 0x20 && *c < 0x7f && *c != '\\')
			e[0] = (char)*c, e[1] = '\0';
		else if (*c == '\\')
			strcpy(e, "\\\\");
		else
			snprintf(e, sizeof(e), "\\x%02x", *c);
		k = strlen(e);
		if (o + k >= n) {
			dst[o] = '\0';
			return -ENOSPC;
		}
		memcpy(dst + o, e, k);
		o += k;
	}
	dst[o] = '\0';
	return 0;
}

/** hn_log_err - print "prog: <formatted>" and a newline on stderr. */
void hn_log_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/** hn_log_info - as hn_log_err(), only when the verbosity is at least @level. */
void hn_log_info(int level, const char *fmt, ...)
{
	va_list ap;

	if (verbosity < level)
		return;
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * hn_log_ctx - report a failed library call: "prog: what: why[ (kernel text)]"
 * @ctx: the context the failing call wrote its "what" into
 * @rc: the call's negative errno
 */
void hn_log_ctx(const struct hn_ctx *ctx, int rc)
{
	const char *what = ctx->err[0] ? ctx->err : "error";

	if (ctx->ext[0])
		hn_log_err("%s: %s (%s)", what, strerror(-rc), ctx->ext);
	else
		hn_log_err("%s: %s", what, strerror(-rc));
}
