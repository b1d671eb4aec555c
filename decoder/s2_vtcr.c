/*
 * VTCR_EL2 / VTTBR_EL2 decode and the checks that make a Stage-2 regime
 * walkable (see include/hvexit/s2.h for the references).
 */
#include <string.h>

#include "hvexit/s2.h"
#include "s2_flat.h"

/* VTCR_EL2 field map (D24.2.224 VTCR_EL2). */
struct vtcr_field {
	unsigned hi, lo;
	size_t off;
	bool is_bool;
};
#define VF(name, h, l) { .hi = (h), .lo = (l), .off = offsetof(struct s2_vtcr, name), .is_bool = false }
#define VB(name, b) { .hi = (b), .lo = (b), .off = offsetof(struct s2_vtcr, name), .is_bool = true }
static const struct vtcr_field vtcr_fields[] = {
	VF(t0sz, 5, 0), VF(sl0, 7, 6), VF(irgn0, 9, 8), VF(orgn0, 11, 10),
	VF(sh0, 13, 12), VF(tg0, 15, 14), VF(ps, 18, 16), VB(vs, 19),
	VB(ha, 21), VB(hd, 22), VF(hwu, 28, 25), VB(nsw, 29), VB(nsa, 30),
	VB(ds, 32), VB(sl2, 33), VB(assuredonly, 34), VB(tl1, 35),
	VB(s2pie, 36), VB(s2poe, 37), VB(d128, 38), VB(gcsh, 40), VB(tl0, 41),
	VB(haft, 44), VB(hdbss, 45),
};

int s2_vtcr_decode(uint64_t vtcr, struct s2_vtcr *out)
{
	if (!out)
		return -EINVAL;
	*out = (struct s2_vtcr){0};
	for (size_t i = 0; i < HVX_ARRAY_SIZE(vtcr_fields); i++) {
		const struct vtcr_field *f = &vtcr_fields[i];
		uint64_t v = hvx_bits(vtcr, f->hi, f->lo);
		unsigned char *p = (unsigned char *)out + f->off;

		if (f->is_bool)
			*(bool *)(void *)p = v != 0;
		else
			*(uint8_t *)p = (uint8_t)v;
	}
	return 0;
}

uint64_t s2_vtcr_encode(const struct s2_vtcr *v)
{
	uint64_t r = 0;

	for (size_t i = 0; i < HVX_ARRAY_SIZE(vtcr_fields); i++) {
		const struct vtcr_field *f = &vtcr_fields[i];
		const unsigned char *p = (const unsigned char *)v + f->off;
		uint64_t x = f->is_bool ? *(const bool *)(const void *)p
					: *(const uint8_t *)p;

		r |= hvx_field(x, f->hi, f->lo);
	}
	return r;
}

/* VTCR_EL2.PS -> output address bits (D24.2.224 PS); 0 = reserved. */
static const unsigned ps_bits[8] = {
	[0] = 32, [1] = 36, [2] = 40, [3] = 42, [4] = 44, [5] = 48, [6] = 52,
	[7] = 0,
};

/* VTCR_EL2.TG0 -> granule bits (D24.2.224 TG0); 0 = reserved. */
static const unsigned tg0_bits[4] = { [0] = 12, [1] = 16, [2] = 14, [3] = 0 };

/* Start level from {SL2, SL0} (D8.2.8.2 Table D8-19, D8.2.9.2, D8.2.10.2;
 * pseudocode AArch64.S2StartLevel); 9 = reserved encoding. Index
 * [granule][SL2:SL0]. */
static const int sl_level[3][8] = {
	/* 4K  */ { 2, 1, 0, 3, -1, 9, 9, 9 },
	/* 16K */ { 3, 2, 1, 0, 9, 9, 9, 9 },
	/* 64K */ { 3, 2, 1, 9, 9, 9, 9, 9 },
};

static unsigned gidx(unsigned granule_bits)
{
	return granule_bits == 12 ? 0 : granule_bits == 14 ? 1 : 2;
}

