/*
 * KVM backend: the host devices behind MMIO exits. The two UARTs capture
 * the bytes written to their PL011 data register (offset 0x000, PL011 TRM
 * 3.3.1; reads of any register return 0, so FR shows "transmit FIFO not
 * full"). The test device (layout in guests/common/guest.h) checks what
 * a guest observed against the architecture:
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

#include "harness/kvmb.h"

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

/* Value of the destination register after a load of `size` bytes `data`. */
static uint64_t load_result(uint32_t d, uint64_t data)
{
	unsigned bytes = 1u << DESC_SIZE(d);
	uint64_t v = trunc_bytes(data, bytes);

	if (DESC_REG(d) == 31)
		return 0;	/* XZR/WZR: the load result is discarded */
	if (DESC_SIGNED(d))
		v = (uint64_t)hvx_sext(v, 8 * bytes);
	if (DESC_W(d))
		v &= UINT64_C(0xffffffff);
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
	if (val != want)
		kvmb_finding(vm, "load-result",
			     "vCPU %u %s: data 0x%llx gave register 0x%llx, Arm ARM requires 0x%llx",
			     vcpu, ds, (unsigned long long)trunc_bytes(td->load_data, 1u << DESC_SIZE(d)),
			     (unsigned long long)val, (unsigned long long)want);
	td->desc = 0;
}

static void td_check(struct kvmb_vm *vm, unsigned vcpu, uint64_t val)
{
	struct kvmb_testdev *td = &vm->td;
	bool ok = td->chk_op == 1 ? val >= td->chk_exp : val == td->chk_exp;

	td->checks++;
	if (!ok) {
		td->checks_failed++;
		kvmb_finding(vm, "guest-check", "vCPU %u check %llu: observed 0x%llx, expected %s0x%llx",
			     vcpu, (unsigned long long)td->chk_id, (unsigned long long)val,
			     td->chk_op == 1 ? ">= " : "", (unsigned long long)td->chk_exp);
	}
}

static int testdev(struct kvmb_vm *vm, unsigned vcpu, uint64_t off, bool wr,
		   unsigned size, uint64_t *val)
{
	struct kvmb_testdev *td = &vm->td;

	if (off < sizeof(td->scratch)) {
		if (size > sizeof(td->scratch) - off) {
			kvmb_finding(vm, "testdev-protocol", "vCPU %u: %u-byte access at scratch+0x%llx crosses the window",
				     vcpu, size, (unsigned long long)off);
			return 0;
		}
		if (wr)
			for (unsigned i = 0; i < size; i++)
				td->scratch[off + i] = (uint8_t)(*val >> (8 * i));
		else {
			*val = 0;
			for (unsigned i = 0; i < size; i++)
				*val |= (uint64_t)td->scratch[off + i] << (8 * i);
		}
		sweep_access(vm, vcpu, off, wr, size, *val);
		return 0;
	}
	if (!wr) {
		*val = 0;
		return 0;
	}
	switch (off) {
	case TD_CTRL: td_write_ctrl(vm, vcpu, *val); break;
	case TD_ECHO: td_write_echo(vm, vcpu, *val); break;
	case TD_CHK_EXP: td->chk_exp = *val; break;
	case TD_CHK_VAL: td_check(vm, vcpu, *val); break;
	case TD_CHK_ID: td->chk_id = *val; break;
	case TD_CHK_OP: td->chk_op = *val; break;
	case TD_DONE:
		td_write_ctrl(vm, vcpu, 0);
		td->done = *val == 0xd0e;
		break;
	default:
		kvmb_finding(vm, "testdev-protocol", "vCPU %u: write to unknown register +0x%llx",
			     vcpu, (unsigned long long)off);
	}
	return 0;
}

static int uart(struct kvmb_vm *vm, unsigned idx, uint64_t off, bool wr, uint64_t *val)
{
	if (!wr) {
		*val = 0;
		return 0;
	}
	if (off == 0 && vm->uart_len[idx] + 1 < KVMB_UART_BUF)
		vm->uart[idx][vm->uart_len[idx]++] = (char)(*val & 0xff);
	return 0;
}

int kvmb_mmio(struct kvmb_vm *vm, unsigned vcpu, uint64_t addr, bool is_write,
	      unsigned size, uint64_t *val)
{
	if (addr - KVMB_TESTDEV_BASE < KVMB_DEV_SIZE)
		return testdev(vm, vcpu, addr - KVMB_TESTDEV_BASE, is_write, size, val);
	if (addr - KVMB_UART0_BASE < KVMB_DEV_SIZE)
		return uart(vm, 0, addr - KVMB_UART0_BASE, is_write, val);
	if (addr - KVMB_UART1_BASE < KVMB_DEV_SIZE)
		return uart(vm, 1, addr - KVMB_UART1_BASE, is_write, val);
	if (!is_write)
		*val = 0;
	return -ENODEV;
}
