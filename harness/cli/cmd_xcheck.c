/*
 * hvexit xcheck --insn HEX --esr HEX [--json]
 * hvexit xcheck --sweep [--all | --random N --seed S] [--json] [--llvm-mc]
 * hvexit xcheck --word HEX
 * (options: the table in cmd_xcheck). A sweep reports every disagreement
 * between our decoder and Capstone as a finding whose cluster is its cause;
 * corpus/baselines/xcheck-capstone4.json accepts Capstone 4's documented
 * limits. Exit: 0 consistent / no unexplained disagreement, 1 findings,
 * 2 usage.
 */
#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/cli/opts.h"
#include "harness/report/report.h"
#include "harness/util/datadir.h"
#include "harness/util/progress.h"
#include "hvexit/esr.h"
#include "hvexit/xcheck.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CMD "xcheck"
#define MAX_EX 16

static void print_val(int v)
{
	if (v < 0)
		printf("?");
	else
		printf("%d", v);
}

static int run_one(uint32_t insn, uint64_t esr, bool json)
{
	struct xcheck_result r;
	unsigned i;
	int rc = xcheck_dabt(insn, esr, &r);

	if (rc == -EINVAL)
		return cli_error(CMD, "--esr 0x%" PRIx64 ": not a data abort (EC 0x%x)", esr, esr_ec(esr));
	if (rc)
		return cli_error(CMD, "capstone unavailable");
	if (json) {
		char buf[1024];

		xcheck_result_json(&r, buf, sizeof(buf));
		printf("%s\n", buf);
	} else {
		printf("insn 0x%08" PRIx32 ": own %s (%s), capstone %s\n", insn,
		       r.own_rc ? "-" : r.own.mnemonic, insn_class_name(r.own.cls),
		       r.cs.decoded ? r.cs.text : "-");
		printf("esr 0x%" PRIx64 ": %s\n", esr, xcheck_status_name(r.status));
		for (i = 0; i < r.ndiff; i++) {
			const struct xcheck_diff *d = &r.diff[i];

			printf("  %-4s iss=%d implied: own=", xcheck_field_name(d->field), d->iss);
			print_val(d->own);
			printf(" capstone=");
			print_val(d->cs);
			printf("  (ISS value implied by:%s%s%s)\n",
			       d->own == d->iss ? " own" : "", d->cs == d->iss ? " capstone" : "",
			       d->own != d->iss && d->cs != d->iss ? " none" : "");
		}
	}
	return r.status == XCHECK_MISMATCH || r.status == XCHECK_UNKNOWN_INSN ? 1 : 0;
}

/* ---- sweep ------------------------------------------------------------- */

struct sweep {
	struct xcheck_sweep_stats st;
	uint32_t llvm_words[4096];
	unsigned nllvm;
};

/* Collect words for the llvm-mc vote: every unexplained one, 1 in 64
 * known ones (llvm-mc decodes Armv8.1+ and tells who is right). */
static void collect(void *ctx, uint32_t w, const struct xcheck_cmp *c)
{
	struct sweep *s = ctx;

	if (s->nllvm >= HVX_ARRAY_SIZE(s->llvm_words))
		return;
	if (c->verdict == XV_UNEXPLAINED || (w * 0x9e3779b1u) >> 26 == 0)
		s->llvm_words[s->nllvm++] = w;
}

/*
 * llvm-mc vote: disassemble the words, each followed by a NOP marker so
 * that output lines can be matched to inputs even when llvm-mc skips an
 * invalid encoding. Counts how often llvm-mc's mnemonic equals ours.
 */
