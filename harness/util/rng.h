/*
 * The one pseudo-random generator of the harness: SplitMix64 (Steele,
 * Lea, Flood, "Fast splittable pseudorandom number generators", 2014).
 * Deterministic per seed, so every generated case, trace and sweep sample
 * is reproducible from the seed that is printed with it.
 */
#ifndef HVEXIT_UTIL_RNG_H
#define HVEXIT_UTIL_RNG_H

#include <stdint.h>

static inline uint64_t util_rng_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform-enough pick in [0, n) for test generation (n > 0). */
static inline unsigned util_rng_below(uint64_t *state, unsigned n)
{
	return (unsigned)(util_rng_next(state) % n);
}

#endif
