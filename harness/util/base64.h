/* base64 (RFC 4648, section 4), for page data in JSON Lines traces. */
#ifndef HVEXIT_UTIL_BASE64_H
#define HVEXIT_UTIL_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Encode n bytes; out needs 4 * ((n + 2) / 3) + 1 bytes (NUL-terminated). */
void util_b64_encode(const uint8_t *in, size_t n, char *out);
/* Decode exactly `want` bytes of slen characters into out: 0, or -EINVAL
 * on any other length or a character outside the alphabet. */
int util_b64_decode(const char *s, size_t slen, uint8_t *out, size_t want);

#endif
