/* base64 (RFC 4648); see base64.h. */
#include <errno.h>
#include <string.h>

#include "harness/util/base64.h"

/* ---- base64 (RFC 4648, section 4) --------------------------------------- */
static const char b64_alpha[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void util_b64_encode(const uint8_t *in, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t k = n - i;

		if (k > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (k > 2)
			v |= in[i + 2];
		out[o++] = b64_alpha[(v >> 18) & 63];
		out[o++] = b64_alpha[(v >> 12) & 63];
		out[o++] = k > 1 ? b64_alpha[(v >> 6) & 63] : '=';
		out[o++] = k > 2 ? b64_alpha[v & 63] : '=';
	}
	out[o] = 0;
}

static int b64_val(char c)
{
	const char *p = c ? strchr(b64_alpha, c) : NULL;

	return p ? (int)(p - b64_alpha) : -1;
}

int util_b64_decode(const char *s, size_t slen, uint8_t *out, size_t want)
{
	size_t o = 0;

	if (slen % 4)
		return -EINVAL;
	for (size_t i = 0; i < slen; i += 4) {
		int v[4];
		unsigned pad = 0;

		for (unsigned j = 0; j < 4; j++) {
			if (s[i + j] == '=' && i + 4 == slen && j >= 2) {
				v[j] = 0;
				pad++;
				continue;
			}
			if (pad)
				return -EINVAL;
			v[j] = b64_val(s[i + j]);
			if (v[j] < 0)
				return -EINVAL;
		}
		uint32_t x = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
			     (uint32_t)v[2] << 6 | (uint32_t)v[3];
		uint8_t b[3] = { (uint8_t)(x >> 16), (uint8_t)(x >> 8), (uint8_t)x };
		for (unsigned j = 0; j < 3 - pad; j++) {
			if (o >= want)
				return -EINVAL;
			out[o++] = b[j];
		}
	}
	return o == want ? 0 : -EINVAL;
}
