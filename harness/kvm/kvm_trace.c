/*
 * KVM backend: the kernel's own view of each exit through tracefs
 * (root only). The kvm/kvm_guest_fault event carries ESR_EL2 ("hsr"),
 * FAR_EL2 ("hxfar") and the faulting IPA page; pairing those with the
 * MMIO exits userspace saw lets every exit be decoded from the real
 * syndrome and checked as an imported trace is: the trace lines go
 * through the ftrace importer and each paired exit through the trace
 * checks (D24.2.46 ESR_EL2, Data Abort ISS: ISV, SAS, SSE, SRT, SF, AR,
 * WnR).
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/kvm/kvmb.h"
#include "harness/util/outfile.h"
#include "hvexit/esr.h"
#include "hvexit/ftrace.h"
#include "hvexit/trace.h"
#include "hvexit/xcheck.h"

#define TRACEFS "/sys/kernel/tracing"

static const char *const events[] = {
	"kvm/kvm_exit", "kvm/kvm_guest_fault", "kvm/kvm_mmio",
	"kvm/kvm_hvc_arm64", "kvm/kvm_userspace_exit",
};

static int put(const char *rel, const char *val)
{
	char path[256];
	int fd, rc = 0;

	snprintf(path, sizeof(path), TRACEFS "/%s", rel);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int kvmb_trace_start(char *err, size_t errlen)
{
	struct stat st;
	char ev[96];

	if (stat(TRACEFS "/tracing_on", &st) != 0 &&
	    mount("tracefs", TRACEFS, "tracefs", 0, NULL) != 0) {
		snprintf(err, errlen, "tracefs not available at " TRACEFS ": %s", strerror(errno));
		return -ENOENT;
	}
	put("tracing_on", "0");
	put("trace", "");
	put("buffer_size_kb", "8192");
	for (size_t i = 0; i < HVX_ARRAY_SIZE(events); i++) {
		snprintf(ev, sizeof(ev), "events/%s/enable", events[i]);
		if (put(ev, "1") < 0) {
			snprintf(err, errlen, "cannot enable trace event %s", events[i]);
			return -ENOENT;
		}
	}
	return put("tracing_on", "1");
}

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 1 << 16, n = 0;
	char *buf;
	ssize_t r;

	if (fd < 0)
		return NULL;
	buf = malloc(cap + 1);
	while (buf && (r = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap) {
			char *nb = cap < ((size_t)256 << 20) ? realloc(buf, 2 * cap + 1) : NULL;

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	close(fd);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

static bool is_mmio_ipa(struct kvmb_vm *vm, uint64_t ipa)
{
	for (unsigned i = 0; i < vm->map.n; i++)
		if (vm->map.r[i].kind != KVMB_RAM && ipa - vm->map.r[i].gpa < vm->map.r[i].size)
			return true;
	return false;
}

/* The vCPU whose thread is tid, or vm->opt.vcpus. */
static unsigned vcpu_of_tid(const struct kvmb_vm *vm, long tid)
{
	unsigned v;

	for (v = 0; v < vm->opt.vcpus && vm->vcpu[v].tid != tid; v++)
		;
	return v;
}

/*
 * The exit as a trace event, the way `hvexit replay` sees an imported
 * one: the syndrome KVM traced (kvm_guest_fault), what KVM traced about
 * it (kvm_exit, kvm_mmio, ...: the imported "kvm" object k) and the
 * userspace exit the backend saw, added to k as one more "mmio" entry and
 * as "userspace_exit" (the shape of docs/trace-format.md, "kvm").
 */
static void rec_event(struct kvmb_vm *vm, const struct kvmb_exit_rec *r, json_t *k,
		      struct trace_event *ev)
{
	struct trace_exit *e = &ev->exit;
	const uint8_t *code = kvmb_gpa_ptr(vm, r->fault_pc, 4);
	json_t *mmio = json_object_get(k, "mmio");

