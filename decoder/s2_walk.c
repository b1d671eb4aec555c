/*
 * The Stage-2 table walk (D8.2 "Translation process", D8.3 descriptor
 * formats, D8.4.2 Stage 2 permissions, D8.5 hardware updates; pseudocode
 * AArch64.S2Walk / AArch64.S2Translate) and the fault syndrome it
 * produces (D24.2.46 ESR_EL2, D24.2.76 HPFAR_EL2).
 */
#include "hvexit/s2.h"
#include "s2_flat.h"

/* Descriptor fields (D8.3, VMSAv8-64 Stage-2 block and page descriptors). */
#define D_VALID		0
#define D_TABLE		1
#define D_AF		10
#define D_DIRTY		7	/* S2AP[1], or the Dirty bit with S2PIE (D8.5.2) */
#define D_DBM		51
#define D_CONTIG	52

static void set_fault(struct s2_result *r, enum s2_fault f, int level)
{
	int code = s2_fsc_code(f, level);

	r->fault = f;
	r->level = level;
	/* Levels without a code (access flag/permission at -1 cannot occur:
	 * no block or page exists there) fall back to level 0. */
	r->fsc = (uint8_t)(code >= 0 ? code : s2_fsc_code(f, 0));
}

/* Permission encodings of S2PIR_EL2 / S2POR_EL1 nibbles (D8.4.2.2 Table
 * D8-82; AArch64.S2IndirectBasePermissions): data read, data write,
 * privileged and unprivileged execute. MRO* grant read to data accesses
 * (their extra RCW/MMU write rights are not modelled accesses). */
enum { P_R = 1, P_W = 2, P_PX = 4, P_UX = 8 };
static const uint8_t pi_perm[16] = {
	[0x2] = P_R, [0x3] = P_R, [0x4] = P_W, [0x6] = P_R, [0x7] = P_R,
	[0x8] = P_R, [0x9] = P_R | P_UX, [0xa] = P_R | P_PX,
	[0xb] = P_R | P_PX | P_UX, [0xc] = P_R | P_W, [0xd] = P_R | P_W | P_UX,
	[0xe] = P_R | P_W | P_PX, [0xf] = P_R | P_W | P_PX | P_UX,
};

/* Direct XN[1:0] (D8.4.2.1 Tables D8-77/D8-78): execute rights. */
static const uint8_t xn_exec[4] = { P_PX | P_UX, P_UX, 0, P_PX };

/* Indirect permissions (S2PIR_EL2 indexed by PIIndex = d[54:53,51,6]:
 * AArch64.S2ApplyOutputPerms) with the optional overlay (S2POR_EL1 indexed
 * by POIndex = d[62:59]: AArch64.S2OverlayPermissions), checked in the
 * order of AArch64.S2CheckPermissions for a data read, data write or
 * instruction fetch: overlay (ISS2.Overlay), base rights, then the dirty
 * state of a write without HD (ISS2.DirtyBit). */
static void check_indirect(const struct s2_config *c, enum s2_access acc, unsigned need,
			   uint64_t d, int level, struct s2_result *r)
{
	unsigned pi = (unsigned)(hvx_bits(d, 54, 53) << 2 | hvx_bit(d, 51) << 1 | hvx_bit(d, 6));
	unsigned base, over = P_R | P_W | P_PX | P_UX;

	r->perm = (uint8_t)((c->s2pir >> (4 * pi)) & 0xf);
	base = pi_perm[r->perm];
	r->writable = base & P_W;
	if (c->s2poe) {
		r->operm = (uint8_t)((c->s2por >> (4 * hvx_bits(d, 62, 59))) & 0xf);
		over = pi_perm[r->operm];
	}
	if (!(over & need)) {
		r->overlay = true;
		set_fault(r, S2_FAULT_PERMISSION, level);
	} else if (!(base & need)) {
		set_fault(r, S2_FAULT_PERMISSION, level);
	} else if (acc == S2_ACC_WRITE && !c->hd && !hvx_bit(d, D_DIRTY)) {
		r->dirtybit = true;
		set_fault(r, S2_FAULT_PERMISSION, level);
	}
}

/* The hardware update AArch64.S2Translate makes: AF when HA (also when a
 * Permission fault follows, as the pseudocode does; D8.5.1.2 R QSPMS
 * allows either), bit [7] for a permitted write through a DBM=1 (or S2PIE)
 * descriptor when HD. Returns 1 if the descriptor changed under the
 * compare-and-swap (the walk restarts). */
