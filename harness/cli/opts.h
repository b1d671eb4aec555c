/*
 * Option tables for the subcommands (as kvmtool's builtin-*.c do): each
 * command describes its options in one array, and cli_parse() walks argv,
 * checks values (numbers in range, one value per option unless it may
 * repeat), collects the operands and prints the usage text generated from
 * the same table, so the help always lists every option.
 *
 *   --name VALUE and --name=VALUE both work; "--" ends the options; a lone
 *   "-" is an operand (stdin/stdout).
 */
#ifndef HVEXIT_CLI_OPTS_H
#define HVEXIT_CLI_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum cli_opt_type {
	CLI_FLAG,	/* bool *dst = true */
	CLI_STR,	/* const char **dst = value */
	CLI_U64,	/* uint64_t *dst: 0x-hex or decimal, in [min, max] */
	CLI_HEX,	/* uint64_t *dst: hex, "0x" optional (ESR values) */
	CLI_FN,		/* fn(ctx, value): 0 or a one-line error in err */
};

struct cli_opt {
	const char *name;	/* "--baseline" */
	enum cli_opt_type type;
	void *dst;
	const char *metavar;	/* "FILE"; NULL for flags */
	const char *help;	/* one line */
	uint64_t min, max;	/* CLI_U64 range (max 0: no limit) */
	int (*fn)(void *ctx, const char *value, char *err, size_t errlen);
	bool repeat;		/* may be given more than once */
	bool *given;		/* set when the option was seen (optional) */
};

struct cli_cmd {
	const char *name;	/* "replay" */
	const char *synopsis;	/* "TRACE... [options]" */
	const char *about;	/* paragraph after the synopsis, may be NULL */
	const struct cli_opt *opts;
	unsigned nopts;
	void *ctx;		/* passed to CLI_FN options */
	unsigned min_operands, max_operands;	/* max 0: no limit */
};

/* Table rows. */
#define OPT_FLAG(n, d, h)	{ .name = (n), .type = CLI_FLAG, .dst = (d), .help = (h) }
#define OPT_STR(n, d, m, h)	{ .name = (n), .type = CLI_STR, .dst = (d), .metavar = (m), .help = (h) }
#define OPT_U64(n, d, m, lo, hi, h) \
	{ .name = (n), .type = CLI_U64, .dst = (d), .metavar = (m), .help = (h), .min = (lo), .max = (hi) }
#define OPT_HEX(n, d, m, h)	{ .name = (n), .type = CLI_HEX, .dst = (d), .metavar = (m), .help = (h) }
#define OPT_FN(n, f, m, h)	{ .name = (n), .type = CLI_FN, .fn = (f), .metavar = (m), .help = (h), .repeat = true }

/* Parse argv[1..argc-1]. Operands (in order) go to operands[] (room for
 * max_operands entries, or argc when there is no limit), their count to *n. Returns 0 to go on, 1 when --help was
 * printed (exit 0), 2 after a one-line error and the usage on stderr. */
int cli_parse(const struct cli_cmd *c, int argc, char **argv, char **operands, int *n);
/* cli_parse into a new operands array (*operands, the caller frees it, also
 * when this fails). True to go on, with *status 2 (the status of a later
 * failure); false to stop with *status the exit status: 0 after --help, 2
 * after a usage error or when out of memory. */
bool cli_parse_new(const struct cli_cmd *c, int argc, char **argv, char ***operands, int *n,
		   int *status);
/* The usage text generated from the table. */
void cli_usage(const struct cli_cmd *c, FILE *f);

#endif
