/*
 * The Stage-2 table walk (D8.2 "Translation process", D8.3 descriptor
 * formats, D8.4.2 Stage 2 permissions, D8.5 hardware updates; pseudocode
 * AArch64.S2Walk / AArch64.S2Translate) and the fault syndrome it
 * produces (D24.2.46 ESR_EL2, D24.2.76 HPFAR_EL2).
 */
#include <stddef.h>
#include <string.h>

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

/* The result bytes s2ap, xn, memattr, sh, af, dbm, contig and writable
 * are consecutive in struct s2_result: put_success() stores them as one
 * word, the OR of three table rows picked by descriptor fields. That is
 * far fewer operations on the descriptor (the last value a walk waits
 * for) than eight field extractions and stores. Rows are byte arrays in
 * field order, so the word is the same on either byte order. */
#define ATTR_OFF offsetof(struct s2_result, s2ap)
_Static_assert(offsetof(struct s2_result, xn) == ATTR_OFF + 1 &&
	       offsetof(struct s2_result, memattr) == ATTR_OFF + 2 &&
	       offsetof(struct s2_result, sh) == ATTR_OFF + 3 &&
	       offsetof(struct s2_result, af) == ATTR_OFF + 4 &&
	       offsetof(struct s2_result, dbm) == ATTR_OFF + 5 &&
	       offsetof(struct s2_result, contig) == ATTR_OFF + 6 &&
	       offsetof(struct s2_result, writable) == ATTR_OFF + 7 && sizeof(bool) == 1,
	       "struct s2_result: s2ap..writable must be eight consecutive bytes");

/* Rows by value v of: d[9:6] = SH[1:0]:S2AP[1:0] (s2ap, sh, and writable
 * = S2AP[1] as direct permissions without HD give it; af = 1), d[5:2] =
 * MemAttr (D8.3), XN[1:0] masked : d[52:51] = Contiguous:DBM. */
#define ROW_S2AP_SH(v)	{ (v) & 3, 0, 0, (v) >> 2, 1, 0, 0, (v) >> 1 & 1 }
#define ROW_MEMATTR(v)	{ 0, 0, (v), 0, 0, 0, 0, 0 }
#define ROW_XN_CT_DBM(v) { 0, (v) >> 2, 0, 0, 0, (v) & 1, (v) >> 1 & 1, 0 }
#define ROWS16(row) { row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7), \
		      row(8), row(9), row(10), row(11), row(12), row(13), row(14), row(15) }
static const uint8_t attr_s2ap_sh[16][8] = ROWS16(ROW_S2AP_SH);
static const uint8_t attr_memattr[16][8] = ROWS16(ROW_MEMATTR);
static const uint8_t attr_xn_ct_dbm[16][8] = ROWS16(ROW_XN_CT_DBM);

/* A successful walk's result as the descriptor decides it in a plain
 * regime (struct s2_config plain): leaf() then corrects what HA (af), DS
 * (sh), HD and S2PIE (writable, perm, operm) change. xn: XN[1:0] under
 * cfg->xn_mask. */
static inline __attribute__((always_inline)) void
put_success(uint64_t d, unsigned xn, int level, uint64_t ipa, uint64_t pa,
	    uint64_t size, unsigned steps, struct s2_result *r)
{
	uint64_t a, m, x;

	memcpy(&a, attr_s2ap_sh[hvx_bits(d, 9, 6)], 8);
	memcpy(&m, attr_memattr[hvx_bits(d, 5, 2)], 8);
	memcpy(&x, attr_xn_ct_dbm[xn << 2 | hvx_bits(d, 52, 51)], 8);
	a |= m | x;
	memcpy((unsigned char *)r + ATTR_OFF, &a, 8);
	r->fault = S2_OK;
	r->level = level;
	r->fsc = 0;
	r->ipa = ipa;
	r->pa = pa;
	r->size = size;
	r->perm = r->operm = 0;
	r->overlay = r->dirtybit = false;
	r->upd = (struct s2_update){ .valid = false };
	r->steps = steps;
}

/* Output address of leaf descriptor d for ipa (AArch64.S2LeafBase): the
 * descriptor's bits from shift up, the IPA's below. plain: the 48-bit
 * format, without the look at cfg->oa_format. */
static inline uint64_t leaf_pa(const struct s2_config *c, uint64_t d, unsigned shift,
			       uint64_t ipa, bool plain)
{
	uint64_t low = (UINT64_C(1) << shift) - 1, oa = d & hvx_mask(47, 0);

	/* plain: OA[47:shift] and the IPA below, merged in one step. */
	return plain ? oa ^ ((oa ^ ipa) & low) : s2_desc_oa(c, d, shift) | (ipa & low);
}

