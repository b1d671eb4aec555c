/*
 * hvexit kvm: run guests on the real arm64 KVM (this file is built only
 * for aarch64 Linux; on other hosts the weak cmd_kvm reference stays NULL
 * and main.c reports the command as not in this build).
 *
 *   hvexit kvm run GUEST.elf [--vcpus N] [--mem MAP] [--trace OUT]
 *                  [--ftrace RAW] [--timeout S] [--json] [--secondaries-off]
 *   hvexit kvm suite [DIR] [--out DIR] [--timeout S] [--baseline FILE]
 *
 * Exit status: 0 the guest(s) passed (or were skipped), 1 a guest failed
 * or produced findings, 2 usage, unreadable/bad guest, or no usable KVM.
 */
#include <libgen.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/cli/cmds.h"
#include "harness/kvm/kvm_fuzz.h"
#include "harness/kvm/kvmb.h"
#include "harness/util/infile.h"
#include "harness/trace/trace_engine.h"
#include "harness/trace/trace_vm.h"
#include "hvexit/trace.h"

struct guest_spec {
	const char *name;
	unsigned vcpus;
	bool secondaries_off;
	enum kvmb_end want_end;
	const char *uart0, *uart1;	/* expected console output, or NULL */
	unsigned timeout_s;		/* 0: the suite's --timeout */
	unsigned vgic;			/* 2/3: needs the in-kernel vGICv2/v3 */
};

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
};

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

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
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
		unsigned srt = (unsigned)(r->esr >> 16) & 31;	/* D24.2.40 ISS.SRT */

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

/* --baseline FILE: lines "GUEST WHAT [detail substring]", '#' comments
 * (the format of corpus/kvm-baseline.txt). */
#define MAX_RULES 64
static struct rule {
	char guest[32], what[48], sub[128];
} rules[MAX_RULES];
static unsigned nrules;

static int load_baseline(const char *path)
{
	char why[512];
	FILE *f = infile_check(path, why, sizeof(why)) == 0 ? fopen(path, "r") : NULL;
	char line[512];

	if (!f)
		return fprintf(stderr, "kvm: cannot read baseline '%s'\n", path), -ENOENT;
	nrules = 0;
	while (fgets(line, sizeof(line), f) && nrules < MAX_RULES) {
		struct rule *r = &rules[nrules];
		char *hash = strchr(line, '#'), *nl;
		int n = 0;

		if (hash)
			*hash = '\0';
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		memset(r, 0, sizeof(*r));
		if (sscanf(line, " %31s %47s %n", r->guest, r->what, &n) < 2)
			continue;
		snprintf(r->sub, sizeof(r->sub), "%s", line + n);
		for (size_t l = strlen(r->sub); l && (r->sub[l - 1] == ' ' || r->sub[l - 1] == '\t'); l--)
			r->sub[l - 1] = '\0';
		nrules++;
	}
	fclose(f);
	return 0;
}

static bool is_known(const char *guest, const struct kvmb_finding *f)
{
	for (unsigned i = 0; i < nrules; i++)
		if ((!strcmp(rules[i].guest, guest) || !strcmp(rules[i].guest, "*")) &&
		    !strcmp(rules[i].what, f->what) && strstr(f->detail, rules[i].sub))
			return true;
	return false;
}

struct result {
	const char *status;
	long paired;
	double secs;
};

static void print_json(FILE *f, const char *name, const struct kvmb_vm *vm, const struct result *res)
{
	char ubuf[KVMB_UART_BUF];

	fprintf(f, "{\"guest\":");
	json_str(f, name);
	fprintf(f, ",\"status\":\"%s\",\"end\":\"%s\",\"end_detail\":", res->status,
		kvmb_end_name(vm->end));
	json_str(f, vm->end_detail);
	fprintf(f, ",\"exits\":%llu,\"checks\":%llu,\"loads_checked\":%llu,\"stores_checked\":%llu,"
		"\"trace_paired\":%ld,\"seconds\":%.3f,",
		(unsigned long long)vm->total_exits, (unsigned long long)vm->td.checks,
		(unsigned long long)vm->td.loads_checked, (unsigned long long)vm->td.stores_checked,
		res->paired, res->secs);
	fprintf(f, "\"xcheck\":{\"consistent\":%llu,\"isv0\":%llu,\"mismatch\":%llu,"
		"\"unknown_insn\":%llu,\"unchecked\":%llu},\"uart0\":",
		(unsigned long long)vm->xcheck[0], (unsigned long long)vm->xcheck[1],
		(unsigned long long)vm->xcheck[2], (unsigned long long)vm->xcheck[3],
		(unsigned long long)vm->xcheck_nopc);
	json_str(f, kvmb_uart_text(vm, 0, ubuf, sizeof(ubuf)));
	fprintf(f, ",\"uart1\":");
	json_str(f, kvmb_uart_text(vm, 1, ubuf, sizeof(ubuf)));
	fprintf(f, ",\"reason\":");
	json_str(f, vm->skip ? vm->skip_reason : vm->err);
	fprintf(f, ",\"findings\":[");
	for (unsigned i = 0; i < vm->nfind; i++) {
		fprintf(f, "%s{\"what\":", i ? "," : "");
		json_str(f, vm->find[i].what);
		fprintf(f, ",\"detail\":");
		json_str(f, vm->find[i].detail);
		fprintf(f, ",\"known\":%s}", is_known(name, &vm->find[i]) ? "true" : "false");
	}
	fprintf(f, "],\"findings_dropped\":%u}\n", vm->nfind_dropped);
	fflush(f);
}

