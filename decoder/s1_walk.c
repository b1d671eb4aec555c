/*
 * Stage-1 EL1&0 walk with every table access translated by Stage 2
 * (D8.2 "Translation process", D8.3 Stage-1 descriptors, D8.4.1 Stage 1
 * permissions, D24.2.194 TCR_EL1). A Stage-2 fault on a Stage-1 table
 * access is reported with S1PTW=1 and HPFAR_EL2 naming the descriptor's
 * IPA. Stage-1 hardware updates (TCR_EL1.HA/HD) are honoured for the
 * fault checks but not reported or written.
 */
#include "hvexit/s2.h"

int s1_tcr_decode(uint64_t tcr, struct s1_tcr *o)
{
	if (!o)
		return -EINVAL;
	/* D24.2.194 TCR_EL1 field positions. */
	*o = (struct s1_tcr){
		.t0sz = (uint8_t)hvx_bits(tcr, 5, 0),
		.epd0 = hvx_bit(tcr, 7),
		.tg0 = (uint8_t)hvx_bits(tcr, 15, 14),
		.t1sz = (uint8_t)hvx_bits(tcr, 21, 16),
		.a1 = hvx_bit(tcr, 22),
		.epd1 = hvx_bit(tcr, 23),
		.tg1 = (uint8_t)hvx_bits(tcr, 31, 30),
		.ips = (uint8_t)hvx_bits(tcr, 34, 32),
		.tbi0 = hvx_bit(tcr, 37),
		.tbi1 = hvx_bit(tcr, 38),
		.ha = hvx_bit(tcr, 39),
		.hd = hvx_bit(tcr, 40),
		.ds = hvx_bit(tcr, 59),
	};
	return 0;
}

/* TG0 and TG1 encode the granule differently (D24.2.194). 0 = reserved. */
static const unsigned tg0_bits[4] = { [0] = 12, [1] = 16, [2] = 14, [3] = 0 };
static const unsigned tg1_bits[4] = { [0] = 0, [1] = 14, [2] = 12, [3] = 16 };
static const unsigned ips_bits[8] = { 32, 36, 40, 42, 44, 48, 52, 0 };

struct s1_regime {
	unsigned g, stride, ia, oa;
	int start;
	unsigned root_bits;
	uint64_t base;
};

static void s1_fault(struct s1_result *r, enum s2_fault f, int level)
{
	int code = s2_fsc_code(f, level);

	r->fault = f;
	r->level = level;
	r->fsc = (uint8_t)(code >= 0 ? code : s2_fsc_code(f, 0));
}

#define FAIL(msg) do { if (rule) *rule = (msg); return -EINVAL; } while (0)

/* Pick TTBR0/TTBR1 by VA[55] and derive the walk; 1 = translation fault
 * at level 0 already recorded in r, 0 = walk, <0 unsupported TCR. */
static int s1_setup(const struct s1_tcr *t, uint64_t ttbr0, uint64_t ttbr1,
		    uint64_t va, struct s1_regime *g, struct s1_result *r,
		    const char **rule)
{
	bool upper = hvx_bit(va, 55);
	unsigned txsz = upper ? t->t1sz : t->t0sz;
	bool tbi = upper ? t->tbi1 : t->tbi0;
	bool epd = upper ? t->epd1 : t->epd0;
	uint64_t ttbr = upper ? ttbr1 : ttbr0;

	g->g = upper ? tg1_bits[t->tg1] : tg0_bits[t->tg0];
	if (!g->g)
		FAIL("TCR_EL1.TGx reserved encoding (D24.2.194 TG0/TG1)");
	if (t->ds)
		FAIL("TCR_EL1.DS=1 (52-bit Stage 1) is not modelled (D24.2.194 DS)");
	if (txsz < 16 || txsz > 39)
		FAIL("TCR_EL1.TxSZ outside 16..39 (D24.2.194 T0SZ/T1SZ; AArch64.S1InvalidTxSZ)");
	if (!ips_bits[t->ips])
		FAIL("TCR_EL1.IPS=0b111 is reserved (D24.2.194 IPS)");
	g->stride = g->g - 3;
	g->ia = 64 - txsz;
	g->oa = ips_bits[t->ips] == 52 ? 48 : ips_bits[t->ips];
	/* Number of levels = ceil((ia - g) / stride) (D8.2 start level). */
	unsigned levels = (g->ia - g->g + g->stride - 1) / g->stride;
	g->start = 4 - (int)levels;
	g->root_bits = g->ia - (g->g + (unsigned)(3 - g->start) * g->stride);
	/* AArch64.S1TTBaseAddress: BADDR [47:1], low bits below the table
	 * size ignored. */
	unsigned x = g->root_bits + 3;
	g->base = ttbr & hvx_mask(47, x);

	/* AArch64.VAIsOutOfRange: bits [top:ia] must all equal VA[55]. */
	unsigned top = tbi ? 55 : 63;
	uint64_t hi = hvx_bits(va, top, g->ia);
	uint64_t want = upper ? hvx_mask(top - g->ia, 0) : 0;
	if (hi != want || epd) {
		s1_fault(r, S2_FAULT_TRANSLATION, 0);
		return 1;
	}
	return 0;
}

