/* test_out.c - unit tests for lib/out.c: the same calls give the text and the JSON form. */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "out.h"

static void emit(struct hn_out *o)
{
	hn_out_text(o, "HEAD\n");
	hn_out_open(o, NULL, '[');
	hn_out_open(o, NULL, '{');
	hn_out_str(o, "name", "%s ", "a\"b\\c\n");
	hn_out_uint(o, "n", "%llu ", 42);
	hn_out_int(o, "i", "%lld ", -3);
	hn_out_bool(o, "on", "%s ", true);
	hn_out_null(o, "none", "%s");
	hn_out_open(o, "list", '[');
	hn_out_str(o, NULL, NULL, "x");
	hn_out_str(o, NULL, NULL, "\x01");
	hn_out_close(o, '[');
	hn_out_text(o, "\n");
	hn_out_close(o, '{');
	hn_out_open(o, NULL, '{');
	hn_out_close(o, '{');
	hn_out_close(o, '[');
	hn_out_end(o);
}

static char *render(bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct hn_out o;

	hn_out_init(&o, f, json);
	emit(&o);
	fclose(f);
	return buf;
}

int main(void)
{
	char *text = render(false), *json = render(true);

	is_str(text, "HEAD\na\"b\\c\n 42 -3 on -\n", "text form");
	is_str(json, "[{\"name\":\"a\\\"b\\\\c\\n\",\"n\":42,\"i\":-3,\"on\":true,\"none\":null,"
		     "\"list\":[\"x\",\"\\u0001\"]},{}]\n", "json form, escaped");
	free(text);
	free(json);
	return done_testing();
}
