/*
 * Fuzz target: the Stage-2 walk over arbitrary configuration and tables.
 *
 * Input layout (little-endian; input shorter than 32 bytes is padded with
 * zeros, never rejected; bytes beyond 32 + 64KiB are ignored):
 *   [0:8)   VTCR_EL2
 *   [8:16)  VTTBR_EL2
 *   [16:24) IPA
 *   [24]    bits[1:0] access (0 read, 1 write, 2/3 exec), bit 2 EL0,
 *           bit 3 HCR_EL2.FWB, bit 4 write hardware updates back,
 *           bit 5 feature WXN (enum s2_feature bit 8)
 *   [25]    feature mask bits [7:0] (enum s2_feature)
 *   [26]    PA range: 32 + byte % 21
 *   [27:31) bits [31:0] of TCR_EL1 for the two-stage walk
 *   [31]    bit 4: also run the Stage-1+2 walk (VA = IPA field, TTBR0 =
 *           MEM_BASE, TTBR1 = MEM_BASE + 64KiB), bits [2:0] TCR_EL1.IPS,
 *           bit 5 TCR_EL1.HA, bit 6 PSTATE.PAN, bit 7 SCTLR_EL1.WXN
 *   [32:)   table memory, placed at physical address MEM_BASE; its last 16
 *           bytes double as S2PIR_EL2 then S2POR_EL1 (little-endian)
 *
 * Invariants (abort on violation): every descriptor read is inside the
 * supplied memory (the bounds-checked callback is the only way in) and at
 * most one per level; a success has PA < 2^PS with the IPA's offset bits
 * and a level where the granule allows a block/page; a fault's DFSC is
 * the architectural code of its type and level (D24.2.46); the ESR_EL2
 * decodes back to the same DFSC/WnR/S1PTW/Overlay/DirtyBit; HPFAR holds
 * IPA[51:12]; a configuration fault reads nothing and faults at level 0;
 * a hardware update touches only AF/bit [7] of the final descriptor, only
 * with HA/HD, and what is written is what is reported; a walk over
 * s2_flat_read64 (read inline by the walk) gives the same result and trace
 * as over a callback that calls it, and s2_walk() without a trace (the
 * plain walk in a plain regime) the same result as with one.
 */
#include <stdlib.h>
#include <string.h>

#include "hvexit/s2.h"

#define HDR 32
#define MEM_BASE UINT64_C(0x10000)
#define MEM_MAX (64u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fmem {
	struct s2_flatmem m;
	uint8_t *buf;		/* the same bytes, writable */
	unsigned reads, limit;
};

static int fread64(void *ctx, uint64_t pa, uint64_t *v)
{
	struct fmem *f = ctx;

	f->reads++;
	if (f->reads > f->limit)
		abort();	/* unbounded walk */
	return s2_flat_read64(&f->m, pa, v);
}

static int fcas64(void *ctx, uint64_t pa, uint64_t expect, uint64_t desired, uint64_t *found)
{
	struct fmem *f = ctx;

	if (s2_flat_read64(&f->m, pa, found))
		return -EFAULT;
	if (*found == expect)
		hvx_put_le(f->buf + (pa - f->m.base), desired, 8);
	return 0;
}

/* A hardware update sets only AF [10] and bit [7], each only when enabled
 * (D8.5), on the final descriptor read. */
static void check_update(const struct s2_config *c, const struct s2_result *r,
			 const struct fmem *f)
{
	const struct s2_update *u = &r->upd;
	uint64_t allowed = (c->ha ? UINT64_C(1) << 10 : 0) | (c->hd ? UINT64_C(1) << 7 : 0);

	if (!u->valid)
		return;
	if (u->new_desc == u->old_desc || (u->new_desc & ~u->old_desc & ~allowed) ||
	    (u->old_desc & ~u->new_desc) || !r->steps ||
	    u->desc_pa != r->trace[r->steps - 1].desc_pa ||
	    u->old_desc != r->trace[r->steps - 1].desc)
		abort();
	if (u->written && hvx_get_le(f->buf + (u->desc_pa - f->m.base), 8) != u->new_desc)
		abort();
}

