/*
 * hvexit validate --plugin LIB.so [--only LIST] [--cases N] [--seed S]
 *                 [--timeout-ms T] [--vectors DIR | --no-vectors] [--json]
 *                 [--junit FILE]
 *
 * Loads a hypervisor's plugin (include/hvexit/plugin.h) in a child process
 * and checks every exported entry point against the Arm ARM: conformance
 * vectors first, then N random differential cases against hvexit's
 * reference; each failing field is shrunk to a minimal counterexample.
 * Exit 0 all pass, 1 findings, 2 usage or load error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hvexit/common.h"
#include "harness/cli/cli.h"
#include "harness/util/outfile.h"
#include "harness/cli/cmds.h"
#include "harness/util/datadir.h"
#include "harness/validate/plugin_check.h"
#include "harness/validate/validate.h"

/* ---- reports ------------------------------------------------------------ */

static void print_text(FILE *out, const char *lib, const struct val_ep *eps,
		       unsigned spawns)
{
	fprintf(out, "plugin %s: ABI %d\n", lib, HVX_PLUGIN_ABI);
	for (unsigned e = 0; e < PLUGIN_EP_COUNT; e++) {
		const struct val_ep *ep = &eps[e];

		if (!ep->exported) {
			fprintf(out, "\n%s: not exported\n", ep->name);
			continue;
		}
		if (!ep->selected) {
			fprintf(out, "\n%s: not selected (--only)\n", ep->name);
			continue;
		}
		fprintf(out, "\n%s: %u cases (%u vectors, %u random), %u failures -> %s%s%s\n",
			ep->name, ep->cases, ep->vectors, ep->random, val_ep_failures(ep),
			val_ep_failures(ep) ? "FAIL" : "PASS", ep->note[0] ? "; " : "",
			ep->note);
		fprintf(out, "  %-20s %8s %8s\n", "field", "compared", "failures");
		for (unsigned i = 0; i < ep->nfields; i++)
			fprintf(out, "  %-20s %8u %8u\n", ep->f[i].name,
				ep->f[i].compared, ep->f[i].failures);
		for (unsigned i = 0; i < ep->nfields; i++) {
			const struct val_field *f = &ep->f[i];

			if (!f->have_cx)
				continue;
			fprintf(out, "  FINDING %s.%s: %u of %u cases\n", ep->name, f->name,
				f->failures, f->compared);
			fprintf(out, "    input:    %s\n", f->input);
			fprintf(out, "    expected: %s\n", f->expected);
			fprintf(out, "    actual:   %s\n", f->actual);
			fprintf(out, "    rule:     %s\n", f->rule);
		}
	}
	fprintf(out, "\nplugin child processes started: %u\n", spawns);
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void print_json(FILE *out, const char *lib, const struct val_ep *eps,
		       int result)
{
	fprintf(out, "{\"plugin\": ");
	json_str(out, lib);
	fprintf(out, ", \"abi\": %d, \"result\": \"%s\", \"entry_points\": [",
		HVX_PLUGIN_ABI, result ? "fail" : "pass");
	for (unsigned e = 0; e < PLUGIN_EP_COUNT; e++) {
		const struct val_ep *ep = &eps[e];

		fprintf(out, "%s{\"name\": \"%s\", \"exported\": %s, \"run\": %s, "
			"\"cases\": %u, \"vectors\": %u, \"random\": %u, "
			"\"failures\": %u, \"note\": ", e ? ", " : "", ep->name,
			ep->exported ? "true" : "false", ep->run ? "true" : "false",
			ep->cases, ep->vectors, ep->random, val_ep_failures(ep));
		json_str(out, ep->note);
		fprintf(out, ", \"fields\": [");
		for (unsigned i = 0; i < ep->nfields; i++) {
			const struct val_field *f = &ep->f[i];

			fprintf(out, "%s{\"name\": \"%s\", \"compared\": %u, \"failures\": %u, "
				"\"rule\": ", i ? ", " : "", f->name, f->compared,
				f->failures);
			json_str(out, f->rule);
			if (f->have_cx) {
				fprintf(out, ", \"counterexample\": {\"input\": ");
				json_str(out, f->input);
				fprintf(out, ", \"expected\": ");
				json_str(out, f->expected);
				fprintf(out, ", \"actual\": ");
				json_str(out, f->actual);
				fprintf(out, "}");
			}
			fprintf(out, "}");
		}
		fprintf(out, "]}");
	}
	fprintf(out, "]}\n");
}

static void xml_str(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			if ((unsigned char)*s >= 0x20)
				fputc(*s, out);
		}
	}
}

