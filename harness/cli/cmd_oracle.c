/*
 * hvexit oracle s2|syndromes: hvexit's models against QEMU's EL2 (or any
 * platform that boots the probe image), harness/oracle/oracle.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/cli/report_out.h"
#include "harness/oracle/oracle.h"
#include "harness/util/datadir.h"
#include "hvexit/common.h"
#include "hvexit/s2.h"

#define CMD "oracle"

static void print_stats(const char *what, const struct oracle_stats *st, double secs)
{
	double pct = st->checks ? 100.0 * (double)st->agree / (double)st->checks : 0;

	fprintf(stderr, "oracle %s: %lu cases, %lu checks, %lu agree (%.3f%%), %lu disagree "
		"(model %lu, emulator %lu, constrained-unpredictable %lu, unsettled %lu), "
		"%lu %s, %.1f s\n", what, st->cases, st->checks, st->agree, pct,
		st->disagree, st->by_class[ORC_MODEL], st->by_class[ORC_EMULATOR],
		st->by_class[ORC_CU], st->by_class[ORC_UNSETTLED], st->skipped,
		strcmp(what, "s2") ? "not compared (see not_compared)" : "not generated", secs);
}

static int run(const char *sub, struct oracle_opts *o, struct report_out *ro)
{
	bool s2 = !strcmp(sub, "s2");
	struct report *r = report_new("oracle", s2 ? "hvexit oracle s2" : "hvexit oracle syndromes");
	struct oracle_stats st = { 0 };
	char err[4300];
	int status = 2;

	if (!r)
		return 2;
	report_set_labels(r, "model", "probe");
	if (report_out_load(ro, NULL, 0, "input") || report_out_attach(ro, r))
		goto out;
	double t0 = report_elapsed(r);
	int rc = s2 ? oracle_s2(o, r, &st, err, sizeof(err))
		    : oracle_syndromes(o, r, &st, err, sizeof(err));
	if (rc == -ECANCELED) {		/* --emit: the batch is written, nothing ran */
		fprintf(stderr, "hvexit oracle: %s\n", err);
		status = 0;
		goto out;
	}
	if (rc) {
		cli_error(CMD, "%s", err);
		goto out;
	}
	report_prop(r, "agree", json_integer((json_int_t)st.agree));
	report_prop(r, "checks", json_integer((json_int_t)st.checks));
	report_prop(r, "seed", json_integer((json_int_t)o->seed));
	report_out_print(ro, r, NULL, 0);
	status = report_out_finish(ro, r, stderr, report_exit_status(r));
	print_stats(sub, &st, report_elapsed(r) - t0);
out:
	report_out_free(ro);
	report_free(r);
	return status;
}

