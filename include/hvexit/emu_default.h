/*
 * The default VM used by `hvexit exit`, the trace replayer and the KVM
 * backend's MMIO service: 2 vCPUs (MPIDR 0x80000000, 0x80000001), RAM
 * EMU_DEFAULT_RAM_SIZE at 0x40000000 (R/W/X, engine-allocated), PL011
 * UART0 at 0x10000000 and UART1 at 0x10008000, a GICv2 distributor at
 * 0x08000000 (ITLinesNumber 2: 96 IRQs, 2 CPUs; IRQ 27 (virtual timer
 * PPI) and SPI 32 hypervisor-owned), PSCI over HVC and SMC.
 *
 * The GICv3 variant (emu_default_init_gic(d, EMU_GIC_V3)) is the same VM
 * with QEMU virt's GICv3 instead of the GICv2 distributor: the
 * Distributor at 0x08000000 (64 KiB, ITLinesNumber 2: SPIs 32-95) and
 * one Redistributor per vCPU at 0x080A0000 + n * 0x20000 (hvexit/gicv3.h);
 * the trapped ICC_*_EL1 registers are its CPU interfaces.
 */
#ifndef HVEXIT_EMU_DEFAULT_H
#define HVEXIT_EMU_DEFAULT_H

#include "hvexit/emu.h"
#include "hvexit/gicd.h"
#include "hvexit/gicv3.h"
#include "hvexit/uart.h"

struct emu_default {
	struct emu_vm vm;
	struct uart_pl011 uart[2];
	struct gicd gicd;	/* the GICv2 VM's distributor */
	struct gicv3 gicv3;	/* the GICv3 VM's GIC */
};

enum emu_gic_version { EMU_GIC_V2 = 2, EMU_GIC_V3 = 3 };

/* Set up *d (caller-owned, e.g. malloc'd: it is large) with a GICv2.
 * 0 or -ENOMEM. Release with emu_default_destroy(). */
int emu_default_init(struct emu_default *d);
/* The same VM with the GIC of the given version: 0, -EINVAL for another
 * version, or -ENOMEM. */
int emu_default_init_gic(struct emu_default *d, enum emu_gic_version gic);
void emu_default_destroy(struct emu_default *d);

/* The GICv2 distributor of the default VM, attached to any VM: g set up
 * with ITLinesNumber 2 (96 IRQs) and one CPU interface per vCPU, IRQ 27
 * (virtual timer PPI) and SPI 32 hypervisor-owned, registered at base
 * (GICD_SIZE bytes), ICC_SGI1R_EL1 raising SGIs on it. 0 or <0
 * (gicd_init's or emu_bus_register's error). */
int emu_gicv2_attach(struct emu_vm *vm, struct gicd *g, uint64_t base);

#endif
