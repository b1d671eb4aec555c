/*
 * hvexit kvm: run guests on the real arm64 KVM (this file is built only
 * for aarch64 Linux; on other hosts the weak cmd_kvm reference stays NULL
 * and main.c reports the command as not in this build).
 *
 *   hvexit kvm run GUEST.elf [--vcpus N] [--mem MAP] [--trace OUT]
 *                  [--ftrace RAW] [--timeout S] [--json] [--secondaries-off]
 *                  [--baseline FILE]
 *   hvexit kvm suite ...  (kvm_suite.c)
 *
 * Exit status: 0 the guest(s) passed (or were skipped), 1 a guest failed
 * or produced findings, 2 usage, unreadable/bad guest, or no usable KVM.
 */
#include <libgen.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "harness/cli/cli.h"
#include "harness/cli/report_out.h"
#include "harness/kvm/kvm_cmd.h"
#include "harness/kvm/kvm_fuzz.h"
#include "harness/trace/trace_engine.h"
#include "harness/trace/trace_vm.h"
#include "hvexit/trace.h"
#include "harness/util/clock.h"

/* The guests/ suite and what each must end with. */
static const struct guest_spec suite[] = {
	{ "hello", 2, false, KVMB_END_SHUTDOWN, "C0!\n", "C1!\n", 0, 0 },
	{ "mmio-sweep", 1, false, KVMB_END_SHUTDOWN, NULL, NULL, 0, 0 },
	{ "nisv", 1, false, KVMB_END_SHUTDOWN, NULL, NULL, 0, 0 },
	{ "psci", 2, true, KVMB_END_RESET, NULL, NULL, 0, 0 },
	{ "hvc", 1, false, KVMB_END_SHUTDOWN, NULL, NULL, 0, 0 },
	{ "sysreg", 1, false, KVMB_END_SHUTDOWN, NULL, NULL, 0, 0 },
	{ "spin", 1, false, KVMB_END_TIMEOUT, NULL, NULL, 1, 0 },
	{ "gic", 1, false, KVMB_END_SHUTDOWN, NULL, NULL, 0, 2 },
	{ "wfi", 1, false, KVMB_END_SHUTDOWN, NULL, NULL, 0, 3 },
	{ "gicv3", 2, false, KVMB_END_SHUTDOWN, NULL, NULL, 0, 3 },
};

const struct guest_spec *kvm_suite_guest(size_t i)
{
	return i < HVX_ARRAY_SIZE(suite) ? &suite[i] : NULL;
}

static const struct guest_spec *find_spec(const char *path)
{
	char buf[256], *base, *dot;

	snprintf(buf, sizeof(buf), "%s", path);
	base = basename(buf);
	dot = strstr(base, ".elf");
	if (dot)
		*dot = '\0';
	for (size_t i = 0; i < HVX_ARRAY_SIZE(suite); i++)
		if (!strcmp(base, suite[i].name))
			return &suite[i];
	return NULL;
}

static const char *region_flags(enum kvmb_region_kind k)
{
	return k == KVMB_RAM ? "rwx" : k == KVMB_ROMEM ? "rx" : "device";
}

/* The model of the exit engine's device that serves MMIO at gpa, or NULL. */
static const char *served_by(const struct kvmb_vm *vm, uint64_t gpa)
{
	const struct emu_bus_dev *b = vm->emu ? emu_bus_find(&vm->emu->vm.bus, gpa, 1) : NULL;

	return b ? trace_vm_model_of(b->ops) : NULL;
}

/* The memory map replay builds its VM from: the guest's regions (an MMIO
 * region with the model of the device that serves it), then the
 * engine's devices no region covers (the GICv2 distributor model when no
 * in-kernel vGIC claims its window). */
