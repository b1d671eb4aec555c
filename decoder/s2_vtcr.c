/*
 * VTCR_EL2 / VTTBR_EL2 decode and the checks that make a Stage-2 regime
 * walkable (see include/hvexit/s2.h for the references).
 */
#include "hvexit/s2.h"

/* VTCR_EL2 field map (D24.2.208 VTCR_EL2). */
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

/* VTCR_EL2.PS -> output address bits (D24.2.208 PS); 0 = reserved. */
static const unsigned ps_bits[8] = {
	[0] = 32, [1] = 36, [2] = 40, [3] = 42, [4] = 44, [5] = 48, [6] = 52,
	[7] = 0,
};

/* VTCR_EL2.TG0 -> granule bits (D24.2.208 TG0); 0 = reserved. */
static const unsigned tg0_bits[4] = { [0] = 12, [1] = 16, [2] = 14, [3] = 0 };

/* Start level from SL0 (D8.2 "Determining the Stage 2 starting level",
 * pseudocode AArch64.S2StartLevel); 9 = reserved encoding. */
static const int sl0_level[3][4] = {
	/* 4K  */ { 2, 1, 0, 3 },
	/* 16K */ { 3, 2, 1, 0 },
	/* 64K */ { 3, 2, 1, 9 },
};

static unsigned gidx(unsigned granule_bits)
{
	return granule_bits == 12 ? 0 : granule_bits == 14 ? 1 : 2;
}

#define FAIL(msg) do { if (rule) *rule = (msg); return -EINVAL; } while (0)

