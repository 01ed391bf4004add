/* fuzz_natctl_argv.c - libFuzzer target: natctl's command line (options, then one command's words). */
#include "tool_argv.h"

#define main natctl_main
#include "../../nat/main.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[4096], prog[] = "natctl";
	static char *argv[FUZZ_ARGV_MAX];
	static struct run r;
	static struct ops ops;
	const char *batch = NULL;
	int argc = fuzz_argv(data, size, prog, buf, sizeof(buf), argv), first;

	if (!argc)
		return 0;
	memset(&r, 0, sizeof(r));
	memset(&ops, 0, sizeof(ops));
	if (setjmp(fuzz_jmp)) {
		if (fuzz_status != EXIT_OK && fuzz_status != EXIT_USAGE)
			__builtin_trap();
		return 0;
	}
	first = parse_opts(argc, argv, &r, &batch);
	/* A batch file is fuzz_natctl_batch's; never read stdin or a named file here. */
	if (!batch) {
		struct op *op = new_op(&ops, "");

		if (first >= argc)
			__builtin_trap();
		if (!parse_words(op, argc - first, argv + first) &&
		    (!op->cmd || strnlen(op->dev, IFNAMSIZ) == IFNAMSIZ))
			__builtin_trap();
	}
	free_ops(&ops);
	return 0;
}
