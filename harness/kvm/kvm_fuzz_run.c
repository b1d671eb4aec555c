/*
 * `hvexit kvm fuzz`, the KVM side: a one-vCPU VM running guests/fuzz.S,
 * the KVM_RUN loop of one batch, and what each exit shows. This is the
 * VMM the architecture and the KVM API describe
 * (Documentation/virt/kvm/api.rst):
 *  - KVM_EXIT_MMIO on the fuzz device: the device answers (a read's data
 *    goes back in mmio.data; KVM completes the instruction on the next
 *    KVM_RUN);
 *  - KVM_EXIT_ARM_NISV (an ISV=0 data abort, KVM_CAP_ARM_NISV_TO_USER):
 *    the VMM emulates the instruction with the registers it reads and
 *    writes through KVM_{GET,SET}_ONE_REG, except exclusives and atomics,
 *    which have no MMIO meaning: for those it injects a synchronous
 *    external data abort (KVM_SET_VCPU_EVENTS ext_dabt_pending);
 *  - writes to the control page: a batch is done, or the guest took an
 *    exception (its record is in RAM) and continues with the next step.
 */
#define _GNU_SOURCE
#include <linux/kvm.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "harness/kvm/kvm_fuzz.h"
#include "harness/util/rng.h"

#define CORE_REG(field) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (offsetof(struct kvm_regs, field) / sizeof(uint32_t)))
#define XREG(n) (CORE_REG(regs.regs[0]) + 2 * (n))
#define VREG(n) (KVM_REG_ARM64 | KVM_REG_SIZE_U128 | KVM_REG_ARM_CORE | \
		 ((offsetof(struct kvm_regs, fp_regs.vregs) / sizeof(uint32_t)) + 4 * (n)))

#define FUZZ_MAP "rom:0x0:0x10000:ram,code:0x4000000:0x400000:ram,ram:0x5000000:0x10000:ram," \
		 "fuzzdev:0x10020000:0x1000:mmio,ctl:0x10030000:0x1000:mmio"
#define BATCH_TIMEOUT_S 60

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* rc, with the message in vm->err. */
#define fail(vm, rc, ...) kvmb_errf((vm)->err, sizeof((vm)->err), (rc), __VA_ARGS__)

static int vreg(struct kvmb_vcpu *v, unsigned n, uint64_t val[2], bool set)
{
	struct kvm_one_reg r = { .id = VREG(n), .addr = (uintptr_t)val };

	return ioctl(v->fd, set ? KVM_SET_ONE_REG : KVM_GET_ONE_REG, &r) < 0 ? -errno : 0;
}

static void read_caps(struct kf_vm *f)
{
	struct kvmb_vm *vm = f->vm;

	f->caps.nisv = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_NISV_TO_USER) > 0;
	f->caps.ext_dabt = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_INJECT_EXT_DABT) > 0;
	for (unsigned i = 0; i < HVX_ARRAY_SIZE(f->caps.id_have); i++)
		f->caps.id_have[i] = kvmb_get_reg(f->v, ARM64_SYS_REG(3, 0, 0, 1 + i / 8, i % 8),
						  &f->caps.id_val[i]) == 0;
}

/* The in-kernel vGICv3 (when the host has one) and its GICD_TYPER. */
static void read_gic(struct kf_vm *f)
{
	uint32_t typer = 0;
	struct kvm_device_attr a = { .group = KVM_DEV_ARM_VGIC_GRP_DIST_REGS, .attr = 0x4,
				     .addr = (uintptr_t)&typer };

	if (kvmb_vgic_init(f->vm) < 0 || f->vm->vgic_fd < 0 ||
	    ioctl(f->vm->vgic_fd, KVM_GET_DEVICE_ATTR, &a) < 0)
		return;
	f->caps.gic_it_lines = typer & 0x1f;
	f->caps.gic = f->caps.gic_it_lines > 0;
}