	memset(ev, 0, sizeof(*ev));
	ev->vcpu = r->vcpu;
	e->esr = r->esr;
	e->ec = esr_ec(r->esr);
	e->far = r->far;
	e->hpfar = (r->fault_ipa >> 12) << 4;	/* FIPA = IPA[51:12] at [43:4] */
	e->pc = r->fault_pc;
	e->has_esr = e->has_far = e->has_hpfar = e->has_pc = true;
	if (code) {	/* A64 is little-endian (B2.6.2) */
		e->insn = (uint32_t)hvx_get_le(code, 4);
		e->has_insn = true;
	}
	if (!mmio) {
		mmio = json_array();
		json_object_set_new(k, "mmio", mmio);
	}
	if (r->reason == KVM_EXIT_MMIO)
		json_array_append_new(mmio, json_pack("{s:s,s:i,s:o,s:o}",
				      "op", r->is_write ? "write" : "unsatisfied-read",
				      "len", (int)r->len, "gpa", trace_hex(r->addr),
				      "val", trace_hex(r->is_write ? r->data : 0)));
	json_object_set_new(k, "userspace_exit", json_pack("{s:s,s:i}", "reason",
			    r->reason == KVM_EXIT_MMIO ? "KVM_EXIT_MMIO" : "KVM_EXIT_ARM_NISV",
			    "code", (int)r->reason));
	ev->kvm = k;
}

struct check_ctx {
	struct kvmb_vm *vm;
	const struct kvmb_exit_rec *r;
};

static void on_diff(void *arg, const struct trace_diff *d)
{
	struct check_ctx *c = arg;

	kvmb_finding(c->vm, d->kind && !strcmp(d->kind, "xcheck") ? "iss-vs-insn" : "kvm-vs-iss",
		     "vCPU %u exit at 0x%llx, ESR_EL2 0x%llx: %s expected %s, KVM/trace %s",
		     c->r->vcpu, (unsigned long long)c->r->addr, (unsigned long long)c->r->esr,
		     d->field, d->expected, d->recorded);
}

/*
 * The checks every imported trace gets (harness/trace/trace_check.c): what
 * KVM reported against the syndrome (trace_check_kvm), and an ISV=1
 * syndrome against the instruction at PC (trace_check_xcheck).
 */
static void check_exit(struct kvmb_vm *vm, const struct kvmb_exit_rec *r, json_t *k)
{
	struct check_ctx c = { vm, r };
	struct trace_xcheck_stats st = { 0 };
	struct trace_event ev;
	struct esr_dabt d;

	if (!k)
		return;
	rec_event(vm, r, k, &ev);
	trace_check_kvm(&ev, on_diff, &c);
	if (esr_decode_dabt(r->esr, &d) == 0 && !d.isv)
		vm->xcheck[XCHECK_ISV0]++;
	else if (trace_check_xcheck(NULL, &ev, &st, on_diff, &c) < 0 || st.no_insn)
		vm->xcheck_nopc++;
	vm->xcheck[XCHECK_CONSISTENT] += st.consistent;
	vm->xcheck[XCHECK_MISMATCH] += st.inconsistent;
	vm->xcheck[XCHECK_UNKNOWN_INSN] += st.unknown_insn;
	json_decref(k);
}

/* Pair one imported exit with the next userspace exit of its vCPU: 1
 * paired, 0 not an MMIO fault of ours, -1 no userspace exit left. */
static int pair_event(struct kvmb_vm *vm, const struct trace_event *ev, size_t next[])
{
	const json_t *k = ev->kvm, *fault = json_object_get(k, "fault");
	uint64_t ipa = 0, ec = 0;
	json_int_t pid = json_integer_value(json_object_get(k, "pid"));
	unsigned v = vcpu_of_tid(vm, (long)pid);
	struct kvmb_exit_rec *r;

	if (!fault || !ev->exit.has_esr || trace_get_u64(json_object_get(fault, "ipa"), &ipa) ||
	    !is_mmio_ipa(vm, ipa) || v == vm->opt.vcpus)
		return 0;
	while (next[v] < vm->nrec && vm->rec[next[v]].vcpu != v)
		next[v]++;
	if (next[v] >= vm->nrec)
		return -1;
	r = &vm->rec[next[v]++];
	if ((r->addr & ~UINT64_C(0xfff)) != (ipa & ~UINT64_C(0xfff))) {
		kvmb_finding(vm, "trace-pairing", "vCPU %u: guest fault at IPA 0x%llx but next exit "
			     "is at 0x%llx", v, (unsigned long long)ipa, (unsigned long long)r->addr);
		return 0;
	}
	r->paired = true;
	r->esr = ev->exit.esr;
	r->far = ev->exit.far;
	r->fault_ipa = ipa;
	r->fault_pc = r->pc;
	trace_get_u64(json_object_get(fault, "pc"), &r->fault_pc);
	r->has_kvm_ec = !trace_get_u64(json_object_get(k, "ec"), &ec);
	r->kvm_ec = (uint32_t)ec;
	check_exit(vm, r, json_deep_copy(k));
	return 1;
}

