/*
 * KVM backend: the devices behind MMIO exits are the exit engine's
 * (hvexit/emu_default.h): PL011 UART0/UART1 with captured output
 * (uart.h), the GICv2 distributor model (gicd.h, used when no in-kernel
 * vGIC claims its window), plus the guests' test device (kvm_echo.c)
 * registered on the same bus. Every access, single-register (ISV=1) or
 * from the ISV=0 emulator, goes through emu_bus_access().
 */
#include <stdlib.h>
#include <string.h>

#include "harness/kvm/kvmb.h"

int kvmb_dev_init(struct kvmb_vm *vm)
{
	struct emu_default *d = calloc(1, sizeof(*d));
	int rc;

	if (!d)
		return -ENOMEM;
	rc = emu_default_init(d);
	if (rc == 0) {
		vm->td.vm = vm;
		rc = emu_bus_register(&d->vm.bus, KVMB_TESTDEV_BASE, KVMB_DEV_SIZE,
				      &kvmb_testdev_ops, &vm->td);
		if (rc)
			emu_default_destroy(d);
	}
	if (rc) {
		free(d);
		return rc;
	}
	vm->emu = d;
	return 0;
}

void kvmb_dev_destroy(struct kvmb_vm *vm)
{
	if (!vm->emu)
		return;
	emu_default_destroy(vm->emu);
	free(vm->emu);
	vm->emu = NULL;
}

/* The text a UART transmitted (NUL-terminated copy, truncated to fit). */
const char *kvmb_uart_text(const struct kvmb_vm *vm, unsigned idx, char *buf, size_t n)
{
	const struct uart_pl011 *u;
	size_t len;

	if (!n)
		return buf;
	buf[0] = '\0';
	if (!vm->emu || idx > 1)
		return buf;
	u = &vm->emu->uart[idx];
	len = u->out_len < n - 1 ? u->out_len : n - 1;
	memcpy(buf, u->out, len);
	buf[len] = '\0';
	return buf;
}

int kvmb_mmio(struct kvmb_vm *vm, unsigned vcpu, uint64_t addr, bool is_write,
	      unsigned size, uint64_t *val)
{
	struct emu_vm *ev;
	int rc;

	if (!vm->emu)
		return -ENODEV;
	ev = &vm->emu->vm;
	vm->td.cur_vcpu = vcpu;
	if (ev->on_vcpu)
		ev->on_vcpu(ev->on_vcpu_ctx, vcpu);	/* banked GICD registers */
	rc = emu_bus_access(&ev->bus, addr, size, is_write, val);
	if (rc == -EINVAL)
		kvmb_finding(vm, "mmio-abort",
			     "vCPU %u %u-byte %s at 0x%llx: the device has no register of that width there (external abort)",
			     vcpu, size, is_write ? "write" : "read", (unsigned long long)addr);
	if (rc < 0 && !is_write)
		*val = 0;
	return rc;
}
