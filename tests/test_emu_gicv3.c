/*
 * GICv3 model (emu/gicv3_*.c) against Arm IHI 0069 (GIC architecture
 * version 3 and version 4), chapter 12: one row per access, {register,
 * offset, width, value written, expected read, section}. The GIC under
 * test: ITLinesNumber 2 (INTIDs 0-95), four vCPUs with MPIDR_EL1 affinity
 * 0.0.0.0, 0.0.0.1, 0.0.1.0 and 1.1.2.3 (Aff3.Aff2.Aff1.Aff0), a single
 * Security state (GICD_CTLR.DS = 1), no LPIs; hvexit/gicv3.h lists the
 * IMPLEMENTATION DEFINED choices (5 priority bits, RSS, A3V). Fields whose
 * reset value the specification leaves UNKNOWN are not asserted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"
#include "tests/tsv.h"

#include "hvexit/emu_default.h"
#include "hvexit/esr.h"
#include "hvexit/gicv3.h"
#include "hvexit/sysreg.h"

#define NV 4
static const uint64_t MPIDR[NV] = {
	UINT64_C(0x80000000), UINT64_C(0x80000001), UINT64_C(0x80000100),
	UINT64_C(0x0000000180010203),	/* Aff3 [39:32] 1, Aff2 1, Aff1 2, Aff0 3 */
};
static struct gicv3 *G;

static int setup(void **s)
{
	(void)s;
	G = malloc(sizeof(*G));
	return G && !gicv3_init(G, 2, NV, MPIDR) ? 0 : -1;
}

static int teardown(void **s)
{
	(void)s;
	free(G);
	return 0;
}

/* ---- MMIO rows --------------------------------------------------------- */
enum frame { GICD = -1, GICR0 = 0, GICR1 = 1, GICR2 = 2, GICR3 = 3 };
enum { RD = 0, WR = 1 };

struct mmio_row {
	const char *reg;
	int frame;		/* GICD, or the vCPU whose Redistributor */
	uint32_t off;		/* offset in the frame (SGI_base at +0x10000) */
	unsigned width;		/* bytes */
	int write;		/* WR: write val first, then read back */
	uint64_t val;
	uint64_t expect;	/* read back (masked by mask, if not 0) */
	uint64_t mask;
	int rc;			/* 0, or -EINVAL: both accesses rejected */
	const char *ref;	/* IHI 0069 */
};

static int mmio(int frame, uint32_t off, unsigned width, bool write, uint64_t *v)
{
	return frame == GICD ? gicv3_dist_access(G, off, width, write, v)
			     : gicv3_redist_access(G, (unsigned)frame, off, width, write, v);
}

static void run_mmio(const struct mmio_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct mmio_row *r = &rows[i];
		uint64_t v = r->val, m = r->mask ? r->mask : ~UINT64_C(0);
		int rc;

		if (r->write && (rc = mmio(r->frame, r->off, r->width, true, &v)) != r->rc)
			fail_msg("%s (%s): write of width %u returned %d, expected %d", r->reg,
				 r->ref, r->width, rc, r->rc);
		v = 0;
		if ((rc = mmio(r->frame, r->off, r->width, false, &v)) != r->rc)
			fail_msg("%s (%s): read of width %u returned %d, expected %d", r->reg,
				 r->ref, r->width, rc, r->rc);
		if (!r->rc && (v & m) != r->expect)
			fail_msg("%s (%s): read 0x%llx, expected 0x%llx", r->reg, r->ref,
				 (unsigned long long)(v & m), (unsigned long long)r->expect);
	}
}

#define SGIB GICV3_SGI_BASE
/* GICD_TYPER: ITLinesNumber [4:0] 2, CPUNumber [7:5] 0 (affinity routing
 * only), IDbits [23:19] 9, A3V [24] 1, RSS [26] 1; LPIS, MBIS, ESPI 0. */
#define TYPER_VAL UINT64_C(0x05480002)

/* The MMIO rows are data: MMIO_ROWS, one row a line, each naming the test
 * that runs it; struct mmio_table says how many rows each test has. */
#define MMIO_ROWS "tests/vectors/gicv3_mmio.tsv"

struct mmio_table {
	const char *test;
	unsigned rows;
};

static const struct mmio_table MMIO_RESET = { "reset", 16 }, MMIO_RAZWI = { "razwi", 23 },
			       MMIO_PRIO = { "prio", 8 }, MMIO_IROUTER = { "irouter", 6 },
			       MMIO_WIDTH = { "width", 14 }, MMIO_WAKER = { "waker", 5 };

