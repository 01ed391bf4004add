/* fuzz_hostnet_argv.c - libFuzzer target: hostnet's command line (parse_args), NUL-separated words. */
#include "tool_argv.h"

#define main hostnet_main
#include "../../hostnet/main.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[4096], prog[] = "hostnet";
	static char *argv[FUZZ_ARGV_MAX];
	static struct run r;
	const struct cmd *c;
	int argc = fuzz_argv(data, size, prog, buf, sizeof(buf), argv);

	if (!argc)
		return 0;
	memset(&r, 0, sizeof(r));
	r.file = DEFAULT_CONF;
	r.state_dir = DEFAULT_STATE;
	hn_log_verbose(0);
	if (setjmp(fuzz_jmp)) {
		if (fuzz_status != 0 && fuzz_status != 2)	/* hostnet(8): usage is 2 */
			__builtin_trap();
		return 0;
	}
	c = parse_args(&r, argc, argv);
	if (!c || find_cmd(c->name) != c || r.wait_ms > 3600 * 1000 ||
	    (r.json && c->fn != cmd_status) || (r.prune && c->fn != cmd_apply))
		__builtin_trap();
	return 0;
}
