/*
 * Number parsing shared by the command line, the trace reader and the
 * scenario files: one parser, so "0x93c08046" means the same everywhere.
 * Numbers are 0x-prefixed hex or plain decimal (num_parse_u64), hex
 * with an optional 0x prefix (num_parse_hex, for ESR values on the
 * command line), or 0x-prefixed hex only (num_parse_0x, for the hex
 * fields of files such as traces, where "10000046" must not be read as
 * decimal). Strict: at least one digit, nothing else (no sign, no "_"
 * grouping, no suffix), at most 64 bits.
 * Return convention (hvexit/common.h): 0, or -EINVAL (empty, not a
 * number, trailing junk) or -ERANGE (more than 64 bits).
 */
#ifndef HVEXIT_UTIL_NUM_H
#define HVEXIT_UTIL_NUM_H

#include <stdint.h>

int num_parse_u64(const char *s, uint64_t *out);
int num_parse_hex(const char *s, uint64_t *out);
int num_parse_0x(const char *s, uint64_t *out);

#endif