static void print_text(FILE *f, const char *name, const struct kvmb_vm *vm, const struct result *res)
{
	fprintf(f, "%-12s %-4s end=%s exits=%llu checks=%llu loads=%llu stores=%llu esr-paired=%ld %.2fs\n",
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
		fprintf(f, "  finding%s %s: %s\n", is_known(name, &vm->find[i]) ? " (known)" : "",
			vm->find[i].what, vm->find[i].detail);
	if (vm->nfind_dropped)
		fprintf(f, "  (%u more findings not kept)\n", vm->nfind_dropped);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Returns 0 pass/known/skipped at run time, 1 fail, 2 bad input (ELF,
 * map), 3 no usable KVM or a missing capability (the guest is SKIPped). */
static int run_one(const char *path, const char *name, struct kvmb_opts *opt,
		   const struct kvmb_map *map_arg, const char *ftrace_out,
		   const struct guest_spec *spec)
{
	static struct kvmb_vm vm;	/* large; one run at a time */
	struct kvmb_map map;
	struct result res = { .status = "FAIL", .paired = -1 };
	char terr[160] = "";
	bool tracing = false;
	int rc, ret = 1;
	double t0 = now_s();

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
		res.status = rc == -ENOTSUP ? "SKIP" : "FAIL";
		if (!strcmp(res.status, "SKIP")) {
			vm.skip = true;
			snprintf(vm.skip_reason, sizeof(vm.skip_reason), "%.150s", vm.err);
		}
		ret = vm.skip ? 3 : 2;
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
		res.status = "SKIP";
		ret = 0;
	} else if (vm.end == opt->want_end && !vm.nfind_dropped &&
		   (vm.td.done || opt->want_end == KVMB_END_TIMEOUT)) {
		unsigned unknown = 0;

		for (unsigned i = 0; i < vm.nfind; i++)
			unknown += !is_known(name, &vm.find[i]);
		res.status = !vm.nfind ? "PASS" : unknown ? "FAIL" : "KNOWN";
		ret = unknown ? 1 : 0;
	} else {
		if (!vm.td.done && vm.end != KVMB_END_TIMEOUT && vm.end != KVMB_END_ERROR)
			kvmb_finding(&vm, "incomplete", "guest ended (%s) before reporting done",
				     kvmb_end_name(vm.end));
		else if (vm.td.done && vm.end != opt->want_end)
			kvmb_finding(&vm, "end", "guest ended with %s, expected %s",
				     kvmb_end_name(vm.end), kvmb_end_name(opt->want_end));
	}
report:
	res.secs = now_s() - t0;
	if (opt->json)
		print_json(stdout, name, &vm, &res);
	else
		print_text(stdout, name, &vm, &res);
	kvmb_vm_destroy(&vm);
	return ret;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: hvexit kvm run GUEST.elf [--vcpus N] [--mem MAP] [--trace OUT.jsonl]\n"
		"                      [--ftrace RAW.txt] [--timeout S] [--json] [--secondaries-off]\n"
		"                      [--baseline FILE]\n"
		"       hvexit kvm suite [DIR] [--out DIR] [--timeout S] [--json] [--baseline FILE]\n"
		"       hvexit kvm fuzz --seed S --steps N [--step K] [...] (hvexit kvm fuzz --help)\n"
		"FILE: lines 'GUEST WHAT [detail substring]'; matching findings are known and\n"
		"do not fail the run\n"
		"MAP: NAME:GPA:SIZE:KIND,... with KIND ram, romem or mmio\n");
	return 2;
}

