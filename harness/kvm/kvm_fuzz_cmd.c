/*
 * hvexit kvm fuzz --seed S --steps N [--step K] [--batch B] [--guest ELF]
 *                 [--baseline FILE] [--findings FILE] [--json] [--tap] [--quiet]
 *
 * Differential fuzzing of the real KVM (kvm_fuzz.h): N steps generated
 * from seed S run in guests/fuzz.elf in batches of B; every exit's
 * architectural result is compared with the exit engine's prediction.
 * --step K prints step K in full (inputs, prediction, observation).
 * Exit status: 0 no new findings, 1 new findings or the run failed,
 * 2 usage or no usable KVM.
 */
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "harness/cli/cli.h"
#include "harness/cli/report_out.h"
#include "harness/kvm/kvm_fuzz.h"
#include "harness/report/report.h"
#include "harness/util/clock.h"

struct fuzz_stats {
	uint64_t steps, checked, unchecked, notes;
	uint64_t traps, mmio, nisv, injected, smccc, sysreg, gic;
};

static void dump_acc(const char *what, const struct kf_accesses *a)
{
	printf("  %s:", what);
	for (unsigned i = 0; i < a->n; i++)
		printf(" %s%u@0x%llx=0x%llx", a->a[i].write ? "W" : "R", a->a[i].size,
		       (unsigned long long)a->a[i].addr, (unsigned long long)a->a[i].data);
	printf("%s\n", a->n ? (a->overflow ? " ..." : "") : " none");
}

/* --step K: the step in full. */
static void dump_step(const struct kf_step *s, const struct kf_obs *o)
{
	char d[384];

	kf_describe(s, d, sizeof(d));
	printf("step %llu: %s %s\n  %s\n", (unsigned long long)s->k, kf_kind_name(s->kind),
	       kf_target_name(s->target), d);
	printf("  expect: %s, predicted by the %s%s%s\n",
	       s->expect == KF_X_EXTABT ? "ISV=0 exit, then the injected external abort" : "completion",
	       s->via_engine ? "exit engine" : "instruction emulator",
	       s->note[0] ? "; not predicted: " : "", s->note);
	dump_acc("predicted accesses", &s->acc);
	dump_acc("observed accesses ", &o->acc);
	printf("  exits: %u MMIO, %u ISV=0 (esr_iss 0x%llx fault_ipa 0x%llx)%s\n", o->mmio_exits,
	       o->nisv_exits, (unsigned long long)o->nisv_iss, (unsigned long long)o->nisv_ipa,
	       o->injected ? ", external abort injected" : "");
	if (o->exc)
		printf("  exception: ESR_EL1 0x%llx FAR_EL1 0x%llx ELR_EL1 0x%llx vector +0x%llx\n",
		       (unsigned long long)o->esr, (unsigned long long)o->far,
		       (unsigned long long)o->elr, (unsigned long long)o->vec);
	printf("  %-4s %-18s %-18s %-18s\n", "reg", "input", "predicted", "observed");
	for (unsigned x = 0; x <= 31; x++) {
		uint64_t in = x < 31 ? s->in.x[x] : s->in.sp, p = x < 31 ? s->out.x[x] : s->out.sp;
		uint64_t v = x < 31 ? o->rep.x[x] : o->rep.sp;
		char name[8];

		snprintf(name, sizeof(name), x < 31 ? "x%u" : "sp", x);
		printf("  %-4s 0x%016llx 0x%016llx %s%s\n", name, (unsigned long long)in,
		       (unsigned long long)p, o->has_rep ? "" : "(no report)",
		       o->has_rep && p != v ? "differs: " : "");
		if (o->has_rep && p != v)
			printf("       %-18s %-18s 0x%016llx\n", "", "", (unsigned long long)v);
	}
}

static void count(struct fuzz_stats *st, const struct kf_step *s, const struct kf_obs *o)
{
	st->checked++;
	st->mmio += o->mmio_exits;
	st->nisv += o->nisv_exits;
	st->injected += o->injected;
	if (s->kind == KF_HVC || s->kind == KF_SMC)
		st->smccc++;
	else if (s->kind == KF_SYSREG)
		st->sysreg++;
	else if (s->kind == KF_GIC)
		st->gic += 2;
	/* exits to EL2: the userspace ones, plus the in-kernel HVC/SMC, MRS
	 * and the vGIC's two MMIO accesses */
	st->traps += o->mmio_exits + o->nisv_exits + (s->kind == KF_GIC ? 2 : s->kind != KF_LDST);
}

