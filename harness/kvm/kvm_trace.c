/*
 * KVM backend: the kernel's own view of each exit through tracefs
 * (root only). The kvm/kvm_guest_fault event carries ESR_EL2 ("hsr"),
 * FAR_EL2 ("hxfar") and the faulting IPA page; pairing those with the
 * MMIO exits userspace saw lets every exit be decoded from the real
 * syndrome and cross-checked (D24.2.40 ESR_EL2, Data Abort ISS:
 * ISV, SAS, SSE, SRT, SF, AR, WnR).
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

static bool line_tid(const char *line, const char *ev, long *tid)
{
	const char *p, *dash = NULL;

	for (p = line; p < ev && *p != '['; p++)
		if (*p == '-')
			dash = p;
	if (!dash)
		return false;
	*tid = strtol(dash + 1, NULL, 10);
	return true;
}

/* One kvm_exit line: "... kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: ..."
 * (Linux 6.1 arch/arm64/kvm/trace_arm.h); only TRAP exits carry an EC. */
static bool parse_exit_ec(const char *line, long *tid, long *ec)
{
	const char *ev = strstr(line, "kvm_exit: TRAP: ");
	const char *p;

	if (!ev || !line_tid(line, ev, tid) || !(p = strstr(ev, "HSR_EC: ")))
		return false;
	*ec = strtol(p + 8, NULL, 0);
	return *ec >= 0 && *ec <= 0x3f;
}

/* One kvm_guest_fault line: "<task>-<tid> [cpu] ... kvm_guest_fault: ipa X, hsr Y, hxfar Z, pc W" */
static bool parse_fault(const char *line, long *tid, uint64_t *ipa, uint64_t *esr,
			uint64_t *far, uint64_t *pc)
{
	const char *ev = strstr(line, "kvm_guest_fault: ");
	const char *p, *dash = NULL;
	char *end;

	if (!ev)
		return false;
	for (p = line; p < ev && *p != '['; p++)
		if (*p == '-')
			dash = p;
	if (!dash)
		return false;
	*tid = strtol(dash + 1, &end, 10);
	if ((p = strstr(ev, "ipa ")) == NULL)
		return false;
	*ipa = strtoull(p + 4, NULL, 0);
	if ((p = strstr(ev, "hsr ")) == NULL && (p = strstr(ev, "esr ")) == NULL)
		return false;
	*esr = strtoull(p + 4, NULL, 0);
	if ((p = strstr(ev, "hxfar ")) != NULL)
		*far = strtoull(p + 6, NULL, 0);
	else if ((p = strstr(ev, "far ")) != NULL)
		*far = strtoull(p + 4, NULL, 0);
	if ((p = strstr(ev, "pc ")) != NULL)
		*pc = strtoull(p + 3, NULL, 0);
	return true;
}

/*
 * The instruction syndrome against the instruction the guest executed:
 * xcheck_dabt() (our decoder and Capstone) on the word at the faulting PC.
 * Counts every verdict; a mismatch, or ISV=1 on a word neither decoder
 * knows, is a finding with the differing fields.
 */
static void iss_vs_insn(struct kvmb_vm *vm, const struct kvmb_exit_rec *r, uint64_t esr, uint64_t pc)
{
	struct xcheck_result res;
	const uint8_t *code = kvmb_gpa_ptr(vm, pc, 4);
	uint32_t word;
	char diffs[160] = "";
	size_t n = 0;
	int rc;

	if (!code) {
		vm->xcheck_nopc++;
		return;
	}
	word = (uint32_t)hvx_get_le(code, 4);	/* A64 is little-endian (B2.6.2) */
	rc = xcheck_dabt(word, esr, &res);
	if (rc < 0) {
		vm->xcheck_nopc++;
		return;
	}
	vm->xcheck[res.status < 4 ? res.status : 3]++;
	if (res.status != XCHECK_MISMATCH && res.status != XCHECK_UNKNOWN_INSN)
		return;
	for (unsigned i = 0; i < res.ndiff && n < sizeof(diffs); i++)
		n += (size_t)snprintf(diffs + n, sizeof(diffs) - n, " %s iss=%d own=%d cs=%d",
				      xcheck_field_name(res.diff[i].field), res.diff[i].iss,
				      res.diff[i].own, res.diff[i].cs);
	kvmb_finding(vm, res.status == XCHECK_MISMATCH ? "iss-vs-insn" : "iss-unknown-insn",
		     "vCPU %u pc 0x%llx insn 0x%08x (%s) ESR_EL2 0x%llx:%s",
		     r->vcpu, (unsigned long long)pc, word, res.cs.decoded ? res.cs.text : "?",
		     (unsigned long long)esr, diffs[0] ? diffs : " no instruction decoded");
}

/* Compare the syndrome with the exit KVM reported, then the ISS with the
 * instruction (iss_vs_insn). */
