/* test_log.c - unit tests for lib/log.c: the "tool: what: why" line, with and without kernel text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "log.h"
#include "nl.h"

/* Run fn with stderr sent to a memory buffer; return what it printed. */
static char *capture(void (*fn)(void))
{
	static char buf[512];
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t n;

	fflush(stderr);
	dup2(fileno(f), 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void plain(void)
{
	hn_log_err("%s: %s", "tap0", "bad");
}

static void from_ctx(void)
{
	struct hn_ctx ctx;

	hn_ctx_init(&ctx);
	hn_ctx_fail(&ctx, -EBUSY, "tap0: TUNSETIFF");
	hn_log_ctx(&ctx, -EBUSY);
}

static void with_ext(void)
{
	struct hn_ctx ctx;

	hn_ctx_init(&ctx);
	hn_ctx_fail(&ctx, -EINVAL, "br0");
	snprintf(ctx.ext, sizeof(ctx.ext), "%s", "Unknown device type");
	hn_log_ctx(&ctx, -EINVAL);
}

static void quiet(void)
{
	hn_log_verbose(0);
	hn_log_info(1, "hidden");
	hn_log_verbose(1);
	hn_log_info(1, "shown");
}

static void controls(void)
{
	hn_log_err("'%s': no such device", "a\nb\033[2J\tc\x7f\\d$");
}

static void escaping(void)
{
	char out[64];

	is_int(hn_log_escape(out, sizeof(out), "tap0 10.0.0.1"), 0, "printable text fits");
	is_str(out, "tap0 10.0.0.1", "printable ASCII unchanged");
	hn_log_escape(out, sizeof(out), "a\nb\rc\033[d\x7f\\e\xc3\xa9");
	is_str(out, "a\\x0ab\\x0dc\\x1b[d\\x7f\\\\e\\xc3\\xa9", "control, DEL, backslash, non-ASCII escaped");
	is_int(hn_log_escape(out, 6, "abc\ndef"), -ENOSPC, "too long: -ENOSPC");
	is_str(out, "abc", "cut before an escape, never inside one");
	is_int(hn_log_escape(out, 0, "x"), -ENOSPC, "no room at all");
}

int main(void)
{
	hn_log_setprog("tool");
	is_str(hn_log_prog(), "tool", "program name is the constant given");
	is_str(capture(plain), "tool: tap0: bad\n", "hn_log_err line");
	is_str(capture(from_ctx), "tool: tap0: TUNSETIFF: Device or resource busy\n", "what from ctx, why from errno");
	is_str(capture(with_ext), "tool: br0: Invalid argument (Unknown device type)\n", "kernel extack text appended");
	is_str(capture(quiet), "tool: shown\n", "verbosity gates hn_log_info");
	is_str(capture(controls), "tool: 'a\\x0ab\\x1b[2J\\x09c\\x7f\\\\d$': no such device\n",
	       "control bytes (and the backslash) escaped, one line");
	is_int(hn_log_level(), 1, "level read back");
	escaping();
	return done_testing();
}
