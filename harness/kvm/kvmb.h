/*
 * hvexit real-KVM backend (arm64 Linux only; harness/kvm*.c are not part
 * of the host library). Runs bare-metal guests from guests/ on /dev/kvm,
 * serves their MMIO exits with host devices, and turns every behaviour
 * the Arm architecture does not allow into a finding.
 *
 * Memory and ownership: a struct kvmb_vm owns its file descriptors, the
 * guest memory mappings and the vCPU threads; kvmb_vm_destroy() frees
 * all of it. Functions return 0 or a negative errno (common.h); errors
 * are also described in vm->err (one line).
 */
#ifndef HVEXIT_KVMB_H
#define HVEXIT_KVMB_H

#include <pthread.h>
#include <stdio.h>

#include "hvexit/common.h"
#include "hvexit/emu_default.h"

#define KVMB_MAX_REGIONS  16
#define KVMB_MAX_VCPUS    8
#define KVMB_MAX_FINDINGS 512
#define KVMB_UART_BUF     256

/* Default map (the layout the guests are linked for): ROM 0x0, RAM 0x04000000, heap 0x04010000,
 * 64 KiB stacks per vCPU from 0x04020000, UARTs and the test device as
 * MMIO outside every memslot so that every access exits. */
#define KVMB_UART0_BASE   UINT64_C(0x10000000)
#define KVMB_UART1_BASE   UINT64_C(0x10008000)
#define KVMB_TESTDEV_BASE UINT64_C(0x10010000)
#define KVMB_DEV_SIZE     UINT64_C(0x1000)
/* in-kernel vGICv2 (the QEMU virt machine's addresses) */
#define KVMB_GICD_BASE    UINT64_C(0x08000000)
#define KVMB_GICC_BASE    UINT64_C(0x08010000)
#define KVMB_GICR_BASE    UINT64_C(0x080A0000)	/* vGICv3 redistributors */

enum kvmb_region_kind { KVMB_RAM, KVMB_ROMEM, KVMB_MMIO };

struct kvmb_region {
	char name[16];
	uint64_t gpa, size;
	enum kvmb_region_kind kind;
	uint8_t *host;		/* mapping for RAM/ROMEM, NULL for MMIO */
};

struct kvmb_map {
	struct kvmb_region r[KVMB_MAX_REGIONS];
	unsigned n;
};

/* How the run ended, from the guest's point of view. */
enum kvmb_end {
	KVMB_END_NONE, KVMB_END_SHUTDOWN, KVMB_END_RESET, KVMB_END_SUSPEND,
	KVMB_END_TIMEOUT, KVMB_END_ERROR, KVMB_END_CRASH,
};

struct kvmb_finding {
	char what[48];		/* short category, e.g. "mmio-length" */
	char cluster[48];	/* the cause inside the category ("" = what), e.g. "ldsb" */
	char detail[256];	/* the decoded exit and expected/observed */
	bool has_values;	/* expected/observed below are meaningful */
	uint64_t expected, observed;
};

/* One MMIO/NISV exit, kept for pairing with the ftrace ESR_EL2 and
 * written to the exit trace (docs/trace-format.md, source "kvm"). */
#define KVMB_REC_RDATA 4
struct kvmb_exit_rec {
	uint32_t vcpu;
	uint32_t reason;	/* KVM_EXIT_* */
	uint64_t addr, data, pc;	/* data: written, or returned for a read */
	uint32_t len;
	uint8_t is_write;
	uint64_t nisv_iss;	/* NISV: the esr_iss KVM reported */
	uint32_t desc;		/* test-device descriptor active at the time */
	bool has_insn;
	uint32_t insn;		/* the word at pc */
	/* read data for accesses the engine's default VM does not claim */
	unsigned nrdata;
	uint64_t rdata[KVMB_REC_RDATA];
	bool has_regs;		/* NISV: x0..x30 before the emulation */
	uint64_t regs[31];
	/* from the paired kvm_guest_fault/kvm_exit trace events */
	bool paired, has_kvm_ec;
	uint64_t esr, far, fault_ipa, fault_pc;
	uint32_t kvm_ec;
};

struct kvmb_opts {
	unsigned vcpus;
	unsigned timeout_s;
	bool secondaries_off;	/* vCPUs > 0 start powered off (PSCI) */
	bool json;
	bool quiet;
	bool progress_line;	/* a progress line is on stderr: clear it before output */
	const char *trace_out;	/* write the exit log (JSON Lines) here */
	enum kvmb_end want_end;	/* KVMB_END_SHUTDOWN unless a guest says otherwise */
	unsigned vgic;		/* 0 none, 2/3: in-kernel vGICv2/v3 (GICD at KVMB_GICD_BASE) */
};

