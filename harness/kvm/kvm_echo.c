/*
 * KVM backend: the guests' echo/test device, one device on the exit
 * engine's MMIO bus (registered by kvm_dev.c at KVMB_TESTDEV_BASE; layout
 * in guests/common/guest.h). It checks what a guest observed against the
 * architecture:
 *  - a descriptor in CTRL names the next single-register access; the exit
 *    for it must have the access size and direction of that instruction
 *    (Arm ARM C6.2, LDRB/LDRH/LDR/LDRSB/LDRSH/LDRSW/LDAR forms and the STR/STLR forms);
 *  - ECHO receives the destination register after a load; it must equal
 *    the returned bytes zero- or sign-extended to the register width, a
 *    W destination leaving bits 63:32 zero (C6.2 "LDRSB": SignExtend;
 *    "LDRB": ZeroExtend; B1.2.1 W registers);
 *  - a store must carry the low bytes of the source register;
 *  - CHK_EXP/CHK_VAL compare a value the guest observed with the value it
 *    expected from the specification it cites.
 */
#include <string.h>

#include "harness/kvm/kvmb.h"
#include "hvexit/esr_load.h"

#define TD_SCRATCH 0x000
#define TD_CTRL    0x100
#define TD_ECHO    0x108
#define TD_CHK_EXP 0x110
#define TD_CHK_VAL 0x118
#define TD_CHK_ID  0x120
#define TD_CHK_OP  0x128
#define TD_DONE    0x130

#define DESC_SIZE(d)   ((d) & 3u)
#define DESC_SIGNED(d) (((d) >> 2) & 1u)
#define DESC_W(d)      (((d) >> 3) & 1u)
#define DESC_AR(d)     (((d) >> 4) & 1u)
#define DESC_STORE(d)  (((d) >> 5) & 1u)
#define DESC_REG(d)    (((d) >> 6) & 31u)
#define DESC_VALID(d)  (((d) >> 11) & 1u)

uint64_t kvmb_sweep_store_value(unsigned reg)
{
	if (reg == 31)
		return 0;	/* the zero register */
	return UINT64_C(0x8877665544332211) ^ ((uint64_t)reg * UINT64_C(0x0101010101010101));
}

static uint64_t trunc_bytes(uint64_t v, unsigned size)
{
	return size >= 8 ? v : v & ((UINT64_C(1) << (8 * size)) - 1);
}

/*
 * Value of the destination register after the described load of `data`:
 * the rule of decoder/dabt_load.c applied to the ESR_EL2 syndrome the
 * instruction must produce (D24.2.46: EC 0x24, IL, ISV=1, SAS, SSE, SRT,
 * SF = X destination, AR; WnR=0). SRT 31 writes nothing and the guest
 * echoes the zero register, which reads as 0 (C1.2.5).
 */
static uint64_t load_result(uint32_t d, uint64_t data)
{
	uint64_t esr = (UINT64_C(0x24) << 26) | (UINT64_C(1) << 25) | (UINT64_C(1) << 24) |
		((uint64_t)DESC_SIZE(d) << 22) | ((uint64_t)DESC_SIGNED(d) << 21) |
		((uint64_t)DESC_REG(d) << 16) | ((uint64_t)!DESC_W(d) << 15) |
		((uint64_t)DESC_AR(d) << 14);
	uint64_t v = 0;

	if (esr_dabt_load_value(esr, data, &v) != 1)
		return 0;
	return v;
}

static const char *desc_str(uint32_t d, char *buf, size_t n)
{
	static const char sz[] = "bhwx";

	snprintf(buf, n, "%s%s%c %c%u", DESC_STORE(d) ? "st" : "ld",
		 DESC_AR(d) ? (DESC_STORE(d) ? "lr" : "ar") : (DESC_SIGNED(d) ? "s" : ""),
		 sz[DESC_SIZE(d)], DESC_W(d) ? 'w' : 'x', DESC_REG(d));
	return buf;
}