static json_t *trace_header(const struct kvmb_vm *vm, const char *guest)
{
	json_t *h = trace_header_new("kvm", vm->opt.vcpus), *mem = json_array();
	const char *model;

	for (unsigned i = 0; i < vm->map.n; i++) {
		const struct kvmb_region *r = &vm->map.r[i];
		json_t *o = json_pack("{s:s,s:o,s:o,s:s}", "name", r->name, "ipa", trace_hex(r->gpa),
				      "size", trace_hex(r->size), "flags", region_flags(r->kind));

		if (r->kind == KVMB_MMIO && (model = served_by(vm, r->gpa)))
			json_object_set_new(o, "model", json_string(model));
		json_array_append_new(mem, o);
	}
	for (size_t i = 0; vm->emu && !vm->opt.vgic && i < vm->emu->vm.bus.n; i++) {
		const struct emu_bus_dev *b = &vm->emu->vm.bus.dev[i];
		bool covered = false;

		for (unsigned k = 0; k < vm->map.n; k++)
			covered |= b->base >= vm->map.r[k].gpa &&
				   b->base - vm->map.r[k].gpa < vm->map.r[k].size;
		if (!covered && (model = trace_vm_model_of(b->ops)))
			json_array_append_new(mem, json_pack("{s:s,s:o,s:o,s:s,s:s}", "name",
				b->ops->name, "ipa", trace_hex(b->base), "size", trace_hex(b->len),
				"flags", "device", "model", model));
	}
	json_object_set_new(h, "memory", mem);
	json_object_set_new(h, "guest", json_string(guest));
	return h;
}

/* What KVM reported about the exit (docs/trace-format.md, "kvm"): the
 * paired kvm_exit EC and kvm_guest_fault, and the kvm_run exit itself. */
static json_t *kvm_object(const struct kvmb_exit_rec *r)
{
	json_t *k = json_object();

	if (r->has_kvm_ec)
		json_object_set_new(k, "ec", trace_hex(r->kvm_ec));
	if (r->paired)
		json_object_set_new(k, "fault", json_pack("{s:o,s:o,s:o,s:o}",
				    "ipa", trace_hex(r->fault_ipa), "hsr", trace_hex(r->esr),
				    "hxfar", trace_hex(r->far), "pc", trace_hex(r->fault_pc)));
	if (r->reason == KVM_EXIT_MMIO) {
		json_object_set_new(k, "userspace_exit", json_pack("{s:s,s:i}", "reason",
				    "KVM_EXIT_MMIO", "code", KVM_EXIT_MMIO));
		json_object_set_new(k, "mmio", json_pack("[{s:s,s:i,s:o,s:o}]",
				    "op", r->is_write ? "write" : "unsatisfied-read", "len", (int)r->len,
				    "gpa", trace_hex(r->addr), "val", trace_hex(r->is_write ? r->data : 0)));
	} else {
		json_object_set_new(k, "userspace_exit", json_pack("{s:s,s:i}", "reason",
				    "KVM_EXIT_ARM_NISV", "code", KVM_EXIT_ARM_NISV));
		json_object_set_new(k, "nisv_esr_iss", trace_hex(r->nisv_iss));
	}
	return k;
}

/* One exit record -> trace event. The ESR_EL2 is known only when a
 * kvm_guest_fault was paired; otherwise the event carries EC 0x24 (a
 * Stage-2 data abort from a lower EL: the only source of MMIO/NISV exits). */
static void rec_event(const struct kvmb_exit_rec *r, uint64_t seq, struct trace_event *ev)
{
	struct trace_exit *e = &ev->exit;

	memset(ev, 0, sizeof(*ev));
	ev->seq = seq;
	ev->vcpu = r->vcpu;
	if (r->paired) {
		e->esr = r->esr;
		e->has_esr = true;
		e->far = r->far;
		e->has_far = true;
	}
	e->ec = r->paired ? (unsigned)((r->esr >> 26) & 0x3f) : 0x24;
	e->hpfar = (r->addr >> 12) << 4;	/* FIPA = IPA[51:12] at [43:4] */
	e->has_hpfar = true;
	e->pc = r->pc;
	e->has_pc = true;
	if (r->has_insn) {
		e->insn = r->insn;
		e->has_insn = true;
	}
	if (r->has_regs) {
		memcpy(e->regs, r->regs, sizeof(e->regs));
		e->regs_mask = 0x7fffffffu;
	} else if (r->paired && r->is_write && ((r->esr >> 24) & 1)) {
		unsigned srt = (unsigned)(r->esr >> 16) & 31;	/* D24.2.46 ISS.SRT */

		if (srt != 31) {	/* the store's source holds the data KVM passed */
			e->regs[srt] = r->data;
			e->regs_mask = 1u << srt;
		}
	}
	ev->n_mmio = r->nrdata;
	memcpy(ev->mmio_data, r->rdata, r->nrdata * sizeof(r->rdata[0]));
}