struct kvmb_vcpu {
	struct kvmb_vm *vm;
	unsigned id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	pid_t tid;
	bool started;
	uint64_t exits;
};

/* The test device's state (see guests/common/guest.h for the layout). */
struct kvmb_testdev {
	struct kvmb_vm *vm;	/* for findings */
	unsigned cur_vcpu;	/* vCPU making the current access */
	uint8_t scratch[256];
	uint32_t desc;		/* last descriptor written to CTRL */
	uint32_t ndesc;
	bool load_seen;		/* the described load has exited */
	uint64_t load_data;	/* bytes the host returned for it */
	/* per vCPU: two vCPUs may run checks at the same time */
	uint64_t chk_id[KVMB_MAX_VCPUS], chk_op[KVMB_MAX_VCPUS], chk_exp[KVMB_MAX_VCPUS];
	uint64_t checks, checks_failed, loads_checked, stores_checked;
	bool done;
};

struct kvmb_vm {
	int kvm_fd, vm_fd, vgic_fd;
	int run_size;
	unsigned ipa_bits;
	struct kvmb_map map;
	struct kvmb_opts opt;
	uint64_t entry;
	struct kvmb_vcpu vcpu[KVMB_MAX_VCPUS];
	pthread_mutex_t lock;	/* devices, findings, end state */
	volatile int stop;
	enum kvmb_end end;
	char end_detail[160];
	struct emu_default *emu;	/* the exit engine's devices and bus */
	struct kvmb_testdev td;
	struct kvmb_finding find[KVMB_MAX_FINDINGS];
	unsigned nfind, nfind_dropped;
	bool skip;		/* a needed feature is missing: guest SKIPped */
	char skip_reason[160];
	struct kvmb_exit_rec *rec;
	size_t nrec, caprec;
	uint64_t total_exits;
	uint64_t xcheck[4];	/* xcheck_dabt verdicts (enum xcheck_status) */
	uint64_t xcheck_nopc;	/* PC outside guest RAM or Capstone unavailable */
	char err[256];
};

/* kvm_vm.c */
int kvmb_map_default(struct kvmb_map *m, unsigned vcpus);
int kvmb_map_parse(struct kvmb_map *m, const char *spec);
int kvmb_vm_create(struct kvmb_vm *vm, const struct kvmb_opts *opt, const struct kvmb_map *map);
int kvmb_load_elf(struct kvmb_vm *vm, const char *path);
int kvmb_vcpus_init(struct kvmb_vm *vm);
int kvmb_vgic_init(struct kvmb_vm *vm);
void kvmb_vm_destroy(struct kvmb_vm *vm);
uint8_t *kvmb_gpa_ptr(struct kvmb_vm *vm, uint64_t gpa, uint64_t len);

/* kvm_run.c */
int kvmb_run(struct kvmb_vm *vm);
int kvmb_get_reg(struct kvmb_vcpu *v, uint64_t id, uint64_t *val);
int kvmb_set_reg(struct kvmb_vcpu *v, uint64_t id, uint64_t val);
void kvmb_finding(struct kvmb_vm *vm, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A finding with a cause (cluster, e.g. the instruction form or check id)
 * and the architecture's value against the observed one. */
void kvmb_finding_val(struct kvmb_vm *vm, const char *what, const char *cluster,
		      uint64_t expected, uint64_t observed, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void kvmb_record(struct kvmb_vm *vm, const struct kvmb_exit_rec *r);
/* The message of a failure into err (an err[] member of the VM); returns rc. */
int kvmb_errf(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* kvm_dev.c: the exit engine's devices behind the MMIO exits.
 * kvmb_dev_init allocates vm->emu (emu_default + the test device);
 * kvmb_dev_destroy frees it. kvmb_mmio: one access (size 1, 2, 4, 8)
 * through emu_bus_access(); 0, -ENODEV when no device claims the address,
 * -EINVAL (also a finding) when the device has no such register/width. */
int kvmb_dev_init(struct kvmb_vm *vm);
void kvmb_dev_destroy(struct kvmb_vm *vm);
const char *kvmb_uart_text(const struct kvmb_vm *vm, unsigned idx, char *buf, size_t n);
int kvmb_mmio(struct kvmb_vm *vm, unsigned vcpu, uint64_t addr, bool is_write,
	      unsigned size, uint64_t *val);
/* kvm_echo.c: the test device (register on the bus with &vm->td). */
extern const struct emu_dev_ops kvmb_testdev_ops;
uint64_t kvmb_sweep_store_value(unsigned reg);

/* kvm_trace.c: tracefs (root only). */
int kvmb_trace_start(char *err, size_t errlen);
int kvmb_trace_stop(const char *raw_out, struct kvmb_vm *vm);

const char *kvmb_end_name(enum kvmb_end e);

#endif
