/* SHA-256 (FIPS 180-4, section 6.2): content addresses of trace pages and
 * stable fingerprints of findings. */
#ifndef HVEXIT_UTIL_SHA256_H
#define HVEXIT_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

void util_sha256(const void *data, size_t len, uint8_t out[32]);

#endif