struct fuzz_run {
	uint64_t seed, steps, batch, dump;
	bool has_dump;
	const char *guest;
};

/* The batches; 0, or -1 when the VM failed (case ERROR set). */
static int run_batches(const struct fuzz_run *r, struct kf_vm *f, struct kf_check_ctx *c,
		       struct fuzz_stats *st)
{
	struct kf_step *s = calloc(r->batch, sizeof(*s));
	struct kf_obs *obs = calloc(r->batch, sizeof(*obs));
	struct kf_pred *p = calloc(1, sizeof(*p));
	uint64_t mpidr = 0;
	int rc = 0;

	if (!s || !obs || !p) {
		snprintf(f->err, sizeof(f->err), "out of memory");
		rc = -1;
	} else if (f->caps.gic) {
		kvmb_get_reg(f->v, ARM64_SYS_REG(3, 0, 0, 0, 5), &mpidr);
		if (gicv3_init(&p->gic, f->caps.gic_it_lines, 1, &mpidr) < 0)
			f->caps.gic = false;
	}
	for (uint64_t k = 0; rc == 0 && k < r->steps; k += r->batch) {
		unsigned n = (unsigned)(r->steps - k < r->batch ? r->steps - k : r->batch);
		uint64_t tail;
		bool trusted = true;

		for (unsigned i = 0; i < n; i++)
			kf_gen_step(r->seed, k + i, &f->caps, &s[i]);
		tail = kf_emit_batch(f->code, s, n);
		p->dev = f->dev;
		memcpy(p->ram, f->ram, FZ_WIN_SIZE);
		for (unsigned i = 0; i < n; i++)
			kf_predict(&s[i], p, &f->caps);
		if (!tail || kf_run_batch(f, s, n, tail, obs) < 0) {
			rc = -1;
			break;
		}
		for (unsigned i = 0; i < n; i++) {
			st->steps++;
			if (s[i].note[0])
				st->notes++;
			else if (!trusted)
				st->unchecked++;
			else
				count(st, &s[i], &obs[i]);
			if (trusted)
				trusted = kf_check_step(c, &s[i], &obs[i]);
			if (r->has_dump && s[i].k == r->dump)
				dump_step(&s[i], &obs[i]);
		}
		if (trusted)
			kf_check_ram(c, s, n, p->ram, f->ram);
	}
	free(s);
	free(obs);
	free(p);
	return rc;
}

static void props(struct report *rep, const struct fuzz_stats *st, const struct kf_vm *f,
		  const struct kf_check_ctx *c, double secs)
{
	const struct { const char *key; uint64_t n; } counts[] = {
		{ "steps", st->steps }, { "steps_checked", st->checked }, { "exits_checked", st->traps },
		{ "mmio_exits", st->mmio }, { "nisv_exits", st->nisv },
		{ "aborts_injected", st->injected }, { "smccc_calls", st->smccc },
		{ "sysreg_reads", st->sysreg }, { "gicd_accesses", st->gic },
		{ "kvm_run_exits", f->exits }, { "undefined_on_cpu", c->undef },
		{ "stx_failed_no_abort", c->stx_failed },
	};

	for (size_t i = 0; i < HVX_ARRAY_SIZE(counts); i++)
		report_case_prop(rep, counts[i].key, json_integer((json_int_t)counts[i].n));
	report_case_prop(rep, "exits_per_sec", json_real(secs > 0 ? (double)st->traps / secs : 0));
}

