/*
 * KVM backend: one thread per vCPU, the KVM_RUN loop and the handling of
 * every exit reason KVM/arm64 returns to userspace
 * (Documentation/virt/kvm/api.rst 5, "The kvm_run structure").
 */
#define _GNU_SOURCE
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "harness/kvm/kvmb.h"
#include "hvexit/esr.h"
#include "hvexit/insn.h"

/* The instruction emulator comes from the insn module; a build without
 * it reports ISV=0 exits as not emulated instead of failing to link. */
#pragma weak insn_emulate

#define CORE_REG(field) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (offsetof(struct kvm_regs, field) / sizeof(uint32_t)))
#define XREG(n) (CORE_REG(regs.regs[0]) + 2 * (n))

static void stop_all(struct kvmb_vm *vm)
{
	vm->stop = 1;
	for (unsigned i = 0; i < vm->opt.vcpus; i++) {
		struct kvmb_vcpu *v = &vm->vcpu[i];

		if (v->run)
			v->run->immediate_exit = 1;
		if (v->started)
			pthread_kill(v->thread, SIGUSR1);
	}
}

/* Record the end of the run (first one wins) and stop every vCPU. */
static void end_run(struct kvmb_vm *vm, enum kvmb_end end, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void end_run(struct kvmb_vm *vm, enum kvmb_end end, const char *fmt, ...)
{
	va_list ap;

	if (vm->end == KVMB_END_NONE) {
		vm->end = end;
		va_start(ap, fmt);
		vsnprintf(vm->end_detail, sizeof(vm->end_detail), fmt, ap);
		va_end(ap);
	}
	stop_all(vm);
}

/* The instruction word at the exit's PC (MMU off: PC is an IPA). */
static void rec_insn(struct kvmb_vm *vm, struct kvmb_exit_rec *r)
{
	const uint8_t *code = kvmb_gpa_ptr(vm, r->pc, 4);

	if (code) {
		r->insn = (uint32_t)hvx_get_le(code, 4);
		r->has_insn = true;
	}
}

/* Keep the data of a read the exit engine's default VM (the replayer's)
 * does not claim, i.e. the test device or nothing: the trace's mmio_data. */
static void rec_rdata(struct kvmb_vm *vm, struct kvmb_exit_rec *r, uint64_t addr,
		      unsigned len, uint64_t val)
{
	const struct emu_bus_dev *d = vm->emu ? emu_bus_find(&vm->emu->vm.bus, addr, len) : NULL;

	if ((d && d->ops != &kvmb_testdev_ops) || r->nrdata >= KVMB_REC_RDATA)
		return;
	r->rdata[r->nrdata++] = val;
}

static void handle_mmio(struct kvmb_vcpu *v)
{
	struct kvmb_vm *vm = v->vm;
	struct kvm_run *run = v->run;
	unsigned len = run->mmio.len;
	uint64_t val = 0, pc = 0;
	struct kvmb_exit_rec rec;
	int rc;

	kvmb_get_reg(v, CORE_REG(regs.pc), &pc);
	if (len == 0 || len > 8) {
		kvmb_finding(vm, "mmio-length",
			     "vCPU %u MMIO %s at 0x%llx pc 0x%llx with length %u (Arm ARM: 1, 2, 4 or 8)",
			     v->id, run->mmio.is_write ? "write" : "read",
			     (unsigned long long)run->mmio.phys_addr, (unsigned long long)pc, len);
		if (len > 8)
			len = 8;
	}
	if (run->mmio.is_write)
		val = hvx_get_le(run->mmio.data, len);
	rec = (struct kvmb_exit_rec){ .vcpu = v->id, .reason = KVM_EXIT_MMIO,
		.addr = run->mmio.phys_addr, .len = run->mmio.len,
		.is_write = run->mmio.is_write, .pc = pc, .desc = vm->td.desc };
	rec_insn(vm, &rec);
	rc = len ? kvmb_mmio(vm, v->id, run->mmio.phys_addr, run->mmio.is_write, len, &val) : -EINVAL;
	if (rc == -ENODEV)
		kvmb_finding(vm, "mmio-unclaimed", "vCPU %u MMIO %s of %u bytes at 0x%llx pc 0x%llx: no device there",
			     v->id, run->mmio.is_write ? "write" : "read", len,
			     (unsigned long long)run->mmio.phys_addr, (unsigned long long)pc);
	if (!run->mmio.is_write)
		hvx_put_le(run->mmio.data, val, len);
	rec.data = val;
	if (!run->mmio.is_write)
		rec_rdata(vm, &rec, run->mmio.phys_addr, len, val);
	kvmb_record(vm, &rec);
}

struct nisv_bus {
	struct kvmb_vcpu *v;
	struct kvmb_exit_rec *rec;
	int err;
};

static int nisv_access(struct nisv_bus *b, uint64_t addr, unsigned size, uint8_t *buf, bool wr)
{
	struct kvmb_vm *vm = b->v->vm;

	/* MMU off: the address the instruction computes is the IPA. */
	for (unsigned off = 0; off < size; off += 8) {
		unsigned n = size - off < 8 ? size - off : 8;
		uint64_t val = wr ? hvx_get_le(buf + off, n) : 0;
		uint8_t *ram = kvmb_gpa_ptr(vm, addr + off, n);
		int rc;

		if (ram) {
			if (wr)
				memcpy(ram, buf + off, n);
			else
				memcpy(buf + off, ram, n);
			continue;
		}
		rc = kvmb_mmio(vm, b->v->id, addr + off, wr, n, &val);
		if (rc < 0)
			return rc;
		if (!wr) {
			hvx_put_le(buf + off, val, n);
			rec_rdata(vm, b->rec, addr + off, n, val);
		}
	}
	return 0;
}

static int nisv_read(void *ctx, uint64_t addr, unsigned size, uint8_t *buf)
{
	return nisv_access(ctx, addr, size, buf, false);
}

static int nisv_write(void *ctx, uint64_t addr, unsigned size, const uint8_t *buf)
{
	return nisv_access(ctx, addr, size, (uint8_t *)(uintptr_t)buf, true);
}

/*
 * KVM_EXIT_ARM_NISV: a data abort with ISV=0 (D24.2.46) on an address
 * outside every memslot. Read the instruction at PC, emulate it with the
 * engine's A64 load/store emulator, write the registers and PC back.
 */
static void handle_nisv(struct kvmb_vcpu *v)
{
	struct kvmb_vm *vm = v->vm;
	struct kvm_run *run = v->run;
	struct insn_regs regs, before;
	struct kvmb_exit_rec rec;
	struct nisv_bus b = { .v = v, .rec = &rec };
	struct insn_bus bus = { .read = nisv_read, .write = nisv_write, .ctx = &b };
	uint8_t *code;
	uint32_t word;
	int rc;

	memset(&regs, 0, sizeof(regs));
	if (kvmb_get_reg(v, CORE_REG(regs.pc), &regs.pc) < 0) {
		end_run(vm, KVMB_END_ERROR, "vCPU %u: KVM_GET_ONE_REG(pc) failed", v->id);
		return;
	}
	if (!insn_emulate) {
		vm->skip = true;
		snprintf(vm->skip_reason, sizeof(vm->skip_reason),
			 "ISV=0 exit (esr_iss 0x%llx ipa 0x%llx) but this build has no instruction emulator",
			 (unsigned long long)run->arm_nisv.esr_iss,
			 (unsigned long long)run->arm_nisv.fault_ipa);
		end_run(vm, KVMB_END_ERROR, "%s", vm->skip_reason);
		return;
	}
	code = kvmb_gpa_ptr(vm, regs.pc, 4);
	if (!code) {
		end_run(vm, KVMB_END_ERROR, "vCPU %u: ISV=0 exit with PC 0x%llx outside guest RAM",
			v->id, (unsigned long long)regs.pc);
		return;
	}
	word = (uint32_t)hvx_get_le(code, 4);
	rec = (struct kvmb_exit_rec){ .vcpu = v->id, .reason = KVM_EXIT_ARM_NISV,
		.addr = run->arm_nisv.fault_ipa, .pc = regs.pc, .nisv_iss = run->arm_nisv.esr_iss,
		.has_insn = true, .insn = word, .desc = vm->td.desc, .has_regs = true };
	for (unsigned i = 0; i < 31; i++)
		kvmb_get_reg(v, XREG(i), &regs.x[i]);
	kvmb_get_reg(v, CORE_REG(sp_el1), &regs.sp);
	memcpy(rec.regs, regs.x, sizeof(rec.regs));
	before = regs;
	rc = insn_emulate(word, &regs, &bus);
	kvmb_record(vm, &rec);
	if (rc < 0) {
		kvmb_finding(vm, "nisv-emulation",
			     "vCPU %u ISV=0 exit esr_iss 0x%llx ipa 0x%llx pc 0x%llx insn 0x%08x: emulator error %d",
			     v->id, (unsigned long long)run->arm_nisv.esr_iss,
			     (unsigned long long)run->arm_nisv.fault_ipa,
			     (unsigned long long)regs.pc, word, rc);
		end_run(vm, KVMB_END_ERROR, "ISV=0 instruction 0x%08x not emulated (%d)", word, rc);
		return;
	}
	for (unsigned i = 0; i < 31; i++)
		if (regs.x[i] != before.x[i])
			kvmb_set_reg(v, XREG(i), regs.x[i]);
	if (regs.sp != before.sp)
		kvmb_set_reg(v, CORE_REG(sp_el1), regs.sp);
	kvmb_set_reg(v, CORE_REG(regs.pc), regs.pc);
}

static void handle_system_event(struct kvmb_vcpu *v)
{
	struct kvm_run *run = v->run;

	switch (run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		end_run(v->vm, KVMB_END_SHUTDOWN, "vCPU %u: PSCI SYSTEM_OFF", v->id);
		break;
	case KVM_SYSTEM_EVENT_RESET:
		end_run(v->vm, KVMB_END_RESET, "vCPU %u: PSCI SYSTEM_RESET", v->id);
		break;
	case KVM_SYSTEM_EVENT_CRASH:
		end_run(v->vm, KVMB_END_CRASH, "vCPU %u: system event CRASH", v->id);
		break;
#ifdef KVM_SYSTEM_EVENT_SUSPEND
	case KVM_SYSTEM_EVENT_SUSPEND:
		/* PSCI SYSTEM_SUSPEND routed to userspace: treat as the end. */
		end_run(v->vm, KVMB_END_SUSPEND, "vCPU %u: PSCI SYSTEM_SUSPEND", v->id);
		break;
#endif
#ifdef KVM_SYSTEM_EVENT_WAKEUP
	case KVM_SYSTEM_EVENT_WAKEUP:
		break;	/* the vCPU left WFI: run it again */
#endif
	default:
		end_run(v->vm, KVMB_END_ERROR, "vCPU %u: unknown system event %u", v->id,
			run->system_event.type);
	}
}

/* HYPERCALL: only with the SMCCC filter (KVM_ARM_VM_SMCCC_FILTER); answer
 * NOT_SUPPORTED (-1, DEN0028) in x0. */
static void handle_hypercall(struct kvmb_vcpu *v)
{
	kvmb_set_reg(v, XREG(0), UINT64_MAX);
}

/* Returns false when the loop must stop. */
static bool handle_exit(struct kvmb_vcpu *v)
{
	struct kvmb_vm *vm = v->vm;
	struct kvm_run *run = v->run;
	bool go_on = true;

	pthread_mutex_lock(&vm->lock);
	v->exits++;
	vm->total_exits++;
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		handle_mmio(v);
		break;
	case KVM_EXIT_ARM_NISV:
		handle_nisv(v);
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		handle_system_event(v);
		break;
	case KVM_EXIT_HYPERCALL:
		handle_hypercall(v);
		break;
	case KVM_EXIT_INTR:
		break;
	case KVM_EXIT_FAIL_ENTRY:
		end_run(vm, KVMB_END_ERROR, "vCPU %u: FAIL_ENTRY, hardware reason 0x%llx", v->id,
			(unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		end_run(vm, KVMB_END_ERROR, "vCPU %u: INTERNAL_ERROR suberror %u", v->id,
			run->internal.suberror);
		break;
	case KVM_EXIT_DEBUG:
		end_run(vm, KVMB_END_ERROR, "vCPU %u: DEBUG exit, ESR 0x%x FAR 0x%llx", v->id,
			run->debug.arch.hsr, (unsigned long long)run->debug.arch.far);
		break;
	case KVM_EXIT_EXCEPTION:
	case KVM_EXIT_SHUTDOWN:
	case KVM_EXIT_UNKNOWN:
#ifdef KVM_EXIT_DIRTY_RING_FULL
	case KVM_EXIT_DIRTY_RING_FULL:
#endif
#ifdef KVM_EXIT_MEMORY_FAULT
	case KVM_EXIT_MEMORY_FAULT:
#endif
	default:
		kvmb_finding(vm, "unexpected-exit", "vCPU %u: exit reason %u not expected for this guest",
			     v->id, run->exit_reason);
		end_run(vm, KVMB_END_ERROR, "vCPU %u: unexpected exit reason %u", v->id,
			run->exit_reason);
		break;
	}
	go_on = !vm->stop;
	pthread_mutex_unlock(&vm->lock);
	return go_on;
}

static void *vcpu_thread(void *arg)
{
	struct kvmb_vcpu *v = arg;
	struct kvmb_vm *vm = v->vm;
	sigset_t set;

	v->tid = (pid_t)syscall(SYS_gettid);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	while (!vm->stop) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			int e = errno;

			if (e == EINTR || e == EAGAIN)
				continue;
			pthread_mutex_lock(&vm->lock);
			end_run(vm, KVMB_END_ERROR, "vCPU %u: KVM_RUN: %s", v->id, strerror(e));
			pthread_mutex_unlock(&vm->lock);
			break;
		}
		if (!handle_exit(v))
			break;
	}
	return NULL;
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

int kvmb_run(struct kvmb_vm *vm)
{
	struct sigaction sa;
	sigset_t set, old;
	struct timespec t0, now;
	int rc = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;	/* no SA_RESTART: KVM_RUN returns EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	/* threads start with SIGUSR1 blocked and unblock it themselves */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	for (unsigned i = 0; i < vm->opt.vcpus; i++) {
		if (pthread_create(&vm->vcpu[i].thread, NULL, vcpu_thread, &vm->vcpu[i]) != 0) {
			pthread_mutex_lock(&vm->lock);
			end_run(vm, KVMB_END_ERROR, "cannot create vCPU thread %u", i);
			pthread_mutex_unlock(&vm->lock);
			rc = -EAGAIN;
			break;
		}
		vm->vcpu[i].started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct timespec nap = { 0, 2 * 1000 * 1000 };

		if (vm->stop)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((unsigned)(now.tv_sec - t0.tv_sec) >= vm->opt.timeout_s) {
			pthread_mutex_lock(&vm->lock);
			end_run(vm, KVMB_END_TIMEOUT,
				"guest still running after %u s: stopped with immediate_exit + SIGUSR1",
				vm->opt.timeout_s);
			pthread_mutex_unlock(&vm->lock);
			break;
		}
		nanosleep(&nap, NULL);
	}
	/* keep kicking until every thread is out of KVM_RUN */
	for (unsigned i = 0; i < vm->opt.vcpus; i++) {
		if (!vm->vcpu[i].started)
			continue;
		for (;;) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 20 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			if (pthread_timedjoin_np(vm->vcpu[i].thread, NULL, &ts) == 0)
				break;
			pthread_kill(vm->vcpu[i].thread, SIGUSR1);
		}
		vm->vcpu[i].started = false;
	}
	return rc;
}
