/*
 * A fast 64-bit checksum for detecting corrupt or truncated data (not a
 * cryptographic hash: an attacker can forge it; content addressing uses
 * sha256.h). Streaming: the result depends only on the bytes, not on how
 * they are split across util_hash64_update calls.
 *
 * Definition (docs/trace-format.md, "Checksums"): the bytes are taken as
 * little-endian 64-bit words w, the last one padded with zero bytes;
 *   h = 0x243f6a8885a308d3
 *   per word:  h = (rotl64(h, 23) ^ w) * 0x9e3779b97f4a7c15   (mod 2^64)
 *   at the end: h = (rotl64(h, 23) ^ n) * 0x9e3779b97f4a7c15, h ^= h >> 32
 * where n is the number of bytes.
 */
#ifndef HVEXIT_UTIL_HASH64_H
#define HVEXIT_UTIL_HASH64_H

#include <stddef.h>
#include <stdint.h>

struct util_hash64 {
	uint64_t h, n;
	uint8_t tail[8];	/* bytes of an unfinished word */
	unsigned ntail;
};

void util_hash64_init(struct util_hash64 *s);
void util_hash64_update(struct util_hash64 *s, const void *data, size_t len);
/* The checksum of everything given so far (s is left unchanged). */
uint64_t util_hash64_final(const struct util_hash64 *s);
/* One-shot form. */
uint64_t util_hash64(const void *data, size_t len);

#endif