static int hw_update(const struct s2_config *c, enum s2_access acc, uint64_t dpa,
		     uint64_t d, s2_cas64_fn cas, void *ctx, struct s2_result *r)
{
	uint64_t nd = d | UINT64_C(1) << D_AF;

	if (c->hd && r->fault == S2_OK && acc == S2_ACC_WRITE && (c->s2pie || r->dbm))
		nd |= UINT64_C(1) << D_DIRTY;
	if (nd == d)
		return 0;
	r->upd = (struct s2_update){ .valid = true, .desc_pa = dpa, .old_desc = d, .new_desc = nd };
	if (!cas)
		return 0;
	uint64_t found = d;
	if (cas(ctx, dpa, d, nd, &found)) {
		set_fault(r, S2_FAULT_SYNC_EXT_WALK, r->level);
		return 0;
	}
	if (found != d)
		return 1;
	r->upd.written = true;
	return 0;
}

/* A fault found before the final descriptor was decoded: configuration,
 * IPA range, external abort on a read, next-table address size, invalid
 * or misplaced descriptor. Everything but the fault, the IPA and the
 * descriptors read so far is 0. Kept out of line: the walk's hot path
 * only branches here. */
static int __attribute__((noinline, cold))
early_fault(struct s2_result *r, uint64_t ipa, enum s2_fault f, int level, unsigned steps)
{
	r->ipa = ipa;
	r->pa = r->size = 0;
	r->s2ap = r->xn = r->memattr = r->sh = r->perm = r->operm = 0;
	r->af = r->dbm = r->contig = r->writable = r->overlay = r->dirtybit = false;
	r->upd = (struct s2_update){ .valid = false };
	r->steps = steps;
	set_fault(r, f, level);
	return 0;
}

/* Final-descriptor checks in the order of AArch64.S2Walk (address size,
 * access flag) and AArch64.S2Translate (permissions, hardware update).
 * need: the P_* right the access uses. Each result field is stored
 * once, as soon as it is known (few values live at a time). */
static inline __attribute__((always_inline)) int
leaf(const struct s2_config *c, enum s2_access acc, unsigned need,
     int level, uint64_t ipa, uint64_t dpa, uint64_t d, unsigned steps,
     s2_cas64_fn cas, void *ctx, struct s2_result *r)
{
	unsigned shift = c->shift[level + 1];
	uint64_t size = UINT64_C(1) << shift;
	uint64_t pa = s2_desc_oa(c, d, shift) | (ipa & (size - 1));
	unsigned s2ap = (unsigned)hvx_bits(d, 7, 6);
	/* XN[1:0]; without FEAT_XNX bit [53] is RES0 (XN is bit [54]). */
	unsigned xn = (unsigned)hvx_bits(d, 54, 53) & (c->features & S2_FEAT_XNX ? 3u : 2u);
	bool af = hvx_bit(d, D_AF), dbm = hvx_bit(d, D_DBM);

	r->fault = S2_OK;
	r->level = level;
	r->fsc = 0;
	r->ipa = ipa;
	r->pa = pa;
	r->size = size;
	r->s2ap = (uint8_t)s2ap;
	r->xn = (uint8_t)xn;
	r->memattr = (uint8_t)hvx_bits(d, 5, 2);
	r->sh = (uint8_t)(c->ds ? c->vtcr.sh0 : hvx_bits(d, 9, 8));
	r->af = af;
	r->dbm = dbm;
	r->contig = hvx_bit(d, D_CONTIG);
	r->perm = r->operm = 0;
	r->overlay = r->dirtybit = false;
	r->upd.valid = r->upd.written = false;
	r->upd.desc_pa = r->upd.old_desc = r->upd.new_desc = 0;
	r->steps = steps;

	/* Direct permissions (AArch64.S2DirectBasePermissions): S2AP[0]
	 * read and S2AP[1] write (the P_R and P_W bits), DBM under HD
	 * granting write, XN execute. */
	bool ha = c->ha, s2pie = c->s2pie, writable = false;
	enum s2_fault f = S2_OK;
	if (pa & c->oa_high) {
		f = S2_FAULT_ADDRESS_SIZE;
	} else if (!af && !ha) {
		f = S2_FAULT_ACCESS_FLAG;
	} else if (!s2pie) {
		unsigned base = s2ap | (dbm && c->hd ? P_W : 0u) | xn_exec[xn];
		writable = base & P_W;
		if (!(base & need))
			f = S2_FAULT_PERMISSION;
	}
	r->writable = writable;
	if (f != S2_OK) {
		set_fault(r, f, level);
		/* No hardware update after an Address size or Access flag
		 * fault (AArch64.S2Walk faults before AArch64.S2Translate). */
		if (f != S2_FAULT_PERMISSION)
			return 0;
	} else if (s2pie) {
		check_indirect(c, acc, need, d, level, r);
	}
	/* HD is only effective with HA (AArch64.NSS2TTWParams). */
	return ha ? hw_update(c, acc, dpa, d, cas, ctx, r) : 0;
}