/*
 * The exit trace of a run (docs/trace-format.md, source "kvm"): one event
 * per MMIO/NISV exit with the exit engine's outcome for it (so `hvexit
 * replay` re-checks the engine and KVM's events on any host).
 */
static int write_trace(const struct kvmb_vm *vm, const char *guest, const char *path)
{
	struct trace_writer *w;
	struct trace_engine *eng;
	json_t *h = trace_header(vm, guest);
	char err[200];
	int rc;

	rc = trace_writer_open(path, h, &w, err, sizeof(err));
	if (rc < 0) {
		json_decref(h);
		fprintf(stderr, "kvm: %s\n", err);
		return rc;
	}
	eng = trace_engine_new(h, err, sizeof(err));
	json_decref(h);
	for (size_t i = 0; i < vm->nrec && rc >= 0; i++) {
		struct trace_event ev;

		rec_event(&vm->rec[i], i, &ev);
		ev.kvm = kvm_object(&vm->rec[i]);
		if (eng && ev.exit.has_esr)
			ev.outcome = trace_engine_run(eng, NULL, &ev, err, sizeof(err));
		rc = trace_write_event(w, &ev);
		json_decref(ev.kvm);
		json_decref(ev.outcome);
	}
	if (eng)
		trace_engine_free(eng);
	if (rc < 0)
		trace_writer_abort(w);	/* no partial trace at PATH */
	else if (trace_writer_close(w) < 0)
		rc = -EIO;
	return rc < 0 ? rc : 0;
}

struct result {
	const char *status;
	long paired;
	double secs;
	const bool *known;	/* per finding: the baseline knows it */
};

/* One JSON line per guest for the console protocol (ci/kvm-report.py);
 * text through report_json_text (invalid UTF-8 becomes U+FFFD). */
static void print_json(FILE *f, const char *name, const struct kvmb_vm *vm, const struct result *res)
{
	char ubuf[KVMB_UART_BUF];
	json_t *o, *fa = json_array();

	for (unsigned i = 0; i < vm->nfind; i++)
		json_array_append_new(fa, json_pack("{s:o,s:o,s:o,s:b}",
			"what", report_json_text(vm->find[i].what),
			"cluster", report_json_text(vm->find[i].cluster),
			"detail", report_json_text(vm->find[i].detail), "known", res->known[i]));
	o = json_pack("{s:o,s:s,s:s,s:o,s:I,s:I,s:I,s:I,s:I,s:f}",
		"guest", report_json_text(name), "status", res->status,
		"end", kvmb_end_name(vm->end), "end_detail", report_json_text(vm->end_detail),
		"exits", (json_int_t)vm->total_exits, "checks", (json_int_t)vm->td.checks,
		"loads_checked", (json_int_t)vm->td.loads_checked,
		"stores_checked", (json_int_t)vm->td.stores_checked,
		"trace_paired", (json_int_t)res->paired, "seconds", res->secs);
	json_object_set_new(o, "xcheck", json_pack("{s:I,s:I,s:I,s:I,s:I}",
		"consistent", (json_int_t)vm->xcheck[0], "isv0", (json_int_t)vm->xcheck[1],
		"mismatch", (json_int_t)vm->xcheck[2], "unknown_insn", (json_int_t)vm->xcheck[3],
		"unchecked", (json_int_t)vm->xcheck_nopc));
	json_object_set_new(o, "uart0", report_json_text(kvmb_uart_text(vm, 0, ubuf, sizeof(ubuf))));
	json_object_set_new(o, "uart1", report_json_text(kvmb_uart_text(vm, 1, ubuf, sizeof(ubuf))));
	json_object_set_new(o, "reason", report_json_text(vm->skip ? vm->skip_reason : vm->err));
	json_object_set_new(o, "findings", fa);
	json_object_set_new(o, "findings_dropped", json_integer(vm->nfind_dropped));
	json_dumpf(o, f, JSON_COMPACT);
	fputc('\n', f);
	json_decref(o);
	fflush(f);
}

