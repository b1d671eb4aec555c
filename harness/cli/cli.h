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

/* Writers that must end their output properly when stopped: after
 * cli_catch_stop(), SIGINT and SIGTERM only set the flag returned by
 * cli_stop_signal() (the signal number, 0 while none came), so the
 * command finishes its current record and closes the output. */
void cli_catch_stop(void);
int cli_stop_signal(void);

#endif