/* Next-level table address of table descriptor d (AArch64.NextTableBase):
 * one mask for the 48-bit format, s2_desc_oa() for the 52-bit ones. */
static inline uint64_t next_table(const struct s2_config *c, uint64_t d)
{
	return c->oa_format == S2_OA_48 ? d & c->table_mask : s2_desc_oa(c, d, c->granule_bits);
}

/* One attempt (AArch64.S2Translate + AArch64.S2Walk). 0 = result in r,
 * 1 = restart (descriptor changed under the hardware update). One read
 * and one trace record per level; few values live across the loop (ipa,
 * level, table, the result), the per-level shift and index mask come from
 * *c. flat (a constant at each call site, so the compiler makes a copy
 * for each) reads ctx, a struct s2_flatmem, inline instead of calling
 * rd == s2_flat_read64. */
static inline __attribute__((always_inline)) int
walk_once(const struct s2_config *c, uint64_t ipa, enum s2_access acc, unsigned need,
	  s2_read64_fn rd, s2_cas64_fn cas, void *ctx, bool flat, struct s2_result *r)
{
	/* Configuration faults and AArch64.IPAIsOutOfRange: level 0
	 * Translation fault (D8.1.9: an address larger than the configured
	 * IA size; D8.1.10 T0SZ below the minimum; D8.2.8.2 SL0). */
	if (c->fault_rule || (ipa >> c->ia_bits))
		return early_fault(r, ipa, S2_FAULT_TRANSLATION, 0, 0);
	uint64_t table = c->root;
	/* Base address beyond PS: Address size fault, level 0 (AArch64.S2Walk
	 * "Detect Address Size Fault by Descriptor Address"). */
	if (table & c->oa_high)
		return early_fault(r, ipa, S2_FAULT_ADDRESS_SIZE, 0, 0);

	const struct s2_flat_view fv = flat ? s2_flat_view(ctx) : (struct s2_flat_view){ 0 };
	int level = c->start_level;
	uint64_t dpa, d;

	for (;;) {
		unsigned shift = c->shift[level + 1];
		uint64_t index = (ipa >> shift) & c->index_masks[level + 1];
		struct s2_trace_step *st = &r->trace[level - c->start_level];

		dpa = table + index * 8;
		st->level = level;
		st->index = (unsigned)index;
		st->desc_pa = dpa;
		if (flat ? s2_flat_load(&fv, dpa, &d) : rd(ctx, dpa, &d)) {
			st->desc = 0;
			return early_fault(r, ipa, S2_FAULT_SYNC_EXT_WALK, level,
					   (unsigned)(level - c->start_level) + 1);
		}
		st->desc = d;
		if ((d & 3) != 3 || level == 3)
			break;
		table = next_table(c, d);
		if (table & c->oa_high)
			return early_fault(r, ipa, S2_FAULT_ADDRESS_SIZE, level,
					   (unsigned)(level - c->start_level) + 1);
		level++;
	}
	unsigned steps = (unsigned)(level - c->start_level) + 1;
	/* A block where the granule allows one, or a page at level 3
	 * (AArch64.DecodeDescriptorType); anything else is a Translation
	 * fault at this level. */
	if (!(d & 1) || !((c->leaf_ok >> (level + 1)) & 1) || (level == 3 && !(d & 2)))
		return early_fault(r, ipa, S2_FAULT_TRANSLATION, level, steps);
	return leaf(c, acc, need, level, ipa, dpa, d, steps, cas, ctx, r);
}

/* The P_* right an access needs (D8.4.2: data read, data write,
 * instruction fetch at EL1 or EL0). */
static inline unsigned access_need(enum s2_access acc, bool el0)
{
	return acc == S2_ACC_READ ? P_R : acc == S2_ACC_WRITE ? P_W : el0 ? P_UX : P_PX;
}

/* The walk through the read callback: up to tries attempts, a new one
 * when a descriptor changed under the hardware update; also the restarts
 * of the flat walk. */
static int __attribute__((noinline))
walk_cb(const struct s2_config *c, uint64_t ipa, enum s2_access acc, bool el0,
	s2_read64_fn rd, s2_cas64_fn cas, void *ctx, struct s2_result *r, int tries)
{
	unsigned need = access_need(acc, el0);

	for (int i = 0; i < tries; i++)
		if (walk_once(c, ipa, acc, need, rd, cas, ctx, false, r) == 0)
			return 0;
	return -EAGAIN;
}

