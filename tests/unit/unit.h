/* unit.h - a small TAP producer for the unit tests: ok(), is_int(), is_str(), done_testing(). */
#ifndef HN_UNIT_H
#define HN_UNIT_H

#include <stdio.h>
#include <stdarg.h>
#include <string.h>

static int unit_n, unit_failed;

#define ok(cond, ...) unit_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
	unit_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) unit_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)

static void __attribute__((format(printf, 4, 5)))
unit_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++unit_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		unit_failed++;
		printf("#   at %s:%d\n", file, line);
	}
}

#define unit_is_int(got, want, file, line, ...) do { \
	long long g_ = (got), w_ = (want); \
	unit_ok(g_ == w_, file, line, __VA_ARGS__); \
	if (g_ != w_) printf("#   got %lld, want %lld\n", g_, w_); \
} while (0)

#define unit_is_str(got, want, file, line, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	int p_ = g_ && w_ && !strcmp(g_, w_); \
	unit_ok(p_, file, line, __VA_ARGS__); \
	if (!p_) printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

static int done_testing(void)
{
	printf("1..%d\n", unit_n);
	return unit_failed ? 1 : 0;
}

#endif