#define FAIL(msg) do { if (rule) *rule = (msg); return -EINVAL; } while (0)

/* AArch64.S2InvalidSL: NULL, or why {SL2, SL0} is reserved for this PE. */
static const char *invalid_sl(const struct s2_config *c, unsigned sl)
{
	unsigned g = gidx(c->granule_bits), pa = c->pa_range_bits;

	if (sl_level[g][sl] == 9)
		return "VTCR_EL2.{SL2,SL0} is a reserved encoding for this granule: every access takes a Stage-2 level 0 Translation fault (D8.2.8.2; AArch64.S2InvalidSL)";
	if ((g == 0 && sl == 4 && pa < 52) || (g == 0 && sl == 2 && pa < 44) ||
	    (g == 1 && sl == 3 && pa < 52) || (g == 1 && sl == 2 && pa < 42) ||
	    (g == 2 && sl == 2 && pa < 44))
		return "VTCR_EL2.SL0 selects a start level the implemented PA range cannot use: every access takes a Stage-2 level 0 Translation fault (D8.1.10 Table D8-9; AArch64.S2InvalidSL)";
	if (g == 0 && sl == 3 && !(c->features & S2_FEAT_TTST))
		return "VTCR_EL2.SL0=0b11 with 4KB (start level 3) needs FEAT_TTST: every access takes a Stage-2 level 0 Translation fault (AArch64.S2InvalidSL)";
	if (g == 1 && sl == 3 && !c->ds)
		return "VTCR_EL2.SL0=0b11 with 16KB (start level 0) needs DS=1: every access takes a Stage-2 level 0 Translation fault (AArch64.S2InvalidSL)";
	return NULL;
}

/* T0SZ range (D8.1.9 Table D8-7, D8.1.10 Table D8-8; AArch64.S2MinTxSZ,
 * AArch64.MaxTxSZ, AArch64.S2TxSZFaults). Outside it the architecture
 * leaves a choice (IMPLEMENTATION DEFINED: fault, or behave as the
 * nearest limit) except below the minimum with FEAT_LPA, which faults; the
 * model always takes the fault. */
static const char *invalid_txsz(const struct s2_config *c)
{
	unsigned pa = c->pa_range_bits;
	unsigned ips = pa < 52 ? pa : (c->granule_bits == 16 || c->ds) ? 52 : 48;
	unsigned maxtx = !(c->features & S2_FEAT_TTST) ? 39 : c->granule_bits == 16 ? 47 : 48;

	if (c->vtcr.t0sz < 64 - ips)
		return "VTCR_EL2.T0SZ below the effective minimum: the IPA size exceeds what the PA size/granule allow, every access takes a Stage-2 level 0 Translation fault (D8.1.10; AArch64.S2TxSZFaults)";
	if (c->vtcr.t0sz > maxtx)
		return "VTCR_EL2.T0SZ above the maximum (39, or 48/48/47 with FEAT_TTST): every access takes a Stage-2 level 0 Translation fault (D8.1.9, the IMPLEMENTATION DEFINED choice the model makes; AArch64.S2TxSZFaults)";
	return NULL;
}

/* AArch64.S2InconsistentSL: the start level must resolve at least one IPA
 * bit and at most stride+4 (up to 16 concatenated tables, D8.2.2). */
static const char *inconsistent_sl(struct s2_config *c)
{
	unsigned below = c->granule_bits + (unsigned)(3 - c->start_level) * c->stride;

	if (c->ia_bits < below + 1 || c->ia_bits - below > c->stride + 4)
		return "VTCR_EL2.T0SZ is inconsistent with the start level from SL0: every access takes a Stage-2 level 0 Translation fault (D8.2.8.2; AArch64.S2InconsistentSL)";
	c->root_index_bits = c->ia_bits - below;
	c->root_tables = c->root_index_bits > c->stride ? 1u << (c->root_index_bits - c->stride) : 1;
	return NULL;
}

/* Effective controls of a PE with `features` (AArch64.NSS2TTWParams):
 * fields of absent features are RES0. */
