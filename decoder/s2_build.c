/*
 * Stage-2 table builder: region list -> translation tables in a caller
 * buffer (descriptor formats from D8.3, Stage-2 block/page/table).
 */
#include <string.h>

#include "hvexit/s2.h"

uint64_t s2_build_attrs(unsigned flags)
{
	uint64_t a = 0;

	/* D8.3 Stage-2 attributes: S2AP [7:6] (bit 6 read, bit 7 write),
	 * MemAttr [5:2], SH [9:8], AF [10], XN[1:0] [54:53]. */
	if (flags & S2_R)
		a |= UINT64_C(1) << 6;
	if (flags & S2_W)
		a |= UINT64_C(1) << 7;
	if (flags & S2_DEV)
		a |= hvx_field(0x1, 5, 2);	/* Device-nGnRE */
	else
		a |= hvx_field(0xf, 5, 2) | hvx_field(3, 9, 8); /* Normal WB, Inner Shareable */
	a |= UINT64_C(1) << 10;			/* AF */
	if (!(flags & S2_X))
		a |= hvx_field(2, 54, 53);	/* XN[1:0]=10: no execution */
	return a;
}

/* Inverse of s2_desc_oa() (52-bit aware). */
static uint64_t enc_addr(const struct s2_config *c, uint64_t a)
{
	switch (c->oa_format) {
	case S2_OA_52_DS:
		return (a & hvx_mask(49, 12)) | (hvx_bits(a, 51, 50) << 8);
	case S2_OA_52_64K:
		return (a & hvx_mask(47, 16)) | (hvx_bits(a, 51, 48) << 12);
	default:
		return a & hvx_mask(47, 12);
	}
}

struct bctx {
	const struct s2_config *c;
	uint8_t *buf;
	size_t len, next;
	uint64_t base;
	struct s2_build_out *out;
};

static unsigned shift_of(const struct s2_config *c, int level)
{
	return c->granule_bits + (unsigned)(3 - level) * c->stride;
}

static int alloc_table(struct bctx *b, uint64_t *pa)
{
	size_t gsz = (size_t)1 << b->c->granule_bits;

	if (b->len - b->next < gsz)
		return -ENOSPC;
	*pa = b->base + b->next;
	b->next += gsz;
	b->out->tables++;
	return 0;
}

/* Write one leaf at `level` for ipa -> pa, creating tables on the way. */
static int map_one(struct bctx *b, uint64_t ipa, uint64_t pa, int level, uint64_t attrs)
{
	const struct s2_config *c = b->c;
	uint64_t table = b->out->root;

	for (int l = c->start_level; ; l++) {
		unsigned nbits = l == c->start_level ? c->root_index_bits : c->stride;
		uint64_t idx = (ipa >> shift_of(c, l)) & hvx_mask(nbits - 1, 0);
		size_t off = (size_t)(table - b->base + idx * 8);
		uint64_t d = hvx_get_le(b->buf + off, 8);

		if (l == level) {
			if (d)
				return -EEXIST;
			hvx_put_le(b->buf + off, enc_addr(c, pa) | attrs | (level == 3 ? 3 : 1), 8);
			if (level == 3)
				b->out->pages++;
			else
				b->out->blocks++;
			return 0;
		}
		if (!d) {
			uint64_t t;
			int rc = alloc_table(b, &t);
			if (rc)
				return rc;
			hvx_put_le(b->buf + off, enc_addr(c, t) | 3, 8);
			table = t;
		} else if ((d & 3) == 3) {
			table = s2_desc_oa(c, d, c->granule_bits);
		} else {
			return -EEXIST;	/* a block already covers this IPA */
		}
	}
}

/* Largest level whose block fits at this position. */
static int pick_level(const struct s2_config *c, uint64_t ipa, uint64_t pa, uint64_t left)
{
	for (int l = c->start_level; l < 3; l++) {
		uint64_t bs = UINT64_C(1) << shift_of(c, l);
		if (s2_block_allowed(c, l) && !(ipa & (bs - 1)) && !(pa & (bs - 1)) && left >= bs)
			return l;
	}
	return 3;
}

