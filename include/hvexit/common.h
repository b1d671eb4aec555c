/*
 * Common definitions shared by every hvexit module.
 *
 * Return convention, used by every function in decoder/, emu/ and
 * harness/ unless its header says otherwise:
 *   - a negative errno value (-EINVAL, -ERANGE, -EFAULT, ...) on error;
 *   - 0 or a positive count on success.
 * Exit handlers in emu/ refine this: >0 resume the guest, 0 hand the exit
 * to the caller (for example an MMIO access the VMM must serve), <0 error.
 */
#ifndef HVEXIT_COMMON_H
#define HVEXIT_COMMON_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HVX_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Mask of bits hi..lo inclusive (hi >= lo, hi <= 63). */
static inline uint64_t hvx_mask(unsigned hi, unsigned lo)
{
	return (~UINT64_C(0) >> (63 - hi)) & (~UINT64_C(0) << lo);
}

/* Extract bits hi..lo of v, shifted down to bit 0. */
static inline uint64_t hvx_bits(uint64_t v, unsigned hi, unsigned lo)
{
	return (v & hvx_mask(hi, lo)) >> lo;
}

static inline bool hvx_bit(uint64_t v, unsigned b)
{
	return (v >> b) & 1u;
}

/* Whether [a, a + alen) and [b, b + blen) share a byte; neither range
 * may wrap (the caller has checked). */
static inline bool hvx_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Place val into bits hi..lo (val is truncated to the field width). */
static inline uint64_t hvx_field(uint64_t val, unsigned hi, unsigned lo)
{
	return (val << lo) & hvx_mask(hi, lo);
}

/* Little-endian value of the n (<= 8) bytes at p: guest memory, page
 * tables, A64 instruction words (B2.6.2), trace fields. */
static inline uint64_t hvx_get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* Store the low n (<= 8) bytes of v at p, little-endian. */
static inline void hvx_put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* Sign-extend the low `bits` bits of v (1 <= bits <= 64). */
static inline int64_t hvx_sext(uint64_t v, unsigned bits)
{
	uint64_t m = UINT64_C(1) << (bits - 1);
	v &= bits == 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
	return (int64_t)((v ^ m) - m);
}

#endif
