/*
 * The Stage-2 table walk (D8.2 "Translation table walk", D8.3 descriptor
 * formats; pseudocode AArch64.S2Walk / AArch64.S2Translate) and the fault
 * syndrome it produces (D24.2.40 ESR_EL2, D24.2.70 HPFAR_EL2).
 */
#include "hvexit/s2.h"

/* Descriptor fields (D8.3, VMSAv8-64 Stage-2 block and page descriptors). */
#define D_VALID		0
#define D_TABLE		1
#define D_AF		10
#define D_DBM		51
#define D_CONTIG	52

static bool cfg_ds(const struct s2_config *c)
{
	return c->lpa52 && c->granule_bits != 16;
}

/* Output/next-table address held in a descriptor, bits [47:lo] plus the
 * 52-bit extensions: 64K+LPA OA[51:48] in [15:12]; DS=1 OA[51:50] in
 * [9:8] and OA[49:48] in [49:48] (D8.3 "52-bit output address"). */
static uint64_t desc_addr(const struct s2_config *c, uint64_t d, unsigned lo)
{
	if (cfg_ds(c))
		return (d & hvx_mask(49, lo)) | (hvx_bits(d, 9, 8) << 50);
	uint64_t a = d & hvx_mask(47, lo);
	if (c->lpa52)
		a |= hvx_bits(d, 15, 12) << 48;
	return a;
}

static bool oa_out_of_range(const struct s2_config *c, uint64_t a)
{
	return c->oa_bits < 64 && (a >> c->oa_bits) != 0;
}

/* D8.3: levels at which a Stage-2 block descriptor is valid. */
bool s2_block_allowed(const struct s2_config *c, int level)
{
	switch (c->granule_bits) {
	case 12: return level == 1 || level == 2 || (level == 0 && c->lpa52);
	case 14: return level == 2 || (level == 1 && c->lpa52);
	default: return level == 2 || (level == 1 && c->lpa52);
	}
}

static unsigned level_shift(const struct s2_config *c, int level)
{
	return c->granule_bits + (unsigned)(3 - level) * c->stride;
}

static void set_fault(struct s2_result *r, enum s2_fault f, int level)
{
	int code = s2_fsc_code(f, level);

	r->fault = f;
	r->level = level;
	/* Levels without a code (access flag/permission at -1 cannot occur:
	 * no block or page exists there) fall back to level 0. */
	r->fsc = (uint8_t)(code >= 0 ? code : s2_fsc_code(f, 0));
}

/* XN[1:0] against the fetching EL (D8.3 "Stage 2 execute-never"): 00 both
 * may execute, 01 EL1 may not, 10 neither, 11 EL0 may not. */
static bool exec_denied(uint8_t xn, bool el0)
{
	return el0 ? (xn == 2 || xn == 3) : (xn == 1 || xn == 2);
}

static void fill_leaf(const struct s2_config *c, uint64_t d, struct s2_result *r)
{
	r->s2ap = (uint8_t)hvx_bits(d, 7, 6);
	r->xn = (uint8_t)(c->features & S2_FEAT_XNX ? hvx_bits(d, 54, 53)
						      : hvx_bits(d, 54, 54) << 1);
	r->memattr = (uint8_t)hvx_bits(d, 5, 2);
	r->sh = (uint8_t)(cfg_ds(c) ? c->vtcr.sh0 : hvx_bits(d, 9, 8));
	r->af = hvx_bit(d, D_AF);
	r->dbm = hvx_bit(d, D_DBM);
	r->contig = hvx_bit(d, D_CONTIG);
	r->writable = (r->s2ap & 2) ||
		      (r->dbm && c->vtcr.hd && (c->features & S2_FEAT_HAFDBS));
}

/* Final-descriptor checks in architectural priority: address size, then
 * access flag, then permission (AArch64.S2Translate). */
static void check_leaf(const struct s2_config *c, enum s2_access acc, bool el0,
		       int level, struct s2_result *r)
{
	bool ha = c->vtcr.ha && (c->features & S2_FEAT_HAFDBS);

	if (oa_out_of_range(c, r->pa)) {
		set_fault(r, S2_FAULT_ADDRESS_SIZE, level);
		return;
	}
	if (!r->af && !ha) {
		set_fault(r, S2_FAULT_ACCESS_FLAG, level);
		return;
	}
	bool denied = false;
	switch (acc) {
	case S2_ACC_READ: denied = !(r->s2ap & 1); break;
	case S2_ACC_WRITE: denied = !r->writable; break;
	case S2_ACC_EXEC: denied = exec_denied(r->xn, el0); break;
	}
	if (denied)
		set_fault(r, S2_FAULT_PERMISSION, level);
}