/* Hierarchical limits gathered from table descriptors (D8.3 table
 * descriptor: APTable [62:61], UXNTable [60], PXNTable [59]). */
struct s1_limits {
	unsigned ap_table;	/* APTable[1:0], OR of every level */
	bool uxn_table, pxn_table;
};

/* Stage-1 Direct permissions of the EL1&0 regime (D8.4.1.2 Table D8-65;
 * pseudocode AArch64.S1DirectBasePermissions / S1ComputePermissions):
 * AP[2:1] with DBM under HD clearing AP[2], APTable limits, "EL0-writable
 * is never privileged-executable", PSTATE.PAN for privileged data accesses
 * to EL0-accessible memory (D8.4.5 R XTSQH), SCTLR_EL1.WXN removing execute
 * from writable memory (D8.4.1.2.3 R FYMXJ / R SYMMB). Returns true if the
 * access is denied. */
static bool s1_denied(const struct s1_result *r, const struct s1_limits *lim,
		      bool dbm_hd, bool pan, bool wxn, enum s2_access acc, bool el0)
{
	unsigned ap = r->ap & (dbm_hd ? 1u : 3u);	/* AP[2:1] as bits [1:0] */
	bool pw = !(ap & 2), ur = ap & 1, uw = ap == 1;

	if (lim->ap_table & 1)
		ur = uw = false;
	if (lim->ap_table & 2)
		pw = uw = false;
	bool px = !(r->pxn || lim->pxn_table || uw);
	bool ux = !(r->uxn || lim->uxn_table);
	bool pr = true;
	if (pan && acc != S2_ACC_EXEC && (ur || uw))
		pr = pw = false;
	bool rd = el0 ? ur : pr, wr = el0 ? uw : pw, x = el0 ? ux : px;
	if (wxn && wr)
		x = false;
	switch (acc) {
	case S2_ACC_READ: return !rd;
	case S2_ACC_WRITE: return !wr;
	case S2_ACC_EXEC: return !x;
	}
	return true;
}

/* One Stage-2 walk on behalf of Stage 1; keeps its hardware update. */
static int s2_step(const struct s2_config *s2, uint64_t ipa, enum s2_access acc,
		   bool el0, const struct s2_mem *mem, struct s1_result *r)
{
	int rc = s2_walk_mem(s2, ipa, acc, el0, mem, &r->s2);

	if (rc == 0 && r->s2.upd.valid && r->nupd < HVX_ARRAY_SIZE(r->upd))
		r->upd[r->nupd++] = r->s2.upd;
	return rc;
}

