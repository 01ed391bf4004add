/* test_vec.c - unit tests for lib/vec.c: growth, zeroed slots, overflow refused. */
#include <stdint.h>
#include <stdlib.h>

#include "unit.h"
#include "vec.h"

struct pt {
	int x, y;
};

static int cmp_y(const void *a, const void *b)
{
	const struct pt *p = *(const struct pt *const *)a, *q = *(const struct pt *const *)b;

	return (p->y > q->y) - (p->y < q->y);
}

static void test_index(void)
{
	struct pt arr[5] = { { 0, 3 }, { 1, 1 }, { 2, 4 }, { 3, 0 }, { 4, 2 } };
	const struct pt **idx = NULL, *key = &(struct pt){ 9, 2 }, *const *hit;
	int sorted = 1;

	is_int(hn_vec_index(&idx, arr, 5, sizeof(arr[0]), cmp_y), 0, "index of 5");
	for (int i = 0; i < 5; i++)
		sorted &= idx[i] == &arr[(int[]){ 3, 1, 4, 0, 2 }[i]];
	ok(sorted, "pointers into the array, sorted by the comparison");
	hit = bsearch(&key, idx, 5, sizeof(*idx), cmp_y);
	ok(hit && *hit == &arr[4], "bsearch finds an element through it");
	free(idx);
	idx = (const struct pt **)arr;	/* any value: an empty array's index is NULL */
	is_int(hn_vec_index(&idx, arr, 0, sizeof(arr[0]), cmp_y), 0, "index of none");
	ok(idx == NULL, "is NULL");
}

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
	test_index();
	v = NULL, n = cap = 0;
	ok(HN_VEC_PUSH(v, n, cap) != NULL, "one pushed");
	HN_VEC_FREE(v, n, cap);
	ok(!v && !n && !cap, "freed and forgotten");
	HN_VEC_FREE(v, n, cap);
	ok(!v && !n && !cap, "safe twice");
	ok(HN_VEC_PUSH(v, n, cap) != NULL && n == 1, "grows again");
	HN_VEC_FREE(v, n, cap);
	return done_testing();
}
