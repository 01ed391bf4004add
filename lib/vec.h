/* vec.h - growable arrays: one helper for every "append, doubling the room" in the tree, and sorted indexes of them. */
#ifndef HN_VEC_H
#define HN_VEC_H

#include <stddef.h>

void *hn_vec_push(void *arrp, size_t *n, size_t *cap, size_t size, size_t first);
void hn_vec_free(void *arrp, size_t *n, size_t *cap);
int hn_vec_index(void *idxp, const void *arr, size_t n, size_t size,
		 int (*cmp)(const void *, const void *));

/*
 * HN_VEC_PUSH(v, n, cap): room for one more element of array @v (with
 * count @n and capacity @cap), zeroed; NULL when out of memory.
 */
#define HN_VEC_PUSH(v, n, cap) hn_vec_push(&(v), &(n), &(cap), sizeof(*(v)), 16)
/* HN_VEC_FREE(v, n, cap): free array @v and forget it (NULL, 0, 0); safe twice. */
#define HN_VEC_FREE(v, n, cap) hn_vec_free(&(v), &(n), &(cap))

#endif