static void effective(struct s2_config *c)
{
	const struct s2_vtcr *v = &c->vtcr;
	unsigned f = c->features;

	c->ds = (f & S2_FEAT_LPA2) && c->granule_bits != 16 && v->ds;
	c->ha = (f & S2_FEAT_HAFDBS) && v->ha;
	c->hd = c->ha && v->hd;
	c->s2pie = (f & S2_FEAT_S2PIE) && v->s2pie;
	c->s2poe = (f & S2_FEAT_S2POE) && c->s2pie && v->s2poe;
	/* Without FEAT_XNX bit [53] is RES0 (XN is bit [54] alone). */
	c->xn_mask = f & S2_FEAT_XNX ? 3 : 2;
	/* AArch64.PhysicalAddressSize: PS capped at 52 (FEAT_LPA with 64KB or
	 * DS) or 48, and at the implemented PA size (D8.1.7 R CLPQT). */
	unsigned max_ps = (f & S2_FEAT_LPA) && (c->granule_bits == 16 || c->ds) ? 52 : 48;
	if (max_ps > c->pa_range_bits)
		max_ps = c->pa_range_bits;
	c->oa_bits = ps_bits[v->ps] < max_ps ? ps_bits[v->ps] : max_ps;
	c->oa_high = ~hvx_mask(c->oa_bits - 1, 0);
	/* AArch64.S2LeafBase / NextTableBase: 64KB takes OA[51:48] from
	 * [15:12] when PAMax is 52; DS=1 from [9:8]:[49:48]. */
	c->oa_format = c->ds ? S2_OA_52_DS :
		       c->granule_bits == 16 && c->pa_range_bits >= 52 ? S2_OA_52_64K : S2_OA_48;
}

/* AArch64.BlockDescSupported: levels at which a Stage-2 block descriptor
 * is valid (level 3 holds pages only). */
bool s2_block_allowed(const struct s2_config *c, int level)
{
	switch (c->granule_bits) {
	case 12: return level == 1 || level == 2 || (level == 0 && c->ds);
	case 14: return level == 2 || (level == 1 && c->ds);
	default: return level == 2 || (level == 1 && c->pa_range_bits >= 52);
	}
}

/* Per-level constants for the walk (D8.2 lookup tables); leaf_ok has a
 * bit for every level that may hold a block, and level 3 (pages). Only
 * for a walkable regime: the root resolves 1..stride+4 IPA bits. */
static void prepare(struct s2_config *c)
{
	for (int l = -1; l <= 3; l++) {
		c->shift[l + 1] = (uint8_t)(c->granule_bits + (unsigned)(3 - l) * c->stride);
		if (l == 3 || s2_block_allowed(c, l))
			c->leaf_ok |= (uint8_t)(1u << (l + 1));
		if (l >= c->start_level)
			c->index_masks[l + 1] = hvx_mask((l == c->start_level ? c->root_index_bits
								  : c->stride) - 1, 0);
	}
	c->table_mask = hvx_mask(47, c->granule_bits);
	c->plain = c->oa_format == S2_OA_48 && !c->ds && !c->ha && !c->s2pie &&
		   !(c->root & 7) && !(c->root & c->oa_high);
}

/* VTTBR_EL2 (D24.2.225; AArch64.S2TTBaseAddress): BADDR [47:1], or with
 * the 52-bit format [47:6] and PA[51:48] in [5:2]; VMID [63:48]; CnP [0]. */
