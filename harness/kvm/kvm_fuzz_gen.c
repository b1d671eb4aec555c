/*
 * `hvexit kvm fuzz`: steps from a seed, and the A64 code that runs them.
 *
 * A step depends only on (seed, step index), so `--step K` rebuilds the
 * same instruction and inputs. Load/store words are drawn from the
 * encoding tables of Arm ARM C4.1.94 ("Loads and Stores": register
 * unsigned immediate, unscaled, pre/post-indexed, register offset, pair,
 * ordered, exclusive, compare-and-swap, atomic memory operations, with
 * the SIMD&FP forms of each) with random fields, kept when the decoder
 * accepts them and the register choice is not CONSTRAINED UNPREDICTABLE;
 * the base (and index) register is then solved so that every access
 * lands naturally aligned inside the target window.
 */
#include <string.h>

#include "harness/kvm/kvm_fuzz.h"
#include "harness/util/rng.h"
#include "hvexit/gic.h"
#include "hvexit/sysreg.h"

/* A random load/store encoding: base | (random & mask). */
struct ldst_tmpl {
	uint32_t base, mask;
	bool ram_ok;		/* may target plain RAM (not exclusive/atomic) */
	unsigned weight;
};

static const struct ldst_tmpl tmpls[] = {
	{ 0x39000000, 0xC4FFFFFF, true, 6 },	/* register (unsigned immediate) */
	{ 0x38000000, 0xC4DFF3FF, true, 3 },	/* unscaled immediate (LDUR/STUR) */
	{ 0x38000400, 0xC4DFF3FF, true, 3 },	/* immediate post-indexed */
	{ 0x38000C00, 0xC4DFF3FF, true, 3 },	/* immediate pre-indexed */
	{ 0x38200800, 0xC4DFF3FF, true, 4 },	/* register offset */
	{ 0x28000000, 0xC5FFFFFF, true, 5 },	/* pair: no-allocate, post, offset, pre */
	{ 0x08000000, 0xC0FFFFFF, false, 4 },	/* ordered, exclusive, CAS, CASP */
	{ 0x38200000, 0xC0DFF3FF, false, 3 },	/* atomic memory operations, SWP */
	{ 0x38BFC000, 0xC00003FF, true, 1 },	/* LDAPR */
	{ 0x0C000000, 0x4040FFFF, true, 2 },	/* AdvSIMD multiple structures (LD1-LD4) */
	{ 0x0C800000, 0x405FFFFF, true, 1 },	/* ... post-indexed */
	{ 0x0D000000, 0x4060FFFF, true, 2 },	/* AdvSIMD single structure, LDnR */
	{ 0x0D800000, 0x407FFFFF, true, 1 },	/* ... post-indexed */
};

static bool class_ok(const struct insn *d, bool ram)
{
	switch (d->cls) {
	case INSN_C_UIMM: case INSN_C_UNSCALED: case INSN_C_POST: case INSN_C_PRE:
	case INSN_C_REGOFF: case INSN_C_PAIR_NA: case INSN_C_PAIR_OFF: case INSN_C_PAIR_POST:
	case INSN_C_PAIR_PRE: case INSN_C_ORDERED: case INSN_C_LDAPR:
	case INSN_C_SIMD_MULT: case INSN_C_SIMD_MULT_POST: case INSN_C_SIMD_SINGLE:
	case INSN_C_SIMD_SINGLE_POST:
		return true;
	case INSN_C_EXCL: case INSN_C_EXCL_PAIR: case INSN_C_CAS: case INSN_C_CASP:
	case INSN_C_ATOMIC:
		/* MMU off: plain RAM is Device memory, where exclusives and
		 * atomics are IMPLEMENTATION DEFINED; only MMIO gets them */
		return !ram;
	default:
		return false;
	}
}

static uint64_t rand_value(uint64_t *st)
{
	static const uint64_t edges[] = {
		0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
		0xffffffff, UINT64_C(0x7fffffffffffffff), UINT64_C(0x8000000000000000), UINT64_MAX,
	};
	unsigned r = util_rng_below(st, 8);

	if (r == 0)
		return edges[util_rng_below(st, HVX_ARRAY_SIZE(edges))];
	if (r == 1)
		return util_rng_below(st, 4096);
	return util_rng_next(st);
}