struct mmio_table_run {
	const struct mmio_table *table;
	unsigned n;	/* rows run */
};

/* A row of MMIO_ROWS: run it if it belongs to the table (arg). */
static void mmio_line(char **f, int line, void *arg)
{
	struct mmio_table_run *t = arg;
	struct mmio_row r;

	(void)line;
	if (strcmp(f[0], t->table->test))
		return;
	assert_true(!strcmp(f[2], "GICD") || (!strncmp(f[2], "GICR", 4) && f[2][4] >= '0' &&
					      f[2][4] < '0' + NV && !f[2][5]));
	assert_true(!strcmp(f[5], "RD") || !strcmp(f[5], "WR"));
	r.reg = f[1];
	r.frame = f[2][3] == 'D' ? GICD : f[2][4] - '0';
	r.off = (uint32_t)(strncmp(f[3], "SGI+", 4) ? strtoul(f[3], NULL, 0)
						    : SGIB + strtoul(f[3] + 4, NULL, 0));
	r.width = (unsigned)strtoul(f[4], NULL, 0);
	r.write = f[5][0] == 'W';
	r.val = strtoull(f[6], NULL, 0);
	r.expect = strtoull(f[7], NULL, 0);
	r.mask = strtoull(f[8], NULL, 0);
	r.rc = strcmp(f[9], "-EINVAL") ? (int)strtol(f[9], NULL, 0) : -EINVAL;
	r.ref = f[10];
	run_mmio(&r, 1);
	t->n++;
}

/* Runs the rows of MMIO_ROWS that belong to the test's table (its state). */
static void test_mmio_table(void **s)
{
	struct mmio_table_run t = { *s, 0 };

	tsv_for_each(MMIO_ROWS, 11, mmio_line, &t);
	assert_int_equal(t.n, t.table->rows);
}

/* ---- System register rows (ICC_* encodings from the decoder table) ----- */
struct icc_row {
	const char *reg;	/* name in the decoder's System register table */
	unsigned vcpu;
	int write;		/* WR: MSR val, then MRS (unless the row is WO) */
	uint64_t val;
	uint64_t expect;	/* MRS result (masked by mask, if not 0) */
	uint64_t mask;
	const char *undef;	/* NULL, or why the MSR/MRS is UNDEFINED */
	const char *ref;	/* IHI 0069 */
};

static uint32_t enc_of(const char *name)
{
	uint32_t enc = 0;

	if (sysreg_lookup(name, &enc))
		fail_msg("%s: not in the decoder's System register table", name);
	return enc;
}

static int icc(unsigned vcpu, const char *name, bool read, uint64_t *v, const char **why)
{
	return gicv3_sysreg_access(G, vcpu, enc_of(name), read, v, why);
}

static uint64_t mrs(unsigned vcpu, const char *name)
{
	uint64_t v = 0;

	assert_int_equal(icc(vcpu, name, true, &v, NULL), 0);
	return v;
}

static void msr(unsigned vcpu, const char *name, uint64_t v)
{
	assert_int_equal(icc(vcpu, name, false, &v, NULL), 0);
}

static void run_icc(const struct icc_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct icc_row *r = &rows[i];
		uint64_t v = r->val, m = r->mask ? r->mask : ~UINT64_C(0);
		const char *why = NULL;
		int rc;

		rc = icc(r->vcpu, r->reg, !r->write, &v, &why);
		if (r->undef) {
			if (rc != -EPERM || !why || strcmp(why, r->undef))
				fail_msg("%s (%s): %s returned %d (%s), expected UNDEFINED (%s)",
					 r->reg, r->ref, r->write ? "MSR" : "MRS", rc,
					 why ? why : "-", r->undef);
			continue;
		}
		if (rc)
			fail_msg("%s (%s): %s returned %d (%s)", r->reg, r->ref,
				 r->write ? "MSR" : "MRS", rc, why ? why : "-");
		if (r->write && (rc = icc(r->vcpu, r->reg, true, &v, &why)) != 0)
			fail_msg("%s (%s): MRS after MSR returned %d", r->reg, r->ref, rc);
		if ((v & m) != r->expect)
			fail_msg("%s (%s): read 0x%llx, expected 0x%llx", r->reg, r->ref,
				 (unsigned long long)(v & m), (unsigned long long)r->expect);
	}
}

