/*
 * Example hvexit plugin using ABI revision 1.1: a hypervisor that emulates
 * data aborts without an instruction syndrome (ISV=0) from the instruction
 * word, completes MMIO loads on its vCPU register file, and whose decoder
 * does not extract the AR bit (it never treats acquire/release loads
 * differently). Build: make examples (build/examples/emul.so).
 *
 * Deliberate bugs for tests/cli/61_validate_abi11.sh (off by default):
 *   -DBUG_POST_INDEX_ADDR  post-indexed forms access base + offset (the
 *                          pre-indexed address)
 *   -DBUG_LDPSW_ZEXT       LDPSW zero-extends its two words
 *   -DBUG_XZR_IS_SP        a load to register 31 writes SP (a register file
 *                          laid out as x0..x30, sp indexed by Rt)
 *   -DBUG_NO_MINOR         exports the 1.1 symbols without announcing 1.1
 *   -DBUG_CLAIM_AR         claims to extract every field, AR included
 *   -DBUG_CRASH_UNKNOWN    crashes on a load/store encoding it does not
 *                          decode (SIMD&FP, exclusives: never a
 *                          conformance input, a robustness one)
 */
#include <stdint.h>
#include <string.h>

#include "hvexit/plugin.h"

int hvx_plugin_abi(void)
{
	return HVX_PLUGIN_ABI;
}

#ifndef BUG_NO_MINOR
int hvx_plugin_abi_minor(void)
{
	return HVX_PLUGIN_ABI_MINOR;
}
#endif

uint32_t hvx_plugin_dabt_fields(void)
{
#ifdef BUG_CLAIM_AR
	return HVX_DABT_F_ALL;
#else
	return HVX_DABT_F_ALL & ~HVX_DABT_F_ACQ_REL;
#endif
}

#define EC_DABT_LOW 0x24

/* Only aborts from the guest (EC 0x24) reach this hypervisor's handler. */
int hvx_plugin_decode_dabt(uint64_t esr, struct hvx_dabt *out)
{
	uint32_t iss = esr & 0x1ffffff;

	if (((esr >> 26) & 0x3f) != EC_DABT_LOW)
		return -1;
	out->valid = iss >> 24 & 1;
	out->len = 1u << (iss >> 22 & 3);
	out->sign_extend = iss >> 21 & 1;
	out->rt = iss >> 16 & 31;
	out->sixty_four = iss >> 15 & 1;
	out->is_write = iss >> 6 & 1;
	out->s1ptw = iss >> 7 & 1;
	out->dfsc = iss & 0x3f;
	return 0;
}

/* The vCPU register file, indexed by register number (31 = sp, as in
 * struct hvx_regs). */
static uint64_t *reg_slot(struct hvx_regs *r, unsigned n)
{
	return n < 31 ? &r->x[n] : &r->sp;
}

static uint64_t sext(uint64_t v, unsigned bits)
{
	uint64_t m = UINT64_C(1) << (bits - 1);

	if (bits >= 64)
		return v;
	v &= (m << 1) - 1;
	return (v ^ m) - m;
}

/* Write a loaded value to transfer register t (31 = the zero register). */
static void set_rt(struct hvx_regs *r, unsigned t, uint64_t v, int is64)
{
#ifdef BUG_XZR_IS_SP
	*reg_slot(r, t) = is64 ? v : (uint32_t)v;
#else
	if (t != 31)
		r->x[t] = is64 ? v : (uint32_t)v;
#endif
}

static uint64_t get_rt(const struct hvx_regs *r, unsigned t)
{
	return t == 31 ? 0 : r->x[t];
}

int hvx_plugin_mmio_load_regs(uint64_t esr, uint64_t bus, struct hvx_regs *regs)
{
	struct hvx_dabt d;
	unsigned bits;
	uint64_t v;

	memset(&d, 0, sizeof(d));
	if (hvx_plugin_decode_dabt(esr, &d) || !d.valid || d.is_write)
		return -1;
	bits = 8 * d.len;
	v = bits == 64 ? bus : bus & ((UINT64_C(1) << bits) - 1);
	if (d.sign_extend)
		v = sext(v, bits);
	set_rt(regs, d.rt, v, d.sixty_four);
	return 0;
}

/* ---- ISV=0: the instruction word --------------------------------------- */

/* One decoded general-purpose load/store (Arm ARM C4.1 Loads and Stores). */
struct ls {
	unsigned rt, rt2, rn, size;	/* element size = 1 << size bytes */
	int load, sign, is64, pair, wback, post;
	int64_t off;			/* immediate or extended index */
	int literal;
};

static uint64_t extend_index(uint64_t v, unsigned option, unsigned shift)
{
	switch (option) {
	case 2: v = (uint32_t)v; break;				/* UXTW */
	case 6: v = (uint64_t)(int64_t)(int32_t)v; break;	/* SXTW */
	case 3: case 7: break;					/* LSL, SXTX */
	default: return UINT64_MAX;
	}
	return v << shift;
}

