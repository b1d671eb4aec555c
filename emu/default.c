/* The default VM (see hvexit/emu_default.h). */
#include <string.h>

#include "hvexit/emu_default.h"

static void set_cpu(void *ctx, unsigned vcpu)
{
	struct gicd *g = ctx;

	if (vcpu < g->ncpus)
		g->cur_cpu = vcpu;
}

int emu_gicv2_attach(struct emu_vm *vm, struct gicd *g, uint64_t base)
{
	int rc;

	rc = gicd_init(g, 2, vm->nvcpus);
	if (rc)
		return rc;
	gicd_set_owned(g, 27, true);	/* virtual timer PPI */
	gicd_set_owned(g, 32, true);
	rc = emu_bus_register(&vm->bus, base, GICD_SIZE, &gicd_ops, g);
	if (rc)
		return rc;
	vm->on_vcpu = set_cpu;
	vm->on_vcpu_ctx = g;
	vm->gic = g;
	return 0;
}

/* GICv2: distributor (ITLinesNumber 2, 2 CPUs) with the virtual timer PPI
 * and SPI 32 hypervisor-owned; ICC_SGI1R_EL1 raises SGIs on it. */
static int add_gicv2(struct emu_default *d)
{
	return emu_gicv2_attach(&d->vm, &d->gicd, EMU_DEFAULT_GICD);
}

/* GICv3: Distributor (ITLinesNumber 2) and one Redistributor per vCPU at
 * QEMU virt's addresses; the ICC_* registers are its CPU interfaces. */
static int add_gicv3(struct emu_default *d)
{
	uint64_t mpidr[EMU_MAX_VCPUS];
	int rc;

	for (unsigned i = 0; i < d->vm.nvcpus; i++)
		mpidr[i] = d->vm.vcpu[i].mpidr;
	rc = gicv3_init(&d->gicv3, 2, d->vm.nvcpus, mpidr);
	if (!rc)
		rc = gicv3_register(&d->gicv3, &d->vm.bus, EMU_DEFAULT_GICD, EMU_DEFAULT_GICR);
	if (!rc)
		d->vm.gicv3 = &d->gicv3;
	return rc;
}

int emu_default_init_gic(struct emu_default *d, enum emu_gic_version gic)
{
	int rc;

	if (gic != EMU_GIC_V2 && gic != EMU_GIC_V3)
		return -EINVAL;
	memset(d, 0, sizeof(*d));
	emu_vm_init(&d->vm, 2);
	rc = emu_vm_add_region(&d->vm, EMU_DEFAULT_RAM_BASE, EMU_DEFAULT_RAM_SIZE,
			       EMU_MEM_R | EMU_MEM_W | EMU_MEM_X, NULL);
	if (rc)
		return rc;
	uart_pl011_reset(&d->uart[0]);
	uart_pl011_reset(&d->uart[1]);
	if ((rc = emu_bus_register(&d->vm.bus, EMU_DEFAULT_UART0, UART_PL011_SIZE,
				   &uart_pl011_ops, &d->uart[0])) ||
	    (rc = emu_bus_register(&d->vm.bus, EMU_DEFAULT_UART1, UART_PL011_SIZE,
				   &uart_pl011_ops, &d->uart[1])) ||
	    (rc = gic == EMU_GIC_V2 ? add_gicv2(d) : add_gicv3(d))) {
		emu_vm_destroy(&d->vm);
		return rc;
	}
	d->vm.vcpu[1].power = EMU_PWR_ON;	/* a two-vCPU VM: both start powered on */
	return 0;
}

int emu_default_init(struct emu_default *d)
{
	return emu_default_init_gic(d, EMU_GIC_V2);
}

void emu_default_destroy(struct emu_default *d)
{
	emu_vm_destroy(&d->vm);
}