/* The CPU interface rows are data: ICC_ROWS, run in order. */
#define ICC_ROWS "tests/vectors/gicv3_icc.tsv"
#define ICC_NROWS 36

static void icc_line(char **f, int line, void *arg)
{
	struct icc_row r;

	(void)line;
	(void)arg;
	assert_true(!strcmp(f[2], "RD") || !strcmp(f[2], "WR"));
	r.reg = f[0];
	r.vcpu = (unsigned)strtoul(f[1], NULL, 0);
	assert_true(r.vcpu < NV);
	r.write = f[2][0] == 'W';
	r.val = strtoull(f[3], NULL, 0);
	r.expect = strtoull(f[4], NULL, 0);
	r.mask = strtoull(f[5], NULL, 0);
	r.undef = strcmp(f[6], "-") ? f[6] : NULL;
	r.ref = f[7];
	run_icc(&r, 1);
}

static void test_cpuif_registers(void **s)
{
	(void)s;
	assert_int_equal(tsv_for_each(ICC_ROWS, 8, icc_line, NULL), ICC_NROWS);
}

/* Every EL1 CPU interface register of the decoder's table is either
 * handled or UNDEFINED for a stated reason; other names are not ours. */
static void test_every_icc_el1_register(void **s)
{
	size_t n = sysreg_count(), seen = 0;

	(void)s;
	for (size_t i = 0; i < n; i++) {
		uint32_t enc;
		const char *name, *why = NULL;
		uint64_t v = 0;
		int rc;

		assert_int_equal(sysreg_at(i, &enc, &name), 0);
		rc = gicv3_sysreg_access(G, 0, enc, true, &v, &why);
		size_t len = strlen(name);
		bool ours = !strncmp(name, "ICC_", 4) && !strcmp(name + len - 4, "_EL1");
		if (!ours) {
			if (rc != -ENOENT)
				fail_msg("%s is not an EL1 CPU interface register but got %d", name, rc);
			continue;
		}
		seen++;
		if (rc && !(rc == -EPERM && why && (!strcmp(why, "write-only") ||
						    !strcmp(why, "not implemented"))))
			fail_msg("%s: MRS returned %d (%s)", name, rc, why ? why : "-");
	}
	assert_true(seen >= 20);
}

/* ---- SGI generation ----------------------------------------------------- */
static uint32_t gicr_pend0(unsigned vcpu)
{
	uint64_t v = 0;

	assert_int_equal(gicv3_redist_access(G, vcpu, SGIB + GIC_ISPENDR, 4, false, &v), 0);
	return (uint32_t)v;
}

static void gicr_write(unsigned vcpu, uint32_t off, uint64_t v)
{
	assert_int_equal(gicv3_redist_access(G, vcpu, off, 4, true, &v), 0);
}

static void gicd_write(uint32_t off, unsigned width, uint64_t v)
{
	assert_int_equal(gicv3_dist_access(G, off, width, true, &v), 0);
}

struct sgi_row {
	unsigned from;
	uint64_t val;		/* ICC_SGI1R_EL1 value */
	unsigned expect;	/* vCPUs where INTID becomes pending */
	const char *ref;
};

#define SGI_ID(n) (UINT64_C(n) << 24)
static const struct sgi_row sgi_rows[] = {
	{ 0, SGI_ID(1) | 0x3, 0x3,
	  "12.2 ICC_SGI1R_EL1: IRM 0, Aff3.Aff2.Aff1 0.0.0, TargetList {0,1} -> Aff0 0 and 1" },
	{ 1, SGI_ID(2) | UINT64_C(1) << 16 | 0x1, 0x4,
	  "12.2 ICC_SGI1R_EL1: Aff1 [23:16] 1, TargetList {0} -> 0.0.1.0" },
	{ 0, SGI_ID(3) | UINT64_C(1) << 48 | UINT64_C(1) << 32 | UINT64_C(2) << 16 | 1u << 3, 0x8,
	  "12.2 ICC_SGI1R_EL1: Aff3 [55:48] 1, Aff2 [39:32] 1, Aff1 2, TargetList {3} -> 1.1.2.3" },
	{ 0, SGI_ID(4) | UINT64_C(1) << 40, 0xE,
	  "12.2 ICC_SGI1R_EL1: IRM [40] 1 -> every PE but the sender" },
	{ 2, SGI_ID(5) | UINT64_C(1) << 40 | UINT64_C(0xff) << 16 | 0xffff, 0xB,
	  "12.2 ICC_SGI1R_EL1: IRM 1 from vCPU 2; Aff1 and TargetList are then RES0" },
	{ 0, SGI_ID(6) | UINT64_C(1) << 44 | 0xffff, 0,
	  "12.2 ICC_SGI1R_EL1: RS [47:44] 1 -> TargetList[n] is Aff0 16 + n: no such PE" },
	{ 0, SGI_ID(7) | 0x4, 0,
	  "12.2 ICC_SGI1R_EL1: a TargetList bit naming no PE (0.0.0.2) is ignored" },
	{ 3, SGI_ID(15) | UINT64_C(1) << 48 | UINT64_C(1) << 32 | UINT64_C(2) << 16 | 0x8, 0x8,
	  "12.2 ICC_SGI1R_EL1: INTID [27:24] 15, to self" },
};

