/* The default VM (see hvexit/emu_default.h). */
#include <string.h>

#include "hvexit/emu_default.h"

static void set_cpu(void *ctx, unsigned vcpu)
{
	struct gicd *g = ctx;

	if (vcpu < g->ncpus)
		g->cur_cpu = vcpu;
}

int emu_default_init(struct emu_default *d)
{
	int rc;

	memset(d, 0, sizeof(*d));
	emu_vm_init(&d->vm, 2);
	rc = emu_vm_add_region(&d->vm, EMU_DEFAULT_RAM_BASE, EMU_DEFAULT_RAM_SIZE,
			       EMU_MEM_R | EMU_MEM_W | EMU_MEM_X, NULL);
	if (rc)
		return rc;
	uart_pl011_reset(&d->uart[0]);
	uart_pl011_reset(&d->uart[1]);
	gicd_init(&d->gicd, 2, 2);
	gicd_set_owned(&d->gicd, 27, true);	/* virtual timer PPI */
	gicd_set_owned(&d->gicd, 32, true);
	if ((rc = emu_bus_register(&d->vm.bus, EMU_DEFAULT_UART0, UART_PL011_SIZE,
				   &uart_pl011_ops, &d->uart[0])) ||
	    (rc = emu_bus_register(&d->vm.bus, EMU_DEFAULT_UART1, UART_PL011_SIZE,
				   &uart_pl011_ops, &d->uart[1])) ||
	    (rc = emu_bus_register(&d->vm.bus, EMU_DEFAULT_GICD, GICD_SIZE, &gicd_ops,
				   &d->gicd))) {
		emu_vm_destroy(&d->vm);
		return rc;
	}
	d->vm.on_vcpu = set_cpu;
	d->vm.on_vcpu_ctx = &d->gicd;
	d->vm.gic = &d->gicd;
	d->vm.vcpu[1].power = EMU_PWR_ON;	/* seed 000: both vCPUs start */
	return 0;
}

void emu_default_destroy(struct emu_default *d)
{
	emu_vm_destroy(&d->vm);
}