static int write_junit(const char *file, const struct val_ep *eps)
{
	struct outfile of;
	FILE *out;

	if (outfile_open(&of, file) < 0) {
		fprintf(stderr, "hvexit validate: %s\n", of.err);
		return -EIO;
	}
	out = of.f;
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hvexit validate\">\n");
	for (unsigned e = 0; e < PLUGIN_EP_COUNT; e++) {
		const struct val_ep *ep = &eps[e];
		unsigned nfail = 0;

		if (!ep->run)
			continue;
		for (unsigned i = 0; i < ep->nfields; i++)
			nfail += ep->f[i].failures != 0;
		fprintf(out, "  <testsuite name=\"%s\" tests=\"%u\" failures=\"%u\">\n",
			ep->name, ep->nfields, nfail);
		for (unsigned i = 0; i < ep->nfields; i++) {
			const struct val_field *f = &ep->f[i];

			fprintf(out, "    <testcase classname=\"%s\" name=\"%s\">", ep->name,
				f->name);
			if (f->failures) {
				fprintf(out, "\n      <failure message=\"%u of %u cases\">",
					f->failures, f->compared);
				fputs("input: ", out);
				xml_str(out, f->input);
				fputs("\nexpected: ", out);
				xml_str(out, f->expected);
				fputs("\nactual: ", out);
				xml_str(out, f->actual);
				fputs("\nrule: ", out);
				xml_str(out, f->rule);
				fprintf(out, "</failure>\n    ");
			}
			fprintf(out, "</testcase>\n");
		}
		fprintf(out, "  </testsuite>\n");
	}
	fprintf(out, "</testsuites>\n");
	if (outfile_commit(&of) < 0) {
		fprintf(stderr, "hvexit validate: %s\n", of.err);
		return -EIO;
	}
	return 0;
}

/* ---- command line --------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hvexit validate --plugin LIB.so [--only LIST] [--cases N] [--seed S]\n"
		"                       [--timeout-ms T] [--vectors DIR | --no-vectors] [--json]\n"
		"                       [--junit FILE]\n"
		"  LIST: comma-separated decode_dabt,mmio_load,s2_translate,gicd\n"
		"  --cases N      random differential cases per entry point (default 2000)\n"
		"  --timeout-ms T per-call time limit for the plugin (default 1000)\n"
		"  --vectors DIR  conformance vectors plugin_dabt.tsv, plugin_load.tsv (default:\n"
		"                 corpus/vectors of the data beside the binary: PREFIX/share/hvexit\n"
		"                 installed, the source tree for build/); --no-vectors: random only\n"
		"exit: 0 all pass, 1 findings, 2 usage or load error\n");
}

static int parse_only(const char *s, unsigned *mask)
{
	char buf[256];
	char *tok, *save = NULL;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned i;

		for (i = 0; i < PLUGIN_EP_COUNT; i++)
			if (!strcmp(tok, plugin_ep_name(i)))
				break;
		if (i == PLUGIN_EP_COUNT)
			return -EINVAL;
		*mask |= 1u << i;
	}
	return *mask ? 0 : -EINVAL;
}

/* The vector file of each entry point that has one (harness/validate/dabt.c). */
static const struct {
	unsigned ep;	/* index in the plugin_host order */
	const char *name;
} vector_files[] = {
	{ 0, "plugin_dabt.tsv" },
	{ 1, "plugin_load.tsv" },
};

