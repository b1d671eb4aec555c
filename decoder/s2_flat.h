/*
 * The read of a flat memory (struct s2_flatmem) shared by
 * s2_flat_read64() and the walk, which recognises that callback and reads
 * the buffer inline with the same checks (the engine's and the
 * validator's memory), saving an indirect call per level.
 */
#ifndef HVEXIT_DECODER_S2_FLAT_H
#define HVEXIT_DECODER_S2_FLAT_H

#include <string.h>

#include "hvexit/s2.h"

/* The little-endian word at pa into *val: 0, or -EFAULT when pa is below
 * base, not 8-byte aligned, or the word does not lie inside the buffer. */
static inline int s2_flat_get(const struct s2_flatmem *m, uint64_t pa, uint64_t *val)
{
	uint64_t off = pa - m->base;

	if (pa < m->base || (pa & 7) || m->len < 8 || off > m->len - 8)
		return -EFAULT;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(val, m->buf + off, 8);	/* one load on a little-endian host */
#else
	*val = hvx_get_le(m->buf + off, 8);
#endif
	return 0;
}

#endif