int cmd_oracle(int argc, char **argv)
{
	struct oracle_env env = { .qemu = "qemu-system-aarch64", .timeout_s = 600 };
	struct oracle_opts o = { .env = &env, .seed = 1, .cases = 200, .batch = 1000 };
	struct report_out ro = { .cmd = CMD };
	const char *keep = NULL;
	uint64_t timeout = 600, parange = 0;
	const char *features = NULL;
	char probe[4096], tmpl[] = "/tmp/hvexit-oracle.XXXXXX";
	char *ops[2];
	int nops, rc;
	const struct cli_opt opts[] = {
		OPT_U64("--cases", &o.cases, "N", 1, UINT64_C(100000000), "cases to run (default 200)"),
		OPT_U64("--seed", &o.seed, "S", 0, 0, "seed of the case generator (default 1)"),
		OPT_U64("--first", &o.first, "I", 0, 0, "index of the first case (default 0)"),
		OPT_U64("--batch", &o.batch, "N", 1, 100000, "cases per boot of the probe (default 1000)"),
		OPT_STR("--qemu", &env.qemu, "PATH", "qemu-system-aarch64 to run (default from PATH)"),
		OPT_STR("--probe", &env.probe, "ELF", "probe image (default: build/oracle/probe.elf of the tree)"),
		OPT_STR("--cpu", &env.cpu, "NAME", "QEMU -cpu model (default max)"),
		OPT_U64("--timeout", &timeout, "SECS", 1, 86400, "per boot (default 600)"),
		OPT_STR("--keep", &keep, "DIR", "keep the blob and UART log of the last boot in DIR"),
		OPT_HEX("--uart", &env.uart, "PA", "PL011 base the probe prints to (default QEMU virt's 0x9000000)"),
		OPT_STR("--emit", &env.emit_dir, "DIR", "s2: write DIR/blob.bin for another platform, do not boot"),
		OPT_STR("--log", &env.log_path, "FILE", "s2: compare the UART log another platform printed for --emit's blob"),
		OPT_STR("--features", &features, "LIST", "s2: the PE's Stage-2 features (as hvexit walk), no identification boot"),
		OPT_U64("--parange", &parange, "BITS", 32, 52, "s2: the PE's PA size, with --features"),
		OPT_REPORT_BASELINE(&ro),
		OPT_REPORT_FORMATS(&ro, "run"),
		OPT_REPORT_FINDINGS(&ro),
	};
	const struct cli_cmd cmd = {
		.name = CMD, .synopsis = "s2|syndromes [options]", .min_operands = 1, .max_operands = 1,
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts),
		.about = "Boots the bare-metal probe at EL2 under qemu-system-aarch64 (virt,\n"
			 "virtualization=on, no Linux), runs generated cases in one boot per batch\n"
			 "and compares what EL2 saw with hvexit's models:\n"
			 "  s2         Stage-2 walks (VTCR/VTTBR/tables) against the s2 model\n"
			 "  syndromes  A64 loads/stores against an unmapped page (xcheck) and\n"
			 "             trapped system registers (the ESR decoder)\n"
			 "Disagreements are classified: model, emulator (with the Arm ARM rule),\n"
			 "constrained-unpredictable, unsettled. Exit 0 agree, 1 findings, 2 error.",
	};

	rc = cli_parse(&cmd, argc, argv, ops, &nops);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (strcmp(ops[0], "s2") && strcmp(ops[0], "syndromes"))
		return cli_error(CMD, "unknown subcommand '%s' (want: s2, syndromes)", ops[0]);
	env.timeout_s = (unsigned)timeout;
	bool other = env.emit_dir || env.log_path || features;
	if (other && strcmp(ops[0], "s2"))
		return cli_error(CMD, "--emit, --log and --features are for 's2' only");
	if (env.emit_dir && env.log_path)
		return cli_error(CMD, "--emit writes a batch, --log reads its result: one at a time");
	if ((env.emit_dir || env.log_path) && o.cases > o.batch)
		return cli_error(CMD, "--emit/--log run one boot: --cases %" PRIu64 " exceeds --batch %"
				 PRIu64, o.cases, o.batch);
	if (env.emit_dir && (!features || !parange))
		return cli_error(CMD, "--emit needs --features and --parange of the target PE");
	if (!!features != !!parange)
		return cli_error(CMD, "--features and --parange go together");
	if (features) {
		size_t bad = 0;
		if (s2_features_parse(features, &o.pe_features, &bad))
			return cli_error(CMD, "--features '%s': unknown name at offset %zu", features, bad);
		o.have_pe = true;
		o.pe_parange = (unsigned)parange;
	}
	if (env.log_path && access(env.log_path, R_OK))
		return cli_error(CMD, "--log '%s': %s", env.log_path, strerror(errno));
	if (!env.probe) {
		if (datadir_path("build/oracle/probe.elf", probe, sizeof(probe)) < 0)
			return cli_error(CMD, "no probe image beside this binary (make probe, "
					 "or pass --probe ELF)");
		env.probe = probe;
	}
	if (access(env.probe, R_OK))
		return cli_error(CMD, "--probe '%s': %s", env.probe, strerror(errno));
	if (keep) {
		env.workdir = keep;
		env.keep = true;
	} else {
		const char *t = getenv("TMPDIR");
		char *d;
		static char path[4096];
		snprintf(path, sizeof(path), "%s/hvexit-oracle.XXXXXX", t && *t ? t : "/tmp");
		d = mkdtemp(path);
		if (!d)
			return cli_error(CMD, "mkdtemp %s: %s", tmpl, strerror(errno));
		env.workdir = d;
	}
	o.log = ro.quiet ? NULL : stderr;
	rc = run(ops[0], &o, &ro);
	if (!keep)
		rmdir(env.workdir);
	return rc;
}