static void test_sgi1r_targets(void **s)
{
	(void)s;
	for (unsigned c = 0; c < NV; c++)
		gicr_write(c, SGIB + GIC_IGROUPR, 0xffffffff);	/* SGIs in Group 1 */
	for (size_t i = 0; i < HVX_ARRAY_SIZE(sgi_rows); i++) {
		const struct sgi_row *r = &sgi_rows[i];
		unsigned id = gic_sgir_intid(r->val);

		msr(r->from, "ICC_SGI1R_EL1", r->val);
		for (unsigned c = 0; c < NV; c++)
			if ((gicr_pend0(c) >> id & 1) != (r->expect >> c & 1))
				fail_msg("%s: SGI %u on vCPU %u pending %u, expected %u", r->ref, id,
					 c, gicr_pend0(c) >> id & 1, r->expect >> c & 1);
	}
}

/* With DS = 1: ICC_SGI0R_EL1 forwards to Group 0 SGIs only, ICC_SGI1R_EL1
 * to either group, ICC_ASGI1R_EL1 (other Security state's Group 1) to
 * Group 0 only (hvexit/gicv3.h; 12.2 ICC_SGI0R_EL1, ICC_SGI1R_EL1,
 * ICC_ASGI1R_EL1: "can generate Group 0 interrupts"). */
static void test_sgi_groups(void **s)
{
	(void)s;
	gicr_write(1, SGIB + GIC_IGROUPR, 1u << 2);	/* SGI 1 Group 0, SGI 2 Group 1 */
	msr(0, "ICC_SGI0R_EL1", SGI_ID(1) | 0x2);
	msr(0, "ICC_SGI0R_EL1", SGI_ID(2) | 0x2);
	assert_int_equal(gicr_pend0(1), 1u << 1);
	gicr_write(1, SGIB + GIC_ICPENDR, 0xffffffff);
	msr(0, "ICC_ASGI1R_EL1", SGI_ID(2) | 0x2);
	assert_int_equal(gicr_pend0(1), 0);
	msr(0, "ICC_ASGI1R_EL1", SGI_ID(1) | 0x2);
	assert_int_equal(gicr_pend0(1), 1u << 1);
	gicr_write(1, SGIB + GIC_ICPENDR, 0xffffffff);
	msr(0, "ICC_SGI1R_EL1", SGI_ID(1) | 0x2);
	msr(0, "ICC_SGI1R_EL1", SGI_ID(2) | 0x2);
	assert_int_equal(gicr_pend0(1), 1u << 1 | 1u << 2);
	assert_int_equal(gicr_pend0(0), 0);
}

/* ---- acknowledge, priority drop, deactivation --------------------------- */
static uint32_t gicr_read(unsigned vcpu, uint32_t off)
{
	uint64_t v = 0;

	assert_int_equal(gicv3_redist_access(G, vcpu, off, 4, false, &v), 0);
	return (uint32_t)v;
}

/* vCPU c awake, Group 1 on, SGIs/PPIs Group 1 and enabled, PMR 0xF0. */
static void cpu_up(unsigned c)
{
	gicr_write(c, GICV3_GICR_WAKER, 0);
	gicr_write(c, SGIB + GIC_IGROUPR, 0xffffffff);
	gicr_write(c, SGIB + GIC_ISENABLER, 0xffffffff);
	msr(c, "ICC_PMR_EL1", 0xf0);
	msr(c, "ICC_IGRPEN1_EL1", 1);
}