static void llvm_vote(const struct sweep *s, bool json, unsigned *agree, unsigned *total)
{
	char path[] = "/tmp/hvexit-xcheck-XXXXXX", cmd[512], line[512];
	FILE *f, *p;
	unsigned i = 0;
	int fd;

	*agree = *total = 0;
	if (!s->nllvm || system("command -v llvm-mc >/dev/null 2>&1") != 0)
		return;
	fd = mkstemp(path);
	if (fd < 0 || !(f = fdopen(fd, "w")))
		return;
	for (i = 0; i < s->nllvm; i++) {
		uint32_t w = s->llvm_words[i];

		fprintf(f, "0x%02x 0x%02x 0x%02x 0x%02x 0x1f 0x20 0x03 0xd5\n", w & 0xff,
			(w >> 8) & 0xff, (w >> 16) & 0xff, w >> 24);
	}
	fclose(f);
	snprintf(cmd, sizeof(cmd), "llvm-mc --disassemble -triple=aarch64 "
		 "-mattr=+v8.5a,+lse,+rcpc,+rcpc-immo,+pauth,+ls64 < %s 2>/dev/null", path);
	p = popen(cmd, "r");
	i = 0;
	if (p) {
		char cur[64] = "";

		while (fgets(line, sizeof(line), p) && i < s->nllvm) {
			char m[64];

			if (sscanf(line, " %63s", m) != 1 || m[0] == '.')
				continue;
			if (strcmp(m, "nop") == 0) {
				struct insn d;
				int rc = insn_decode(s->llvm_words[i], &d);
				bool ours = rc == 0;
				bool theirs = cur[0] != 0;

				if (ours && theirs) {
					char low[32];
					size_t k;

					for (k = 0; d.mnemonic[k] && k + 1 < sizeof(low); k++)
						low[k] = (char)(d.mnemonic[k] >= 'A' && d.mnemonic[k] <= 'Z' ?
								d.mnemonic[k] + 32 : d.mnemonic[k]);
					low[k] = 0;
					/* same mnemonic, the ST<op> alias of LD<op> with
					 * Rt = 31 (C6.2 STADD...), or a DC operation */
					theirs = !strcmp(low, cur) || !strncmp(low, "dc", 2) ||
						 (!strncmp(low, "ld", 2) && cur[0] == 's' && cur[1] == 't' &&
						  !strcmp(low + 2, cur + 2));
				}
				*agree += ours == theirs;
				(*total)++;
				if (!json && ours != theirs)
					printf("  llvm-mc disagrees on 0x%08x: own %s, llvm-mc %s\n",
					       s->llvm_words[i], ours ? d.mnemonic : "-", cur[0] ? cur : "-");
				cur[0] = 0;
				i++;
			} else {
				snprintf(cur, sizeof(cur), "%s", m);
			}
		}
		pclose(p);
	}
	remove(path);
}

struct sweep_ctx {
	struct sweep *s;
	struct report *rep;
	struct progress pg;
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* On a terminal: words done, rate and time left (harness/util/progress.h);
 * anywhere: stop at SIGINT/SIGTERM so the partial table is printed. */
static int sweep_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct sweep_ctx *x = ctx;

	if (stop_signal)
		return 1;
	x->pg.count_total = total;
	x->pg.total = (double)total;
	snprintf(x->pg.note, sizeof(x->pg.note), "%lu unexplained", x->rep->new_total);
	progress_update(&x->pg, done, (double)done);
	return 0;
}

/* Every disagreement is a finding whose cluster is its cause; the
 * baseline decides which causes are accepted (Capstone 4's limits). */
static void on_disagreement(void *ctx, uint32_t w, const struct xcheck_cmp *c)
{
	struct sweep_ctx *x = ctx;
	struct finding f;

	collect(x->s, w, c);
	memset(&f, 0, sizeof(f));
	finding_set(&f, kind, "sweep");
	finding_set(&f, field, "%s", c->field);
	if (c->cause)
		finding_set(&f, cluster, "%s", c->cause);
	else
		finding_set(&f, cluster, "unexplained %s", insn_class_name(c->cls));
	finding_set(&f, context, "insn 0x%08x", w);
	finding_set(&f, reproduce, "hvexit xcheck --word 0x%08x", w);
	report_add(x->rep, &f);
}

/* The words behind the first instance of each cause, decoded both ways
 * (only once per cause, not per word of the sweep). */
static void describe_first(struct report *rep)
{
	for (size_t i = 0; i < rep->ncl; i++) {
		struct finding *f = &rep->cl[i].first;
		struct xcheck_csview v;
		struct insn d;
		unsigned w;

		if (sscanf(f->context, "insn 0x%x", &w) != 1)
			continue;
		if (insn_decode(w, &d) == 0)
			finding_set(f, expected, "%s (%s)", d.mnemonic, insn_class_name(d.cls));
		else
			finding_set(f, expected, "not a load/store");
		xcheck_cs_view(w, &v);
		finding_set(f, observed, "%s", v.decoded ? v.text : "not decodable");
	}
}