static void check_fault(const struct s2_config *c, const struct s2_result *r,
			enum s2_access acc)
{
	if (s2_fsc_code(r->fault, r->level) != r->fsc)
		abort();
	if (r->level < -1 || r->level > 3)
		abort();
	if (r->fault != S2_FAULT_TRANSLATION && r->fault != S2_FAULT_ADDRESS_SIZE &&
	    r->level < c->start_level)
		abort();
	if ((r->overlay || r->dirtybit) &&
	    (r->fault != S2_FAULT_PERMISSION || (r->dirtybit && (r->overlay || acc != S2_ACC_WRITE))))
		abort();
	if (r->fault == S2_FAULT_ACCESS_FLAG && c->ha)
		abort();
	struct s2_access_info ai = { .acc = acc };
	uint64_t esr = s2_fault_esr(r, &ai);
	struct esr_dabt d;
	if (acc == S2_ACC_EXEC) {
		if (esr_ec(esr) != ESR_EC_IABT_LOW || (esr & 0x3f) != r->fsc)
			abort();
	} else {
		if (esr_decode_dabt(esr, &d) || d.dfsc != r->fsc ||
		    d.wnr != (acc == S2_ACC_WRITE) || d.s1ptw ||
		    d.overlay != r->overlay || d.dirtybit != r->dirtybit)
			abort();
	}
	uint64_t h = s2_fault_hpfar(r->ipa);
	if ((h >> 4) != ((r->ipa >> 12) & hvx_mask(39, 0)))
		abort();
}

static int flat_cb(void *ctx, uint64_t pa, uint64_t *v)
{
	return s2_flat_read64(ctx, pa, v);
}

/* Stage 1 over Stage 2: each of at most 4 Stage-1 levels costs one
 * Stage-2 walk plus the descriptor read, then one final Stage-2 walk. */
