/* fuzz_tunctl_argv.c - libFuzzer target: tunctl's command line (parse_args), NUL-separated words. */
#include "tool_argv.h"

#define main tunctl_main
#include "../../tunctl/main.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[4096], prog[] = "tunctl";
	static char *argv[FUZZ_ARGV_MAX];
	static struct opts o;
	int argc = fuzz_argv(data, size, prog, buf, sizeof(buf), argv);

	if (!argc)
		return 0;
	memset(&o, 0, sizeof(o));
	o.mode = MODE_CREATE;
	if (setjmp(fuzz_jmp)) {
		if (fuzz_status != 0 && fuzz_status != 1)	/* tunctl(8): 0 or 1 */
			__builtin_trap();
		return 0;
	}
	parse_args(&o, argc, argv);
	/* What the tool would act on: a whole, valid name (or none), as checked. */
	if (strnlen(o.name, IFNAMSIZ) == IFNAMSIZ || !o.clone ||
	    (o.mode == MODE_DELETE && (!o.name[0] || strchr(o.name, '%'))) ||
	    (o.json && o.mode != MODE_LIST))
		__builtin_trap();
	return 0;
}