/* New bytes for every described access: sign bit alternately set/clear. */
static void refill(struct kvmb_testdev *td)
{
	for (unsigned i = 0; i < 8; i++) {
		uint8_t b = (uint8_t)(td->ndesc * 7u + i * 0x13u + 1u) & 0x7f;

		td->scratch[i] = (td->ndesc & 1) ? (uint8_t)(b | 0x80) : b;
	}
}

static void sweep_access(struct kvmb_vm *vm, unsigned vcpu, uint64_t off, bool wr,
			 unsigned size, uint64_t val)
{
	struct kvmb_testdev *td = &vm->td;
	uint32_t d = td->desc;
	char ds[32];

	if (!DESC_VALID(d))
		return;		/* a plain scratch access (nisv guest) */
	desc_str(d, ds, sizeof(ds));
	if (off != 0 || size != (1u << DESC_SIZE(d)) || wr != (bool)DESC_STORE(d)) {
		kvmb_finding(vm, "mmio-access",
			     "vCPU %u %s: exit is a %u-byte %s at scratch+0x%llx, the instruction does a %u-byte %s at scratch+0",
			     vcpu, ds, size, wr ? "write" : "read", (unsigned long long)off,
			     1u << DESC_SIZE(d), DESC_STORE(d) ? "write" : "read");
	}
	if (td->load_seen)
		kvmb_finding(vm, "pc-not-advanced",
			     "vCPU %u %s: the access exited twice (PC not advanced past the emulated access?)",
			     vcpu, ds);
	if (wr) {
		uint64_t want = trunc_bytes(kvmb_sweep_store_value(DESC_REG(d)), 1u << DESC_SIZE(d));

		td->stores_checked++;
		if (trunc_bytes(val, size) != want)
			kvmb_finding(vm, "store-data", "vCPU %u %s: wrote 0x%llx, register holds 0x%llx",
				     vcpu, ds, (unsigned long long)trunc_bytes(val, size),
				     (unsigned long long)want);
	}
	td->load_seen = true;
	td->load_data = val;
}

static void td_write_ctrl(struct kvmb_vm *vm, unsigned vcpu, uint64_t val)
{
	/* val == 0: close the last descriptor without opening a new one */
	struct kvmb_testdev *td = &vm->td;
	char ds[32];

	if (DESC_VALID(td->desc) && !td->load_seen)
		kvmb_finding(vm, "no-exit", "vCPU %u %s: the access to MMIO did not exit",
			     vcpu, desc_str(td->desc, ds, sizeof(ds)));
	else if (DESC_VALID(td->desc) && !DESC_STORE(td->desc))
		kvmb_finding(vm, "no-echo", "vCPU %u %s: no ECHO after the load",
			     vcpu, desc_str(td->desc, ds, sizeof(ds)));
	td->desc = (uint32_t)val & 0xfff;
	td->ndesc++;
	td->load_seen = false;
	refill(td);
}

static void td_write_echo(struct kvmb_vm *vm, unsigned vcpu, uint64_t val)
{
	struct kvmb_testdev *td = &vm->td;
	uint32_t d = td->desc;
	char ds[32];
	uint64_t want;

	if (!DESC_VALID(d) || DESC_STORE(d)) {
		kvmb_finding(vm, "testdev-protocol", "vCPU %u: ECHO without a described load", vcpu);
		return;
	}
	desc_str(d, ds, sizeof(ds));
	if (!td->load_seen) {
		kvmb_finding(vm, "no-exit", "vCPU %u %s: the load from MMIO did not exit", vcpu, ds);
		td->desc = 0;
		return;
	}
	want = load_result(d, td->load_data);
	td->loads_checked++;
	if (val != want) {
		char form[8];

		snprintf(form, sizeof(form), "%.*s", (int)strcspn(ds, " "), ds);
		kvmb_finding_val(vm, "load-result", form, want, val,
			     "vCPU %u %s: data 0x%llx gave register 0x%llx, Arm ARM requires 0x%llx",
			     vcpu, ds, (unsigned long long)trunc_bytes(td->load_data, 1u << DESC_SIZE(d)),
			     (unsigned long long)val, (unsigned long long)want);
	}
	td->desc = 0;
}

