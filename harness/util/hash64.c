/* The 64-bit checksum of hash64.h. */
#include <string.h>

#include "harness/util/hash64.h"

#define HASH64_SEED UINT64_C(0x243f6a8885a308d3)
#define HASH64_MUL  UINT64_C(0x9e3779b97f4a7c15)

static inline uint64_t step(uint64_t h, uint64_t w)
{
	return (((h << 23) | (h >> 41)) ^ w) * HASH64_MUL;
}

static inline uint64_t load_le64(const uint8_t *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

void util_hash64_init(struct util_hash64 *s)
{
	memset(s, 0, sizeof(*s));
	s->h = HASH64_SEED;
}

void util_hash64_update(struct util_hash64 *s, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = s->h;

	s->n += len;
	if (s->ntail) {
		while (len && s->ntail < 8) {
			s->tail[s->ntail++] = *p++;
			len--;
		}
		if (s->ntail < 8) {
			s->h = h;
			return;
		}
		h = step(h, load_le64(s->tail));
		s->ntail = 0;
	}
	for (; len >= 8; p += 8, len -= 8)
		h = step(h, load_le64(p));
	memcpy(s->tail, p, len);
	s->ntail = (unsigned)len;
	s->h = h;
}

uint64_t util_hash64_final(const struct util_hash64 *s)
{
	uint64_t h = s->h;

	if (s->ntail) {
		uint8_t t[8] = { 0 };

		memcpy(t, s->tail, s->ntail);
		h = step(h, load_le64(t));
	}
	h = step(h, s->n);
	return h ^ (h >> 32);
}

uint64_t util_hash64(const void *data, size_t len)
{
	struct util_hash64 s;

	util_hash64_init(&s);
	util_hash64_update(&s, data, len);
	return util_hash64_final(&s);
}