static void print_text(FILE *f, const char *name, const struct kvmb_vm *vm, const struct result *res)
{
	fprintf(f, "%-12s %-5s end=%s exits=%llu checks=%llu loads=%llu stores=%llu esr-paired=%ld %.2fs\n",
		name, res->status, kvmb_end_name(vm->end), (unsigned long long)vm->total_exits,
		(unsigned long long)vm->td.checks, (unsigned long long)vm->td.loads_checked,
		(unsigned long long)vm->td.stores_checked, res->paired, res->secs);
	if (res->paired > 0)
		fprintf(f, "  xcheck (ISS vs instruction): %llu consistent, %llu isv0, %llu mismatch, %llu unknown insn, %llu unchecked\n",
			(unsigned long long)vm->xcheck[0], (unsigned long long)vm->xcheck[1],
			(unsigned long long)vm->xcheck[2], (unsigned long long)vm->xcheck[3],
			(unsigned long long)vm->xcheck_nopc);
	if (vm->end_detail[0])
		fprintf(f, "  end: %s\n", vm->end_detail);
	if (vm->skip)
		fprintf(f, "  skipped: %s\n", vm->skip_reason);
	else if (vm->err[0])
		fprintf(f, "  error: %s\n", vm->err);
	for (unsigned i = 0; i < vm->nfind; i++)
		fprintf(f, "  finding%s %s: %s\n", res->known[i] ? " (known)" : "",
			vm->find[i].what, vm->find[i].detail);
	if (vm->nfind_dropped)
		fprintf(f, "  (%u more findings not kept)\n", vm->nfind_dropped);
}

/* A guest's finding in the report model (docs/findings.md): source kvm,
 * kind guest, field = the category, cluster = its cause when known. */
static void to_finding(const struct kvmb_finding *k, const char *name, const char *path,
		       struct finding *f)
{
	memset(f, 0, sizeof(*f));
	finding_set(f, source, "kvm");
	finding_set(f, kind, "guest");
	finding_set(f, field, "%s", k->what);
	finding_set(f, cluster, "%s", k->cluster);
	if (k->has_values) {
		finding_set(f, expected, "0x%llx", (unsigned long long)k->expected);
		finding_set(f, observed, "0x%llx", (unsigned long long)k->observed);
	}
	if (!strcmp(k->what, "load-result"))
		finding_set(f, rule, "Arm ARM C6.2 (LDR*, LDRS*, LDAR*): the loaded bytes, "
			    "zero- or sign-extended to the register width");
	else if (!strcmp(k->what, "guest-check"))
		finding_set(f, rule, "the expected value and its section are cited at the "
			    "check in guests/%s.c", name);
	finding_set(f, where, "guest %s", name);
	finding_set(f, context, "%s", k->detail);
	finding_set(f, reproduce, "hvexit kvm run %s", path);
}

/* The run as a report case: its findings (known[i] from the baseline)
 * and the status the report gives it. */
static enum report_status report_guest(struct report *rep, const char *path, const char *name,
				       const struct kvmb_vm *vm, enum report_status st,
				       const char *note, bool *known)
{
	size_t idx = report_case_begin(rep, "kvm.guest", name);
	struct finding f;

	for (unsigned i = 0; i < vm->nfind; i++) {
		to_finding(&vm->find[i], name, path, &f);
		known[i] = report_add(rep, &f) == 0;
	}
	if (vm->nfind_dropped) {
		struct kvmb_finding k = { .what = "findings-dropped" };

		snprintf(k.detail, sizeof(k.detail), "%u more findings were not kept",
			 vm->nfind_dropped);
		to_finding(&k, name, path, &f);
		report_add(rep, &f);
	}
	report_case_prop(rep, "exits", json_integer((json_int_t)vm->total_exits));
	report_case_prop(rep, "checks", json_integer((json_int_t)vm->td.checks));
	report_case_end(rep, st, "%s", note);
	return rep->cases[idx].status;
}

