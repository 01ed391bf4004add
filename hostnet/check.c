/* check.c - `hostnet check`: read and validate the whole file, print every error as file:line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "hostnet.h"
#include "check.h"
#include "conf_file.h"

static int cmp_err(const void *a, const void *b)
{
	const struct conf_err *x = a, *y = b;

	return x->line != y->line ? x->line - y->line : (x < y ? -1 : x > y);
}

/**
 * load_conf - read, parse and check r->file; print its errors in line order
 *
 * Return: EXIT_OK, or EXIT_USAGE (config error or unreadable file).
 */
int load_conf(struct run *r)
{
	struct conf *c = &r->conf;
	char at[4200];
	size_t i, kept;
	int rc = conf_load(c, r->file);

	if (rc < 0) {
		hn_log_err("%s: %s", r->file, strerror(-rc));
		return EXIT_USAGE;
	}
	kept = c->nerrs < CONF_ERR_MAX ? c->nerrs : CONF_ERR_MAX;
	if (kept)
		qsort(c->errs, kept, sizeof(c->errs[0]), cmp_err);
	for (i = 0; i < kept; i++)
		hn_log_err("%s: %s", conf_where(c, c->errs[i].line, at, sizeof(at)), c->errs[i].msg);
	if (c->nerrs > kept)
		hn_log_err("%s: %zu more errors not shown", r->file, c->nerrs - kept);
	if (c->nerrs)
		hn_log_err("%s: %zu error%s, nothing changed", r->file, c->nerrs,
			   c->nerrs == 1 ? "" : "s");
	return c->nerrs ? EXIT_USAGE : EXIT_OK;
}

/* ", N files" when the file included others. */
static const char *files(const struct conf *c)
{
	static char buf[32];

	if (c->nsrcs < 2)
		return "";
	snprintf(buf, sizeof(buf), "; %zu files", c->nsrcs);
	return buf;
}

/** cmd_check - the file was loaded and is valid: say so. Return: EXIT_OK. */
int cmd_check(struct run *r)
{
	printf("%s: ok (%zu bridges, %zu taps, %zu ports, %zu sysctls, %zu nat rules", r->file,
	       r->conf.nbridges, r->conf.ntaps, r->conf.nports, r->conf.nsysctls, r->conf.nnats);
	if (r->conf.nvxlans)		/* files without one keep the line they had */
		printf(", %zu vxlans", r->conf.nvxlans);
	printf("%s)\n", files(&r->conf));
	return EXIT_OK;
}