static void test_ack_eoi(void **s)
{
	(void)s;
	gicd_write(GICV3_GICD_CTLR, 4, GICV3_CTLR_GRP1);
	cpu_up(0);
	gicr_write(0, SGIB + GIC_IPRIORITYR + 4, 0x80);		/* SGI 4: 0x80 */
	gicr_write(0, SGIB + GIC_IPRIORITYR + 20, 0x40);	/* PPI 20: 0x40 */
	assert_int_equal(gicv3_set_pending(G, 0, 20), 0);
	msr(0, "ICC_SGI1R_EL1", SGI_ID(4) | 0x1);		/* SGI 4 to self */
	/* 12.2 ICV_HPPIR1_EL1: the highest priority pending interrupt. */
	assert_int_equal(mrs(0, "ICC_HPPIR1_EL1"), 20);
	/* 12.2 ICV_IAR1_EL1: acknowledge it; it becomes active, not pending. */
	assert_int_equal(mrs(0, "ICC_IAR1_EL1"), 20);
	assert_int_equal(gicr_read(0, SGIB + GIC_ISACTIVER), 1u << 20);
	assert_int_equal(gicr_read(0, SGIB + GIC_ISPENDR), 1u << 4);
	/* 12.2 ICV_RPR_EL1: the running priority is its group priority. */
	assert_int_equal(mrs(0, "ICC_RPR_EL1"), 0x40);
	assert_int_equal(mrs(0, "ICC_AP1R0_EL1"), 1u << (0x40 >> 3));
	/* SGI 4 (0x80) cannot preempt 0x40: IAR1 1023, HPPIR1 still names it. */
	assert_int_equal(mrs(0, "ICC_IAR1_EL1"), 1023);
	assert_int_equal(mrs(0, "ICC_HPPIR1_EL1"), 4);
	/* 12.2 ICV_EOIR1_EL1, EOImode 0: priority drop and deactivation. */
	msr(0, "ICC_EOIR1_EL1", 20);
	assert_int_equal(mrs(0, "ICC_RPR_EL1"), 0xff);
	assert_int_equal(gicr_read(0, SGIB + GIC_ISACTIVER), 0);
	/* EOImode 1 (12.2 ICV_CTLR_EL1.EOImode): EOIR1 drops the priority
	 * only, ICC_DIR_EL1 deactivates. */
	assert_int_equal(mrs(0, "ICC_IAR1_EL1"), 4);
	msr(0, "ICC_CTLR_EL1", 2);
	msr(0, "ICC_EOIR1_EL1", 4);
	assert_int_equal(mrs(0, "ICC_RPR_EL1"), 0xff);
	assert_int_equal(gicr_read(0, SGIB + GIC_ISACTIVER), 1u << 4);
	msr(0, "ICC_DIR_EL1", 4);
	assert_int_equal(gicr_read(0, SGIB + GIC_ISACTIVER), 0);
	msr(0, "ICC_CTLR_EL1", 0);
	/* 12.2 ICV_PMR_EL1: only priorities higher (lower value) than PMR. */
	msr(0, "ICC_PMR_EL1", 0x80);
	msr(0, "ICC_SGI1R_EL1", SGI_ID(5) | 0x1);
	gicr_write(0, SGIB + GIC_IPRIORITYR + 4, 0x80 << 8);	/* SGI 5: 0x80 */
	assert_int_equal(mrs(0, "ICC_IAR1_EL1"), 1023);
	msr(0, "ICC_PMR_EL1", 0x88);
	assert_int_equal(mrs(0, "ICC_IAR1_EL1"), 5);
	msr(0, "ICC_EOIR1_EL1", 5);
	/* A Group 0 interrupt is not acknowledged through IAR1 (12.2
	 * ICV_IAR1_EL1) but through IAR0, and its priority goes to AP0R0. */
	gicd_write(GICV3_GICD_CTLR, 4, GICV3_CTLR_GRP0 | GICV3_CTLR_GRP1);
	gicr_write(0, SGIB + GIC_IGROUPR, ~(1u << 7));	/* SGI 7 Group 0 */
	msr(0, "ICC_IGRPEN0_EL1", 1);
	msr(0, "ICC_SGI0R_EL1", SGI_ID(7) | 0x1);
	assert_int_equal(mrs(0, "ICC_HPPIR1_EL1"), 1023);
	assert_int_equal(mrs(0, "ICC_HPPIR0_EL1"), 7);
	assert_int_equal(mrs(0, "ICC_IAR1_EL1"), 1023);
	assert_int_equal(mrs(0, "ICC_IAR0_EL1"), 7);
	assert_int_equal(mrs(0, "ICC_AP0R0_EL1"), 1u);	/* priority 0x00: bit 0 */
	assert_int_equal(mrs(0, "ICC_RPR_EL1"), 0);
	msr(0, "ICC_EOIR0_EL1", 7);
	assert_int_equal(mrs(0, "ICC_RPR_EL1"), 0xff);
	/* 12.11 GICR_WAKER: with ProcessorSleep 1 interrupts stay pending at
	 * the Redistributor and are not communicated to the CPU interface. */
	gicr_write(0, GICV3_GICR_WAKER, GICV3_WAKER_PS);
	assert_int_equal(gicv3_set_pending(G, 0, 21), 0);
	assert_int_equal(mrs(0, "ICC_IAR1_EL1"), 1023);
	gicr_write(0, GICV3_GICR_WAKER, 0);
	assert_int_equal(mrs(0, "ICC_IAR1_EL1"), 21);
}