/* The tracefs text through the ftrace importer (harness/trace/ftrace.c,
 * the one parser of KVM's trace lines) into a temporary trace file. */
static int import_text(char *text, char *path, size_t pathlen)
{
	/* vCPUs are numbered by the importer (first kvm_exit of a thread):
	 * the header allows the most; pairing goes by thread id */
	json_t *h = trace_header_new("ftrace", 4096);
	struct trace_writer *w = NULL;
	struct ftrace_import *im = NULL;
	char err[200], *line, *save = NULL;
	const char *tmp = getenv("TMPDIR");
	int fd, rc;

	snprintf(path, pathlen, "%s/hvexit-kvmtrace-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd < 0 || !h) {
		json_decref(h);
		return fd < 0 ? -errno : -ENOMEM;
	}
	json_object_set_new(h, "memory", json_array());
	close(fd);
	rc = trace_writer_open(path, h, &w, err, sizeof(err));
	json_decref(h);
	if (rc == 0 && !(im = ftrace_import_new(w)))
		rc = -ENOMEM;
	for (line = strtok_r(text, "\n", &save); rc == 0 && line; line = strtok_r(NULL, "\n", &save))
		rc = ftrace_import_line(im, line) < 0 ? -EIO : 0;
	if (im && ftrace_import_finish(im) < 0 && rc == 0)
		rc = -EIO;
	if (im)
		ftrace_import_free(im);
	if (w && trace_writer_close(w) < 0 && rc == 0)
		rc = -EIO;
	if (rc)
		unlink(path);
	return rc;
}

int kvmb_trace_stop(const char *raw_out, struct kvmb_vm *vm)
{
	size_t len = 0, next[KVMB_MAX_VCPUS] = { 0 };
	struct trace_reader *r = NULL;
	struct trace_event ev;
	char *text, path[4096] = "", err[200];
	long paired = 0;
	int rc;

	put("tracing_on", "0");
	text = slurp(TRACEFS "/trace", &len);
	for (size_t i = 0; i < HVX_ARRAY_SIZE(events); i++) {
		char evn[96];

		snprintf(evn, sizeof(evn), "events/%s/enable", events[i]);
		put(evn, "0");
	}
	if (!text)
		return -EIO;
	if (raw_out) {
		struct outfile of;

		if (outfile_open(&of, raw_out) < 0) {
			fprintf(stderr, "kvm: %s\n", of.err);
		} else if (fwrite(text, 1, len, of.f) != len) {
			outfile_abort(&of);
			fprintf(stderr, "kvm: %s: write failed\n", raw_out);
		} else if (outfile_commit(&of) < 0) {
			fprintf(stderr, "kvm: %s\n", of.err);
		}
	}
	rc = import_text(text, path, sizeof(path));
	free(text);
	if (rc == 0)
		rc = trace_reader_open(path, &r, err, sizeof(err));
	while (rc == 0 && (rc = trace_next(r, &ev)) == 1) {
		int p = pair_event(vm, &ev, next);

		if (p < 0)	/* no userspace exit left to pair with */
			break;
		paired += p;
		rc = 0;
	}
	if (rc < 0)	/* the check did not run: say so, never pass silently */
		kvmb_finding(vm, "trace", "the tracefs events could not be checked: %s",
			     r ? trace_reader_error(r) : strerror(-rc));
	if (r)
		trace_reader_close(r);
	if (path[0])
		unlink(path);
	if (rc < 0)
		return rc;
	return (int)(paired > INT32_MAX ? INT32_MAX : paired);
}
