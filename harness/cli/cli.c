/* Uniform error messages of the subcommands (see cli.h). */
#include <stdarg.h>
#include <stdio.h>

#include "harness/cli/cli.h"

int cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "hvexit %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}