/* Preemption compares group priorities (12.2 ICV_BPR1_EL1: the group
 * priority field determines Group 1 interrupt preemption): with
 * BinaryPoint 6 the group priority is [7:6]. */
static void test_preemption(void **s)
{
	(void)s;
	gicd_write(GICV3_GICD_CTLR, 4, GICV3_CTLR_GRP1);
	cpu_up(1);
	gicr_write(1, SGIB + GIC_IPRIORITYR + 20, 0x58 << 16);		/* PPI 22: 0x58 */
	gicr_write(1, SGIB + GIC_IPRIORITYR + 8, 0x48 | 0x38 << 8);	/* SGI 8, SGI 9 */
	msr(1, "ICC_BPR1_EL1", 6);
	assert_int_equal(gicv3_set_pending(G, 1, 22), 0);
	assert_int_equal(mrs(1, "ICC_IAR1_EL1"), 22);
	/* 12.2 ICV_RPR_EL1: the group priority of the active interrupt,
	 * 0x58 & [7:6] = 0x40; ICV_AP1R0_EL1 bit 0x40 >> 3. */
	assert_int_equal(mrs(1, "ICC_RPR_EL1"), 0x40);
	assert_int_equal(mrs(1, "ICC_AP1R0_EL1"), 1u << 8);
	/* 0x48 is a higher priority than 0x58 but the same group priority
	 * 0x40: no preemption. */
	msr(0, "ICC_SGI1R_EL1", SGI_ID(8) | 0x2);
	assert_int_equal(mrs(1, "ICC_HPPIR1_EL1"), 8);
	assert_int_equal(mrs(1, "ICC_IAR1_EL1"), 1023);
	/* 0x38: group priority 0x00 preempts; two active priorities. */
	msr(0, "ICC_SGI1R_EL1", SGI_ID(9) | 0x2);
	assert_int_equal(mrs(1, "ICC_IAR1_EL1"), 9);
	assert_int_equal(mrs(1, "ICC_RPR_EL1"), 0);
	assert_int_equal(mrs(1, "ICC_AP1R0_EL1"), 1u << 8 | 1u);
	/* EOIR1 drops the highest active priority first (12.2 ICV_EOIR1_EL1). */
	msr(1, "ICC_EOIR1_EL1", 9);
	assert_int_equal(mrs(1, "ICC_RPR_EL1"), 0x40);
	msr(1, "ICC_EOIR1_EL1", 22);
	assert_int_equal(mrs(1, "ICC_RPR_EL1"), 0xff);
	assert_int_equal(mrs(1, "ICC_IAR1_EL1"), 8);
}

