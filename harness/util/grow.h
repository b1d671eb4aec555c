/*
 * Growing arrays: one way to make room for more elements (doubling, with
 * overflow checks), used wherever a room keeps a heap array and its
 * capacity.
 */
#ifndef HVEXIT_UTIL_GROW_H
#define HVEXIT_UTIL_GROW_H

#include <stddef.h>

/*
 * Make *arr (an array of elem-byte elements, *cap of them allocated) hold
 * at least n: the capacity doubles from first (or from *cap) until it
 * does. arr is the address of the array pointer (e.g. &r->cases).
 * Returns 0, or -ENOMEM (overflow or allocation failure; *arr and *cap
 * are then unchanged).
 */
int util_grow(void *arr, size_t *cap, size_t n, size_t elem, size_t first);

#endif
