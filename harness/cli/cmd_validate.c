/*
 * hvexit validate --plugin LIB.so [options]
 *
 * Loads a hypervisor's plugin (include/hvexit/plugin.h) in a child process
 * and checks every exported entry point against the Arm ARM on inputs the
 * architecture can produce (conformance), and with --hostile on inputs it
 * cannot (robustness: only crashes, hangs and sanitizer reports count).
 * Findings are grouped by cause through the report model (harness/report)
 * and written as text, JSON or JUnit like every other command's.
 * --entry EP --esr/--bus/--gicd re-runs one case, as each finding's
 * "reproduce" line prints it. Exit 0 all pass, 1 findings, 2 usage or
 * load error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hvexit/common.h"
#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/cli/report_out.h"
#include "harness/util/datadir.h"
#include "harness/util/infile.h"
#include "harness/util/progress.h"
#include "harness/validate/dabt_space.h"
#include "harness/validate/gicd_stream.h"
#include "harness/validate/plugin_check.h"
#include "harness/validate/validate.h"

/* ---- the per-field table (counts; the findings are the report's) ------- */

static void print_fields(FILE *out, const char *lib, const struct val_ep *eps)
{
	fprintf(out, "plugin %s: ABI %d\n", lib, HVX_PLUGIN_ABI);
	for (unsigned e = 0; e < PLUGIN_EP_COUNT; e++) {
		const struct val_ep *ep = &eps[e];

		if (!ep->exported || !ep->selected) {
			fprintf(out, "\n%s: %s\n", ep->name, !ep->exported ? "not exported" :
				"not selected (--only)");
			continue;
		}
		if (!ep->cases && !ep->hostile)
			continue;
		fprintf(out, "\n%s: %u cases (%u vectors, %u systematic, %u random)", ep->name,
			ep->cases, ep->vectors, ep->systematic, ep->random);
		if (ep->hostile)
			fprintf(out, " + %u robustness", ep->hostile);
		fprintf(out, ", %u failures -> %s%s%s\n", val_ep_failures(ep),
			val_ep_failures(ep) ? "FAIL" : "PASS", ep->note[0] ? "; " : "", ep->note);
		fprintf(out, "  %-20s %8s %8s\n", "field", "compared", "failures");
		for (unsigned i = 0; i < ep->nfields; i++)
			fprintf(out, "  %-20s %8u %8u\n", ep->f[i].name, ep->f[i].compared,
				ep->f[i].failures);
	}
	fputc('\n', out);
}

static json_t *fields_json(const struct val_ep *eps)
{
	json_t *a = json_array();

	for (unsigned e = 0; e < PLUGIN_EP_COUNT; e++) {
		const struct val_ep *ep = &eps[e];
		json_t *fs = json_array();

		for (unsigned i = 0; i < ep->nfields; i++)
			json_array_append_new(fs, json_pack("{s:s,s:I,s:I,s:s}", "name",
				ep->f[i].name, "compared", (json_int_t)ep->f[i].compared,
				"failures", (json_int_t)ep->f[i].failures, "rule", ep->f[i].rule));
		json_array_append_new(a, json_pack("{s:s,s:b,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:s,s:o}",
			"name", ep->name, "exported", ep->exported, "run", ep->run,
			"cases", (json_int_t)ep->cases, "vectors", (json_int_t)ep->vectors,
			"systematic", (json_int_t)ep->systematic, "random", (json_int_t)ep->random,
			"robustness", (json_int_t)ep->hostile, "failures",
			(json_int_t)val_ep_failures(ep), "note", ep->note, "fields", fs));
	}
	return a;
}

/* ---- progress (harness/util/progress.h) -------------------------------------- */

struct vprogress {
	struct progress m;
	const struct val_ep *eps;	/* the results, counted as they run */
	const char *ep;		/* the entry point being run */
};

/* The final line of the entry point that ran last, with all its cases. */
static void progress_ep_end(struct vprogress *p)
{
	for (unsigned i = 0; p->ep && i < PLUGIN_EP_COUNT; i++)
		if (p->eps[i].name == p->ep)
			progress_end(&p->m, p->eps[i].cases + p->eps[i].hostile);
}

