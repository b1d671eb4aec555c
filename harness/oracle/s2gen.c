/*
 * Stage-2 scenarios for the oracle: a VTCR_EL2/VTTBR_EL2 pair drawn over
 * every granule, start level (with root concatenation), IPA and PA size
 * the probed PE implements, tables built by s2_build() for a few regions,
 * then changed on purpose (Access flag clear, XN, invalid or reserved
 * descriptors, output addresses above the PA size, tables in memory that
 * does not exist), and the accesses to run: reads, writes and instruction
 * fetches inside the regions, anywhere in the IPA space and above it.
 */
#include <string.h>

#include "harness/oracle/s2case.h"
#include "harness/util/rng.h"

static const unsigned ps_bits_of[] = { 32, 36, 40, 42, 44, 48, 52 };

/* A VTCR_EL2 value (D24.2.224) with random TG0, PS, T0SZ, SL0 (and DS,
 * SL2 with FEAT_LPA2); RES1 bit 31 set, inner/outer Write-Back, Inner
 * Shareable. */
static uint64_t draw_vtcr(uint64_t *rs, const struct oracle_s2_env *e)
{
	static const uint8_t tg[] = { 0, 2, 1 };	/* 4K, 16K, 64K */
	unsigned pr = 0;

	while (pr + 1 < HVX_ARRAY_SIZE(ps_bits_of) && ps_bits_of[pr + 1] <= e->parange)
		pr++;
	uint64_t t = tg[util_rng_below(rs, 3)];
	uint64_t ps = util_rng_below(rs, pr + 1);
	uint64_t ia = 24 + util_rng_below(rs, 29);	/* 24..52 bits */
	/* Mostly an IPA no wider than PS: wider ones are valid (D8.1.10) but
	 * some PEs fault them all, which would hide everything else. */
	if (util_rng_below(rs, 8) && ia > ps_bits_of[ps])
		ia = 24 + util_rng_below(rs, ps_bits_of[ps] - 23);
	uint64_t v = (64 - ia) | (uint64_t)util_rng_below(rs, 4) << 6 | UINT64_C(1) << 8 |
		     UINT64_C(1) << 10 | UINT64_C(3) << 12 | t << 14 | ps << 16 |
		     UINT64_C(1) << 31;
	/* FEAT_HAFDBS: hardware Access flag (HA) and dirty state (HD) */
	if ((e->features & S2_FEAT_HAFDBS) && util_rng_below(rs, 3) == 0)
		v |= UINT64_C(1) << 21 | (uint64_t)util_rng_below(rs, 2) << 22;
	if ((e->features & S2_FEAT_LPA2) && t != 1 && util_rng_below(rs, 4) == 0) {
		v |= UINT64_C(1) << 32;
		if (util_rng_below(rs, 4) == 0)
			v |= UINT64_C(1) << 33;
	}
	return v;
}

static int draw_config(uint64_t *rs, const struct oracle_s2_env *e, struct oracle_s2_case *c)
{
	/* One case in ten has a configuration every access faults on. */
	int want = util_rng_below(rs, 10) == 0;

	for (unsigned tries = 0; tries < 400; tries++) {
		uint64_t vtcr = draw_vtcr(rs, e);
		int rc = s2_config_init(vtcr, ORACLE_TABLE_PA, e->features, e->parange, false,
					&c->cfg, NULL);
		if (rc == want) {
			c->vtcr = vtcr;
			c->vttbr = ORACLE_TABLE_PA;
			return 0;
		}
	}
	return -EAGAIN;
}

/* PA of a region of size bytes whose accesses can land in the pool: a
 * size-aligned base inside the pool, or a base whose block covers it. */
static uint64_t draw_pa(uint64_t *rs, uint64_t size)
{
	uint64_t pool = ORACLE_POOL_HI - ORACLE_POOL_LO;

	if (size <= pool / 2) {
		uint64_t lo = (ORACLE_POOL_LO + size - 1) & ~(size - 1);
		uint64_t slots = (ORACLE_POOL_HI - lo) / size;
		return lo + (util_rng_next(rs) % slots) * size;
	}
	uint64_t b = ORACLE_POOL_LO & ~(size - 1);
	if (b + size < ORACLE_POOL_HI)	/* e.g. 512 MiB: the upper half */
		b = (ORACLE_POOL_HI - size) & ~(size - 1);
	return b;
}

static bool overlaps(const struct s2_region *r, unsigned n, uint64_t ipa, uint64_t size)
{
	for (unsigned i = 0; i < n; i++)
		if (ipa < r[i].ipa + r[i].size && r[i].ipa < ipa + size)
			return true;
	return false;
}

