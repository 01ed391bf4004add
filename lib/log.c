/* log.c - program name, verbosity and the "tool: what: why" diagnostics on stderr. */
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
 * hn_log_escape - copy @in to @out with its control bytes made visible
 * @out: receives the text, always NUL-terminated (cut short if @len is small)
 * @len: size of @out
 *
 * Names from the command line, a config file or the kernel may hold any
 * byte but '/', ':' and whitespace (the kernel's rule), and a config line
 * anything at all: a newline would split a message in two, an ESC would
 * reach the terminal. Bytes below 0x20 and 0x7f become \n, \t, \r or
 * \xNN; every other byte is copied.
 *
 * Return: @out.
 */
char *hn_log_escape(char *out, size_t len, const char *in)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!len)
		return out;
	for (const unsigned char *c = (const unsigned char *)in; *c; c++) {
		char e[5] = { (char)*c, 0 };

		if (*c == '\n' || *c == '\t' || *c == '\r')
			e[0] = '\\', e[1] = *c == '\n' ? 'n' : *c == '\t' ? 't' : 'r';
		else if (*c < 0x20 || *c == 0x7f)
			e[0] = '\\', e[1] = 'x', e[2] = hex[*c >> 4], e[3] = hex[*c & 15];
		if (o + strlen(e) >= len)
			break;
		memcpy(out + o, e, strlen(e));
		o += strlen(e);
	}
	out[o] = '\0';
	return out;
}

/* "prog: <formatted>\n" on stderr, control bytes escaped, in one write. */
static void vlog(const char *fmt, va_list ap)
{
	char raw[4096], safe[4 * sizeof(raw)];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	fprintf(stderr, "%s: %s\n", prog, hn_log_escape(safe, sizeof(safe), raw));
}

/** hn_log_err - print "prog: <formatted>" and a newline on stderr (see hn_log_escape()). */
void hn_log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

/** hn_log_info - as hn_log_err(), only when the verbosity is at least @level. */
void hn_log_info(int level, const char *fmt, ...)
{
	va_list ap;

	if (verbosity < level)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
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