static int check_start_level(const struct s2_vtcr *v, struct s2_config *c,
			     unsigned pa_range, const char **rule)
{
	unsigned g = gidx(c->granule_bits);
	int sl;

	if (v->sl2 && v->ds && g == 0) {
		/* D24.2.208 SL2: with DS=1 and 4K, {SL2,SL0}=100 is level -1. */
		if (v->sl0 != 0)
			FAIL("VTCR_EL2.SL2=1 needs SL0=0b00 (D24.2.208 SL2; AArch64.S2InvalidSL)");
		sl = -1;
	} else {
		if (v->sl2)
			FAIL("VTCR_EL2.SL2=1 is only defined with DS=1 and a 4KB granule (D24.2.208 SL2; AArch64.S2InvalidSL)");
		sl = sl0_level[g][v->sl0];
	}
	if (sl == 9)
		FAIL("VTCR_EL2.SL0=0b11 is reserved with a 64KB granule (D24.2.208 SL0; AArch64.S2InvalidSL)");
	if (g == 0 && v->sl0 == 3 && !v->sl2 && !(c->features & S2_FEAT_TTST))
		FAIL("VTCR_EL2.SL0=0b11 with 4KB (start level 3) needs FEAT_TTST (D24.2.208 SL0; AArch64.S2InvalidSL)");
	if (g == 1 && sl == 0 && !c->lpa52)
		FAIL("VTCR_EL2.SL0=0b11 with 16KB (start level 0) needs DS=1 (D24.2.208 SL0; AArch64.S2InvalidSL)");
	/* AArch64.S2InvalidSL: a start level that only a larger PA range
	 * could use is reserved. */
	if ((g == 0 && sl == 0 && pa_range < 44) ||
	    (g == 1 && sl == 1 && pa_range < 42) ||
	    (g == 2 && sl == 1 && pa_range < 44))
		FAIL("VTCR_EL2.SL0 selects a start level the implemented PA range cannot use (D8.2 start level tables; AArch64.S2InvalidSL)");
	c->start_level = sl;
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
	c.features = features;
	c.fwb = fwb;
	c.granule_bits = tg0_bits[v->tg0];
	if (!c.granule_bits)
		FAIL("VTCR_EL2.TG0=0b11 is reserved (D24.2.208 TG0)");
	c.stride = c.granule_bits - 3;
	if (v->d128)
		FAIL("VTCR_EL2.D128=1 (128-bit descriptors, FEAT_D128) is not modelled (D24.2.208 D128)");
	if (!ps_bits[v->ps])
		FAIL("VTCR_EL2.PS=0b111 is reserved (D24.2.208 PS)");
	/* D24.2.208 PS: a value above the implemented PARange behaves as
	 * PARange; 52 bits needs 64KB with FEAT_LPA or DS=1 (FEAT_LPA2),
	 * otherwise the output size is 48 bits. */
	bool ds = v->ds && c.granule_bits != 16 && (features & S2_FEAT_LPA2);
	if (v->ds && c.granule_bits != 16 && !(features & S2_FEAT_LPA2))
		FAIL("VTCR_EL2.DS=1 needs FEAT_LPA2 (D24.2.208 DS)");
	c.oa_bits = ps_bits[v->ps] < pa_range_bits ? ps_bits[v->ps] : pa_range_bits;
	bool lpa64 = c.granule_bits == 16 && (features & S2_FEAT_LPA);
	if (c.oa_bits == 52 && !lpa64 && !ds)
		c.oa_bits = 48;
	c.lpa52 = ds || (lpa64 && c.oa_bits == 52);

	/* AArch64.S2InvalidTxSZ: T0SZ within [min, max] for the granule. */
	unsigned mintx = c.lpa52 || (lpa64 && pa_range_bits == 52) ? 12 : 16;
	unsigned maxtx = !(features & S2_FEAT_TTST) ? 39 : c.granule_bits == 12 ? 48 : 47;
	if (v->t0sz < mintx)
		FAIL("VTCR_EL2.T0SZ below the minimum for this granule/PS (IPA wider than 48 bits needs 52-bit support) (D24.2.208 T0SZ; AArch64.S2InvalidTxSZ)");
	if (v->t0sz > maxtx)
		FAIL("VTCR_EL2.T0SZ above the maximum (39, or 48/47 with FEAT_TTST) (D24.2.208 T0SZ; AArch64.S2InvalidTxSZ)");
	c.ia_bits = 64u - v->t0sz;
	/* AArch64.S2Walk: an IPA size above the implemented PA size
	 * gives a Stage-2 level 0 translation fault on every access. */
	if (c.ia_bits > pa_range_bits)
		FAIL("IPA size (64-T0SZ) exceeds the implemented PA size (ID_AA64MMFR0_EL1.PARange) (D24.2.208 T0SZ)");

	int rc = check_start_level(v, &c, pa_range_bits, rule);
	if (rc)
		return rc;

	/* AArch64.S2InconsistentSL: the start level must resolve at least
	 * one IPA bit and at most stride+4 (up to 16 concatenated tables,
	 * D8.2 "Concatenated translation tables"). */
	unsigned below = c.granule_bits + (unsigned)(3 - c.start_level) * c.stride;
	if (c.ia_bits < below + 1)
		FAIL("start level from SL0 is too low for the IPA size: the root would resolve no IPA bit (D8.2 start level tables; AArch64.S2InconsistentSL)");
	c.root_index_bits = c.ia_bits - below;
	if (c.root_index_bits > c.stride + 4)
		FAIL("start level from SL0 is too high for the IPA size: more than 16 concatenated root tables (D8.2 Concatenated translation tables; AArch64.S2InconsistentSL)");
	c.root_tables = c.root_index_bits > c.stride ? 1u << (c.root_index_bits - c.stride) : 1;

	/* VTTBR_EL2 (D24.2.209): BADDR [47:1], with PA[51:48] in [5:2] for
	 * the 52-bit formats; VMID [63:48]; CnP [0]. */
	c.vttbr.cnp = vttbr & 1;
	c.vttbr.vmid = (uint16_t)hvx_bits(vttbr, 63, 48);
	if (!v->vs && (c.vttbr.vmid >> 8))
		FAIL("VTTBR_EL2.VMID[15:8] must be 0 when VTCR_EL2.VS=0 (D24.2.209 VMID)");
	if (c.lpa52)
		c.vttbr.baddr = (vttbr & hvx_mask(47, 6)) | (hvx_bits(vttbr, 5, 2) << 48);
	else
		c.vttbr.baddr = vttbr & hvx_mask(47, 1);
	unsigned x = c.root_index_bits + 3;
	if (c.lpa52 && x < 6)
		x = 6;
	if (c.vttbr.baddr & hvx_mask(x - 1, 0))
		FAIL("VTTBR_EL2.BADDR is not aligned to the root table size (BADDR[x-1:1] RES0, D24.2.209 BADDR)");
	c.root = c.vttbr.baddr;
	*cfg = c;
	return 0;
}

/* DFSC/IFSC codes (D24.2.40 ESR_EL2, ISS encoding for a Data/Instruction
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

	if (!m || !val || pa < m->base || (pa & 7))
		return -EFAULT;
	uint64_t off = pa - m->base;
	if (off >= m->len || m->len - off < 8)
		return -EFAULT;
	*val = hvx_get_le(m->buf + off, 8);
	return 0;
}
