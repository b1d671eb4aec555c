/*
 * A64 load/store emulation for ISV=0 data aborts, from the decoded form.
 * Semantics follow the Arm ARM C6.2 pseudocode of each instruction:
 * address = base (+ offset unless post-indexed), accesses in program
 * order, destination registers written after all accesses succeed
 * (so that *regs is unchanged on a bus error), then base writeback and
 * PC + 4.
 */
#include "hvexit/insn.h"

#include <string.h>

#define MAX_ACC 64	/* LD4 {.16B x4}: 4 registers x 16 elements */

static uint64_t xreg(const struct insn_regs *r, unsigned n)
{
	return n == 31 ? 0 : r->x[n];	/* Rt/Rm/Rs = 31 reads the zero register */
}

static uint64_t base_reg(const struct insn_regs *r, unsigned n)
{
	return n == 31 ? r->sp : r->x[n];	/* Rn = 31 is SP */
}

static void set_x(struct insn_regs *r, unsigned n, uint64_t v, bool is64)
{
	if (n == 31)
		return;			/* XZR/WZR: discarded */
	r->x[n] = is64 ? v : (uint32_t)v;	/* a W write zeroes bits [63:32] */
}

static uint64_t extend_reg(uint64_t v, enum insn_extend e)
{
	switch (e) {
	case INSN_EXT_UXTW: return (uint32_t)v;
	case INSN_EXT_SXTW: return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
	default: return v;
	}
}

static uint64_t offset_of(const struct insn *d, const struct insn_regs *r)
{
	if (d->index_reg)
		return extend_reg(xreg(r, d->rm), d->extend) << d->shift;
	return (uint64_t)d->imm;
}

static uint64_t base_of(const struct insn *d, const struct insn_regs *r)
{
	if (d->literal)
		return r->pc;
	if (d->cls == INSN_C_DC)
		return xreg(r, d->rt);
	return base_reg(r, d->rn);
}

uint64_t insn_address(const struct insn *d, const struct insn_regs *regs)
{
	uint64_t b = base_of(d, regs);

	if (d->op == INSN_OP_ZVA)
		return b & ~(uint64_t)(INSN_DCZVA_BYTES - 1);
	if (d->cls == INSN_C_DC || d->postindex)
		return b;
	return b + offset_of(d, regs);
}

static void vget(const struct insn_regs *r, unsigned n, uint8_t out[16])
{
	hvx_put_le(out, r->v[n][0], 8);
	hvx_put_le(out + 8, r->v[n][1], 8);
}

static void vset(struct insn_regs *r, unsigned n, const uint8_t in[16])
{
	r->v[n][0] = hvx_get_le(in, 8);
	r->v[n][1] = hvx_get_le(in + 8, 8);
}

/* One access and where its data lives: register reg (V or X), byte
 * offset within it. */
struct slot {
	struct insn_access a;
	uint8_t reg;
	uint8_t off;
};

/* SIMD structure element order (C6.3 LD1..LD4 pseudocode). */
static int simd_slots(const struct insn *d, uint64_t addr, struct slot *s)
{
	unsigned eb = 1u << d->size_log2, n = 0, r, e, k;
	uint64_t off = 0;

	if (d->cls == INSN_C_SIMD_MULT || d->cls == INSN_C_SIMD_MULT_POST) {
		unsigned rpt = d->nregs / d->selem;

		for (r = 0; r < rpt; r++)
			for (e = 0; e < d->elems; e++)
				for (k = 0; k < d->selem; k++, n++, off += eb) {
					s[n].a.addr = addr + off;
					s[n].a.size = (uint8_t)eb;
					s[n].a.write = d->store;
					s[n].reg = (uint8_t)((d->rt + r + k) % 32);
					s[n].off = (uint8_t)(e * eb);
				}
		return (int)n;
	}
	for (k = 0; k < d->selem; k++, n++, off += eb) {
		s[n].a.addr = addr + off;
		s[n].a.size = (uint8_t)eb;
		s[n].a.write = d->store;
		s[n].reg = (uint8_t)((d->rt + k) % 32);
		s[n].off = (uint8_t)(d->lane * eb);
	}
	return (int)n;
}

static int build_slots(const struct insn *d, const struct insn_regs *regs,
		       struct slot *s)
{
	uint64_t addr = insn_address(d, regs);
	unsigned sz = 1u << d->size_log2;

	if (d->no_access)
		return 0;
	if (d->cls >= INSN_C_SIMD_MULT && d->cls <= INSN_C_SIMD_SINGLE_POST)
		return simd_slots(d, addr, s);
	memset(s, 0, sizeof(*s) * 2);
	if (d->op == INSN_OP_ZVA || d->cls == INSN_C_LS64) {
		s[0].a = (struct insn_access){ addr, 64, d->store };
		s[0].reg = d->rt;
		return 1;
	}
	if (d->atomic) {
		s[0].a = (struct insn_access){ addr, (uint8_t)d->nbytes, false };
		s[1].a = (struct insn_access){ addr, (uint8_t)d->nbytes, true };
		return 2;
	}
	s[0].a = (struct insn_access){ addr, (uint8_t)sz, d->store };
	s[0].reg = d->rt;
	if (!d->pair)
		return 1;
	s[1].a = (struct insn_access){ addr + sz, (uint8_t)sz, d->store };
	s[1].reg = d->rt2;
	return 2;
}