static int set_vttbr(struct s2_config *c, uint64_t vttbr, const char **rule)
{
	const struct s2_vtcr *v = &c->vtcr;
	bool fmt52 = c->ds || (c->granule_bits == 16 && v->ps == 6 && (c->features & S2_FEAT_LPA));

	c->vttbr.cnp = vttbr & 1;
	c->vttbr.vmid = (uint16_t)hvx_bits(vttbr, 63, 48);
	if (!v->vs && (c->vttbr.vmid >> 8))
		FAIL("VTTBR_EL2.VMID[15:8] must be 0 when VTCR_EL2.VS=0 (D24.2.225 VMID)");
	if (fmt52)
		c->vttbr.baddr = (vttbr & hvx_mask(47, 6)) | (hvx_bits(vttbr, 5, 2) << 48);
	else
		c->vttbr.baddr = vttbr & hvx_mask(47, 1);
	c->root = c->vttbr.baddr;
	if (c->fault_rule)
		return 0;	/* no walk is made, so no alignment applies */
	unsigned x = c->root_index_bits + 3;
	if (fmt52 && x < 6)
		x = 6;
	if (c->vttbr.baddr & hvx_mask(x - 1, 0))
		FAIL("VTTBR_EL2.BADDR is not aligned to the root table size (BADDR[x-1:1] RES0, CONSTRAINED UNPREDICTABLE; D24.2.225 BADDR)");
	return 0;
}

int s2_config_init(uint64_t vtcr, uint64_t vttbr, unsigned features,
		   unsigned pa_range_bits, bool fwb, struct s2_config *cfg,
		   const char **rule)
{
	struct s2_config c = {0};
	struct s2_vtcr *v = &c.vtcr;

	if (!cfg || pa_range_bits < 32 || pa_range_bits > 52)
		FAIL("bad arguments");
	s2_vtcr_decode(vtcr, v);
	c.features = features & S2_FEAT_ALL;
	c.fwb = fwb;
	c.pa_range_bits = pa_range_bits;
	c.granule_bits = tg0_bits[v->tg0];
	if (!c.granule_bits)
		FAIL("VTCR_EL2.TG0=0b11 is reserved (IMPLEMENTATION DEFINED granule, D24.2.224 TG0)");
	c.stride = c.granule_bits - 3;
	if (!ps_bits[v->ps])
		FAIL("VTCR_EL2.PS=0b111 is reserved (D24.2.224 PS)");
	effective(&c);
	c.ia_bits = 64u - v->t0sz;
	/* SL2 counts only with DS=1 and 4KB (AArch64.NSS2TTWParams). */
	unsigned sl = v->sl0 | (c.ds && c.granule_bits == 12 && v->sl2 ? 4u : 0u);
	c.start_level = sl_level[gidx(c.granule_bits)][sl];
	/* AArch64.S2Translate: TxSZ, then SL, each a level 0 Translation
	 * fault on every access. */
	c.fault_rule = invalid_txsz(&c);
	if (!c.fault_rule)
		c.fault_rule = invalid_sl(&c, sl);
	if (!c.fault_rule)
		c.fault_rule = inconsistent_sl(&c);
	if (c.fault_rule)
		c.start_level = 0;
	int rc = set_vttbr(&c, vttbr, rule);
	if (rc)
		return rc;
	if (!c.fault_rule)
		prepare(&c);
	*cfg = c;
	if (c.fault_rule && rule)
		*rule = c.fault_rule;
	return c.fault_rule ? 1 : 0;
}

/* Feature names for the CLI, in enum s2_feature bit order. */
static const char *const feat_names[] = {
	"xnx", "ttst", "lpa", "lpa2", "hafdbs", "s2pie", "s2poe", "pan", "wxn",
};

static int feat_lookup(const char *p, size_t n, unsigned *bits)
{
	if (n == 3 && !strncmp(p, "all", 3)) {
		*bits = S2_FEAT_ALL;
		return 0;
	}
	if (n == 4 && !strncmp(p, "none", 4)) {
		*bits = 0;
		return 0;
	}
	for (size_t i = 0; i < HVX_ARRAY_SIZE(feat_names); i++)
		if (strlen(feat_names[i]) == n && !strncmp(p, feat_names[i], n)) {
			*bits = 1u << i;
			return 0;
		}
	return -EINVAL;
}