int kf_vm_open(struct kf_vm *f, const char *guest, uint64_t seed)
{
	struct kvmb_opts opt = { .vcpus = 1, .timeout_s = BATCH_TIMEOUT_S, .quiet = true,
				 .want_end = KVMB_END_SHUTDOWN, .vgic = 3 };
	struct kvmb_map map;
	struct sigaction sa;
	uint64_t st = seed ^ UINT64_C(0x5eed0fa11);
	int rc;

	memset(f, 0, sizeof(*f));
	f->vm = calloc(1, sizeof(*f->vm));
	if (!f->vm)
		return fail(f, -ENOMEM, "out of memory");
	if (kvmb_map_parse(&map, FUZZ_MAP) < 0)
		return fail(f, -EINVAL, "bad built-in memory map");
	rc = kvmb_vm_create(f->vm, &opt, &map);
	if (rc == 0)
		rc = kvmb_load_elf(f->vm, guest);
	if (rc == 0)
		rc = kvmb_vcpus_init(f->vm);
	if (rc < 0)
		return fail(f, rc, "%s", f->vm->err);
	f->v = &f->vm->vcpu[0];
	read_gic(f);
	f->code = kvmb_gpa_ptr(f->vm, FZ_CODE_BASE, FZ_CODE_SIZE);
	f->ram = kvmb_gpa_ptr(f->vm, FZ_RAM_BASE, FZ_RAM_SIZE);
	if (!f->code || !f->ram)
		return fail(f, -EINVAL, "guest memory map without the code/RAM regions");
	read_caps(f);
	for (unsigned i = 0; i < FZ_WIN_SIZE; i += 8)
		hvx_put_le(f->ram + i, util_rng_next(&st), 8);
	kf_dev_reset(&f->dev, seed);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: KVM_RUN returns EINTR */
	sigaction(SIGALRM, &sa, NULL);
	/* the guest starts by asking for the first batch */
	return kf_run_batch(f, NULL, 0, 0, NULL);
}

void kf_vm_close(struct kf_vm *f)
{
	if (f->vm) {
		kvmb_vm_destroy(f->vm);
		free(f->vm);
	}
	f->vm = NULL;
}

