/* hvexit s2 build: Stage-2 tables from a region list. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/stage2/regions.h"
#include "hvexit/s2.h"

#define MAX_REGIONS 4096
#define MAX_TEXT (1u << 20)

static void usage(FILE *f)
{
	fprintf(f,
"usage: hvexit s2 build --vtcr HEX --regions FILE -o TABLES.BIN --base PA\n"
"                       [--size BYTES] [--parange BITS]\n"
"  regions: one per line 'ipa pa size flags' (flags: r w x d), # comments.\n"
"  Prints VTTBR_EL2.BADDR of the root table.\n");
}

static char *slurp(const char *path, const char **why)
{
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

static int parse(int argc, char **argv, struct build_opts *o)
{
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return cli_error("s2", "%s needs a value", a);
		if (!strcmp(a, "--vtcr")) {
			if (num_parse_hex(v, &o->vtcr))
				return cli_error("s2", "--vtcr '%s': not a hex number", v);
			o->have_vtcr = true;
		} else if (!strcmp(a, "--base")) {
			if (num_parse_hex(v, &o->base))
				return cli_error("s2", "--base '%s': not a hex number", v);
			o->have_base = true;
		} else if (!strcmp(a, "--size")) {
			if (num_parse_u64(v, &o->size) || !o->size || o->size > (256u << 20))
				return cli_error("s2", "--size '%s': want 1..256MiB", v);
		} else if (!strcmp(a, "--parange")) {
			uint64_t p;
			if (num_parse_u64(v, &p) || p < 32 || p > 52)
				return cli_error("s2", "--parange wants 32..52");
			o->parange = (unsigned)p;
		} else if (!strcmp(a, "--regions")) {
			o->regions = v;
		} else if (!strcmp(a, "-o")) {
			o->out = v;
		} else {
			return cli_error("s2", "unknown option '%s' (see --help)", a);
		}
		i++;
	}
	if (!o->have_vtcr || !o->regions || !o->out || !o->have_base)
		return cli_error("s2", "build needs --vtcr, --regions, -o and --base");
	return 0;
}

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
	struct s2_build_out bo;
	if (s2_build(&c, reg, (size_t)n, buf, o->size, o->base, &bo, &why)) {
		cli_error("s2", "%s: region %zu: %s", o->regions, bo.bad_region + 1, why);
		goto out;
	}
	FILE *f = fopen(o->out, "wb");
	if (!f || fwrite(buf, 1, bo.used, f) != bo.used) {
		if (f)
			fclose(f);
		cli_error("s2", "-o '%s': cannot write", o->out);
		goto out;
	}
	if (fclose(f)) {
		cli_error("s2", "-o '%s': cannot write", o->out);
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

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "build"))
		return cli_error("s2", "unknown subcommand '%s' (want: build)", argv[1]);
	int rc = parse(argc, argv, &o);
	return rc ? rc : build(&o);
}