int s2_features_parse(const char *list, unsigned *set, size_t *bad_off)
{
	unsigned acc = 0;

	if (!list || !set)
		return -EINVAL;
	for (const char *p = list;;) {
		size_t n = strcspn(p, ",");
		unsigned bits;

		if (!n || feat_lookup(p, n, &bits)) {
			if (bad_off)
				*bad_off = (size_t)(p - list);
			return -EINVAL;
		}
		acc |= bits;
		if (!p[n])
			break;
		p += n + 1;
	}
	*set = acc;
	return 0;
}

/* Append sep and str to buf at *n while everything so far fits. */
static void append(char *buf, size_t len, size_t *n, const char *sep, const char *str)
{
	size_t ls = strlen(sep), l = strlen(str);

	if (*n + ls + l < len) {
		memcpy(buf + *n, sep, ls);
		memcpy(buf + *n + ls, str, l + 1);
	}
	*n += ls + l;
}

int s2_features_format(unsigned set, char *buf, size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = 0;
	set &= S2_FEAT_ALL;
	if (!set)
		append(buf, len, &n, "", "none");
	for (size_t i = 0; i < HVX_ARRAY_SIZE(feat_names); i++)
		if (set & (1u << i))
			append(buf, len, &n, n ? "," : "", feat_names[i]);
	return (int)n;
}

/* DFSC/IFSC codes (D24.2.46 ESR_EL2, ISS encoding for a Data/Instruction
 * Abort, DFSC): index [kind][level+1] for levels -1..3; -1 = no code. */
static const int fsc_table[6][5] = {
	[S2_FAULT_ADDRESS_SIZE]  = { 0x29, 0x00, 0x01, 0x02, 0x03 },
	[S2_FAULT_TRANSLATION]   = { 0x2B, 0x04, 0x05, 0x06, 0x07 },
	[S2_FAULT_ACCESS_FLAG]   = { -1,   0x08, 0x09, 0x0A, 0x0B },
	[S2_FAULT_PERMISSION]    = { -1,   0x0C, 0x0D, 0x0E, 0x0F },
	[S2_FAULT_SYNC_EXT_WALK] = { 0x13, 0x14, 0x15, 0x16, 0x17 },
	[S2_OK]                  = { -1, -1, -1, -1, -1 },
};

int s2_fsc_code(enum s2_fault f, int level)
{
	if ((unsigned)f >= HVX_ARRAY_SIZE(fsc_table) || level < -1 || level > 3)
		return -EINVAL;
	int c = fsc_table[f][level + 1];
	return c < 0 ? -EINVAL : c;
}

static const char *const fault_names[] = {
	[S2_OK] = "ok",
	[S2_FAULT_TRANSLATION] = "translation",
	[S2_FAULT_ACCESS_FLAG] = "access_flag",
	[S2_FAULT_PERMISSION] = "permission",
	[S2_FAULT_ADDRESS_SIZE] = "address_size",
	[S2_FAULT_SYNC_EXT_WALK] = "sync_external_walk",
};

const char *s2_fault_name(enum s2_fault f)
{
	return (unsigned)f < HVX_ARRAY_SIZE(fault_names) ? fault_names[f] : "unknown";
}

enum fsc_type s2_fault_fsc_type(enum s2_fault f)
{
	static const enum fsc_type map[] = {
		[S2_OK] = FSC_RESERVED,
		[S2_FAULT_TRANSLATION] = FSC_TRANSLATION,
		[S2_FAULT_ACCESS_FLAG] = FSC_ACCESS_FLAG,
		[S2_FAULT_PERMISSION] = FSC_PERMISSION,
		[S2_FAULT_ADDRESS_SIZE] = FSC_ADDRESS_SIZE,
		[S2_FAULT_SYNC_EXT_WALK] = FSC_SYNC_EXTERNAL_WALK,
	};
	return (unsigned)f < HVX_ARRAY_SIZE(map) ? map[f] : FSC_RESERVED;
}

int s2_flat_read64(void *ctx, uint64_t pa, uint64_t *val)
{
	const struct s2_flatmem *m = ctx;

	if (!m || !val)
		return -EFAULT;
	const struct s2_flat_view v = s2_flat_view(m);
	return s2_flat_load(&v, pa, val);
}