int insn_accesses(const struct insn *d, const struct insn_regs *regs,
		  struct insn_access *acc, unsigned max)
{
	struct slot s[MAX_ACC];
	int n = build_slots(d, regs, s), i;

	if ((unsigned)n > max)
		return -ENOSPC;
	for (i = 0; i < n; i++)
		acc[i] = s[i].a;
	return n;
}

/* Atomic operation on the old memory value (C6.2 LD<op> pseudocode). */
static uint64_t atomic_op(enum insn_op op, uint64_t old, uint64_t s, unsigned bytes)
{
	unsigned bits = bytes * 8;

	switch (op) {
	case INSN_OP_ADD: return old + s;
	case INSN_OP_CLR: return old & ~s;
	case INSN_OP_EOR: return old ^ s;
	case INSN_OP_SET: return old | s;
	case INSN_OP_SMAX: return hvx_sext(old, bits) > hvx_sext(s, bits) ? old : s;
	case INSN_OP_SMIN: return hvx_sext(old, bits) < hvx_sext(s, bits) ? old : s;
	case INSN_OP_UMAX: return old > s ? old : s;
	case INSN_OP_UMIN: return old < s ? old : s;
	default: return s;	/* SWP */
	}
}

static uint64_t trunc_to(uint64_t v, unsigned bytes)
{
	return bytes >= 8 ? v : v & ((UINT64_C(1) << (bytes * 8)) - 1);
}

static int emu_atomic(const struct insn *d, struct insn_regs *nr, const struct slot *s,
		      const struct insn_bus *bus)
{
	uint8_t buf[16];
	unsigned sz = 1u << d->size_log2;
	uint64_t old0, old1 = 0, new0, new1 = 0;
	bool do_write = true;
	int r;

	r = bus->read(bus->ctx, s[0].a.addr, s[0].a.size, buf);
	if (r)
		return r;
	old0 = hvx_get_le(buf, sz);
	if (d->cls == INSN_C_CASP) {
		old1 = hvx_get_le(buf + sz, sz);
		do_write = old0 == trunc_to(xreg(nr, d->rs), sz) &&
			   old1 == trunc_to(xreg(nr, d->rs + 1u), sz);
		new0 = xreg(nr, d->rt);
		new1 = xreg(nr, d->rt + 1u);
	} else if (d->op == INSN_OP_CAS) {
		do_write = old0 == trunc_to(xreg(nr, d->rs), sz);
		new0 = xreg(nr, d->rt);
	} else {
		new0 = atomic_op(d->op, old0, trunc_to(xreg(nr, d->rs), sz), sz);
	}
	if (do_write) {
		hvx_put_le(buf, new0, sz);
		if (d->cls == INSN_C_CASP)
			hvx_put_le(buf + sz, new1, sz);
		r = bus->write(bus->ctx, s[1].a.addr, s[1].a.size, buf);
		if (r)
			return r;
	}
	if (d->op == INSN_OP_CAS) {
		set_x(nr, d->rs, old0, d->reg64);
		if (d->cls == INSN_C_CASP)
			set_x(nr, d->rs + 1u, old1, d->reg64);
	} else {
		set_x(nr, d->rt, old0, d->reg64);
	}
	return 0;
}

/* Bytes of register slot for a store. */
static void store_bytes(const struct insn *d, const struct insn_regs *r,
			const struct slot *s, unsigned k, uint8_t *out)
{
	uint8_t v[16];

	if (d->simd) {
		vget(r, s->reg, v);
		memcpy(out, v + s->off, s->a.size);
	} else if (d->cls == INSN_C_LS64) {
		unsigned i;

		for (i = 0; i < 8; i++)
			hvx_put_le(out + 8 * i, xreg(r, d->rt + i), 8);
	} else if (d->op == INSN_OP_ZVA) {
		memset(out, 0, s->a.size);
	} else {
		(void)k;
		hvx_put_le(out, xreg(r, s->reg), s->a.size);
	}
}

static void load_into(const struct insn *d, struct insn_regs *nr, const struct slot *s,
		      const uint8_t *data, uint8_t vbuf[32][16], bool *vtouched)
{
	if (d->simd) {
		if (!vtouched[s->reg]) {
			vtouched[s->reg] = true;
			vget(nr, s->reg, vbuf[s->reg]);
			/* V[t] = value of datasize bits: the rest becomes 0.
			 * A single-lane load writes V[t, 128] with only that
			 * lane changed (C6.3 LD1 (single structure)). */
			if (d->cls < INSN_C_SIMD_SINGLE || d->replicate)
				memset(vbuf[s->reg], 0, 16);
		}
		if (d->replicate) {
			unsigned e, n = (d->q ? 16u : 8u) / s->a.size;

			for (e = 0; e < n; e++)
				memcpy(vbuf[s->reg] + e * s->a.size, data, s->a.size);
		} else {
			memcpy(vbuf[s->reg] + s->off, data, s->a.size);
		}
		return;
	}
	if (d->cls == INSN_C_LS64) {
		unsigned i;

		for (i = 0; i < 8; i++)
			set_x(nr, d->rt + i, hvx_get_le(data + 8 * i, 8), true);
		return;
	}
	{
		uint64_t v = hvx_get_le(data, s->a.size);

		if (d->sign_extend)
			v = (uint64_t)hvx_sext(v, s->a.size * 8u);
		set_x(nr, s->reg, v, d->reg64);
	}
}

