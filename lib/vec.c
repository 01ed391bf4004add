/* vec.c - growable arrays: the room doubles, the new element comes zeroed; sorted indexes of them. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"

/**
 * hn_vec_push - room for one more element at the end of an array
 * @arrp: address of the array's pointer (any element type; NULL when empty)
 * @n: its element count, incremented
 * @cap: its capacity in elements, doubled when full (@first the first time)
 * @size: size of one element
 *
 * The pointer is read and written through memcpy(), so any element type's
 * pointer may be passed without breaking aliasing rules.
 *
 * Return: the new element, zeroed, or NULL when out of memory (or the size
 * would overflow); the array is unchanged then.
 */
void *hn_vec_push(void *arrp, size_t *n, size_t *cap, size_t size, size_t first)
{
	char *arr;

	memcpy(&arr, arrp, sizeof(arr));
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : first;
		char *p;

		if (!size || ncap < *cap || ncap > SIZE_MAX / size)
			return NULL;
		p = realloc(arr, ncap * size);
		if (!p)
			return NULL;
		arr = p;
		memcpy(arrp, &arr, sizeof(arr));
		*cap = ncap;
	}
	memset(arr + *n * size, 0, size);
	return arr + (*n)++ * size;
}

/**
 * hn_vec_free - free an array hn_vec_push() grew, and forget it: the
 * pointer NULL, the count and the capacity 0, so it may grow again; safe twice
 * @arrp: address of the array's pointer
 * @n: its element count
 * @cap: its capacity
 */
void hn_vec_free(void *arrp, size_t *n, size_t *cap)
{
	void *arr;

	memcpy(&arr, arrp, sizeof(arr));
	free(arr);
	arr = NULL;
	memcpy(arrp, &arr, sizeof(arr));
	*n = 0;
	*cap = 0;
}

/**
 * hn_vec_index - an index of an array: pointers to each of its elements,
 * sorted by @cmp, for bsearch() where a scan would be quadratic
 * @idxp: address of the index's pointer (any element type's `const T **`),
 *        written only on success: NULL when @n is 0, else a malloc()ed array
 *        of @n pointers that the caller free()s
 * @arr: the array
 * @n: its element count
 * @size: size of one element
 * @cmp: qsort() comparison, called with pointers to two element pointers
 *
 * Return: 0, or -ENOMEM (*@idxp unchanged).
 */
int hn_vec_index(void *idxp, const void *arr, size_t n, size_t size,
		 int (*cmp)(const void *, const void *))
{
	const char *a = arr;
	const void **idx = NULL;

	if (n) {
		if (n > SIZE_MAX / sizeof(*idx))
			return -ENOMEM;
		idx = malloc(n * sizeof(*idx));
		if (!idx)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++)
			idx[i] = a + i * size;
		qsort(idx, n, sizeof(*idx), cmp);
	}
	memcpy(idxp, &idx, sizeof(idx));
	return 0;
}