static void cause_counts(const struct report *rep, const struct baseline *bl, bool json)
{
	for (size_t k = 0; bl && k < bl->n; k++) {
		const struct baseline_entry *e = &bl->e[k];
		unsigned long n = 0;

		for (size_t i = 0; i < rep->ncl; i++)
			if (rep->cl[i].known && !strcmp(rep->cl[i].first.cluster, e->cluster))
				n += rep->cl[i].count;
		if (json)
			printf("%s\"%s\":%lu", k ? "," : "", e->cluster, n);
		else
			printf("  %-40s %10lu  %s\n", e->cluster, n, e->note);
	}
}

static int run_sweep(uint64_t n, uint64_t seed, bool all, bool json, bool llvm, unsigned max_ex,
		     const char *baseline)
{
	static struct sweep s;
	const struct xcheck_sweep_stats *st = &s.st;
	struct sweep_ctx x = { .s = &s };
	struct baseline *bl = NULL;
	unsigned c, k, la = 0, lt = 0, nex = 0;
	struct timespec t0, t1;
	char path[4096], err[4300];
	double secs;
	int rc = 2, e;

	if (!baseline) {
		if (datadir_path("corpus/baselines/xcheck-capstone4.json", path, sizeof(path)) < 0)
			return cli_error(CMD, "%s: not found (no data beside this binary: pass --baseline FILE)", path);
		baseline = path;
	}
	if (baseline_load(baseline, true, &bl, err, sizeof(err)) < 0)
		return cli_error(CMD, "%s", err);
	x.rep = report_new("xcheck", "hvexit xcheck --sweep");
	if (!x.rep)
		goto out;
	report_use_baseline(x.rep, bl);
	report_case_begin(x.rep, "hvexit.xcheck", "sweep");
	memset(&s, 0, sizeof(s));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	progress_init(&x.pg, "xcheck", "words", progress_wanted(false, false));
	progress_start(&x.pg, NULL, (double)n, n);
	stop_signal = 0;
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	e = xcheck_sweep_progress(n, seed, all, &s.st, on_disagreement, sweep_progress, &x);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	snprintf(x.pg.note, sizeof(x.pg.note), "%lu unexplained", x.rep->new_total);
	progress_end(&x.pg, st->words);
	if (e == -ENODEV) {
		cli_error(CMD, "capstone unavailable");
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (e == -EINTR) {
		report_case_partial(x.rep);
		report_case_end(x.rep, REPORT_ERROR, "interrupted by signal %d after %" PRIu64 " words",
				(int)stop_signal, st->words);
	} else {
		report_case_end(x.rep, REPORT_PASS, "%" PRIu64 " words", st->words);
	}
	describe_first(x.rep);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (llvm)
		llvm_vote(&s, json, &la, &lt);
	if (json) {
		printf("{\"words\":%" PRIu64 ",\"seconds\":%.3f,\"unexplained\":%lu,\"classes\":{",
		       st->words, secs, x.rep->new_total);
		for (c = 0, k = 0; c < INSN_C_COUNT; c++) {
			if (!st->total[c])
				continue;
			printf("%s\"%s\":{\"total\":%" PRIu64 ",\"agree\":%" PRIu64 ",\"explained\":%" PRIu64
			       ",\"unexplained\":%" PRIu64 "}", k++ ? "," : "", insn_class_name((enum insn_class)c),
			       st->total[c], st->agree[c], st->explained[c], st->unexplained[c]);
		}
		printf("},\"known\":{");
		cause_counts(x.rep, bl, true);
		printf("}");
		if (llvm)
			printf(",\"llvm_mc\":{\"checked\":%u,\"agree_with_own\":%u}", lt, la);
		printf(",\"report\":");
		{
			json_t *o = report_to_json(x.rep);

			json_dumpf(o, stdout, JSON_COMPACT);
			json_decref(o);
		}
		printf("}\n");
	} else {
		printf("%-18s %10s %10s %10s %12s\n", "class", "words", "agree", "explained", "unexplained");
		for (c = 0; c < INSN_C_COUNT; c++)
			if (st->total[c])
				printf("%-18s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %12" PRIu64 "\n",
				       insn_class_name((enum insn_class)c), st->total[c],
				       st->agree[c], st->explained[c], st->unexplained[c]);
		printf("known Capstone 4 limitations (%s):\n", baseline);
		cause_counts(x.rep, bl, false);
		for (size_t i = 0; i < x.rep->ncl && nex < max_ex; i++) {
			const struct report_cluster *cl = &x.rep->cl[i];

			if (cl->known)
				continue;
			nex++;
			printf("  unexplained: %s: %lu words, e.g. %s: own %s, capstone %s\n", cl->key,
			       cl->count, cl->first.context, cl->first.expected, cl->first.observed);
		}
		if (llvm)
			printf("llvm-mc vote: %u of %u sampled disagreement words agree with own decoder\n", la, lt);
		printf("sweep: %" PRIu64 " words in %.2f s, %lu unexplained%s\n", st->words, secs,
		       x.rep->new_total, e == -EINTR ? " (interrupted: partial counts)" : "");
	}
	rc = e == -EINTR ? 2 : report_exit_status(x.rep);
out:
	report_free(x.rep);
	baseline_free(bl);
	return rc;
}

/* One word, both decoders, and the cause of a disagreement. */
static int run_word(uint32_t w)
{
	struct xcheck_cmp c;
	struct xcheck_csview v;
	struct insn d;

	bool own;

	if (xcheck_sweep_word(w, &c) || xcheck_cs_view(w, &v))
		return cli_error(CMD, "capstone unavailable");
	own = insn_decode(w, &d) == 0;
	printf("insn 0x%08x: own %s (%s), capstone %s\n", w, own ? d.mnemonic : "-",
	       own ? insn_class_name(d.cls) : "not a load/store", v.decoded ? v.text : "-");
	if (c.verdict == XV_AGREE) {
		printf("agree\n");
		return 0;
	}
	printf("disagree on %s: %s\n", c.field, c.cause ? c.cause : "unexplained");
	return c.cause ? 0 : 1;
}

int cmd_xcheck(int argc, char **argv)
{
	uint64_t insn = 0, esr = 0, n = 200000, seed = 1, ex = 10, word = 0;
	bool have_insn = false, have_esr = false, have_word = false, json = false, sweep = false;
	bool all = false, llvm = false;
	const char *baseline = NULL;
	char *ops[1];
	int nops;
	struct cli_opt opts[] = {
		OPT_HEX("--insn", &insn, "HEX", "A64 instruction word at the faulting PC"),
		OPT_HEX("--esr", &esr, "HEX", "the data abort's ESR_EL2"),
		OPT_FLAG("--json", &json, "machine-readable output"),
		OPT_FLAG("--sweep", &sweep, "compare our decoder with Capstone over the load/store space"),
		OPT_FLAG("--all", &all, "sweep: all 2^30 load/store words (minutes)"),
		OPT_U64("--random", &n, "N", 1, UINT64_C(1) << 32, "sweep: N random words (default 200000)"),
		OPT_U64("--seed", &seed, "S", 0, 0, "sweep: random seed (default 1)"),
		OPT_FLAG("--llvm-mc", &llvm, "sweep: let llvm-mc vote on sampled disagreements"),
		OPT_U64("--examples", &ex, "K", 0, MAX_EX, "sweep: unexplained causes to show (default 10)"),
		OPT_STR("--baseline", &baseline, "FILE",
			"sweep: accepted causes (default: corpus/baselines/xcheck-capstone4.json of the data)"),
		OPT_HEX("--word", &word, "HEX", "compare our decoder with Capstone on one word"),
	};
	struct cli_cmd cmd = {
		.name = CMD, .synopsis = "--insn HEX --esr HEX [--json] | --sweep [options] | --word HEX",
		.about = "Cross-checks a data abort's ISS against its instruction (our A64 decoder and\n"
			 "Capstone), or sweeps the load/store encoding space comparing both decoders.\n"
			 "Exit: 0 consistent / no unexplained disagreement, 1 findings, 2 usage.",
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts), .max_operands = 1,
	};
	int rc;

	opts[0].given = &have_insn;
	opts[1].given = &have_esr;
	opts[10].given = &have_word;
	rc = argc > 1 ? cli_parse(&cmd, argc, argv, ops, &nops) : 2;
	if (argc <= 1)
		cli_usage(&cmd, stderr);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (nops)
		return cli_error(CMD, "unexpected argument '%s'", ops[0]);
	if (have_word) {
		if (word > UINT32_MAX)
			return cli_error(CMD, "--word: not a 32-bit word");
		return run_word((uint32_t)word);
	}
	if (sweep)
		return run_sweep(n, seed, all, json, llvm, (unsigned)ex, baseline);
	if (!have_insn || !have_esr) {
		cli_usage(&cmd, stderr);
		return cli_error(CMD, "--insn and --esr are both needed");
	}
	if (insn > UINT32_MAX)
		return cli_error(CMD, "--insn: not a 32-bit word");
	return run_one((uint32_t)insn, esr, json);
}