/* Both entry points: the arguments checked (cfg comes from
 * s2_config_init(); only what would index out of bounds is re-checked),
 * then the flat walk inline or the callback walk. */
static inline __attribute__((always_inline)) int
walk(const struct s2_config *c, uint64_t ipa, enum s2_access acc, bool el0,
     s2_read64_fn rd, s2_cas64_fn cas, void *ctx, struct s2_result *r)
{
	if (!c || !rd || !r || (unsigned)acc > S2_ACC_EXEC || (unsigned)(c->start_level + 1) > 4)
		return -EINVAL;
	if (rd != s2_flat_read64 || !ctx)
		return walk_cb(c, ipa, acc, el0, rd, cas, ctx, r, S2_MAX_RESTARTS + 1);
	/* A restart needs a compare-and-swap that lost (none without cas:
	 * s2_walk() has none, so its flat walk ends here). */
	if (walk_once(c, ipa, acc, access_need(acc, el0), rd, cas, ctx, true, r) == 0 || !cas)
		return 0;
	return walk_cb(c, ipa, acc, el0, rd, cas, ctx, r, S2_MAX_RESTARTS);
}

int s2_walk_mem(const struct s2_config *c, uint64_t ipa, enum s2_access acc,
		bool el0, const struct s2_mem *m, struct s2_result *r)
{
	return m ? walk(c, ipa, acc, el0, m->read64, m->cas64, m->ctx, r) : -EINVAL;
}

int s2_walk(const struct s2_config *c, uint64_t ipa, enum s2_access acc,
	    bool el0, s2_read64_fn rd, void *ctx, struct s2_result *r)
{
	return walk(c, ipa, acc, el0, rd, NULL, ctx, r);
}

static const char *const dev_names[4] = {
	"device-nGnRnE", "device-nGnRE", "device-nGRE", "device-GRE",
};
/* Normal memory: outer [3:2] x inner [1:0]; inner 00 with a Normal outer
 * is not a valid combination (reported as reserved). */
static const char *const normal_names[4][4] = {
	[1] = { "reserved", "normal-oNC-iNC", "normal-oNC-iWT", "normal-oNC-iWB" },
	[2] = { "reserved", "normal-oWT-iNC", "normal-oWT-iWT", "normal-oWT-iWB" },
	[3] = { "reserved", "normal-oWB-iNC", "normal-oWB-iWT", "normal-oWB-iWB" },
};
static const char *const fwb_names[4] = {
	"reserved", "fwb-normal-NC", "fwb-normal-WB", "fwb-stage1",
};

const char *s2_memattr_name(uint8_t memattr, bool fwb)
{
	memattr &= 0xf;
	if (fwb)
		return memattr & 4 ? fwb_names[memattr & 3] : dev_names[memattr & 3];
	if (!(memattr >> 2))
		return dev_names[memattr & 3];
	return normal_names[memattr >> 2][memattr & 3];
}

uint64_t s2_fault_hpfar(uint64_t ipa)
{
	/* D24.2.76 HPFAR_EL2: FIPA [43:4] holds IPA[51:12]. */
	return ((ipa >> 12) << 4) & hvx_mask(43, 4);
}

uint64_t s2_fault_esr(const struct s2_result *r, const struct s2_access_info *ai)
{
	struct esr_dabt d = {0};

	if (!r || !ai || r->fault == S2_OK)
		return 0;
	d.s1ptw = ai->s1ptw;
	d.dfsc = r->fsc & 0x3f;
	d.overlay = r->overlay;		/* ISS2[6] (D24.2.46) */
	d.dirtybit = r->dirtybit;	/* ISS2[5] */
	if (ai->acc == S2_ACC_EXEC) {
		/* Instruction Abort from a lower EL (also when the fetch's
		 * Stage-1 walk faulted): ISS has only SET, FnV, EA, S1PTW and
		 * IFSC; IL is 1 (D24.2.46). */
		d.ec = ESR_EC_IABT_LOW;
		d.il = true;
		return esr_build_dabt(&d);
	}
	d.ec = ESR_EC_DABT_LOW;
	/* D24.2.46: ISV is 0 for a Stage-2 fault on a Stage-1 walk, and WnR
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
		d.il = true;	/* IL is 1 when ISV is 0 (D24.2.46 IL) */
	}
	return esr_build_dabt(&d);
}
