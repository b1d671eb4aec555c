/*
 * The default VM used by `hvexit exit`, the trace replayer and the KVM
 * backend's MMIO service: 2 vCPUs (MPIDR 0x80000000, 0x80000001), RAM
 * EMU_DEFAULT_RAM_SIZE at 0x40000000 (R/W/X, engine-allocated), PL011
 * UART0 at 0x10000000 and UART1 at 0x10008000, a GICv2 distributor at
 * 0x08000000 (ITLinesNumber 2: 96 IRQs, 2 CPUs; IRQ 27 (virtual timer
 * PPI) and SPI 32 hypervisor-owned), PSCI over HVC and SMC.
 */
#ifndef HVEXIT_EMU_DEFAULT_H
#define HVEXIT_EMU_DEFAULT_H

#include "hvexit/emu.h"
#include "hvexit/gicd.h"
#include "hvexit/uart.h"

struct emu_default {
	struct emu_vm vm;
	struct uart_pl011 uart[2];
	struct gicd gicd;
};

/* Set up *d (caller-owned, e.g. malloc'd: it is large). 0 or -ENOMEM.
 * Release with emu_default_destroy(). */
int emu_default_init(struct emu_default *d);
void emu_default_destroy(struct emu_default *d);

#endif