static void rand_regs(uint64_t *st, struct insn_regs *r)
{
	memset(r, 0, sizeof(*r));
	for (unsigned i = 0; i < 31; i++)
		r->x[i] = rand_value(st);
	for (unsigned i = 0; i < 32; i++) {
		r->v[i][0] = rand_value(st);
		r->v[i][1] = rand_value(st);
	}
	/* SP: 16-byte aligned (SCTLR_EL1.SA) in the RAM region's upper part */
	r->sp = FZ_RAM_BASE + 0x4000 + 16 * util_rng_below(st, 0x200);
}

static void window(enum kf_target t, uint64_t *base, uint64_t *size)
{
	switch (t) {
	case KF_T_RAM: *base = FZ_RAM_BASE; *size = FZ_WIN_SIZE; break;
	case KF_T_SEQ: *base = FZ_DEV_BASE + FZ_DEV_SEQ; *size = FZ_DEV_SIZE - FZ_DEV_SEQ; break;
	default: *base = FZ_DEV_BASE; *size = FZ_DEV_SEQ; break;
	}
}

static uint64_t pow2_ceil(uint64_t v)
{
	uint64_t p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

/* Index register value after extension and shift (C6.2 LDR (register)). */
static uint64_t index_offset(const struct insn *d, uint64_t m)
{
	uint64_t v;

	switch (d->extend) {
	case INSN_EXT_UXTW: v = (uint32_t)m; break;
	case INSN_EXT_SXTW: v = (uint64_t)(int64_t)(int32_t)(uint32_t)m; break;
	default: v = m; break;
	}
	return v << d->shift;
}

/* Solve base (and index) so that the accesses of d start at an aligned
 * ea inside the window. false: this draw cannot be placed. */
static bool place(uint64_t *st, struct kf_step *s)
{
	const struct insn *d = &s->d;
	uint64_t wb, ws, align, ea, off = 0, m = 0, base;
	bool sp = d->rn == INSN_REG_SP;

	window(s->target, &wb, &ws);
	align = (uint64_t)1 << d->size_log2;
	if (d->pair || d->exclusive || d->atomic)
		align = pow2_ceil(d->nbytes);
	/* structure loads/stores: the emulator moves whole registers, the
	 * device takes naturally aligned pieces of up to 8 bytes */
	if (d->nregs && (d->cls == INSN_C_SIMD_MULT || d->cls == INSN_C_SIMD_MULT_POST ||
			 d->cls == INSN_C_SIMD_SINGLE || d->cls == INSN_C_SIMD_SINGLE_POST))
		align = 16;
	if (sp)
		align = align < 16 ? 16 : align;
	if (!d->nbytes || d->nbytes > 64 || align > 32)
		return false;
	if (d->postindex) {
		off = 0;	/* the access is at the base; Rm/imm only updates it */
	} else if (d->index_reg) {
		if (d->rm == d->rn && !sp)
			return false;
		m = d->rm == 31 ? 0 : util_rng_next(st);
		if (sp)
			m &= ~UINT64_C(0xff);	/* keeps the SP base 16-aligned */
		off = index_offset(d, m);
	} else {
		off = (uint64_t)d->imm;
	}
	ea = wb + align * util_rng_below(st, (unsigned)((ws - 64) / align));
	if (sp && !d->index_reg)
		ea += off & 15;		/* SP itself must stay 16-aligned */
	if (ea % ((uint64_t)1 << d->size_log2) || ea + d->nbytes > wb + ws)
		return false;
	base = ea - off;
	if (d->index_reg && !d->postindex && d->rm != 31)
		s->in.x[d->rm] = m;
	if (sp)
		s->in.sp = base;
	else
		s->in.x[d->rn] = base;
	s->ea = ea;
	return true;
}

static bool gen_ldst(uint64_t *st, struct kf_step *s)
{
	unsigned total = 0;

	for (size_t i = 0; i < HVX_ARRAY_SIZE(tmpls); i++)
		total += tmpls[i].weight;
	for (unsigned tries = 0; tries < 400; tries++) {
		unsigned pick = util_rng_below(st, total);
		const struct ldst_tmpl *t = tmpls;
		uint32_t w;

		while (pick >= t->weight)
			pick -= (t++)->weight;
		if (s->target == KF_T_RAM && !t->ram_ok)
			continue;
		w = t->base | ((uint32_t)util_rng_next(st) & t->mask);
		if (util_rng_below(st, 8) == 0)
			w |= 31;		/* Rt = 31: XZR/WZR (or V31) */
		if (insn_decode(w, &s->d) < 0 && insn_decode(w | 0x7c00, &s->d) < 0 &&
		    insn_decode(w | 0x1f7c00, &s->d) < 0)
			continue;	/* also with Rt2/Rs = 31 where they must be */
		if (!class_ok(&s->d, s->target == KF_T_RAM) || s->d.unpredictable ||
		    s->d.no_access || s->d.literal || s->d.unpriv)
			continue;
		rand_regs(st, &s->in);
		if (!place(st, s))
			continue;
		s->word = s->d.word;
		return true;
	}
	return false;
}

/* A fast-call SMCCC function ID (DEN0028 2.5) of an owner no hypervisor
 * service answers: SiP (2), OEM (3) or Trusted OS (50-63); the call
 * must come back NOT_SUPPORTED. */
static uint32_t rand_fid(uint64_t *st, bool *smc32)
{
	static const unsigned owners[] = { 2, 3, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63 };
	unsigned owner = owners[util_rng_below(st, HVX_ARRAY_SIZE(owners))];
	bool is64 = util_rng_below(st, 2);

	*smc32 = !is64;
	return UINT32_C(0x80000000) | (uint32_t)is64 << 30 | owner << 24 |
	       (uint32_t)util_rng_below(st, 0x10000);
}

static bool gen_sysreg(uint64_t *st, const struct kf_caps *caps, struct kf_step *s)
{
	unsigned n = 0, pick, rt;

	for (unsigned i = 0; i < HVX_ARRAY_SIZE(caps->id_have); i++)
		n += caps->id_have[i];
	if (!n)
		return false;
	pick = util_rng_below(st, n);
	for (unsigned i = 0; i < HVX_ARRAY_SIZE(caps->id_have); i++) {
		if (!caps->id_have[i] || pick--)
			continue;
		rt = util_rng_below(st, 32);
		rand_regs(st, &s->in);
		s->sysenc = sysreg_enc(3, 0, 0, 1 + i / 8, i % 8);
		/* MRS Xt, S3_0_C0_C<m>_<op2> (C6.2 MRS: L=1, o0=1 for op0 3) */
		s->word = 0xD5380000u | (1 + i / 8) << 8 | (i % 8) << 5 | rt;
		return true;
	}
	return false;
}

/*
 * GICv3 Distributor registers of the SPIs (IHI 0069 12.9) with fully
 * architected read-back: group, set/clear enable, pending, active, and
 * the priority bytes. ICFGR is left out (changing the configuration of an
 * enabled interrupt is UNPREDICTABLE), as are GICD_CTLR and IROUTER
 * (their implemented bits depend on choices GICD_TYPER reports).
 */
static const struct { uint32_t base; bool bytes; } gic_regs[] = {
	{ GIC_IGROUPR, false }, { GIC_ISENABLER, false }, { GIC_ICENABLER, false },
	{ GIC_ISPENDR, false }, { GIC_ICPENDR, false }, { GIC_ISACTIVER, false },
	{ GIC_ICACTIVER, false }, { GIC_IPRIORITYR, true },
};

static bool gen_gic(uint64_t *st, const struct kf_caps *caps, struct kf_step *s)
{
	unsigned i, bank, rb, rv, rr;

	if (!caps->gic || !caps->gic_it_lines)
		return false;
	i = util_rng_below(st, HVX_ARRAY_SIZE(gic_regs));
	bank = 1 + util_rng_below(st, caps->gic_it_lines);
	rand_regs(st, &s->in);
	s->gic_size = 4;
	s->gic_off = gic_regs[i].base + 4 * bank;
	if (gic_regs[i].bytes) {
		/* IPRIORITYR<n>: 4 bytes per register, 8 per SPI bank of 32 */
		s->gic_off = gic_regs[i].base + 32 * bank + util_rng_below(st, 32);
		s->gic_size = util_rng_below(st, 2) ? 1 : 4;
		s->gic_off &= ~(uint32_t)(s->gic_size - 1);
	}
	rb = util_rng_below(st, 31);
	do
		rv = util_rng_below(st, 32);
	while (rv == rb);
	do
		rr = util_rng_below(st, 32);
	while (rr == rb);
	s->in.x[rb] = KVMB_GICD_BASE + s->gic_off;
	/* STR/STRB Wv, [Xb]; LDR/LDRB Wr, [Xb] (unsigned offset 0) */
	s->word = (s->gic_size == 4 ? 0xB9000000u : 0x39000000u) | rb << 5 | rv;
	s->word2 = (s->gic_size == 4 ? 0xB9400000u : 0x39400000u) | rb << 5 | rr;
	return true;
}

void kf_gen_step(uint64_t seed, uint64_t k, const struct kf_caps *caps, struct kf_step *s)
{
	uint64_t st = seed * UINT64_C(0x9e3779b97f4a7c15) ^ (k + 1) * UINT64_C(0xd1b54a32d192ed03);
	unsigned r = util_rng_below(&st, 100);

	memset(s, 0, sizeof(*s));
	s->k = k;
	s->target = KF_T_NONE;
	if (r < 8) {
		s->kind = util_rng_below(&st, 2) ? KF_HVC : KF_SMC;
		rand_regs(&st, &s->in);
		s->in.x[0] = rand_fid(&st, &s->smc32);
		s->word = s->kind == KF_HVC ? 0xD4000002u : 0xD4000003u;	/* HVC/SMC #0 */
		return;
	}
	if (r < 16 && gen_sysreg(&st, caps, s)) {
		s->kind = KF_SYSREG;
		return;
	}
	if (r < 24 && gen_gic(&st, caps, s)) {
		s->kind = KF_GIC;
		return;
	}
	s->kind = KF_LDST;
	r = util_rng_below(&st, 100);
	s->target = r < 55 ? KF_T_DEV : r < 70 ? KF_T_SEQ : KF_T_RAM;
	if (!gen_ldst(&st, s)) {
		/* practically unreachable: a plain LDR X0 to the device */
		s->target = KF_T_DEV;
		insn_decode(0xF9400000u | 1u << 5, &s->d);
		rand_regs(&st, &s->in);
		s->in.x[1] = FZ_DEV_BASE;
		s->ea = FZ_DEV_BASE;
		s->word = s->d.word;
	}
}

const char *kf_kind_name(enum kf_kind k)
{
	static const char *const n[] = { "ldst", "hvc", "smc", "sysreg", "gic" };

	return (unsigned)k < HVX_ARRAY_SIZE(n) ? n[k] : "?";
}

const char *kf_target_name(enum kf_target t)
{
	static const char *const n[] = { "ram", "mmio", "mmio-seq", "none" };

	return (unsigned)t < HVX_ARRAY_SIZE(n) ? n[t] : "?";
}

/* ---- code ------------------------------------------------------------------
 * One block per step (A64 encodings from C6.2):
 *   x30 := input slot; LDP Q0-Q31; SP := [x30+248]; LDP X0-X29; LDR X30
 *   <instruction under test>
 *   MSR TPIDR_EL1, X30; x30 := report slot; STP X0-X29; X30 and SP via X0;
 *   STP Q0-Q31
 * Slot layout: x0-x30 at 0, sp at 248, v0-v31 at 256 (16 bytes each).
 */
struct emit {
	uint32_t *w;
	size_t n, max;
};

static void put(struct emit *e, uint32_t w)
{
	if (e->n < e->max)
		e->w[e->n] = w;
	e->n++;
}

static void mov_addr(struct emit *e, unsigned rd, uint64_t a)
{
	put(e, 0xD2A00000u | (uint32_t)((a >> 16) & 0xffff) << 5 | rd);	/* MOVZ lsl 16 */
	put(e, 0xF2800000u | (uint32_t)(a & 0xffff) << 5 | rd);		/* MOVK */
}

static uint32_t ldp_x(unsigned t, unsigned t2, unsigned n, unsigned off, bool load)
{
	return (load ? 0xA9400000u : 0xA9000000u) | (off / 8) << 15 | t2 << 10 | n << 5 | t;
}

static uint32_t ldp_q(unsigned t, unsigned t2, unsigned n, unsigned off, bool load)
{
	return (load ? 0xAD400000u : 0xAD000000u) | (off / 16) << 15 | t2 << 10 | n << 5 | t;
}

static uint32_t ldr_x(unsigned t, unsigned n, unsigned off, bool load)
{
	return (load ? 0xF9400000u : 0xF9000000u) | (off / 8) << 10 | n << 5 | t;
}

#define ADD_IMM0(d, n) (0x91000000u | (n) << 5 | (d))	/* ADD Xd|SP, Xn|SP, #0 */
#define MSR_TPIDR_EL1  0xD518D080u
#define MRS_TPIDR_EL1  0xD538D080u
#define BR(n)          (0xD61F0000u | (n) << 5)

static void block(struct emit *e, const struct kf_step *s)
{
	mov_addr(e, 30, s->in_gpa);
	for (unsigned i = 0; i < 32; i += 2)
		put(e, ldp_q(i, i + 1, 30, 256 + 16 * i, true));
	put(e, ldr_x(0, 30, 248, true));
	put(e, ADD_IMM0(31, 0));
	for (unsigned i = 0; i < 30; i += 2)
		put(e, ldp_x(i, i + 1, 30, 8 * i, true));
	put(e, ldr_x(30, 30, 240, true));
	put(e, s->word);
	if (s->word2)
		put(e, s->word2);
	put(e, MSR_TPIDR_EL1 | 30);
	mov_addr(e, 30, s->rep_gpa);
	for (unsigned i = 0; i < 30; i += 2)
		put(e, ldp_x(i, i + 1, 30, 8 * i, false));
	put(e, MRS_TPIDR_EL1 | 0);
	put(e, ldr_x(0, 30, 240, false));
	put(e, ADD_IMM0(0, 31));
	put(e, ldr_x(0, 30, 248, false));
	for (unsigned i = 0; i < 32; i += 2)
		put(e, ldp_q(i, i + 1, 30, 256 + 16 * i, false));
}

static void put_slot(uint8_t *p, const struct insn_regs *r)
{
	for (unsigned i = 0; i < 31; i++)
		hvx_put_le(p + 8 * i, r->x[i], 8);
	hvx_put_le(p + 248, r->sp, 8);
	for (unsigned i = 0; i < 32; i++) {
		hvx_put_le(p + 256 + 16 * i, r->v[i][0], 8);
		hvx_put_le(p + 264 + 16 * i, r->v[i][1], 8);
	}
}

uint64_t kf_emit_batch(uint8_t *code_region, struct kf_step *s, unsigned n)
{
	struct emit e = { (uint32_t *)(void *)code_region, 0, FZ_IN_OFF / 4 };
	uint64_t tail;

	if (n == 0 || n > KF_MAX_BATCH)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		size_t at;

		s[i].blk = FZ_CODE_BASE + 4 * e.n;
		s[i].in_gpa = FZ_CODE_BASE + FZ_IN_OFF + (uint64_t)i * FZ_STEP_DATA;
		s[i].rep_gpa = FZ_CODE_BASE + FZ_REP_OFF + (uint64_t)i * FZ_STEP_DATA;
		at = e.n;
		block(&e, &s[i]);
		/* the instruction under test: after the 2 + 16 + 2 + 15 + 1 setup words */
		s[i].in.pc = FZ_CODE_BASE + 4 * (at + 36);
		put_slot(code_region + FZ_IN_OFF + (size_t)i * FZ_STEP_DATA, &s[i].in);
		memset(code_region + FZ_REP_OFF + (size_t)i * FZ_STEP_DATA, 0, FZ_STEP_DATA);
	}
	tail = FZ_CODE_BASE + 4 * e.n;
	put(&e, 0xD2800000u | FZ_BATCH_END << 5 | 30);	/* MOVZ X30, #batch_end */
	put(&e, BR(30));
	return e.n <= e.max ? tail : 0;
}