static void draw_regions(uint64_t *rs, struct oracle_s2_case *c)
{
	const struct s2_config *cfg = &c->cfg;
	uint64_t gsz = UINT64_C(1) << cfg->granule_bits;

	c->reg[0] = (struct s2_region){ 0, ORACLE_STUB_PA, gsz, S2_R | S2_X };
	c->nreg = 1;
	unsigned want = 1 + util_rng_below(rs, ORACLE_S2_MAX_TARGETS);
	for (unsigned tries = 0; c->nreg <= want && tries < 20; tries++) {
		int lvl = 3 - (int)util_rng_below(rs, 3);
		if (lvl < cfg->start_level || !s2_block_allowed(cfg, lvl))
			lvl = 3;
		unsigned sh = cfg->granule_bits + (unsigned)(3 - lvl) * cfg->stride;
		if (sh >= cfg->ia_bits || sh >= 40)
			continue;
		uint64_t size = UINT64_C(1) << sh;
		uint64_t slots = (UINT64_C(1) << (cfg->ia_bits - sh));
		uint64_t ipa = (1 + util_rng_next(rs) % (slots - 1)) << sh;
		if (overlaps(c->reg, c->nreg, ipa, size))
			continue;
		unsigned fl = util_rng_below(rs, 8);
		if (!(fl & S2_X) && util_rng_below(rs, 6) == 0)
			fl |= S2_DEV;
		c->reg[c->nreg++] = (struct s2_region){ ipa, draw_pa(rs, size), size, fl };
	}
}

static int flat_read(void *ctx, uint64_t pa, uint64_t *v)
{
	return s2_flat_read64(ctx, pa, v);
}

/* Change one descriptor on the walk of ipa (enum oracle_s2_mut). */
static enum oracle_s2_mut mutate(uint64_t *rs, struct oracle_s2_case *c, uint64_t ipa)
{
	struct s2_flatmem fm = { c->buf, c->used, ORACLE_TABLE_PA };
	const struct s2_mem mem = { .read64 = flat_read, .ctx = &fm, .trace = true };
	struct s2_result r;

	if (s2_walk_mem(&c->cfg, ipa, S2_ACC_READ, false, &mem, &r) || !r.steps)
		return ORC_MUT_NONE;
	if (r.fault != S2_OK)
		return ORC_MUT_NONE;	/* already not valid: nothing to change */
	enum oracle_s2_mut m = (enum oracle_s2_mut)util_rng_below(rs, ORC_MUT_COUNT);
	/* with hardware updates on, half the changes are the ones they act on */
	if (c->cfg.ha && util_rng_below(rs, 2))
		m = util_rng_below(rs, 2) ? ORC_MUT_AF : ORC_MUT_DBM;
	unsigned last = r.steps - 1, at = last;
	if (m == ORC_MUT_TABLE_INVALID || m == ORC_MUT_TABLE_UNBACKED ||
	    m == ORC_MUT_TABLE_OA_SIZE) {
		if (!last)
			return ORC_MUT_NONE;
		at = util_rng_below(rs, last);
	}
	uint64_t pa = r.trace[at].desc_pa;
	uint64_t d = r.trace[at].desc;
	bool table = at != last;
	unsigned oa = c->cfg.oa_bits;

	switch (m) {
	case ORC_MUT_AF:
		d &= ~(UINT64_C(1) << 10);
		break;
	case ORC_MUT_DBM:	/* DBM [51] on a read-only leaf: writable with HD */
		d = (d & ~(UINT64_C(1) << 7)) | UINT64_C(1) << 51 |
		    (util_rng_below(rs, 2) ? 0 : UINT64_C(1) << 10);
		break;
	case ORC_MUT_XN:
		d = (d & ~hvx_mask(54, 53)) | hvx_field(util_rng_below(rs, 4), 54, 53);
		break;
	case ORC_MUT_S2AP:
		d = (d & ~hvx_mask(7, 6)) | hvx_field(util_rng_below(rs, 4), 7, 6);
		break;
	case ORC_MUT_INVALID:
	case ORC_MUT_TABLE_INVALID:
		d &= ~UINT64_C(1);
		break;
	case ORC_MUT_RESERVED:	/* bits[1:0] = 01 at level 3, or a block where none is allowed */
		d = (d & ~UINT64_C(3)) | 1;
		break;
	case ORC_MUT_OA_SIZE:
	case ORC_MUT_TABLE_OA_SIZE:
		if (oa >= 48 || c->cfg.oa_format != S2_OA_48)
			return ORC_MUT_NONE;
		d |= UINT64_C(1) << (oa + util_rng_below(rs, 48 - oa));
		break;
	case ORC_MUT_TABLE_UNBACKED:
		if (!table || oa <= 32 || c->cfg.oa_format != S2_OA_48)
			return ORC_MUT_NONE;
		d = (d & ~hvx_mask(47, 12)) | ORACLE_UNBACKED;
		break;
	default:
		return ORC_MUT_NONE;
	}
	hvx_put_le(c->buf + (pa - ORACLE_TABLE_PA), d, 8);
	return m;
}