/* The step whose instruction is at pc (steps are in address order). */
static long step_at(const struct kf_step *s, unsigned n, uint64_t pc)
{
	unsigned lo = 0, hi = n;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (s[mid].in.pc == pc)
			return mid;
		if (s[mid].in.pc < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The step whose block holds pc (an exception anywhere in it). */
static long block_at(const struct kf_step *s, unsigned n, uint64_t tail, uint64_t pc)
{
	for (unsigned i = 0; i < n; i++)
		if (pc >= s[i].blk && pc < (i + 1 < n ? s[i + 1].blk : tail))
			return i;
	return -1;
}

static int on_device(struct kf_vm *f, const struct kf_step *s, unsigned n, struct kf_obs *obs)
{
	struct kvm_run *run = f->v->run;
	uint64_t pc = 0, val = 0;
	unsigned len = run->mmio.len;
	long i;

	kvmb_get_reg(f->v, CORE_REG(regs.pc), &pc);
	i = step_at(s, n, pc);
	if (i < 0)
		return fail(f, -EIO, "MMIO %s at 0x%llx from pc 0x%llx, not an instruction under test",
			    run->mmio.is_write ? "write" : "read",
			    (unsigned long long)run->mmio.phys_addr, (unsigned long long)pc);
	obs[i].mmio_exits++;
	if (len == 0 || len > 8) {
		obs[i].acc.overflow = true;	/* an impossible length: shows as a mismatch */
		len = len > 8 ? 8 : len;
	}
	if (run->mmio.is_write)
		val = hvx_get_le(run->mmio.data, len);
	if (len && emu_dev_access(&kf_dev_ops, &f->dev, (uint32_t)(run->mmio.phys_addr - FZ_DEV_BASE),
				  len, run->mmio.is_write, &val) < 0)
		val = 0;
	if (obs[i].acc.n < KF_MAX_ACC)
		obs[i].acc.a[obs[i].acc.n++] = (struct kf_access){ run->mmio.phys_addr,
			(uint8_t)run->mmio.len, run->mmio.is_write, val };
	else
		obs[i].acc.overflow = true;
	if (!run->mmio.is_write)
		hvx_put_le(run->mmio.data, val, len);
	return 0;
}

static int on_control(struct kf_vm *f, const struct kf_step *s, unsigned n, uint64_t tail,
		      struct kf_obs *obs, bool *done)
{
	struct kvm_run *run = f->v->run;
	uint64_t off = run->mmio.phys_addr - FZ_CTL_BASE;
	uint8_t *rec = f->ram + (FZ_EXC_REC - FZ_RAM_BASE);
	uint64_t elr;
	long i;

	if (!run->mmio.is_write)
		return fail(f, -EIO, "read of the control page at 0x%llx",
			    (unsigned long long)run->mmio.phys_addr);
	if (off == 0) {
		*done = true;
		return 0;
	}
	elr = hvx_get_le(rec + 16, 8);
	i = block_at(s, n, tail, elr);
	if (off != 8 || i < 0)
		return fail(f, -EIO, "exception outside the steps: ESR_EL1 0x%llx FAR_EL1 0x%llx ELR_EL1 0x%llx",
			    (unsigned long long)hvx_get_le(rec, 8),
			    (unsigned long long)hvx_get_le(rec + 8, 8), (unsigned long long)elr);
	obs[i].exc = true;
	obs[i].esr = hvx_get_le(rec, 8);
	obs[i].far = hvx_get_le(rec + 8, 8);
	obs[i].elr = elr;
	obs[i].vec = hvx_get_le(rec + 24, 8);
	hvx_put_le(rec + 32, (unsigned)i + 1 < n ? s[i + 1].blk : tail, 8);
	return 0;
}

static bool is_rmw(const struct insn *d)
{
	return d->exclusive || d->atomic || d->cls == INSN_C_CAS || d->cls == INSN_C_CASP;
}

/* The V registers of a SIMD&FP transfer: Vt (and the list after it,
 * modulo 32) and Vt2 of a pair. */
static void simd_regs(struct kf_vm *f, const struct insn *d, struct insn_regs *r, bool set)
{
	unsigned n = d->nregs ? d->nregs : 1;

	for (unsigned i = 0; i < n; i++)
		vreg(f->v, (d->rt + i) % 32, r->v[(d->rt + i) % 32], set);
	if (d->pair)
		vreg(f->v, d->rt2, r->v[d->rt2], set);
}

static bool uses_reg(const struct insn *d, unsigned x)
{
	return (!d->simd && (x == d->rt || x == d->rt2)) || x == d->rn || x == d->rm;
}

/* ISV=0: emulate (registers through ONE_REG) or inject an external abort. */
static int on_nisv(struct kf_vm *f, const struct kf_step *s, unsigned n, struct kf_obs *obs)
{
	struct kvm_run *run = f->v->run;
	struct kf_bus b;
	struct insn_bus bus;
	struct insn_regs r, before;
	const struct insn *d;
	long i;

	memset(&r, 0, sizeof(r));
	kvmb_get_reg(f->v, CORE_REG(regs.pc), &r.pc);
	i = step_at(s, n, r.pc);
	if (i < 0)
		return fail(f, -EIO, "ISV=0 exit (ipa 0x%llx) from pc 0x%llx, not an instruction under test",
			    (unsigned long long)run->arm_nisv.fault_ipa, (unsigned long long)r.pc);
	d = &s[i].d;
	if (!obs[i].nisv_exits++) {
		obs[i].nisv_iss = run->arm_nisv.esr_iss;
		obs[i].nisv_ipa = run->arm_nisv.fault_ipa;
	}
	if (s[i].kind != KF_LDST || is_rmw(d)) {
		struct kvm_vcpu_events ev;

		memset(&ev, 0, sizeof(ev));
		ev.exception.ext_dabt_pending = 1;
		if (ioctl(f->v->fd, KVM_SET_VCPU_EVENTS, &ev) < 0)
			return fail(f, -errno, "KVM_SET_VCPU_EVENTS(ext_dabt_pending): %s", strerror(errno));
		obs[i].injected = true;
		return 0;
	}
	/* only the registers the instruction reads (each ONE_REG is a syscall) */
	for (unsigned x = 0; x < 31; x++)
		if (uses_reg(d, x))
			kvmb_get_reg(f->v, XREG(x), &r.x[x]);
	if (d->rn == INSN_REG_SP)
		kvmb_get_reg(f->v, CORE_REG(sp_el1), &r.sp);
	if (d->simd)
		simd_regs(f, d, &r, false);
	before = r;
	b = (struct kf_bus){ f->ram, &f->dev, &obs[i].acc };
	bus = kf_insn_bus(&b);
	if (insn_emulate(s[i].word, &r, &bus) < 0)
		return fail(f, -EIO, "step %llu: the VMM cannot emulate 0x%08x after an ISV=0 exit",
			    (unsigned long long)s[i].k, s[i].word);
	for (unsigned x = 0; x < 31; x++)
		if (r.x[x] != before.x[x])
			kvmb_set_reg(f->v, XREG(x), r.x[x]);
	if (r.sp != before.sp)
		kvmb_set_reg(f->v, CORE_REG(sp_el1), r.sp);
	if (d->simd)
		simd_regs(f, d, &r, true);
	kvmb_set_reg(f->v, CORE_REG(regs.pc), r.pc);
	return 0;
}

static void read_report(const uint8_t *p, struct insn_regs *r)
{
	for (unsigned i = 0; i < 31; i++)
		r->x[i] = hvx_get_le(p + 8 * i, 8);
	r->sp = hvx_get_le(p + 248, 8);
	for (unsigned i = 0; i < 32; i++) {
		r->v[i][0] = hvx_get_le(p + 256 + 16 * i, 8);
		r->v[i][1] = hvx_get_le(p + 264 + 16 * i, 8);
	}
}

static int one_exit(struct kf_vm *f, const struct kf_step *s, unsigned n, uint64_t tail,
		    struct kf_obs *obs, bool *done)
{
	struct kvm_run *run = f->v->run;
	uint64_t a;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		a = run->mmio.phys_addr;
		if (a - FZ_CTL_BASE < FZ_CTL_SIZE)
			return on_control(f, s, n, tail, obs, done);
		if (a - FZ_DEV_BASE < FZ_DEV_SIZE && n)
			return on_device(f, s, n, obs);
		return fail(f, -EIO, "MMIO at 0x%llx outside the fuzz device", (unsigned long long)a);
	case KVM_EXIT_ARM_NISV:
		if (!n)
			break;
		return on_nisv(f, s, n, obs);
	case KVM_EXIT_INTR:
		return 0;
	case KVM_EXIT_SYSTEM_EVENT:
		return fail(f, -EIO, "system event %u (type) during a batch", run->system_event.type);
	default:
		break;
	}
	return fail(f, -EIO, "unexpected exit reason %u", run->exit_reason);
}

int kf_run_batch(struct kf_vm *f, const struct kf_step *s, unsigned n, uint64_t tail,
		 struct kf_obs *obs)
{
	bool done = false;
	int rc = 0;

	if (obs)
		memset(obs, 0, n * sizeof(*obs));
	timed_out = 0;
	alarm(BATCH_TIMEOUT_S);
	while (!done && rc == 0) {
		if (ioctl(f->v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR && timed_out)
				rc = fail(f, -ETIMEDOUT, "batch not finished after %d s", BATCH_TIMEOUT_S);
			else if (errno != EINTR && errno != EAGAIN)
				rc = fail(f, -errno, "KVM_RUN: %s", strerror(errno));
			continue;
		}
		f->exits++;
		rc = one_exit(f, s, n, tail, obs, &done);
	}
	alarm(0);
	for (unsigned i = 0; rc == 0 && i < n; i++) {
		obs[i].has_rep = !obs[i].exc;
		if (obs[i].has_rep)
			read_report(f->code + (s[i].rep_gpa - FZ_CODE_BASE), &obs[i].rep);
	}
	return rc;
}