static void progress(void *ctx, const char *ep, unsigned done, unsigned total)
{
	struct vprogress *p = ctx;

	if (p->ep != ep) {	/* a new entry point: its own line and clock */
		progress_ep_end(p);
		p->ep = ep;
		progress_start(&p->m, ep, total, total);
		p->m.count0 = done;	/* the clock starts now, with these done */
		p->m.work0 = done;
	}
	progress_update(&p->m, done, done);
}

/* ---- command line ------------------------------------------------------------ */

struct vopt {
	unsigned only;
	int entry;		/* -1: all */
};

static int parse_only(void *ctx, const char *s, char *err, size_t errlen)
{
	struct vopt *v = ctx;
	char buf[256];
	char *tok, *save = NULL;

	v->only = 0;
	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned i;

		for (i = 0; i < PLUGIN_EP_COUNT; i++)
			if (!strcmp(tok, plugin_ep_name(i)))
				break;
		if (i == PLUGIN_EP_COUNT)
			goto bad;
		v->only |= 1u << i;
	}
	if (v->only)
		return 0;
bad:
	snprintf(err, errlen, "bad list (decode_dabt,mmio_load,s2_translate,gicd)");
	return -1;
}

static int parse_entry(void *ctx, const char *s, char *err, size_t errlen)
{
	static const char *const alias[PLUGIN_EP_COUNT] = { "dabt", "load", "s2", "gicd",
							    "load_regs", "emu" };
	struct vopt *v = ctx;

	for (unsigned i = 0; i < PLUGIN_EP_COUNT; i++)
		if (!strcmp(s, plugin_ep_name(i)) || (alias[i] && !strcmp(s, alias[i]))) {
			v->entry = (int)i;
			return 0;
		}
	snprintf(err, errlen, "unknown entry point (decode_dabt, mmio_load, gicd, "
		 "mmio_load_regs, emulate)");
	return -1;
}

/* The vector file of each entry point that has one must be readable: an
 * explicit folder without the files is an error, not a silent skip. */
static int check_vectors(const char *dir, unsigned only)
{
	for (unsigned i = 0; dir && i < PLUGIN_EP_COUNT; i++) {
		char path[4200], why[4400];

		if (!(only >> i & 1) || !val_suite[i].vector_file)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, val_suite[i].vector_file);
		/* a regular file: a FIFO or a device would block or never end */
		if (infile_check(path, why, sizeof(why)) < 0)
			return cli_error("validate", "vectors %s", why);
		if (access(path, R_OK))
			return cli_error("validate", "vectors %s: %s", path, strerror(errno));
	}
	return 0;
}

/* --entry with its input: one case, in the class its input belongs to. */
static int check_single(struct val_opts *o, const struct vopt *v, bool esr_given,
			bool bus_given, bool insn_given, uint64_t insn)
{
	char err[200];

	if (insn > UINT32_MAX)
		return cli_error("validate", "--insn: 0x%llx is wider than 32 bits",
				 (unsigned long long)insn);
	o->single.insn = (uint32_t)insn;
	if (v->entry < 0) {
		if (esr_given || bus_given || o->single.gicd || insn_given)
			return cli_error("validate", "--esr/--bus/--gicd/--insn need --entry");
		return 0;
	}
	o->single.set = true;
	o->single.ep = (unsigned)v->entry;
	switch (v->entry) {
	case 0:
		if (!esr_given || bus_given || o->single.gicd)
			return cli_error("validate", "--entry decode_dabt takes --esr HEX only");
		break;
	case 1:
		if (!esr_given || !bus_given || o->single.gicd)
			return cli_error("validate", "--entry mmio_load takes --esr HEX --bus HEX");
		break;
	case 4:
		if (!esr_given || !bus_given || o->single.gicd || insn_given)
			return cli_error("validate", "--entry mmio_load_regs takes --esr HEX --bus HEX");
		break;
	case 5:
		if (!insn_given || esr_given || bus_given || o->single.gicd)
			return cli_error("validate", "--entry emulate takes --insn HEX [--seed S]");
		if (!check_emu_domain(o->single.insn) && !o->hostile) {
			fprintf(stderr, "hvexit validate: --insn 0x%08x is not a load/store "
				"emulate is checked on: running it as a robustness case "
				"(--hostile)\n", o->single.insn);
			o->hostile = true;
		}
		return 0;
	case 3:
		if (!o->single.gicd || esr_given || bus_given)
			return cli_error("validate", "--entry gicd takes --gicd STREAM");
		if (gicd_stream_check(o->single.gicd, err, sizeof(err)))
			return cli_error("validate", "--gicd: %s", err);
		break;
	default:
		return cli_error("validate", "--entry s2_translate: not supported; re-run with --only");
	}
	if ((v->entry < 2 || v->entry == 4) && !dabt_possible(o->single.esr) && !o->hostile) {
		fprintf(stderr, "hvexit validate: --esr 0x%llx is not a syndrome a PE reports for "
			"a guest's stage-2 data abort: running it as a robustness case (--hostile)\n",
			(unsigned long long)o->single.esr);
		o->hostile = true;
	}
	return 0;
}

