/* vec.h - growable arrays: one helper for every "append, doubling the room" in the tree. */
#ifndef HN_VEC_H
#define HN_VEC_H

#include <stddef.h>

void *hn_vec_push(void *arrp, size_t *n, size_t *cap, size_t size, size_t first);

/*
 * HN_VEC_PUSH(v, n, cap): room for one more element of array @v (with
 * count @n and capacity @cap), zeroed; NULL when out of memory.
 */
#define HN_VEC_PUSH(v, n, cap) hn_vec_push(&(v), &(n), &(cap), sizeof(*(v)), 16)

#endif