/* SPIs go where GICD_IROUTER<n> says (12.9 GICD_IROUTER<n>). */
static void test_spi_routing(void **s)
{
	(void)s;
	gicd_write(GICV3_GICD_CTLR, 4, GICV3_CTLR_GRP1);
	for (unsigned c = 0; c < NV; c++)
		cpu_up(c);
	gicd_write(GIC_IGROUPR + 4, 4, 0xffffffff);		/* SPIs 32-63 Group 1 */
	gicd_write(GIC_ISENABLER + 4, 4, 0xffffffff);
	gicd_write(GIC_IPRIORITYR + 40, 1, 0x20);
	gicd_write(GICV3_GICD_IROUTER + 8 * 40, 8, UINT64_C(0x0000000100010203));	/* 1.1.2.3 */
	gicd_write(GIC_ISPENDR + 4, 4, 1u << 8);		/* SPI 40 pending */
	assert_int_equal(mrs(0, "ICC_IAR1_EL1"), 1023);
	assert_int_equal(mrs(2, "ICC_HPPIR1_EL1"), 1023);
	assert_int_equal(mrs(3, "ICC_IAR1_EL1"), 40);
	msr(3, "ICC_EOIR1_EL1", 40);
	/* Interrupt_Routing_Mode 1: any participating PE takes it, once. */
	gicd_write(GICV3_GICD_IROUTER + 8 * 41, 8, GICV3_IROUTER_IRM);
	gicd_write(GIC_ISPENDR + 4, 4, 1u << 9);
	assert_int_equal(mrs(2, "ICC_HPPIR1_EL1"), 41);
	assert_int_equal(mrs(1, "ICC_IAR1_EL1"), 41);
	assert_int_equal(mrs(2, "ICC_HPPIR1_EL1"), 1023);
	/* An affinity that names no PE: the SPI is forwarded to none. */
	gicd_write(GICV3_GICD_IROUTER + 8 * 42, 8, UINT64_C(0x0000000000000009));
	gicd_write(GIC_ISPENDR + 4, 4, 1u << 10);
	for (unsigned c = 0; c < NV; c++)
		assert_int_equal(mrs(c, "ICC_HPPIR1_EL1"), 1023);
	/* GICD_CTLR.EnableGrp1 0: no Group 1 interrupt is forwarded. */
	gicd_write(GICV3_GICD_IROUTER + 8 * 42, 8, 0);		/* to 0.0.0.0 */
	assert_int_equal(mrs(0, "ICC_HPPIR1_EL1"), 42);
	gicd_write(GICV3_GICD_CTLR, 4, 0);
	assert_int_equal(mrs(0, "ICC_HPPIR1_EL1"), 1023);
}

/* ---- the engine: the GICv3 variant of the default VM --------------------- */
static struct emu_exit dabt_read(uint64_t ipa, unsigned sas, bool sf)
{
	struct esr_dabt d = { .ec = ESR_EC_DABT_LOW, .il = true, .isv = true, .sas = (uint8_t)sas,
			      .srt = 4, .sf = sf, .dfsc = 0x07 };
	struct emu_exit e = { 0 };

	e.esr = esr_build_dabt(&d);
	e.far = ipa;
	e.hpfar = (ipa >> 12) << 4;
	return e;
}

/* MSR/MRS <reg>, x3 (D24.2.46 ISS for EC 0x18: Op0 [21:20] Op2 [19:17]
 * Op1 [16:14] CRn [13:10] Rt [9:5] CRm [4:1] Direction [0]). */
static struct emu_exit sys_exit(const char *name, bool mrs_dir)
{
	uint32_t enc = enc_of(name);
	struct emu_exit e = { 0 };

	e.esr = (uint64_t)ESR_EC_SYS64 << 26 | ESR_IL | (uint64_t)(enc >> 14) << 20 |
		(uint64_t)(enc & 7) << 17 | (uint64_t)(enc >> 11 & 7) << 14 |
		(uint64_t)(enc >> 7 & 15) << 10 | 3u << 5 | (uint64_t)(enc >> 3 & 15) << 1 |
		(mrs_dir ? 1u : 0u);
	return e;
}