int cmd_validate(int argc, char **argv)
{
	struct report_out ro = { .cmd = "validate" };
	struct val_opts o = { .cases = 2000, .seed = 1 };
	struct vopt v = { .only = (1u << PLUGIN_EP_COUNT) - 1, .entry = -1 };
	struct vprogress pr = { 0 };
	bool progress_on = false;
	uint64_t insn = 0;
	bool insn_given = false;
	bool no_vectors = false, esr_given = false, bus_given = false;
	uint64_t cases = 2000, timeout = 1000;
	const struct cli_opt opts[] = {
		OPT_STR("--plugin", &o.plugin, "LIB.so", "the plugin library (required)"),
		{ .name = "--only", .type = CLI_FN, .fn = parse_only, .metavar = "LIST",
		  .help = "entry points: comma-separated decode_dabt,mmio_load,s2_translate,gicd" },
		OPT_U64("--cases", &cases, "N", 0, 10000000,
			"random cases per entry point and class (default 2000)"),
		OPT_U64("--seed", &o.seed, "S", 0, 0, "random seed (default 1)"),
		OPT_U64("--timeout-ms", &timeout, "T", 1, 600000,
			"per-call time limit for the plugin (default 1000)"),
		OPT_STR("--vectors", &o.vectors, "DIR", "conformance vectors plugin_dabt.tsv, "
			"plugin_load.tsv (default: corpus/vectors of the data beside the binary)"),
		OPT_FLAG("--no-vectors", &no_vectors, "random and systematic cases only"),
		OPT_FLAG("--hostile", &o.hostile, "also run the robustness class: inputs no PE "
			 "reports for a guest; only crashes, hangs, sanitizer reports count"),
		{ .name = "--entry", .type = CLI_FN, .fn = parse_entry, .metavar = "EP",
		  .help = "run one case: decode_dabt (--esr), mmio_load and mmio_load_regs "
			  "(--esr --bus), gicd (--gicd), emulate (--insn --seed)" },
		{ .name = "--esr", .type = CLI_HEX, .dst = &o.single.esr, .metavar = "HEX",
		  .help = "the syndrome of the one case", .given = &esr_given },
		{ .name = "--bus", .type = CLI_HEX, .dst = &o.single.bus, .metavar = "HEX",
		  .help = "the bus data of the one mmio_load(_regs) case", .given = &bus_given },
		{ .name = "--insn", .type = CLI_HEX, .dst = &insn, .metavar = "HEX",
		  .help = "the instruction of the one emulate case (its registers and "
			  "memory come from --seed)", .given = &insn_given },
		OPT_STR("--gicd", &o.single.gicd, "STREAM", "the one gicd case, e.g. "
			"nr=64,owned=32+37,w1@0x425=0xff (docs/plugins.md)"),
		OPT_REPORT_BASELINE(&ro),
		OPT_REPORT_FORMATS(&ro, "entry point and class"),
		OPT_REPORT_FINDINGS(&ro),
		OPT_FLAG("--progress", &progress_on, "cases, rate and ETA on stderr (default: when "
			 "stderr is a terminal)"),
	};
	const struct cli_cmd cmd = {
		.name = "validate", .synopsis = "--plugin LIB.so [options]", .ctx = &v,
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts),
		.about = "Checks a hypervisor's plugin (include/hvexit/plugin.h) against the Arm ARM:\n"
			 "vectors, systematic and random cases the architecture can produce, each\n"
			 "failure grouped by its cause with a minimal input and a command that\n"
			 "re-runs it. Exit 0 all pass, 1 findings, 2 usage or load error.",
	};
	char **operands = NULL;
	struct plugin_host *h = NULL;
	struct val_ep eps[PLUGIN_EP_COUNT];
	char vecdir[4096], err[4300];
	int n = 0, status, e;
	bool text;

	if (!cli_parse_new(&cmd, argc, argv, &operands, &n, &status))
		goto out;
	if (n) {
		cli_usage(&cmd, stderr);
		cli_error("validate", "unexpected argument '%s'", operands[0]);
		goto out;
	}
	o.cases = (unsigned)cases;
	if (!o.plugin) {
		cli_usage(&cmd, stderr);
		cli_error("validate", "--plugin LIB.so is required");
		goto out;
	}
	if (check_single(&o, &v, esr_given, bus_given, insn_given, insn))
		goto out;
	if (o.single.set)
		v.only = 1u << o.single.ep;
	if (no_vectors && o.vectors) {
		cli_error("validate", "--vectors and --no-vectors exclude each other");
		goto out;
	}
	if (!no_vectors && !o.vectors && !o.single.set) {
		if (datadir_path("corpus/vectors", vecdir, sizeof(vecdir)) < 0) {
			cli_error("validate", "no corpus/vectors beside this binary (not in "
				  "PREFIX/share/hvexit nor a source tree): pass --vectors DIR");
			goto out;
		}
		o.vectors = vecdir;
	}
	if (o.single.set)
		o.vectors = NULL;
	if (check_vectors(o.vectors, v.only))
		goto out;
	if (report_out_load(&ro, NULL, 0, "input"))
		goto out;
	if (plugin_host_open(o.plugin, (unsigned)timeout, &h, err, sizeof(err))) {
		cli_error("validate", "cannot load plugin: %s", err);
		goto out;
	}
	o.rep = report_new("validate", "hvexit validate");
	if (!o.rep || report_out_attach(&ro, o.rep))
		goto out;
	report_prop(o.rep, "plugin", json_string(o.plugin));
	report_prop(o.rep, "seed", json_integer((json_int_t)o.seed));
	report_prop(o.rep, "hostile", json_boolean(o.hostile));
	progress_init(&pr.m, "validate", "cases", progress_wanted(progress_on, ro.quiet));
	o.progress = progress;
	o.progress_ctx = &pr;
	pr.eps = eps;
	e = val_run_all(h, &o, v.only, eps);
	progress_ep_end(&pr);
	if (e) {
		cli_error("validate", "host error: %s", strerror(-e));
		goto out;
	}
	text = report_out_format(&ro) == REPORT_FMT_TEXT;
	if (text)
		print_fields(stdout, o.plugin, eps);
	report_out_print(&ro, o.rep, ro.json ? json_pack("{s:I,s:o}", "abi",
			 (json_int_t)HVX_PLUGIN_ABI, "entry_points", fields_json(eps)) : NULL, 0);
	if (text)
		printf("plugin child processes started: %u\n", plugin_host_spawns(h));
	status = report_out_finish(&ro, o.rep, ro.json ? NULL : report_out_log(&ro),
				   report_exit_status(o.rep));
	if (fflush(stdout) == EOF || ferror(stdout)) {
		cli_error("validate", "writing the report failed");
		status = 2;
	}
out:
	if (h)
		plugin_host_close(h);
	report_out_free(&ro);
	report_free(o.rep);
	free(operands);
	return status;
}
