/*
 * The machine the emu tests start from: the default VM (emu_default.h) on
 * the heap, as it is large, with vCPU 0 at PC 0x40001000 and vCPU 1 at
 * 0x40002000. Shared by tests/test_emu_{exit,sysreg,stage2}.c, which keep
 * it in D between emu_fixture_setup() and emu_fixture_teardown() (their
 * cmocka per-test setup and teardown, or the start and end of them).
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

/* The running test's machine. */
static struct emu_default *D;

static inline int emu_fixture_setup(void **s)
{
	(void)s;
	D = emu_fixture_new();
	return D ? 0 : -1;
}

static inline int emu_fixture_teardown(void **s)
{
	(void)s;
	emu_fixture_free(D);
	return 0;
}

/* The outcome injects a synchronous exception into EL1 with this ESR_EL1
 * and ELR_EL1, taken to this vector (VBAR_EL1 + offset, Arm ARM D1.3).
 * Needs cmocka.h. */
static inline void emu_expect_inject(const struct emu_outcome *o, uint64_t esr, uint64_t elr,
				     uint64_t vector)
{
	assert_int_equal(o->action, EMU_ACT_INJECT);
	assert_int_equal(o->inject.esr_el1, esr);
	assert_int_equal(o->inject.elr_el1, elr);
	assert_int_equal(o->inject.vector, vector);
}

#endif
