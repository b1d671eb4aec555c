/* Option tables (opts.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/opts.h"

void cli_usage(const struct cli_cmd *c, FILE *f)
{
	fprintf(f, "usage: hvexit %s %s\n", c->name, c->synopsis);
	if (c->about)
		fprintf(f, "%s\n", c->about);
	for (unsigned i = 0; i < c->nopts; i++) {
		const struct cli_opt *o = &c->opts[i];
		char lhs[64];

		snprintf(lhs, sizeof(lhs), "%s%s%s", o->name, o->metavar ? " " : "",
			 o->metavar ? o->metavar : "");
		fprintf(f, "  %-22s %s%s\n", lhs, o->help ? o->help : "",
			o->repeat ? " (repeatable)" : "");
	}
	fprintf(f, "  %-22s %s\n", "--help", "this text");
}

static const struct cli_opt *find(const struct cli_cmd *c, const char *a, size_t len)
{
	for (unsigned i = 0; i < c->nopts; i++)
		if (strlen(c->opts[i].name) == len && !strncmp(c->opts[i].name, a, len))
			return &c->opts[i];
	return NULL;
}

/* The usage, then the one-line error last (what a user reads first). */
static int fail(const struct cli_cmd *c, const char *what, const char *arg)
{
	cli_usage(c, stderr);
	return cli_error(c->name, "%s%s%s%s", what, arg ? " '" : "", arg ? arg : "",
			 arg ? "'" : "");
}

static int take(const struct cli_cmd *c, const struct cli_opt *o, const char *v)
{
	char err[300] = "";
	uint64_t x;
	int rc;

	switch (o->type) {
	case CLI_FLAG:
		*(bool *)o->dst = true;
		return 0;
	case CLI_STR:
		*(const char **)o->dst = v;
		return 0;
	case CLI_U64:
		rc = num_parse_u64(v, &x);
		if (rc == 0 && (x < o->min || (o->max && x > o->max)))
			rc = -ERANGE;
		if (rc < 0) {
			if (o->max)
				return cli_error(c->name, "%s '%s': not a number from %llu to %llu",
						 o->name, v, (unsigned long long)o->min,
						 (unsigned long long)o->max);
			return cli_error(c->name, "%s '%s': not a number (decimal or 0x-hex)",
					 o->name, v);
		}
		*(uint64_t *)o->dst = x;
		return 0;
	case CLI_HEX:
		if (num_parse_hex(v, &x) < 0)
			return cli_error(c->name, "%s '%s': not a 64-bit hex number", o->name, v);
		*(uint64_t *)o->dst = x;
		return 0;
	case CLI_FN:
		if (o->fn(c->ctx, v, err, sizeof(err)) < 0)
			return cli_error(c->name, "%s '%s': %s", o->name, v, err[0] ? err : "bad value");
		return 0;
	}
	return 2;
}

int cli_parse(const struct cli_cmd *c, int argc, char **argv, char **operands, int *n)
{
	bool seen[64] = { false }, only_operands = false;

	*n = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq, *v = NULL;
		const struct cli_opt *o;

		if (only_operands || a[0] != '-' || !a[1]) {
			if (c->max_operands && (unsigned)*n == c->max_operands)
				return fail(c, "unexpected argument", a);
			operands[(*n)++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			only_operands = true;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			cli_usage(c, stdout);
			return 1;
		}
		eq = strchr(a, '=');
		o = find(c, a, eq ? (size_t)(eq - a) : strlen(a));
		if (!o)
			return fail(c, "unknown option", a);
		if (o->type == CLI_FLAG) {
			if (eq)
				return fail(c, "this option takes no value:", a);
		} else if (eq) {
			v = eq + 1;
		} else if (i + 1 < argc) {
			v = argv[++i];
		} else {
			return fail(c, "missing value for", a);
		}
		if ((size_t)(o - c->opts) < sizeof(seen) && seen[o - c->opts] && !o->repeat)
			return fail(c, "option given twice:", o->name);
		if ((size_t)(o - c->opts) < sizeof(seen))
			seen[o - c->opts] = true;
		if (o->given)
			*o->given = true;
		if (take(c, o, v))
			return 2;
	}
	if ((unsigned)*n < c->min_operands)
		return fail(c, *n ? "too few operands" : "missing operand", NULL);
	return 0;
}

bool cli_parse_new(const struct cli_cmd *c, int argc, char **argv, char ***operands, int *n,
		   int *status)
{
	int rc;

	*n = 0;
	*operands = calloc((size_t)argc + 1, sizeof(**operands));
	rc = *operands ? cli_parse(c, argc, argv, *operands, n) : 2;
	*status = rc == 1 ? 0 : 2;
	return rc == 0;
}