static void two_stage(const struct s2_config *c, struct fmem *f, const uint8_t *hdr,
		      uint64_t va, enum s2_access acc, bool el0, const struct s2_mem *mem)
{
	uint64_t tcr = (hvx_get_le(hdr + 27, 5) & hvx_mask(34, 0)) |
		       (hdr[31] & 0x20 ? UINT64_C(1) << 39 : 0);
	const struct s1_regs regs = { .tcr = tcr, .ttbr0 = MEM_BASE, .ttbr1 = MEM_BASE + 0x10000,
				      .sctlr = hdr[31] & 0x80 ? UINT64_C(1) << 19 : 0,
				      .pan = hdr[31] & 0x40 };
	struct s1_result r;
	const char *rule = NULL;

	f->reads = 0;
	/* Each Stage-1 level: a Stage-2 walk (with restarts) and the read. */
	f->limit = 5 * ((S2_MAX_RESTARTS + 1) * S2_MAX_LEVELS + 1);
	if (s1_walk(&regs, c, va, acc, el0, mem, &r, &rule)) {
		if (!rule)
			abort();
		return;
	}
	if (r.nupd > HVX_ARRAY_SIZE(r.upd))
		abort();
	if (r.steps > 4)
		abort();
	if (r.fault != S2_OK && s2_fsc_code(r.fault, r.level) != r.fsc)
		abort();
	if ((r.s1ptw || r.fault == S2_OK) && r.s2.fault != S2_OK &&
	    s2_fsc_code(r.s2.fault, r.s2.level) != r.s2.fsc)
		abort();
	if (r.s1ptw) {
		struct s2_access_info ai = { .acc = acc, .s1ptw = true };
		struct esr_dabt d;
		uint64_t esr = s2_fault_esr(&r.s2, &ai);
		if (acc != S2_ACC_EXEC &&
		    (esr_decode_dabt(esr, &d) || !d.s1ptw || d.isv || d.wnr))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t hdr[HDR] = {0};
	memcpy(hdr, data, size < HDR ? size : HDR);
	uint64_t vtcr = hvx_get_le(hdr, 8), vttbr = hvx_get_le(hdr + 8, 8);
	uint64_t ipa = hvx_get_le(hdr + 16, 8);
	enum s2_access acc = (hdr[24] & 3) > 2 ? S2_ACC_EXEC : (enum s2_access)(hdr[24] & 3);
	bool el0 = hdr[24] & 4, fwb = hdr[24] & 8;
	unsigned feat = hdr[25] | (hdr[24] & 0x20 ? S2_FEAT_WXN : 0);
	unsigned parange = 32 + hdr[26] % 21;
	struct s2_config c;
	const char *rule = NULL;

	int cfg = s2_config_init(vtcr, vttbr, feat, parange, fwb, &c, &rule);
	if (cfg < 0 || cfg > 1 || !rule != !cfg) {
		if (cfg >= 0 || !rule)
			abort();
		return 0;
	}
	if (!cfg && (c.root_tables < 1 || c.root_tables > 16 || c.start_level < -1 ||
		     c.start_level > 3 || c.oa_bits > parange || c.ia_bits > parange))
		abort();
	if (c.hd && !c.ha)
		abort();

	size_t mlen = size > HDR ? size - HDR : 0;
	if (mlen > MEM_MAX)
		mlen = MEM_MAX;
	/* Copy into an exact-size heap buffer so ASan catches any overread. */
	uint8_t *mem = malloc(mlen ? mlen : 1);
	if (!mem)
		return 0;
	if (mlen)
		memcpy(mem, data + HDR, mlen);
	if (mlen >= 16) {
		c.s2pir = hvx_get_le(mem + mlen - 16, 8);
		c.s2por = hvx_get_le(mem + mlen - 8, 8);
	}
	struct fmem f = { .m = { .buf = mem, .len = mlen, .base = MEM_BASE }, .buf = mem,
			  .limit = (S2_MAX_RESTARTS + 1) * S2_MAX_LEVELS };
	const struct s2_mem smem = { .read64 = fread64, .cas64 = hdr[24] & 0x10 ? fcas64 : NULL,
				     .ctx = &f, .trace = true };
	const struct s2_mem flat = { .read64 = s2_flat_read64, .ctx = &f.m, .trace = true };
	const struct s2_mem cb = { .read64 = flat_cb, .ctx = &f.m, .trace = true };
	struct s2_result r, rf, rc, rp;

	/* Read-only walks first (the one below may write updates back). */
	if (s2_walk_mem(&c, ipa, acc, el0, &flat, &rf) || s2_walk_mem(&c, ipa, acc, el0, &cb, &rc) ||
	    !s2_result_same(&rf, &rc, true) || s2_walk(&c, ipa, acc, el0, s2_flat_read64, &f.m, &rp) ||
	    !s2_result_same(&rf, &rp, false))
		abort();
	if (s2_walk_mem(&c, ipa, acc, el0, &smem, &r))
		abort();
	if (r.steps != f.reads || r.steps > (unsigned)(4 - c.start_level))
		abort();
	if (cfg && (r.fault != S2_FAULT_TRANSLATION || r.level != 0 || r.steps))
		abort();
	check_update(&c, &r, &f);
	if (r.fault == S2_OK) {
		if (r.size == 0 || (r.pa >> c.oa_bits) || r.level < c.start_level ||
		    (r.pa & (r.size - 1)) != (ipa & (r.size - 1)) ||
		    (r.level < 3 && !s2_block_allowed(&c, r.level)))
			abort();
	} else {
		check_fault(&c, &r, acc);
	}
	if (hdr[31] & 0x10)
		two_stage(&c, &f, hdr, ipa, acc, el0, &smem);
	free(mem);
	return 0;
}