static void xcheck(struct kvmb_vm *vm, const struct kvmb_exit_rec *r, uint64_t esr, uint64_t far,
		   uint64_t pc)
{
	struct esr_dabt d;

	if (esr_decode_dabt(esr, &d) < 0) {
		kvmb_finding(vm, "esr-class", "vCPU %u exit at 0x%llx: ESR_EL2 0x%llx is not a data abort",
			     r->vcpu, (unsigned long long)r->addr, (unsigned long long)esr);
		return;
	}
	if ((far & 0xfff) != (r->addr & 0xfff))
		kvmb_finding(vm, "esr-far", "vCPU %u exit at 0x%llx: FAR_EL2 0x%llx page offset differs",
			     r->vcpu, (unsigned long long)r->addr, (unsigned long long)far);
	if (r->reason == KVM_EXIT_ARM_NISV) {
		if (d.isv)
			kvmb_finding(vm, "nisv-with-isv", "vCPU %u NISV exit but ESR_EL2 0x%llx has ISV=1",
				     r->vcpu, (unsigned long long)esr);
		iss_vs_insn(vm, r, esr, pc);
		return;
	}
	if (!d.isv) {
		kvmb_finding(vm, "mmio-without-isv", "vCPU %u MMIO exit but ESR_EL2 0x%llx has ISV=0",
			     r->vcpu, (unsigned long long)esr);
		return;
	}
	if ((1u << d.sas) != r->len || d.wnr != r->is_write)
		kvmb_finding(vm, "esr-vs-exit",
			     "vCPU %u at 0x%llx: ESR_EL2 0x%llx says %u-byte %s, KVM exit says %u-byte %s",
			     r->vcpu, (unsigned long long)r->addr, (unsigned long long)esr,
			     1u << d.sas, d.wnr ? "write" : "read", r->len, r->is_write ? "write" : "read");
	iss_vs_insn(vm, r, esr, pc);
}

int kvmb_trace_stop(const char *raw_out, struct kvmb_vm *vm)
{
	size_t len = 0, paired = 0;
	char *text, *line, *save = NULL;
	size_t next[KVMB_MAX_VCPUS] = { 0 };
	long last_ec[KVMB_MAX_VCPUS];

	for (unsigned i = 0; i < KVMB_MAX_VCPUS; i++)
		last_ec[i] = -1;

	put("tracing_on", "0");
	text = slurp(TRACEFS "/trace", &len);
	for (size_t i = 0; i < HVX_ARRAY_SIZE(events); i++) {
		char ev[96];

		snprintf(ev, sizeof(ev), "events/%s/enable", events[i]);
		put(ev, "0");
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
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		long tid;
		uint64_t ipa, esr, far = 0, pc = UINT64_MAX;
		long ec;
		unsigned v;

		if (line[0] == '#')
			continue;
		if (parse_exit_ec(line, &tid, &ec)) {
			for (v = 0; v < vm->opt.vcpus && vm->vcpu[v].tid != tid; v++)
				;
			if (v < vm->opt.vcpus)
				last_ec[v] = ec;
			continue;
		}
		if (!parse_fault(line, &tid, &ipa, &esr, &far, &pc))
			continue;
		if (!is_mmio_ipa(vm, ipa))
			continue;
		for (v = 0; v < vm->opt.vcpus && vm->vcpu[v].tid != tid; v++)
			;
		if (v == vm->opt.vcpus)
			continue;
		/* the next userspace exit of this vCPU */
		while (next[v] < vm->nrec && vm->rec[next[v]].vcpu != v)
			next[v]++;
		if (next[v] >= vm->nrec)
			break;
		if ((vm->rec[next[v]].addr & ~UINT64_C(0xfff)) != (ipa & ~UINT64_C(0xfff))) {
			kvmb_finding(vm, "trace-pairing", "vCPU %u: guest fault at IPA 0x%llx but next exit is at 0x%llx",
				     v, (unsigned long long)ipa, (unsigned long long)vm->rec[next[v]].addr);
			next[v]++;
			continue;
		}
		{
			struct kvmb_exit_rec *r = &vm->rec[next[v]];

			r->paired = true;
			r->esr = esr;
			r->far = far;
			r->fault_ipa = ipa;
			r->fault_pc = pc;
			r->has_kvm_ec = last_ec[v] >= 0;
			r->kvm_ec = last_ec[v] >= 0 ? (uint32_t)last_ec[v] : 0;
		}
		/* the PC of the fault event; else the one read at the exit */
		xcheck(vm, &vm->rec[next[v]], esr, far, pc != UINT64_MAX ? pc : vm->rec[next[v]].pc);
		next[v]++;
		paired++;
	}
	free(text);
	return (int)(paired > INT32_MAX ? INT32_MAX : paired);
}