int cmd_validate(int argc, char **argv)
{
	const char *lib = NULL, *junit = NULL;
	struct val_opts o = { .cases = 2000, .seed = 1 };
	bool no_vectors = false;
	char vecdir[4096];
	unsigned only = (1u << PLUGIN_EP_COUNT) - 1, timeout = 1000;
	int json = 0, findings = 0, e = 0;
	struct plugin_host *h;
	struct val_ep eps[PLUGIN_EP_COUNT];
	char err[512];
	uint64_t v;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--json")) {
			json = 1;
		} else if (!strcmp(a, "--no-vectors")) {
			no_vectors = true;
		} else if (!next) {
			usage(stderr);
			return cli_error("validate", "unknown option or missing value: %s", a);
		} else if (!strcmp(a, "--plugin")) {
			lib = argv[++i];
		} else if (!strcmp(a, "--junit")) {
			junit = argv[++i];
		} else if (!strcmp(a, "--vectors")) {
			o.vectors = argv[++i];
		} else if (!strcmp(a, "--only")) {
			if (parse_only(argv[++i], &only))
				return cli_error("validate", "--only: bad list '%s' (decode_dabt,"
						 "mmio_load,s2_translate,gicd)", argv[i]);
		} else if (!strcmp(a, "--cases")) {
			if (num_parse_u64(argv[++i], &v) || v > 10000000)
				return cli_error("validate", "--cases: bad count '%s'", argv[i]);
			o.cases = (unsigned)v;
		} else if (!strcmp(a, "--seed")) {
			if (num_parse_u64(argv[++i], &o.seed))
				return cli_error("validate", "--seed: bad number '%s'", argv[i]);
		} else if (!strcmp(a, "--timeout-ms")) {
			if (num_parse_u64(argv[++i], &v) || !v || v > 600000)
				return cli_error("validate", "--timeout-ms: bad value '%s'", argv[i]);
			timeout = (unsigned)v;
		} else {
			usage(stderr);
			return cli_error("validate", "unknown option: %s", a);
		}
	}
	if (!lib) {
		usage(stderr);
		return cli_error("validate", "--plugin LIB.so is required");
	}
	if (no_vectors && o.vectors)
		return cli_error("validate", "--vectors and --no-vectors exclude each other");
	if (!no_vectors && !o.vectors) {
		if (datadir_path("corpus/vectors", vecdir, sizeof(vecdir)) < 0)
			return cli_error("validate", "no corpus/vectors beside this binary (not in "
					 "PREFIX/share/hvexit nor a source tree): pass --vectors DIR");
		o.vectors = vecdir;
	}
	/* an explicit folder without the files is an error, not a silent skip */
	for (unsigned i = 0; o.vectors && i < HVX_ARRAY_SIZE(vector_files); i++) {
		char path[4200];

		if (!(only >> vector_files[i].ep & 1))
			continue;
		snprintf(path, sizeof(path), "%s/%s", o.vectors, vector_files[i].name);
		if (access(path, R_OK))
			return cli_error("validate", "vectors %s: %s", path, strerror(errno));
	}
	if (plugin_host_open(lib, timeout, &h, err, sizeof(err)))
		return cli_error("validate", "cannot load plugin: %s", err);

	e = val_run_all(h, &o, only, eps);
	if (e) {
		plugin_host_close(h);
		return cli_error("validate", "host error: %s", strerror(-e));
	}
	for (unsigned i = 0; i < PLUGIN_EP_COUNT; i++)
		findings |= val_ep_failures(&eps[i]) != 0;
	if (json)
		print_json(stdout, lib, eps, findings);
	else
		print_text(stdout, lib, eps, plugin_host_spawns(h));
	plugin_host_close(h);
	if (junit && write_junit(junit, eps))
		return cli_error("validate", "cannot write %s", junit);
	return findings ? 1 : 0;
}