/* Single-register forms: size [31:30], opc [23:22]. */
static int dec_single(uint32_t w, const struct hvx_regs *r, struct ls *l)
{
	unsigned opc = w >> 22 & 3;

	l->size = w >> 30;
	l->load = opc != 0;
	l->sign = opc >= 2;
	l->is64 = l->size == 3 || opc == 2;
	if ((l->size == 3 && opc >= 2) || (l->size == 2 && opc == 3))
		return -1;			/* PRFM, unallocated */
	if ((w >> 24 & 3) == 1) {		/* unsigned immediate */
		l->off = (int64_t)((w >> 10 & 0xfff) << l->size);
		return 0;
	}
	if (!(w >> 21 & 1)) {			/* imm9: unscaled/post/unpriv/pre */
		unsigned op2 = w >> 10 & 3;

		l->off = (int64_t)sext(w >> 12 & 0x1ff, 9);
		l->wback = op2 == 1 || op2 == 3;
		l->post = op2 == 1;
		return 0;
	}
	if ((w >> 10 & 3) == 2) {		/* register offset */
		uint64_t x = extend_index(get_rt(r, w >> 16 & 31), w >> 13 & 7,
					  (w >> 12 & 1) ? l->size : 0);

		if (x == UINT64_MAX)
			return -1;
		l->off = (int64_t)x;
		return 0;
	}
	return -1;
}

static int decode(uint32_t w, const struct hvx_regs *r, struct ls *l)
{
	memset(l, 0, sizeof(*l));
	l->rt = w & 31;
	l->rn = w >> 5 & 31;
	if ((w & 0x3f000000) == 0x18000000) {	/* literal */
		unsigned opc = w >> 30;

		if (opc == 3)
			return -1;
		l->literal = 1;
		l->load = 1;
		l->size = opc == 1 ? 3 : 2;
		l->is64 = opc != 0;
		l->sign = opc == 2;
		l->off = (int64_t)sext(w >> 5 & 0x7ffff, 19) * 4;
		return 0;
	}
	if ((w & 0x3e000000) == 0x28000000) {	/* pair */
		unsigned opc = w >> 30, idx = w >> 23 & 3;

		if (opc == 3 || (opc == 1 && (!(w >> 22 & 1) || idx == 0)))
			return -1;
		l->pair = 1;
		l->rt2 = w >> 10 & 31;
		l->load = w >> 22 & 1;
		l->size = opc == 2 ? 3 : 2;
		l->is64 = opc != 0;
		l->sign = opc == 1;		/* LDPSW */
#ifdef BUG_LDPSW_ZEXT
		l->sign = 0;
#endif
		l->off = (int64_t)sext(w >> 15 & 0x7f, 7) << l->size;
		l->wback = idx == 1 || idx == 3;
		l->post = idx == 1;
		return 0;
	}
	if ((w & 0x3fbffc00) == 0x089ffc00) {	/* LDAR/STLR */
		l->size = w >> 30;
		l->load = w >> 22 & 1;
		l->is64 = l->size == 3;
		return 0;
	}
	if ((w & 0x3e000000) == 0x38000000 && !(w >> 26 & 1))
		return dec_single(w, r, l);
	return -1;
}

int hvx_plugin_emulate(uint32_t w, struct hvx_regs *regs, hvx_mmio_fn mmio, void *ctx)
{
	struct ls l;
	struct hvx_regs nr;
	uint64_t base, addr, v[2] = { 0, 0 };
	unsigned n, bytes;

	if (decode(w, regs, &l)) {
#ifdef BUG_CRASH_UNKNOWN
		if ((w & 0x0a000000) == 0x08000000) {	/* the load/store space */
			volatile int *p = NULL;
			*p = 1;
		}
#endif
		return -1;
	}
	nr = *regs;
	base = l.literal ? regs->pc : *reg_slot(regs, l.rn);
	addr = base + (uint64_t)l.off;
#ifndef BUG_POST_INDEX_ADDR
	if (l.post)
		addr = base;
#endif
	n = l.pair ? 2 : 1;
	bytes = 1u << l.size;
	for (unsigned i = 0; i < n; i++) {
		unsigned t = i ? l.rt2 : l.rt;

		if (!l.load)
			v[i] = get_rt(regs, t);
		if (mmio(ctx, addr + i * bytes, bytes, !l.load, &v[i]))
			return -1;
	}
	for (unsigned i = 0; l.load && i < n; i++) {
		uint64_t x = v[i];

		if (l.sign)
			x = sext(x, 8 * bytes);
		set_rt(&nr, i ? l.rt2 : l.rt, x, l.is64);
	}
	if (l.wback)
		*reg_slot(&nr, l.rn) = base + (uint64_t)l.off;
	nr.pc = regs->pc + 4;
	*regs = nr;
	return 0;
}