int cmd_kvm_fuzz(int argc, char **argv)
{
	struct fuzz_run r = { .seed = 1, .steps = 1000, .batch = 256, .guest = "guests/fuzz.elf" };
	struct report_out ro = { .cmd = "kvm fuzz" };
	const struct cli_opt opts[] = {
		OPT_U64("--seed", &r.seed, "S", 0, 0, "seed of the generated steps"),
		OPT_U64("--steps", &r.steps, "N", 1, UINT64_C(100000000), "steps to run"),
		{ .name = "--step", .type = CLI_U64, .dst = &r.dump, .metavar = "K",
		  .help = "print step K in full (a finding's reproducer)", .given = &r.has_dump },
		OPT_U64("--batch", &r.batch, "B", 1, KF_MAX_BATCH, "steps per batch (exit to the host between)"),
		OPT_STR("--guest", &r.guest, "ELF", "the fuzz guest (default guests/fuzz.elf)"),
		OPT_REPORT_BASELINE(&ro),
		OPT_REPORT_FINDINGS(&ro),
		OPT_REPORT_FORMATS(&ro, "run"),
	};
	const struct cli_cmd cmd = {
		.name = "kvm fuzz", .synopsis = "--seed S --steps N [options]",
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts),
		.about = "Runs N steps generated from seed S (loads/stores to an emulated device and\n"
			 "to RAM, trapped ID register reads, HVC/SMC) on /dev/kvm and compares each\n"
			 "exit's architectural result with the exit engine's prediction.\n"
			 "Exit 0 no new findings, 1 new findings or a failed run, 2 usage/no KVM.",
	};
	struct kf_vm f;
	struct kf_check_ctx c = { 0 };
	struct fuzz_stats st = { 0 };
	struct report *rep = NULL;
	struct utsname u;
	char name[64], **ops = NULL;
	int nops = 0, status, rc;
	double t0, secs;
	bool go = cli_parse_new(&cmd, argc, argv, &ops, &nops, &status);

	free(ops);
	if (!go)
		return status;
	if (nops)
		return cli_error("kvm fuzz", "unexpected operand (see --help)"), 2;
	if (r.has_dump && r.dump >= r.steps)
		return cli_error("kvm fuzz", "--step %llu is not below --steps %llu",
				 (unsigned long long)r.dump, (unsigned long long)r.steps), 2;
	if (report_out_load(&ro, NULL, 0, "input"))
		return 2;
	if (kf_vm_open(&f, r.guest, r.seed) < 0) {
		cli_error("kvm fuzz", "%s", f.err);
		status = 2;
		goto out;
	}
	rep = report_new("kvm", "hvexit kvm fuzz");
	if (!rep || report_out_attach(&ro, rep))
		goto out;
	if (uname(&u) == 0)
		report_set_kernel(rep, u.release);
	c = (struct kf_check_ctx){ .rep = rep, .seed = r.seed, .steps = r.steps };
	snprintf(name, sizeof(name), "seed %llu", (unsigned long long)r.seed);
	report_case_begin(rep, "hvexit.kvm.fuzz", name);
	t0 = util_now_s();
	rc = run_batches(&r, &f, &c, &st);
	secs = util_now_s() - t0;
	props(rep, &st, &f, &c, secs);
	if (rc < 0)
		report_case_end(rep, REPORT_ERROR, "after %llu steps: %s", (unsigned long long)st.steps, f.err);
	else
		report_case_end(rep, REPORT_PASS, "%llu steps, %llu exits checked",
				(unsigned long long)st.steps, (unsigned long long)st.traps);
	report_out_print(&ro, rep, NULL, 0);
	fprintf(report_out_log(&ro),
		"kvm fuzz: seed %llu: %llu steps (%llu checked, %llu after a divergence, %llu not predicted, "
		"%lu undefined on this CPU, %lu Store-Exclusives failed without abort); %llu exits checked (%llu MMIO, %llu ISV=0 of which %llu aborts "
		"injected, %llu HVC/SMC, %llu ID register reads, %llu vGICv3 GICD accesses%s), %llu KVM_RUN exits in %.2f s: %.0f exits/s\n",
		(unsigned long long)r.seed, (unsigned long long)st.steps, (unsigned long long)st.checked,
		(unsigned long long)st.unchecked, (unsigned long long)st.notes, c.undef, c.stx_failed,
		(unsigned long long)st.traps, (unsigned long long)st.mmio, (unsigned long long)st.nisv,
		(unsigned long long)st.injected, (unsigned long long)st.smccc,
		(unsigned long long)st.sysreg, (unsigned long long)st.gic,
		f.caps.gic ? "" : ": no in-kernel vGICv3", (unsigned long long)f.exits, secs,
		secs > 0 ? (double)st.traps / secs : 0.0);
	status = report_out_finish(&ro, rep, report_out_log(&ro),
				   rc < 0 ? 1 : report_exit_status(rep));
out:
	report_out_free(&ro);
	report_free(rep);
	kf_vm_close(&f);
	return status;
}
