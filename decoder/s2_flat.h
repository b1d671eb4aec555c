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

/* A flat memory ready for reads: last is the highest offset a word may
 * start at. A buffer that holds no whole word gets base = UINT64_MAX, so
 * every read fails the range or the alignment check. */
struct s2_flat_view {
	const uint8_t *buf;
	uint64_t base, last;
};

static inline struct s2_flat_view s2_flat_view(const struct s2_flatmem *m)
{
	if (m->len < 8)
		return (struct s2_flat_view){ .buf = m->buf, .base = UINT64_MAX, .last = 0 };
	return (struct s2_flat_view){ .buf = m->buf, .base = m->base, .last = m->len - 8 };
}

/* The little-endian word at pa into *val: 0, or -EFAULT when pa is below
 * base, not 8-byte aligned, or the word does not lie inside the buffer. */
static inline int s2_flat_load(const struct s2_flat_view *v, uint64_t pa, uint64_t *val)
{
	uint64_t off = pa - v->base;

	if (pa < v->base || (pa & 7) || off > v->last)
		return -EFAULT;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(val, v->buf + off, 8);	/* one load on a little-endian host */
#else
	*val = hvx_get_le(v->buf + off, 8);
#endif
	return 0;
}

#endif
