/*
 * The gicv3 guest's accesses (guests/gicv3_script.h) on hvexit's GICv3
 * model: the model must give every value the script expects (each cited
 * from IHI 0069 there), as KVM's vGICv3 must when the guest runs on real
 * KVM. Also the guest's Redistributor frame checks, through the model's
 * GICR_TYPER, and that the checks can fail (a model with a wrong value is
 * caught).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/test_main.h"

#include "guests/gicv3_script.h"
#include "hvexit/gicv3.h"
#include "hvexit/sysreg.h"

/* Two PEs as KVM numbers them: MPIDR_EL1 RES1 bit 31, Aff0 = vCPU index. */
static const uint64_t mpidr[2] = { 0x80000000u, 0x80000001u };

/* ICC_* encodings (op0 3, op1 0, CRn 12 or 4) of enum g3_sys. */
static uint32_t sys_enc(unsigned r)
{
	static const unsigned char crm_op2[][3] = {
		[G3_ICC_PMR] = { 4, 6, 0 }, [G3_ICC_SRE] = { 12, 12, 5 },
		[G3_ICC_CTLR] = { 12, 12, 4 }, [G3_ICC_IGRPEN1] = { 12, 12, 7 },
		[G3_ICC_IAR1] = { 12, 12, 0 }, [G3_ICC_EOIR1] = { 12, 12, 1 },
		[G3_ICC_RPR] = { 12, 11, 3 },
	};

	return sysreg_enc(3, 0, crm_op2[r][0], crm_op2[r][1], crm_op2[r][2]);
}

/* The vCPU whose GICR_TYPER.Affinity_Value names the PE, scanning the
 * frames until Last as the guest does; -1 if none. */
static int rd_of(struct gicv3 *g, uint64_t pe_mpidr)
{
	for (unsigned i = 0; i < g->nvcpus; i++) {
		uint64_t t;

		assert_int_equal(gicv3_redist_access(g, i, GICV3_GICR_TYPER, 8, false, &t), 0);
		if (t >> 32 == g3_typer_aff(pe_mpidr))
			return (int)i;
		if (t & (1u << 4))
			break;
	}
	return -1;
}

struct failed { unsigned n, first_id; };

static void check(struct failed *f, unsigned id, bool ok)
{
	if (!ok && !f->n++)
		f->first_id = id;
}

/* The step's register access (a write of *v, or a read into *v) through
 * the model's entry point for its frame; vcpu is the redistributor's. */
static void step_access(struct gicv3 *g, const struct g3_step *s, int vcpu, bool write,
			uint64_t *v)
{
	const char *why = NULL;

	if (s->frame == G3_SYS)
		assert_int_equal(gicv3_sysreg_access(g, 0, sys_enc(s->off), !write, v, &why), 0);
	else if (s->frame == G3_DIST)
		assert_int_equal(gicv3_dist_access(g, s->off, s->width, write, v), 0);
	else
		assert_int_equal(gicv3_redist_access(g, (unsigned)vcpu,
			(s->frame == G3_SGI ? GICV3_SGI_BASE : 0) + s->off, s->width, write, v), 0);
}

static void run_step(struct gicv3 *g, const struct g3_step *s, struct failed *f)
{
	uint64_t v = 0, want;
	int vcpu = -1;
	const char *why = NULL;

	if (s->frame == G3_RD || s->frame == G3_SGI) {
		vcpu = rd_of(g, mpidr[s->pe & 1]);
		assert_true(vcpu >= 0);
	}
	switch (s->op) {
	case G3_W:
	case G3_WAFF:
		v = s->op == G3_WAFF ? g3_irouter_aff(mpidr[s->pe & 1]) : s->val;
		step_access(g, s, vcpu, true, &v);
		return;
	case G3_SEND:
		v = g3_sgi1r(mpidr[s->pe & 1], (unsigned)s->val);
		assert_int_equal(gicv3_sysreg_access(g, 0, sysreg_enc(3, 0, 12, 11, 5), false, &v,
						     &why), 0);
		return;
	default:
		break;
	}
	step_access(g, s, vcpu, false, &v);
	v &= s->mask;
	want = s->op == G3_RAFF ? g3_irouter_aff(mpidr[s->pe & 1]) & s->mask : s->val;
	check(f, s->id, s->op == G3_RGE ? v >= want : v == want);
}

static struct gicv3 *model(void)
{
	struct gicv3 *g = calloc(1, sizeof(*g));

	assert_non_null(g);
	assert_int_equal(gicv3_init(g, 7, 2, mpidr), 0);	/* 256 INTIDs, as KVM's default */
	return g;
}

static void run_script(struct gicv3 *g, struct failed *f)
{
	for (size_t i = 0; i < G3_NSTEPS; i++)
		run_step(g, &gicv3_script[i], f);
}

static void test_script_on_model(void **state)
{
	struct gicv3 *g = model();
	struct failed f = { 0 };
	unsigned checks = 0;

	(void)state;
	run_script(g, &f);
	for (size_t i = 0; i < G3_NSTEPS; i++)
		checks += gicv3_script[i].id != 0;
	free(g);
	if (f.n)
		print_message("gicv3 script: %u checks fail on the model, the first is check %u\n",
			      f.n, f.first_id);
	assert_int_equal(f.n, 0);
	assert_true(checks >= 30);
}

/* The guest's frame checks (ids 40-42) on the model's GICR_TYPER: one
 * frame per PE, Last on the second of two. */
static void test_frames_on_model(void **state)
{
	struct gicv3 *g = model();
	unsigned n = 0;

	(void)state;
	assert_int_equal(rd_of(g, mpidr[0]), 0);
	assert_int_equal(rd_of(g, mpidr[1]), 1);
	for (unsigned i = 0; i < g->nvcpus; i++) {
		uint64_t t;

		assert_int_equal(gicv3_redist_access(g, i, GICV3_GICR_TYPER, 8, false, &t), 0);
		n++;
		if (t & (1u << 4))
			break;
	}
	free(g);
	assert_int_equal(n, 2);
}

/* The checks can fail: a Distributor that forgets an SPI's priority, or
 * a CPU interface that acknowledges nothing, is caught by its check. */
static void test_script_catches_wrong_model(void **state)
{
	struct gicv3 *g = model();
	struct failed f = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < G3_NSTEPS; i++) {
		const struct g3_step *s = &gicv3_script[i];

		run_step(g, s, &f);
		/* after the 0xFF priority write: the model loses it */
		if (s->op == G3_W && s->frame == G3_DIST && s->off == 0x400 + G3_SPI && s->val == 0xFF)
			gicv3_irq_state(g, 0, G3_SPI)->priority = 0;
	}
	free(g);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.first_id, 8);

	g = model();
	memset(&f, 0, sizeof(f));
	for (i = 0; i < G3_NSTEPS; i++) {
		const struct g3_step *s = &gicv3_script[i];

		/* drop the self-SGI: IAR1 then reads 1023, not the SGI */
		if (s->op == G3_SEND && s->pe == 0)
			continue;
		run_step(g, s, &f);
	}
	free(g);
	assert_true(f.n >= 1);
	assert_int_equal(f.first_id, 30);
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_script_on_model),
	cmocka_unit_test(test_frames_on_model),
	cmocka_unit_test(test_script_catches_wrong_model))