static void td_check(struct kvmb_vm *vm, unsigned vcpu, uint64_t val)
{
	struct kvmb_testdev *td = &vm->td;
	unsigned c = vcpu < KVMB_MAX_VCPUS ? vcpu : 0;
	bool ok = td->chk_op[c] == 1 ? val >= td->chk_exp[c] : val == td->chk_exp[c];

	td->checks++;
	if (!ok) {
		char id[24];

		td->checks_failed++;
		snprintf(id, sizeof(id), "check %llu", (unsigned long long)td->chk_id[c]);
		kvmb_finding_val(vm, "guest-check", id, td->chk_exp[c], val,
			     "vCPU %u check %llu: observed 0x%llx, expected %s0x%llx",
			     vcpu, (unsigned long long)td->chk_id[c], (unsigned long long)val,
			     td->chk_op[c] == 1 ? ">= " : "", (unsigned long long)td->chk_exp[c]);
	}
}

static uint64_t td_scratch_read(void *dev, uint32_t off, unsigned size)
{
	struct kvmb_testdev *td = dev;
	uint64_t v = hvx_get_le(td->scratch + off, size);

	sweep_access(td->vm, td->cur_vcpu, off, false, size, v);
	return v;
}

static void td_scratch_write(void *dev, uint32_t off, unsigned size, uint64_t val)
{
	struct kvmb_testdev *td = dev;

	hvx_put_le(td->scratch + off, val, size);
	sweep_access(td->vm, td->cur_vcpu, off, true, size, val);
}

static void td_reg_write(void *dev, uint32_t off, unsigned size, uint64_t val)
{
	struct kvmb_testdev *td = dev;
	struct kvmb_vm *vm = td->vm;
	unsigned vcpu = td->cur_vcpu;

	(void)size;
	switch (off) {
	case TD_CTRL: td_write_ctrl(vm, vcpu, val); break;
	case TD_ECHO: td_write_echo(vm, vcpu, val); break;
	case TD_CHK_EXP: td->chk_exp[vcpu % KVMB_MAX_VCPUS] = val; break;
	case TD_CHK_VAL: td_check(vm, vcpu, val); break;
	case TD_CHK_ID: td->chk_id[vcpu % KVMB_MAX_VCPUS] = val; break;
	case TD_CHK_OP: td->chk_op[vcpu % KVMB_MAX_VCPUS] = val; break;
	case TD_DONE:
		td_write_ctrl(vm, vcpu, 0);
		td->done = val == 0xd0e;
		break;
	default:
		kvmb_finding(vm, "testdev-protocol", "vCPU %u: %u-byte write to +0x%x inside a register",
			     vcpu, size, off);
	}
}

#define TD_REG(nm, o) { .name = nm, .off = o, .len = 8, .widths = 4 | 8, \
			.flags = EMU_REG_WO, .write = td_reg_write }
/* The register table (guests/common/guest.h); reads of the control
 * registers return 0. Offsets no register covers abort (-EINVAL). */
static const struct emu_reg td_regs[] = {
	{ .name = "SCRATCH", .off = TD_SCRATCH, .len = 256, .widths = 1 | 2 | 4 | 8,
	  .read = td_scratch_read, .write = td_scratch_write },
	TD_REG("CTRL", TD_CTRL), TD_REG("ECHO", TD_ECHO), TD_REG("CHK_EXP", TD_CHK_EXP),
	TD_REG("CHK_VAL", TD_CHK_VAL), TD_REG("CHK_ID", TD_CHK_ID), TD_REG("CHK_OP", TD_CHK_OP),
	TD_REG("DONE", TD_DONE),
};

const struct emu_dev_ops kvmb_testdev_ops = {
	.name = "hvexit-testdev",
	.regs = td_regs,
	.nregs = HVX_ARRAY_SIZE(td_regs),
	.holes_raz_wi = false,
};
