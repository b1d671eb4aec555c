/* GICv2 virtual interface (IHI0048B 5.3): LR layout, inject, ack, EOI
 * with and without HW, ELRSR/EISR/MISR. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "hvexit/vgic.h"

static void test_lr_layout(void **s)
{
	(void)s;
	/* vINTID 27, pINTID 27, HW, prio 0xa0>>3=20, pending, group 1:
	 * [31]=1 [30]=1 [29:28]=01 [27:23]=10100 [19:10]=27 [9:0]=27. */
	assert_int_equal(vgic_lr_make(27, 27, true, false, 20, VGIC_PENDING, true),
			 0x80000000u | 0x40000000u | 0x10000000u | 20u << 23 | 27u << 10 | 27u);
	/* HW=0 with EOI maintenance: bit 19. */
	assert_int_equal(vgic_lr_make(5, 0, false, true, 0, VGIC_PENDING, false),
			 0x10000000u | 1u << 19 | 5u);
	/* VTR: 4 LRs, 5 priority and preemption bits. */
	assert_int_equal(vgic_read_vtr() & 0x3f, 3);
	assert_int_equal(vgic_read_vtr() >> 29, 4);
}

static void test_inject_ack_eoi(void **s)
{
	struct vgic g;

	(void)s;
	vgic_reset(&g);
	assert_int_equal(vgic_read_elrsr0(&g), 0xf);
	assert_int_equal(vgic_inject(&g, 27, 27, true, 0xa0, true, false), 0);
	assert_int_equal(vgic_inject(&g, 40, 0, false, 0x10, true, true), 1);
	assert_int_equal(vgic_inject(&g, 40, 0, false, 0x10, true, true), -EEXIST);
	assert_int_equal(vgic_read_elrsr0(&g), 0xc);
	/* Ack picks the highest priority (lowest value): vINTID 40. */
	assert_int_equal(vgic_ack(&g), 40);
	assert_int_equal((g.lr[1] >> 28) & 3, VGIC_ACTIVE);
	/* EOI of a HW=0, EOI=1 LR: invalid, EISR bit, MISR.EOI, not free. */
	assert_int_equal(vgic_eoi(&g, 40), 0);
	assert_int_equal(vgic_read_eisr0(&g), 0x2);
	assert_int_equal(vgic_read_misr(&g) & VGIC_MISR_EOI, VGIC_MISR_EOI);
	assert_int_equal(vgic_read_elrsr0(&g) & 0x2, 0);
	/* EOI of the HW=1 LR deactivates pINTID 27; no maintenance. */
	assert_int_equal(vgic_ack(&g), 27);
	assert_int_equal(vgic_eoi(&g, 27), 0);
	assert_int_equal(g.n_phys_deact, 1);
	assert_int_equal(g.phys_deactivated[0], 27);
	assert_int_equal(vgic_read_eisr0(&g) & 1, 0);
	assert_int_equal(vgic_read_elrsr0(&g) & 1, 1);
	assert_int_equal(vgic_ack(&g), 1023);
	/* EOI with no LR: EOICount, and LRENP when enabled. */
	g.hcr = VGIC_HCR_EN | VGIC_HCR_LRENPIE;
	assert_int_equal(vgic_eoi(&g, 99), -ENOENT);
	assert_int_equal(g.hcr >> 27, 1);
	assert_true(vgic_read_misr(&g) & VGIC_MISR_LRENP);
	/* Underflow: UIE with at most one valid LR. */
	g.hcr |= VGIC_HCR_UIE;
	assert_true(vgic_read_misr(&g) & VGIC_MISR_U);
	assert_int_equal(vgic_inject(&g, 1020, 0, false, 0, false, false), -EINVAL);
	assert_int_equal(vgic_inject(&g, 30, 3, true, 0, false, false), -EINVAL);	/* pINTID SGI */
}

static void test_full(void **s)
{
	struct vgic g;

	(void)s;
	vgic_reset(&g);
	for (unsigned i = 0; i < VGIC_NR_LR; i++)
		assert_int_equal(vgic_inject(&g, 32 + i, 0, false, 0, true, false), (int)i);
	assert_int_equal(vgic_inject(&g, 50, 0, false, 0, true, false), -EBUSY);
	uint64_t v;
	assert_int_equal(vgic_access(&g, 0x30, 4, false, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(vgic_access(&g, 0x30, 1, false, &v), -EINVAL);
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_lr_layout),
	cmocka_unit_test(test_inject_ack_eoi),
	cmocka_unit_test(test_full))