int kvm_run_guest(const char *path, const char *name, struct kvmb_opts *opt,
		  const struct kvmb_map *map_arg, const char *ftrace_out,
		  const struct guest_spec *spec, struct report *rep, enum kvm_out out)
{
	static struct kvmb_vm vm;	/* large; one run at a time */
	static bool known[KVMB_MAX_FINDINGS];
	struct kvmb_map map;
	struct result res = { .paired = -1, .known = known };
	enum report_status st = REPORT_PASS;
	char terr[160] = "", note[200] = "";
	bool tracing = false;
	int rc, ret;
	double t0 = util_now_s();

	memset(known, 0, sizeof(known));
	if (map_arg)
		map = *map_arg;
	else
		kvmb_map_default(&map, opt->vcpus);
	rc = kvmb_vm_create(&vm, opt, &map);
	if (rc == 0)
		rc = kvmb_load_elf(&vm, path);
	if (rc == 0)
		rc = kvmb_vcpus_init(&vm);
	if (rc == 0)
		rc = kvmb_vgic_init(&vm);
	if (rc < 0) {
		/* -ENOTSUP: no usable KVM or a missing capability; anything
		 * else (bad guest image, bad map) is an error of the input */
		if (rc == -ENOTSUP) {
			vm.skip = true;
			snprintf(vm.skip_reason, sizeof(vm.skip_reason), "%.150s", vm.err);
			st = REPORT_SKIP;
		} else {
			st = REPORT_ERROR;
		}
		snprintf(note, sizeof(note), "%.190s", vm.err);
		goto report;
	}
	if (ftrace_out) {
		tracing = kvmb_trace_start(terr, sizeof(terr)) == 0;
		if (!tracing && !opt->quiet)
			fprintf(stderr, "kvm: no ESR_EL2 cross-check: %s\n", terr);
	}
	kvmb_run(&vm);
	if (tracing)
		res.paired = kvmb_trace_stop(ftrace_out, &vm);
	if (opt->trace_out && write_trace(&vm, name, opt->trace_out) < 0)
		fprintf(stderr, "kvm: cannot write trace '%s'\n", opt->trace_out);

	if (spec) {
		char ubuf[KVMB_UART_BUF];

		if (spec->uart0 && strcmp(kvmb_uart_text(&vm, 0, ubuf, sizeof(ubuf)), spec->uart0))
			kvmb_finding(&vm, "uart0", "UART0 received a different text than the guest printed");
		if (spec->uart1 && strcmp(kvmb_uart_text(&vm, 1, ubuf, sizeof(ubuf)), spec->uart1))
			kvmb_finding(&vm, "uart1", "UART1 received a different text than the guest printed");
	}
	if (vm.skip) {
		st = REPORT_SKIP;
		snprintf(note, sizeof(note), "%.150s", vm.skip_reason);
	} else if (!(vm.end == opt->want_end && (vm.td.done || opt->want_end == KVMB_END_TIMEOUT))) {
		if (!vm.td.done && vm.end != KVMB_END_TIMEOUT && vm.end != KVMB_END_ERROR)
			kvmb_finding(&vm, "incomplete", "guest ended (%s) before reporting done",
				     kvmb_end_name(vm.end));
		else if (vm.td.done && vm.end != opt->want_end)
			kvmb_finding(&vm, "end", "guest ended with %s, expected %s",
				     kvmb_end_name(vm.end), kvmb_end_name(opt->want_end));
		else
			kvmb_finding(&vm, "end", "guest ended with %s (%s), expected %s",
				     kvmb_end_name(vm.end), vm.err[0] ? vm.err : "no detail",
				     kvmb_end_name(opt->want_end));
	}
	if (!note[0])
		snprintf(note, sizeof(note), "end %s, %llu exits, %llu checks", kvmb_end_name(vm.end),
			 (unsigned long long)vm.total_exits, (unsigned long long)vm.td.checks);
report:
	st = report_guest(rep, path, name, &vm, st, note, known);
	res.status = report_status_name(st);
	res.secs = util_now_s() - t0;
	if (opt->progress_line && out != KVM_OUT_NONE)
		fputs("\r\033[K", stderr);
	if (out == KVM_OUT_JSON)
		print_json(stdout, name, &vm, &res);
	else if (out == KVM_OUT_TEXT)
		print_text(stdout, name, &vm, &res);
	ret = st == REPORT_FAIL ? 1 : st == REPORT_ERROR ? 2 :
	      st == REPORT_SKIP && rc < 0 ? 3 : 0;
	kvmb_vm_destroy(&vm);
	return ret;
}

