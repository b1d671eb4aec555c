/*
 * Small helpers shared by the subcommands: strict number parsing and
 * uniform error messages. Numbers accept 0x-prefixed hex, plain decimal,
 * or (for parse_hex) bare hex digits.
 */
#ifndef HVEXIT_HARNESS_CLI_H
#define HVEXIT_HARNESS_CLI_H

#include <stdint.h>

/* Parse an unsigned 64-bit number: "0x..." hex or decimal. 0 or -EINVAL
 * (not a number, trailing junk) or -ERANGE (more than 64 bits). */
int cli_parse_u64(const char *s, uint64_t *out);

/* Parse a value that is hex by default ("93c08046" or "0x93c08046"). */
int cli_parse_hex(const char *s, uint64_t *out);

/* Print "hvexit CMD: <message>\n" to stderr; returns 2 for convenience. */
int cli_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
