/* fuzz_brctl_argv.c - libFuzzer target: brctl's command line and value arguments, NUL-separated words. */
#include "tool_argv.h"

#define main brctl_main
#include "../../bridge/main.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[4096], prog[] = "brctl";
	static char *argv[FUZZ_ARGV_MAX];
	const struct cmd *c = NULL;
	char **args = NULL;
	int argc = fuzz_argv(data, size, prog, buf, sizeof(buf), argv), nargs = 0, rc;
	uint32_t v;
	bool on;

	if (!argc)
		return 0;
	json = false;
	if (setjmp(fuzz_jmp)) {
		if (fuzz_status != 0 && fuzz_status != 1)	/* brctl(8): 0 or 1 */
			__builtin_trap();
		return 0;
	}
	rc = parse_cmdline(argc, argv, &c, &nargs, &args);
	if (rc >= 0) {
		if (rc != 1)
			__builtin_trap();
		return 0;
	}
	if (!c || nargs < c->nargs || (json && !c->json))
		__builtin_trap();
	/* The value a set command would parse before acting: bridge attrs at [1], port at [2]. */
	if (c->attr && c->nargs >= 2)
		parse_value(c->attr, args[c->nargs - 1], &v, &on);
	return 0;
}