#define ERR(code, msg) do { if (err) *err = (msg); return (code); } while (0)

static int check_regions(const struct s2_config *c, const struct s2_region *reg,
			 size_t n, struct s2_build_out *out, const char **err)
{
	uint64_t gmask = (UINT64_C(1) << c->granule_bits) - 1;

	for (size_t i = 0; i < n; i++) {
		const struct s2_region *r = &reg[i];
		out->bad_region = i;
		if (!r->size)
			ERR(-EINVAL, "region has size 0");
		if ((r->ipa | r->pa | r->size) & gmask)
			ERR(-EINVAL, "region ipa/pa/size not aligned to the granule");
		if (r->ipa + r->size < r->ipa || ((r->ipa + r->size - 1) >> c->ia_bits))
			ERR(-EINVAL, "region extends beyond the IPA size (64-T0SZ)");
		if (r->pa + r->size < r->pa || ((r->pa + r->size - 1) >> c->oa_bits))
			ERR(-EINVAL, "region extends beyond the output size (PS)");
		if (r->flags & ~(unsigned)(S2_R | S2_W | S2_X | S2_DEV))
			ERR(-EINVAL, "region has unknown flags");
		for (size_t j = 0; j < i; j++) {
			const struct s2_region *q = &reg[j];
			if (r->ipa < q->ipa + q->size && q->ipa < r->ipa + r->size)
				ERR(-EEXIST, "region overlaps an earlier region's IPA range");
		}
	}
	return 0;
}

int s2_build(const struct s2_config *c, const struct s2_region *reg,
	     size_t nreg, uint8_t *buf, size_t buflen, uint64_t base_pa,
	     struct s2_build_out *out, const char **err)
{
	if (!c || !out || !buf || (nreg && !reg))
		ERR(-EINVAL, "bad arguments");
	*out = (struct s2_build_out){0};
	if (c->fault_rule)
		ERR(-EINVAL, c->fault_rule);
	size_t gsz = (size_t)1 << c->granule_bits;
	size_t root_bytes = (size_t)8 << c->root_index_bits;
	size_t root_alloc = root_bytes < gsz ? gsz : root_bytes;
	if (base_pa & (root_alloc - 1))
		ERR(-EINVAL, "table base PA not aligned to the root table size (VTTBR_EL2.BADDR alignment, D24.2.225)");
	if ((base_pa + buflen - 1) >> c->oa_bits || base_pa + buflen < base_pa)
		ERR(-EINVAL, "table buffer extends beyond the output size (PS)");
	if (buflen < root_alloc)
		ERR(-ENOSPC, "buffer smaller than the root table");
	int rc = check_regions(c, reg, nreg, out, err);
	if (rc)
		return rc;
	memset(buf, 0, buflen);
	struct bctx b = { .c = c, .buf = buf, .len = buflen, .next = root_alloc,
			  .base = base_pa, .out = out };
	out->root = base_pa;
	out->tables = 1;
	for (size_t i = 0; i < nreg; i++) {
		const struct s2_region *r = &reg[i];
		uint64_t attrs = s2_build_attrs(r->flags);
		/* With the effective DS = 1, descriptor bits [9:8] hold OA[51:50]
		 * and the shareability is VTCR_EL2.SH0 (D8.3.1, D24.2.224 DS). */
		if (c->ds)
			attrs &= ~hvx_mask(9, 8);
		out->bad_region = i;
		for (uint64_t pos = 0; pos < r->size; ) {
			int l = pick_level(c, r->ipa + pos, r->pa + pos, r->size - pos);
			rc = map_one(&b, r->ipa + pos, r->pa + pos, l, attrs);
			if (rc == -ENOSPC)
				ERR(rc, "table buffer too small for the regions");
			if (rc)
				ERR(rc, "region overlaps an existing mapping");
			pos += UINT64_C(1) << shift_of(c, l);
		}
	}
	out->used = b.next;
	return 0;
}
