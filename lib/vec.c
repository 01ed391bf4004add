/* vec.c - growable arrays: the room doubles, the new element comes zeroed. */
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