int s2_walk(const struct s2_config *c, uint64_t ipa, enum s2_access acc,
	    bool el0, s2_read64_fn rd, void *ctx, struct s2_result *r)
{
	if (!c || !rd || !r || (unsigned)acc > S2_ACC_EXEC ||
	    c->start_level < -1 || c->start_level > 3 ||
	    c->granule_bits < 12 || c->granule_bits > 16 || c->ia_bits > 52)
		return -EINVAL;
	*r = (struct s2_result){ .ipa = ipa };

	/* AArch64.IPAIsOutOfRange: IPA bits above 64-T0SZ -> level 0
	 * translation fault. */
	if (ipa >> c->ia_bits) {
		set_fault(r, S2_FAULT_TRANSLATION, 0);
		return 0;
	}
	/* A base address beyond PS: address size fault "level 0 or
	 * translation table base register" (D24.2.40 DFSC 0b000000). */
	if (oa_out_of_range(c, c->root)) {
		set_fault(r, S2_FAULT_ADDRESS_SIZE, c->start_level < 0 ? -1 : 0);
		return 0;
	}

	uint64_t table = c->root;
	for (int level = c->start_level; level <= 3; level++) {
		unsigned shift = level_shift(c, level);
		unsigned nbits = level == c->start_level ? c->root_index_bits : c->stride;
		uint64_t index = (ipa >> shift) & hvx_mask(nbits - 1, 0);
		uint64_t dpa = table + index * 8;
		uint64_t d = 0;
		struct s2_trace_step *st = &r->trace[r->steps++];

		st->level = level;
		st->index = (unsigned)index;
		st->desc_pa = dpa;
		if (rd(ctx, dpa, &d) != 0) {
			set_fault(r, S2_FAULT_SYNC_EXT_WALK, level);
			return 0;
		}
		st->desc = d;
		if (!hvx_bit(d, D_VALID) ||
		    (level == 3 && !hvx_bit(d, D_TABLE)) ||
		    (level < 3 && !hvx_bit(d, D_TABLE) && !s2_block_allowed(c, level))) {
			set_fault(r, S2_FAULT_TRANSLATION, level);
			return 0;
		}
		if (level < 3 && hvx_bit(d, D_TABLE)) {
			table = desc_addr(c, d, c->granule_bits);
			if (oa_out_of_range(c, table)) {
				set_fault(r, S2_FAULT_ADDRESS_SIZE, level);
				return 0;
			}
			continue;
		}
		/* block or page */
		r->level = level;
		r->size = UINT64_C(1) << shift;
		r->pa = desc_addr(c, d, shift) | (ipa & (r->size - 1));
		fill_leaf(c, d, r);
		check_leaf(c, acc, el0, level, r);
		return 0;
	}
	/* Unreachable: level 3 always ends the loop. */
	set_fault(r, S2_FAULT_TRANSLATION, 3);
	return 0;
}

uint64_t s2_fault_hpfar(uint64_t ipa)
{
	/* D24.2.70 HPFAR_EL2: FIPA [43:4] holds IPA[51:12]. */
	return ((ipa >> 12) << 4) & hvx_mask(43, 4);
}

uint64_t s2_fault_esr(const struct s2_result *r, const struct s2_access_info *ai)
{
	struct esr_dabt d = {0};

	if (!r || !ai || r->fault == S2_OK)
		return 0;
	d.s1ptw = ai->s1ptw;
	d.dfsc = r->fsc & 0x3f;
	if (ai->acc == S2_ACC_EXEC) {
		/* Instruction Abort from a lower EL (also when the fetch's
		 * Stage-1 walk faulted): ISS has only SET, FnV, EA, S1PTW and
		 * IFSC; IL is 1 (D24.2.40). */
		d.ec = ESR_EC_IABT_LOW;
		d.il = true;
		return esr_build_dabt(&d);
	}
	d.ec = ESR_EC_DABT_LOW;
	/* D24.2.40: ISV is 0 for a Stage-2 fault on a Stage-1 walk, and WnR
	 * then reports the walk's own access (a read: no HW update here). */
	d.wnr = ai->acc == S2_ACC_WRITE && !ai->s1ptw;
	if (ai->iss && ai->iss->isv && !ai->s1ptw) {
		d.isv = true;
		d.il = ai->iss->il;
		d.sas = ai->iss->sas & 3;
		d.sse = ai->iss->sse;
		d.srt = ai->iss->srt & 31;
		d.sf = ai->iss->sf;
		d.ar = ai->iss->ar;
	} else {
		d.il = true;	/* IL is 1 when ISV is 0 (D24.2.40 IL) */
	}
	return esr_build_dabt(&d);
}
