/*
 * tool_argv.h - for the fuzz targets of a tool's command line: the input
 * as NUL-separated argv words, exit() caught, the tool's output discarded.
 *
 * A target includes this, then the tool's main.c (its main renamed), and
 * calls the tool's own parser: the exact code path the tool runs, up to
 * where it would act. A usage error or --help ends in exit(); that is
 * caught here (longjmp back to the target) with its status, which must be
 * one the man page documents. Parsers reached this way must not allocate
 * before they exit, or LeakSanitizer says so.
 */
#ifndef FUZZ_TOOL_ARGV_H
#define FUZZ_TOOL_ARGV_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* as the tools' main.c have it */
#endif

#include <getopt.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jmp_buf fuzz_jmp;
static int fuzz_status;

static void __attribute__((noreturn, unused)) fuzz_exit(int status)
{
	fuzz_status = status;
	longjmp(fuzz_jmp, 1);
}
#define exit(status) fuzz_exit(status)

/*
 * The tool's stdout and stderr (its messages, help text) go to /dev/null:
 * writing them per run would dominate the time. libFuzzer keeps the
 * stderr FILE it took at start-up, and sanitizer reports go to fd 2.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *null = fopen("/dev/null", "w");

	(void)argc;
	(void)argv;
	if (null)
		stdout = stderr = null;
	return 0;
}

#define FUZZ_ARGV_MAX 64

/*
 * argv[0] = @prog, then @data's words (NUL-separated) in @buf; getopt
 * reset. Return argc, or 0 when the input is too long to take.
 */
static int __attribute__((unused)) fuzz_argv(const uint8_t *data, size_t size, char *prog,
					     char *buf, size_t bufsz, char **argv)
{
	int argc = 1;

	if (size + 1 >= bufsz)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = prog;
	argv[argc++] = buf;
	for (size_t i = 0; i < size && argc < FUZZ_ARGV_MAX - 1; i++)
		if (buf[i] == '\0')
			argv[argc++] = buf + i + 1;
	argv[argc] = NULL;
	optind = 0;		/* glibc: a full re-initialisation of getopt */
	opterr = 1;
	return argc;
}

#endif