int s1_walk(const struct s1_regs *regs, const struct s2_config *s2,
	    uint64_t va, enum s2_access acc, bool el0,
	    const struct s2_mem *mem, struct s1_result *r, const char **rule)
{
	struct s1_tcr t;
	struct s1_regime g;

	if (!regs || !s2 || !mem || !mem->read64 || !r || (unsigned)acc > S2_ACC_EXEC)
		FAIL("bad arguments");
	*r = (struct s1_result){ .va = va };
	s1_tcr_decode(regs->tcr, &t);
	int rc = s1_setup(&t, regs->ttbr0, regs->ttbr1, va, &g, r, rule);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return 0;
	if (g.base >> g.oa) {
		s1_fault(r, S2_FAULT_ADDRESS_SIZE, 0);
		return 0;
	}
	/* TCR_EL1.HA/HD count only with FEAT_HAFDBS, HD only with HA. */
	bool ha = (s2->features & S2_FEAT_HAFDBS) && t.ha, hd = ha && t.hd;
	bool pan = (s2->features & S2_FEAT_PAN) && regs->pan && !el0;
	bool wxn = (s2->features & S2_FEAT_WXN) && hvx_bit(regs->sctlr, 19);

	uint64_t table = g.base;
	struct s1_limits lim = { 0 };
	for (int level = g.start; level <= 3; level++) {
		unsigned shift = g.g + (unsigned)(3 - level) * g.stride;
		unsigned nbits = level == g.start ? g.root_bits : g.stride;
		uint64_t index = (va >> shift) & hvx_mask(nbits - 1, 0);
		uint64_t dipa = table + index * 8;
		struct s2_trace_step *st = &r->trace[r->steps++];
		uint64_t d = 0;

		st->level = level;
		st->index = (unsigned)index;
		st->desc_pa = dipa;
		/* The descriptor fetch is itself a Stage-2 read. */
		rc = s2_step(s2, dipa, S2_ACC_READ, false, mem, r);
		if (rc < 0) {
			if (rule)
				*rule = rc == -EAGAIN ? "Stage-2 descriptor kept changing under the hardware update"
						      : "bad Stage-2 configuration";
			return rc;
		}
		if (r->s2.fault != S2_OK) {
			r->s1ptw = true;
			r->level = level;
			return 0;
		}
		if (mem->read64(mem->ctx, r->s2.pa, &d) != 0) {
			s1_fault(r, S2_FAULT_SYNC_EXT_WALK, level);
			return 0;
		}
		st->desc = d;
		bool is_table = hvx_bit(d, 1);
		bool blk_ok = (g.g == 12 && (level == 1 || level == 2)) ||
			      (g.g != 12 && level == 2);
		if (!hvx_bit(d, 0) || (level == 3 && !is_table) ||
		    (level < 3 && !is_table && !blk_ok)) {
			s1_fault(r, S2_FAULT_TRANSLATION, level);
			return 0;
		}
		if (level < 3 && is_table) {
			lim.ap_table |= (unsigned)hvx_bits(d, 62, 61);
			lim.uxn_table |= hvx_bit(d, 60);
			lim.pxn_table |= hvx_bit(d, 59);
			table = d & hvx_mask(47, g.g);
			if (table >> g.oa) {
				s1_fault(r, S2_FAULT_ADDRESS_SIZE, level);
				return 0;
			}
			continue;
		}
		r->level = level;
		r->size = UINT64_C(1) << shift;
		uint64_t oa = d & hvx_mask(47, shift);
		r->ipa = oa | (va & (r->size - 1));
		r->ap = (uint8_t)hvx_bits(d, 7, 6);
		r->uxn = hvx_bit(d, 54);
		r->pxn = hvx_bit(d, 53);
		r->af = hvx_bit(d, 10);
		r->attrindx = (uint8_t)hvx_bits(d, 4, 2);
		if (oa >> g.oa) {
			s1_fault(r, S2_FAULT_ADDRESS_SIZE, level);
			return 0;
		}
		if (!r->af && !ha) {
			s1_fault(r, S2_FAULT_ACCESS_FLAG, level);
			return 0;
		}
		if (s1_denied(r, &lim, hd && hvx_bit(d, 51), pan, wxn, acc, el0)) {
			s1_fault(r, S2_FAULT_PERMISSION, level);
			return 0;
		}
		/* Stage 2 of the final IPA, for the access itself. */
		rc = s2_step(s2, r->ipa, acc, el0, mem, r);
		if (rc < 0 && rule)
			*rule = "Stage-2 descriptor kept changing under the hardware update";
		return rc;
	}
	s1_fault(r, S2_FAULT_TRANSLATION, 3);
	return 0;
}