static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v < lo || v > hi)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct kvmb_opts opt = { .vcpus = 0, .timeout_s = 10, .want_end = KVMB_END_SHUTDOWN };
	struct kvmb_map map;
	const struct guest_spec *spec;
	const char *path = NULL, *mapspec = NULL, *ftrace = NULL;
	char name[64];
	bool off = false, timeout_given = false;
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--vcpus") && v) {
			if (parse_uint(v, 1, KVMB_MAX_VCPUS, &opt.vcpus))
				return fprintf(stderr, "kvm: bad --vcpus '%s'\n", v), 2;
			i++;
		} else if (!strcmp(a, "--timeout") && v) {
			if (parse_uint(v, 1, 3600, &opt.timeout_s))
				return fprintf(stderr, "kvm: bad --timeout '%s'\n", v), 2;
			timeout_given = true;
			i++;
		} else if (!strcmp(a, "--mem") && v) {
			mapspec = v;
			i++;
		} else if (!strcmp(a, "--trace") && v) {
			opt.trace_out = v;
			i++;
		} else if (!strcmp(a, "--ftrace") && v) {
			ftrace = v;
			i++;
		} else if (!strcmp(a, "--baseline") && v) {
			if (load_baseline(v) < 0)
				return 2;
			i++;
		} else if (!strcmp(a, "--json")) {
			opt.json = true;
		} else if (!strcmp(a, "--secondaries-off")) {
			off = true;
		} else if (a[0] == '-' || path) {
			return usage();
		} else {
			path = a;
		}
	}
	if (!path)
		return usage();
	spec = find_spec(path);
	if (!opt.vcpus)
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
	snprintf(name, sizeof(name), "%s", spec ? spec->name : "guest");
	rc = run_one(path, name, &opt, mapspec ? &map : NULL, ftrace, spec);
	return rc == 3 ? 2 : rc;
}

static int cmd_suite(int argc, char **argv)
{
	const char *dir = "guests", *out = NULL;
	unsigned timeout = 10;
	bool json = false;
	int worst = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--baseline") && i + 1 < argc) {
			if (load_baseline(argv[++i]) < 0)
				return 2;
		}
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			if (parse_uint(argv[++i], 1, 3600, &timeout))
				return fprintf(stderr, "kvm: bad --timeout '%s'\n", argv[i]), 2;
		} else if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] == '-')
			return usage();
		else
			dir = argv[i];
	}
	if (access("/dev/kvm", R_OK | W_OK) != 0) {
		printf(json ? "{\"guest\":\"*\",\"status\":\"SKIP\",\"reason\":\"no usable /dev/kvm: %s\",\"findings\":[]}\n"
			    : "kvm suite: SKIP: no usable /dev/kvm: %s\n", strerror(errno));
		return 0;
	}
	if (out)
		mkdir(out, 0755);
	for (size_t i = 0; i < HVX_ARRAY_SIZE(suite); i++) {
		const struct guest_spec *s = &suite[i];
		struct kvmb_opts opt = { .vcpus = s->vcpus,
			.timeout_s = s->timeout_s ? s->timeout_s : timeout,
			.secondaries_off = s->secondaries_off, .want_end = s->want_end,
			.vgic = s->vgic,
			.json = json };
		char path[512], tr[512], ft[512];
		int rc;

		snprintf(path, sizeof(path), "%s/%s.elf", dir, s->name);
		if (access(path, R_OK) != 0) {
			printf(json ? "{\"guest\":\"%s\",\"status\":\"SKIP\",\"reason\":\"%s not found\",\"findings\":[]}\n"
				    : "%-12s SKIP  (%s not found)\n", s->name, path);
			continue;
		}
		if (out) {
			snprintf(tr, sizeof(tr), "%s/%s.jsonl", out, s->name);
			snprintf(ft, sizeof(ft), "%s/%s.ftrace", out, s->name);
			opt.trace_out = tr;
		}
		rc = run_one(path, s->name, &opt, NULL, out ? ft : NULL, s);
		if (rc == 3)
			rc = 0;		/* skipped: e.g. no vGICv2 on a GICv3 host */
		if (rc > worst)
			worst = rc;
	}
	return worst ? 1 : 0;
}

int cmd_kvm(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "suite"))
		return cmd_suite(argc - 1, argv + 1);
	if (!strcmp(argv[1], "fuzz"))
		return cmd_kvm_fuzz(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage();
		return 0;
	}
	return usage();
}