static void test_engine_vm(void **s)
{
	struct emu_default *d = malloc(sizeof(*d));
	struct emu_outcome o;
	struct emu_exit e;
	uint64_t v = 0;

	(void)s;
	assert_non_null(d);
	assert_int_equal(emu_default_init_gic(d, EMU_GIC_V3), 0);
	assert_ptr_equal(d->vm.gicv3, &d->gicv3);
	assert_null(d->vm.gic);
	d->vm.vcpu[0].pc = 0x40001000;
	/* LDR w4, [GICD_TYPER]: ITLinesNumber 2 and the rest as above. */
	e = dabt_read(EMU_DEFAULT_GICD + GICV3_GICD_TYPER, 2, false);
	assert_int_equal(emu_handle_exit(&d->vm, 0, &e, &o), 1);
	assert_int_equal(d->vm.vcpu[0].x[4], TYPER_VAL);
	/* LDR x4, [GICR_TYPER of vCPU 1]: 64-bit, affinity 0.0.0.1, Last. */
	e = dabt_read(EMU_DEFAULT_GICR + GICV3_REDIST_SIZE + GICV3_GICR_TYPER, 3, true);
	assert_int_equal(emu_handle_exit(&d->vm, 0, &e, &o), 1);
	assert_int_equal(d->vm.vcpu[0].x[4], UINT64_C(0x0000000100000110));
	/* MSR ICC_SGI1R_EL1, x3 (EC 0x18) from vCPU 0: SGI 3 to Aff0 1. */
	d->vm.vcpu[0].x[3] = SGI_ID(3) | 0x2;
	e = sys_exit("ICC_SGI1R_EL1", false);
	assert_int_equal(emu_handle_exit(&d->vm, 0, &e, &o), 1);
	assert_int_equal(o.pc, 0x40001000 + 3 * 4);
	assert_int_equal(emu_bus_access(&d->vm.bus, EMU_DEFAULT_GICR + GICV3_REDIST_SIZE +
					SGIB + GIC_ISPENDR, 4, false, &v), 0);
	assert_int_equal(v, 1u << 3);
	/* MRS x3, ICC_SRE_EL1 reads 0x7. */
	e = sys_exit("ICC_SRE_EL1", true);
	assert_int_equal(emu_handle_exit(&d->vm, 0, &e, &o), 1);
	assert_int_equal(d->vm.vcpu[0].x[3], 7);
	/* MRS of the write-only ICC_SGI1R_EL1 is UNDEFINED: EC 0x00, IL. */
	e = sys_exit("ICC_SGI1R_EL1", true);
	emu_handle_exit(&d->vm, 0, &e, &o);
	assert_int_equal(o.action, EMU_ACT_INJECT);
	assert_int_equal(o.inject.esr_el1, ESR_IL);
	assert_string_equal(o.findings[0].detail, "MRS ICC_SGI1R_EL1: write-only");
	emu_default_destroy(d);
	/* The default VM keeps its GICv2. */
	assert_int_equal(emu_default_init(d), 0);
	assert_null(d->vm.gicv3);
	assert_ptr_equal(d->vm.gic, &d->gicd);
	emu_default_destroy(d);
	assert_int_equal(emu_default_init_gic(d, 4), -EINVAL);
	free(d);
}

static void test_init_args(void **s)
{
	struct gicv3 *g = malloc(sizeof(*g));

	(void)s;
	assert_int_equal(gicv3_init(g, 32, 1, MPIDR), -EINVAL);
	assert_int_equal(gicv3_init(g, 2, 0, MPIDR), -EINVAL);
	assert_int_equal(gicv3_init(g, 2, GICV3_MAX_VCPUS + 1, MPIDR), -EINVAL);
	assert_int_equal(gicv3_init(g, 31, 1, MPIDR), 0);
	assert_int_equal(g->nirqs, 1020);	/* INTIDs 1020-1023 are special */
	assert_int_equal(gicv3_set_pending(g, 0, 1020), -EINVAL);
	assert_int_equal(gicv3_set_pending(g, 1, 5), -EINVAL);
	free(g);
}

HVX_TEST_MAIN(NULL, NULL,
	HVX_TEST_FIXTURE_STATE("test_reset_values", test_mmio_table, &MMIO_RESET),
	HVX_TEST_FIXTURE_STATE("test_raz_wi", test_mmio_table, &MMIO_RAZWI),
	HVX_TEST_FIXTURE_STATE("test_priority_bytes", test_mmio_table, &MMIO_PRIO),
	HVX_TEST_FIXTURE_STATE("test_irouter", test_mmio_table, &MMIO_IROUTER),
	HVX_TEST_FIXTURE_STATE("test_widths", test_mmio_table, &MMIO_WIDTH),
	HVX_TEST_FIXTURE_STATE("test_waker", test_mmio_table, &MMIO_WAKER),
	HVX_TEST_FIXTURE(test_cpuif_registers),
	HVX_TEST_FIXTURE(test_every_icc_el1_register),
	HVX_TEST_FIXTURE(test_sgi1r_targets),
	HVX_TEST_FIXTURE(test_sgi_groups),
	HVX_TEST_FIXTURE(test_ack_eoi),
	HVX_TEST_FIXTURE(test_preemption),
	HVX_TEST_FIXTURE(test_spi_routing),
	cmocka_unit_test(test_engine_vm),
	cmocka_unit_test(test_init_args))
