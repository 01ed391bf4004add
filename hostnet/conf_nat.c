/* conf_nat.c - the masquerade, snat, forward and hairpin lines: lib's NAT grammar (nftnat_words.c), kept with their line. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf_nat.h"
#include "vec.h"

/**
 * conf_parse_nat - parse the words after @kw (masquerade, snat, forward or
 * hairpin: the kind, as natctl names it) into a new item, with
 * hn_nftnat_parse(): natctl's add arguments exactly
 *
 * Return: 0 or -1 (error recorded in @c), -ENOMEM.
 */
int conf_parse_nat(struct conf *c, int line, const char *kw, int n, char **tok)
{
	enum hn_nftnat_kind kind;
	struct conf_nat *x;
	char why[256];

	if (hn_nftnat_kind_parse(kw, &kind) < 0)
		return -EINVAL;			/* not a keyword conf.c gives it */
	x = HN_VEC_PUSH(c->nats, c->nnats, c->cnats);
	if (!x)
		return -ENOMEM;
	x->line = line;
	if (hn_nftnat_parse(kind, false, n, tok, &x->it, why, sizeof(why)) < 0)
		return c->nnats--, conf_error(c, line, "%s: %s", kw, why), -1;
	return 0;
}
