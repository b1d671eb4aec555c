/*
 * Reads of a flat memory (struct s2_flatmem) shared by s2_flat_read64()
 * and the walk. The walk recognises that callback and reads the buffer
 * inline through a view prepared once per walk (the engine's, the
 * validator's and the oracle's memory), with exactly the checks of
 * s2_flat_read64().
 */
#ifndef HVEXIT_DECODER_S2_FLAT_H
#define HVEXIT_DECODER_S2_FLAT_H

#include <string.h>

#include "hvexit/s2.h"

/* A flat memory ready for reads: a word at pa is inside when its offset
 * pa - base (modulo 2^64) is at most last. last is clamped so that
 * base + last does not wrap: an address below base then has an offset
 * above last, and one comparison checks both ends. A buffer that holds no
 * whole word gets base = UINT64_MAX and last = 0: the only offset that
 * passes is that of pa = UINT64_MAX, which is not 8-byte aligned. */
struct s2_flat_view {
	const uint8_t *buf;
	uint64_t base, last;
};

static inline struct s2_flat_view s2_flat_view(const struct s2_flatmem *m)
{
	uint64_t last = m->len - 8, room = ~m->base;

	if (m->len < 8)
		return (struct s2_flat_view){ .buf = m->buf, .base = UINT64_MAX, .last = 0 };
	return (struct s2_flat_view){ .buf = m->buf, .base = m->base, .last = last < room ? last : room };
}

/* The little-endian word at pa, known to be 8-byte aligned, into *val: 0,
 * or -EFAULT when the word does not lie inside the buffer. */
static inline int s2_flat_load_aligned(const struct s2_flat_view *v, uint64_t pa, uint64_t *val)
{
	uint64_t off = pa - v->base;

	if (off > v->last)
		return -EFAULT;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(val, v->buf + off, 8);	/* one load on a little-endian host */
#else
	*val = hvx_get_le(v->buf + off, 8);
#endif
	return 0;
}

/* The little-endian word at pa into *val: 0, or -EFAULT when pa is below
 * base, not 8-byte aligned, or the word does not lie inside the buffer. */
static inline int s2_flat_load(const struct s2_flat_view *v, uint64_t pa, uint64_t *val)
{
	return pa & 7 ? -EFAULT : s2_flat_load_aligned(v, pa, val);
}

#endif
