/*
 * The machine the emu tests start from: the default VM (emu_default.h) on
 * the heap, as it is large, with vCPU 0 at PC 0x40001000 and vCPU 1 at
 * 0x40002000. Shared by tests/test_emu_{exit,sysreg,stage2}.c.
 */
#ifndef HVEXIT_TESTS_EMU_FIXTURE_H
#define HVEXIT_TESTS_EMU_FIXTURE_H

#include <stdlib.h>

#include "hvexit/emu_default.h"

static inline struct emu_default *emu_fixture_new(void)
{
	struct emu_default *d = malloc(sizeof(*d));

	if (!d || emu_default_init(d)) {
		free(d);
		return NULL;
	}
	d->vm.vcpu[0].pc = 0x40001000;
	d->vm.vcpu[1].pc = 0x40002000;
	return d;
}

static inline void emu_fixture_free(struct emu_default *d)
{
	emu_default_destroy(d);
	free(d);
}

#endif