/* The P_* rights of direct permissions (AArch64.S2DirectBasePermissions):
 * S2AP[0] read and S2AP[1] write (the P_R and P_W bits), XN execute, and
 * DBM under HD granting write. */
static inline unsigned direct_perm(const struct s2_config *c, uint64_t d, unsigned xn, bool plain)
{
	bool dbm_w = !plain && c->hd && hvx_bit(d, D_DBM);

	return (unsigned)hvx_bits(d, 7, 6) | (dbm_w ? P_W : 0u) | xn_exec[xn];
}

/* Final-descriptor checks in the order of AArch64.S2Walk (address size,
 * access flag) and AArch64.S2Translate (permissions, hardware update).
 * need: the P_* right the access uses. */
static inline __attribute__((always_inline)) int
leaf(const struct s2_config *c, enum s2_access acc, unsigned need,
     int level, uint64_t ipa, uint64_t dpa, uint64_t d, unsigned steps,
     s2_cas64_fn cas, void *ctx, struct s2_result *r)
{
	unsigned shift = c->shift[level + 1];
	uint64_t pa = leaf_pa(c, d, shift, ipa, false);
	unsigned xn = (unsigned)hvx_bits(d, 54, 53) & c->xn_mask;
	bool af = hvx_bit(d, D_AF);

	put_success(d, xn, level, ipa, pa, UINT64_C(1) << shift, steps, r);
	/* What a plain regime never has: AF clear under HA, SH from
	 * VTCR_EL2.SH0 with DS. */
	r->af = af;
	if (c->ds)
		r->sh = c->vtcr.sh0;

	bool ha = c->ha, s2pie = c->s2pie, writable = false;
	enum s2_fault f = S2_OK;
	if (pa & c->oa_high) {
		f = S2_FAULT_ADDRESS_SIZE;
	} else if (!af && !ha) {
		f = S2_FAULT_ACCESS_FLAG;
	} else if (!s2pie) {
		unsigned base = direct_perm(c, d, xn, false);
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

/* A table descriptor: [1:0] = 0b11 above level 3 (a page at level 3). */
static inline bool is_table(uint64_t d, int level)
{
	return (d & 3) == 3 && level < 3;
}

/* A descriptor that ends the walk is a block where the granule allows
 * one, or a page at level 3 (AArch64.DecodeDescriptorType); anything else
 * is a Translation fault at its level. */
static inline bool leaf_valid(const struct s2_config *c, int level, uint64_t d)
{
	return (d & 1) && ((c->leaf_ok >> (level + 1)) & 1) && (level < 3 || (d & 2));
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
		if (!is_table(d, level))
			break;
		table = next_table(c, d);
		if (table & c->oa_high)
			return early_fault(r, ipa, S2_FAULT_ADDRESS_SIZE, level,
					   (unsigned)(level - c->start_level) + 1);
		level++;
	}
	unsigned steps = (unsigned)(level - c->start_level) + 1;
	if (!leaf_valid(c, level, d))
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

/* The flat walk (walk_once() reading ctx, a struct s2_flatmem, inline)
 * with its restarts. A restart needs a compare-and-swap that lost: none
 * without cas (s2_walk() has none, so its flat walk ends after one). */
static int __attribute__((noinline))
walk_flat(const struct s2_config *c, uint64_t ipa, enum s2_access acc, bool el0,
	  s2_cas64_fn cas, void *ctx, struct s2_result *r)
{
	if (walk_once(c, ipa, acc, access_need(acc, el0), s2_flat_read64, cas, ctx, true, r) == 0 ||
	    !cas)
		return 0;
	return walk_cb(c, ipa, acc, el0, s2_flat_read64, cas, ctx, r, S2_MAX_RESTARTS);
}

/* The plain walk: a regime with cfg->plain, flat memory, no trace asked
 * for; what the exit engine and the validator walk most. It finishes only
 * a walk that ends in a permitted access and returns 1 for anything else
 * (IPA out of range, a read outside the memory, a Translation, Address
 * size, Access flag or Permission fault) having written nothing: the
 * caller then walks with walk_flat(), which reports the fault. Same
 * result as walk_once() (tests/test_s2_plain.c, fuzz/s2walk.c), fewer
 * steps: no fault bookkeeping, no format or feature switches, no trace,
 * no hardware update (plain regimes have no HA). */
static inline __attribute__((always_inline)) int
walk_plain(const struct s2_config *c, uint64_t ipa, enum s2_access acc, bool el0,
	   const struct s2_flatmem *m, struct s2_result *r)
{
	int level = c->start_level;
	unsigned shift = c->shift[level + 1];
	/* The root index is every IPA bit from the root's shift up: above
	 * the root mask is an IPA beyond the IA size (the walk_once() check
	 * of AArch64.IPAIsOutOfRange). */
	uint64_t index = ipa >> shift, table = c->root, d;

	if (index > c->index_masks[level + 1])
		return 1;
	const struct s2_flat_view fv = s2_flat_view(m);
	for (;;) {
		/* Aligned: the root is (cfg->plain), tables are granules. */
		if (s2_flat_load_aligned(&fv, table + index * 8, &d))
			return 1;
		if (!is_table(d, level))
			break;
		table = d & c->table_mask;
		if (table & c->oa_high)
			return 1;
		level++;
		shift = c->shift[level + 1];
		index = (ipa >> shift) & c->index_masks[level + 1];
	}
	uint64_t pa = leaf_pa(c, d, shift, ipa, true);
	unsigned xn = (unsigned)hvx_bits(d, 54, 53) & c->xn_mask;

	if (!leaf_valid(c, level, d) || (pa & c->oa_high) || !hvx_bit(d, D_AF) ||
	    !(direct_perm(c, d, xn, true) & access_need(acc, el0)))
		return 1;
	put_success(d, xn, level, ipa, pa, UINT64_C(1) << shift,
		    (unsigned)(level - c->start_level) + 1, r);
	return 0;
}

/* Both entry points: the arguments checked (cfg comes from
 * s2_config_init(); only what would index out of bounds is re-checked),
 * then the plain walk, the flat walk or the callback walk. */
static inline __attribute__((always_inline)) int
walk(const struct s2_config *c, uint64_t ipa, enum s2_access acc, bool el0,
     s2_read64_fn rd, s2_cas64_fn cas, void *ctx, bool trace, struct s2_result *r)
{
	if (!c || !rd || !r || (unsigned)acc > S2_ACC_EXEC || (unsigned)(c->start_level + 1) > 4)
		return -EINVAL;
	if (rd != s2_flat_read64 || !ctx)
		return walk_cb(c, ipa, acc, el0, rd, cas, ctx, r, S2_MAX_RESTARTS + 1);
	if (c->plain && !trace && walk_plain(c, ipa, acc, el0, ctx, r) == 0)
		return 0;
	return walk_flat(c, ipa, acc, el0, cas, ctx, r);
}

int s2_walk_mem(const struct s2_config *c, uint64_t ipa, enum s2_access acc,
		bool el0, const struct s2_mem *m, struct s2_result *r)
{
	return m ? walk(c, ipa, acc, el0, m->read64, m->cas64, m->ctx, m->trace, r) : -EINVAL;
}

int s2_walk(const struct s2_config *c, uint64_t ipa, enum s2_access acc,
	    bool el0, s2_read64_fn rd, void *ctx, struct s2_result *r)
{
	return walk(c, ipa, acc, el0, rd, NULL, ctx, false, r);
}

bool s2_result_same(const struct s2_result *a, const struct s2_result *b, bool trace)
{
	if (a->fault != b->fault || a->level != b->level || a->fsc != b->fsc ||
	    a->ipa != b->ipa || a->pa != b->pa || a->size != b->size ||
	    a->s2ap != b->s2ap || a->xn != b->xn || a->memattr != b->memattr ||
	    a->sh != b->sh || a->af != b->af || a->dbm != b->dbm || a->contig != b->contig ||
	    a->writable != b->writable || a->perm != b->perm || a->operm != b->operm ||
	    a->overlay != b->overlay || a->dirtybit != b->dirtybit ||
	    a->upd.valid != b->upd.valid || a->upd.written != b->upd.written ||
	    a->upd.desc_pa != b->upd.desc_pa || a->upd.old_desc != b->upd.old_desc ||
	    a->upd.new_desc != b->upd.new_desc || a->steps != b->steps ||
	    a->steps > S2_MAX_LEVELS)
		return false;
	for (unsigned i = 0; trace && i < a->steps; i++)
		if (a->trace[i].level != b->trace[i].level || a->trace[i].index != b->trace[i].index ||
		    a->trace[i].desc_pa != b->trace[i].desc_pa || a->trace[i].desc != b->trace[i].desc)
			return false;
	return true;
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