static void add_access(struct oracle_s2_case *c, uint64_t ipa, enum s2_access acc)
{
	if (c->nacc < ORACLE_S2_MAX_ACC)
		c->acc[c->nacc++] = (struct oracle_s2_access){ ipa & ~UINT64_C(7), acc };
}

/* An offset into region r whose PA lies in the pool. */
static uint64_t draw_offset(uint64_t *rs, const struct s2_region *r)
{
	uint64_t lo = r->pa < ORACLE_POOL_LO ? ORACLE_POOL_LO - r->pa : 0;
	uint64_t hi = r->pa + r->size > ORACLE_POOL_HI ? ORACLE_POOL_HI - r->pa : r->size;

	return lo + util_rng_next(rs) % (hi - lo - 8);
}

static void draw_accesses(uint64_t *rs, struct oracle_s2_case *c)
{
	unsigned ia = c->cfg.ia_bits;

	for (unsigned i = 1; i < c->nreg; i++)
		for (unsigned k = 0; k < 2; k++)
			add_access(c, c->reg[i].ipa + draw_offset(rs, &c->reg[i]),
				   (enum s2_access)util_rng_below(rs, 3));
	uint64_t any = util_rng_next(rs) & hvx_mask(ia - 1, 0);
	add_access(c, any ? any : 8, (enum s2_access)util_rng_below(rs, 3));
	/* Above the IPA size (below 2^48 so that the EL1 MMU-off VA is in
	 * range: D8.2.11 "Address size configuration" with Stage 1 off). */
	if (ia < 48)
		add_access(c, (UINT64_C(1) << ia) | (util_rng_next(rs) & hvx_mask(ia - 1, 3)),
			   (enum s2_access)util_rng_below(rs, 3));
}

int oracle_s2_case_gen(const struct oracle_s2_env *e, uint64_t seed, uint64_t index,
		       struct oracle_s2_case *c)
{
	uint64_t rs = seed ^ (index * UINT64_C(0x9e3779b97f4a7c15));
	const char *why = NULL;

	util_rng_next(&rs);
	memset(c->mut, 0, sizeof(c->mut));
	c->nacc = 0;
	c->nreg = 0;
	c->used = 0;
	c->index = index;
	if (draw_config(&rs, e, c))
		return -EAGAIN;
	if (c->cfg.fault_rule) {
		add_access(c, 0x1000 + (util_rng_next(&rs) & 0xffff), S2_ACC_READ);
		return 0;
	}
	for (unsigned tries = 0; tries < 8; tries++) {
		struct s2_build_out bo;
		draw_regions(&rs, c);
		if (!s2_build(&c->cfg, c->reg, c->nreg, c->buf, sizeof(c->buf), ORACLE_TABLE_PA,
			      &bo, &why)) {
			c->used = bo.used;
			break;
		}
	}
	if (!c->used)
		return -EAGAIN;
	for (unsigned i = 1; i < c->nreg; i++)
		if (util_rng_below(&rs, 3))
			c->mut[i] = mutate(&rs, c, c->reg[i].ipa + (util_rng_next(&rs) %
							  c->reg[i].size));
	draw_accesses(&rs, c);
	return 0;
}

const char *oracle_s2_mut_name(enum oracle_s2_mut m)
{
	static const char *const n[ORC_MUT_COUNT] = {
		[ORC_MUT_NONE] = "none", [ORC_MUT_AF] = "af-clear", [ORC_MUT_XN] = "xn",
		[ORC_MUT_S2AP] = "s2ap", [ORC_MUT_INVALID] = "leaf-invalid",
		[ORC_MUT_RESERVED] = "leaf-reserved", [ORC_MUT_OA_SIZE] = "leaf-oa-size",
		[ORC_MUT_TABLE_INVALID] = "table-invalid",
		[ORC_MUT_TABLE_UNBACKED] = "table-unbacked",
		[ORC_MUT_TABLE_OA_SIZE] = "table-oa-size", [ORC_MUT_DBM] = "dbm",
	};
	return (unsigned)m < ORC_MUT_COUNT ? n[m] : "?";
}