int kvm_usage(void)
{
	fprintf(stderr,
		"usage: hvexit kvm run GUEST.elf [--vcpus N] [--mem MAP] [--trace OUT.jsonl]\n"
		"                      [--ftrace RAW.txt] [--timeout S] [--json] [--secondaries-off]\n"
		"                      [--baseline FILE]   (hvexit kvm run --help)\n"
		"       hvexit kvm suite [DIR] [options]   (hvexit kvm suite --help)\n"
		"       hvexit kvm fuzz --seed S --steps N [--step K] [...] (hvexit kvm fuzz --help)\n"
		"FILE: a baseline of known findings (docs/findings.md; corpus/baselines/kvm.json)\n"
		"MAP: NAME:GPA:SIZE:KIND,... with KIND ram, romem or mmio\n");
	return 2;
}

int kvm_cmd_run(int argc, char **argv)
{
	struct kvmb_opts opt = { .vcpus = 0, .timeout_s = 10, .want_end = KVMB_END_SHUTDOWN };
	struct kvmb_map map;
	const struct guest_spec *spec;
	const char *path, *mapspec = NULL, *ftrace = NULL;
	struct report_out ro = { .cmd = "kvm run" };
	struct report *rep;
	struct utsname u;
	char name[64], *ops[1];
	bool off = false, vcpus_given = false, timeout_given = false;
	uint64_t vcpus = 1, timeout = 10;
	int rc, nops;
	const struct cli_opt opts[] = {
		{ .name = "--vcpus", .type = CLI_U64, .dst = &vcpus, .metavar = "N", .min = 1,
		  .max = KVMB_MAX_VCPUS, .help = "vCPUs (default: the suite guest's, else 1)",
		  .given = &vcpus_given },
		OPT_STR("--mem", &mapspec, "MAP", "NAME:GPA:SIZE:KIND,... with KIND ram, romem or mmio"),
		OPT_STR("--trace", &opt.trace_out, "OUT.jsonl", "write the exit trace here"),
		OPT_STR("--ftrace", &ftrace, "RAW.txt", "write the kvm ftrace text here"),
		{ .name = "--timeout", .type = CLI_U64, .dst = &timeout, .metavar = "S", .min = 1,
		  .max = 3600, .help = "seconds (default 10, or the suite guest's)",
		  .given = &timeout_given },
		OPT_FLAG("--json", &opt.json, "the result as a JSON line"),
		OPT_FLAG("--secondaries-off", &off, "secondary vCPUs start powered off (PSCI CPU_ON)"),
		OPT_REPORT_BASELINE(&ro),
	};
	const struct cli_cmd cmd = {
		.name = "kvm run", .synopsis = "GUEST.elf [options]",
		.about = "Runs one guest on /dev/kvm and checks its exits against the Arm architecture.",
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts), .min_operands = 1, .max_operands = 1,
	};

	rc = cli_parse(&cmd, argc, argv, ops, &nops);
	if (rc)
		return rc == 1 ? 0 : 2;
	path = ops[0];
	opt.vcpus = (unsigned)vcpus;
	opt.timeout_s = (unsigned)timeout;
	spec = find_spec(path);
	if (!vcpus_given)
		opt.vcpus = spec ? spec->vcpus : 1;
	opt.secondaries_off = off || (spec && spec->secondaries_off);
	if (spec) {
		opt.want_end = spec->want_end;
		opt.vgic = spec->vgic;
		if (spec->timeout_s && !timeout_given)
			opt.timeout_s = spec->timeout_s;
	}
	if (mapspec && kvmb_map_parse(&map, mapspec) < 0)
		return fprintf(stderr, "kvm: bad --mem map '%s'\n", mapspec), 2;
	if (report_out_load(&ro, NULL, 0, "input"))
		return 2;
	rep = report_new("kvm", "hvexit kvm run");
	if (!rep) {
		report_out_free(&ro);
		return 2;
	}
	report_out_attach(&ro, rep);
	if (uname(&u) == 0)
		report_set_kernel(rep, u.release);
	snprintf(name, sizeof(name), "%s", spec ? spec->name : "guest");
	rc = kvm_run_guest(path, name, &opt, mapspec ? &map : NULL, ftrace, spec, rep,
			   opt.json ? KVM_OUT_JSON : KVM_OUT_TEXT);
	report_out_free(&ro);
	report_free(rep);
	return rc == 3 ? 2 : rc;
}
