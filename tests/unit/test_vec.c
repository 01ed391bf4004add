/* test_vec.c - unit tests for lib/vec.c: growth, zeroed slots, overflow refused. */
#include <stdint.h>
#include <stdlib.h>

#include "unit.h"
#include "vec.h"

struct pt {
	int x, y;
};

int main(void)
{
	struct pt *v = NULL, *p;
	size_t n = 0, cap = 0, i;
	char *big = NULL;
	size_t bn = 0, bcap = SIZE_MAX / 2 + 1;
	int ok_all = 1;

	for (i = 0; i < 1000; i++) {
		p = HN_VEC_PUSH(v, n, cap);
		if (!p || p->x || p->y) {
			ok_all = 0;
			break;
		}
		p->x = (int)i;
		p->y = -(int)i;
	}
	ok(ok_all, "1000 pushes, each slot zeroed");
	is_int(n, 1000, "count");
	ok(cap >= 1000 && cap < 2048, "capacity doubled from 16: %zu", cap);
	for (i = 0; i < n && v[i].x == (int)i && v[i].y == -(int)i; i++)
		;
	is_int(i, 1000, "every element kept across the moves");
	free(v);
	bn = bcap;	/* full, and doubling would overflow */
	ok(hn_vec_push(&big, &bn, &bcap, 1, 16) == NULL, "a capacity that would overflow is refused");
	is_int(bn, SIZE_MAX / 2 + 1, "the count is unchanged on failure");
	return done_testing();
}
