/* hvexit s2 build: Stage-2 tables from a region list (options: cmd_s2()). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/util/infile.h"
#include "harness/cli/cmds.h"
#include "harness/cli/opts.h"
#include "harness/util/outfile.h"
#include "harness/stage2/regions.h"
#include "hvexit/s2.h"

#define MAX_REGIONS 4096
#define MAX_TEXT (1u << 20)

static char *slurp(const char *path, const char **why)
{
	static char what[512];
	if (infile_check(path, what, sizeof(what)) < 0) {
		const char *c = strstr(what, ": is ");
		*why = c ? c + 2 : what;
		return NULL;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		*why = strerror(errno);
		return NULL;
	}
	char *b = malloc(MAX_TEXT + 1);
	size_t n = b ? fread(b, 1, MAX_TEXT, f) : 0;
	bool big = b && n == MAX_TEXT && fgetc(f) != EOF;
	bool bad = !b || ferror(f) || big || memchr(b, 0, n);
	fclose(f);
	if (bad) {
		*why = big ? "file too large" : "unreadable or binary file";
		free(b);
		return NULL;
	}
	b[n] = 0;
	return b;
}

struct build_opts {
	uint64_t vtcr, base, size;
	const char *regions, *out;
	bool have_vtcr, have_base;
	unsigned parange;
};

static int build(const struct build_opts *o)
{
	struct s2_config c;
	const char *rule = NULL, *why = NULL;

	/* VTTBR is the table base itself; validate the pair. */
	if (s2_config_init(o->vtcr, o->base, S2_FEAT_ALL, o->parange, false, &c, &rule))
		return cli_error("s2", "invalid VTCR_EL2 (or --base): %s", rule);
	char *text = slurp(o->regions, &why);
	if (!text)
		return cli_error("s2", "--regions '%s': %s", o->regions, why);
	struct s2_region *reg = calloc(MAX_REGIONS, sizeof(*reg));
	uint8_t *buf = calloc(1, o->size);
	unsigned line = 0;
	int rc = 2;
	if (!reg || !buf) {
		cli_error("s2", "out of memory");
		goto out;
	}
	int n = s2_regions_parse(text, reg, MAX_REGIONS, &line, &why);
	if (n < 0) {
		cli_error("s2", "%s:%u: %s", o->regions, line, why);
		goto out;
	}
	if (n == 0) {	/* tables that map nothing: the wrong file, most likely */
		cli_error("s2", "%s: no regions (want lines 'IPA PA SIZE FLAGS')", o->regions);
		goto out;
	}
	struct s2_build_out bo;
	if (s2_build(&c, reg, (size_t)n, buf, o->size, o->base, &bo, &why)) {
		cli_error("s2", "%s: region %zu: %s", o->regions, bo.bad_region + 1, why);
		goto out;
	}
	struct outfile of;

	if (outfile_open(&of, o->out) < 0) {
		cli_error("s2", "-o %s", of.err);
		goto out;
	}
	if (fwrite(buf, 1, bo.used, of.f) != bo.used) {
		outfile_abort(&of);
		cli_error("s2", "-o '%s': cannot write", o->out);
		goto out;
	}
	if (outfile_commit(&of) < 0) {
		cli_error("s2", "-o %s", of.err);
		goto out;
	}
	printf("VTTBR_EL2.BADDR 0x%" PRIx64 "\n", bo.root);
	printf("tables %u, blocks %u, pages %u, %zu bytes at 0x%" PRIx64 "\n",
	       bo.tables, bo.blocks, bo.pages, bo.used, o->base);
	rc = 0;
out:
	free(text);
	free(reg);
	free(buf);
	return rc;
}

int cmd_s2(int argc, char **argv)
{
	struct build_opts o = { .size = 1u << 20, .parange = 52 };
	uint64_t parange = 52;
	char *ops[1];
	int nops, rc;
	struct cli_opt opts[] = {
		OPT_HEX("--vtcr", &o.vtcr, "HEX", "VTCR_EL2 the tables are for (required)"),
		OPT_STR("--regions", &o.regions, "FILE",
			"one region per line: 'ipa pa size flags' (flags r w x d), # comments"),
		OPT_STR("-o", &o.out, "TABLES.BIN", "where the table image goes (required)"),
		OPT_HEX("--base", &o.base, "PA", "physical address of the image (required)"),
		OPT_U64("--size", &o.size, "BYTES", 1, 256u << 20, "room for tables (default 1 MiB)"),
		OPT_U64("--parange", &parange, "BITS", 32, 52, "physical address size (default 52)"),
	};
	const struct cli_cmd cmd = {
		.name = "s2", .synopsis = "build --vtcr HEX --regions FILE -o TABLES.BIN --base PA [options]",
		.about = "Builds Stage-2 translation tables for a region list and prints\n"
			 "VTTBR_EL2.BADDR of the root table.",
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts), .min_operands = 1, .max_operands = 1,
	};

	opts[0].given = &o.have_vtcr;
	opts[3].given = &o.have_base;
	rc = cli_parse(&cmd, argc, argv, ops, &nops);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (strcmp(ops[0], "build"))
		return cli_error("s2", "unknown subcommand '%s' (want: build)", ops[0]);
	if (!o.have_vtcr || !o.regions || !o.out || !o.have_base)
		return cli_error("s2", "build needs --vtcr, --regions, -o and --base");
	if (outfile_same_file(o.regions, o.out))
		return cli_error("s2", "-o '%s' is the region file itself", o.out);
	o.parange = (unsigned)parange;
	return build(&o);
}