int insn_emulate(uint32_t word, struct insn_regs *regs, const struct insn_bus *bus)
{
	struct insn d;
	struct insn_regs nr;
	struct slot s[MAX_ACC];
	uint8_t buf[64], vbuf[32][16];
	bool vtouched[32] = { false };
	int n, i, r;

	r = insn_decode(word, &d);
	if (r == -ENOENT)
		return -ENOTSUP;
	if (r)
		return -EINVAL;
	if (d.unpredictable)
		return -EINVAL;
	if (d.cls == INSN_C_PAC)
		return -ENOTSUP;	/* needs the PAC keys to authenticate Xn */
	if (!bus || !bus->read || !bus->write || !regs)
		return -EINVAL;
	nr = *regs;
	n = build_slots(&d, regs, s);
	if (d.atomic) {
		r = emu_atomic(&d, &nr, s, bus);
		if (r)
			return r;
	} else {
		for (i = 0; i < n; i++) {
			if (s[i].a.write) {
				store_bytes(&d, regs, &s[i], (unsigned)i, buf);
				r = bus->write(bus->ctx, s[i].a.addr, s[i].a.size, buf);
			} else {
				r = bus->read(bus->ctx, s[i].a.addr, s[i].a.size, buf);
				if (!r)
					load_into(&d, &nr, &s[i], buf, vbuf, vtouched);
			}
			if (r)
				return r;
		}
		for (i = 0; i < 32; i++)
			if (vtouched[i])
				vset(&nr, (unsigned)i, vbuf[i]);
		/* store-exclusive status (monitor assumed to pass), ST64BV status */
		if (d.store && d.exclusive)
			set_x(&nr, d.rs, 0, false);
		if (d.cls == INSN_C_LS64 && (d.iss.lst == 1 || d.iss.lst == 3))
			set_x(&nr, d.rs, 0, true);
	}
	if (d.writeback) {
		uint64_t wb = base_reg(regs, d.rn) + offset_of(&d, regs);

		if (d.rn == 31)
			nr.sp = wb;
		else
			nr.x[d.rn] = wb;
	}
	nr.pc = regs->pc + 4;
	*regs = nr;
	return 0;
}

static int add_w(struct insn_regw *out, unsigned max, unsigned *n, char kind, unsigned num,
		 bool is64, bool base)
{
	if (kind == 'x' && num == 31)
		return 0;	/* XZR/WZR: discarded */
	if (*n >= max)
		return -ENOSPC;
	out[(*n)++] = (struct insn_regw){ kind, (uint8_t)num, is64, base };
	return 0;
}

int insn_regs_written(const struct insn *d, struct insn_regw *out, unsigned max)
{
	unsigned n = 0, i;
	int r = 0;

	if (d->load && !d->atomic) {
		if (d->cls == INSN_C_LS64) {
			for (i = 0; i < 8 && !r; i++)
				r = add_w(out, max, &n, 'x', d->rt + i, true, false);
		} else if (d->simd && d->pair) {
			r = add_w(out, max, &n, 'v', d->rt, true, false);
			if (!r)
				r = add_w(out, max, &n, 'v', d->rt2, true, false);
		} else if (d->simd) {
			for (i = 0; i < d->nregs && !r; i++)
				r = add_w(out, max, &n, 'v', (d->rt + i) % 32u, true, false);
		} else {
			r = add_w(out, max, &n, 'x', d->rt, d->reg64, false);
			if (d->pair && !r)
				r = add_w(out, max, &n, 'x', d->rt2, d->reg64, false);
		}
	} else if (d->atomic && d->op == INSN_OP_CAS) {
		r = add_w(out, max, &n, 'x', d->rs, d->reg64, false);
		if (d->cls == INSN_C_CASP && !r)
			r = add_w(out, max, &n, 'x', d->rs + 1u, d->reg64, false);
	} else if (d->atomic) {
		r = add_w(out, max, &n, 'x', d->rt, d->reg64, false);
	} else if (d->store && d->exclusive) {
		r = add_w(out, max, &n, 'x', d->rs, false, false);
	} else if (d->cls == INSN_C_LS64 && (d->iss.lst == 1 || d->iss.lst == 3)) {
		r = add_w(out, max, &n, 'x', d->rs, true, false);
	}
	if (!r && d->writeback)
		r = add_w(out, max, &n, d->rn == 31 ? 's' : 'x', d->rn, true, true);
	return r ? r : (int)n;
}
