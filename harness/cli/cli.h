/*
 * What the subcommands share: uniform error messages. Numbers are parsed
 * with harness/util/num.h.
 */
#ifndef HVEXIT_CLI_CLI_H
#define HVEXIT_CLI_CLI_H

#include "harness/util/num.h"

/* Print "hvexit CMD: <message>\n" to stderr; returns 2 for convenience. */
int cli_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
