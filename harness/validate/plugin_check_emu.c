/*
 * ISV=0 emulation (plugin ABI 1.1 hvx_plugin_emulate): the reference is
 * the engine's A64 load/store emulation (decoder/insn_emulate.c, Arm ARM
 * C6.2), run on the same register file against the same memory; the
 * comparison is per access and per register; the generator draws
 * general-purpose loads and stores from the encoding groups a hypervisor
 * meets with ISV=0 (see plugin_check.h).
 */
#include <stdio.h>
#include <string.h>

#include "harness/util/rng.h"
#include "harness/validate/plugin_check.h"
#include "hvexit/insn.h"

const struct check_field check_emu_fields[EF_COUNT] = {
	[EF_RETURN]     = { "return", "plugin.h emulate: 0 emulated, < 0 refused (not a "
			    "finding); no positive value is defined" },
	[EF_ACCESSES]   = { "accesses", "C6.2 (each load/store's pseudocode): the accesses "
			    "in program order -- address = base (+ offset unless "
			    "post-indexed), one element per access (a pair is two), "
			    "size 1 << size, read for loads, write for stores" },
	[EF_STORE_DATA] = { "store_data", "C6.2 STR*/STP: the data written is the low "
			    "8<<size bits of X[t] (XZR reads 0)" },
	[EF_TRANSFER]   = { "transfer_regs", "C6.2 LDR*/LDP*: X[t] = the loaded data, "
			    "sign-extended for LDRS*/LDPSW, a W write zeroes [63:32], "
			    "Rt = 31 (XZR/WZR) is discarded" },
	[EF_WRITEBACK]  = { "writeback", "C6.2 pre/post-indexed forms: Xn|SP = base + "
			    "offset after the access; other forms leave the base" },
	[EF_OTHER]      = { "other_regs", "C6.2: a load/store changes no register but its "
			    "transfer registers and the base on writeback" },
	[EF_PC]         = { "pc", "C6.2 / D24.2.46 IL=1: the emulated instruction is "
			    "retired, PC = PC + 4" },
};

uint64_t check_emu_mem(uint64_t seed, uint64_t addr, unsigned len)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < len && i < 8; i++) {
		uint64_t st = seed ^ ((addr + i) * UINT64_C(0x9e3779b97f4a7c15));

		v |= (util_rng_next(&st) & 0xff) << (8 * i);
	}
	return v;
}

/* The encoding groups drawn from (Arm ARM C4.1 "Loads and Stores"):
 * fixed bits and the bits left random. V (bit 26) is 0: no SIMD&FP. */
static const struct { uint32_t fixed, value; } emu_groups[] = {
	{ 0x3f000000, 0x39000000 },	/* register (unsigned immediate) */
	{ 0x3f200000, 0x38000000 },	/* unscaled, post, unprivileged, pre */
	{ 0x3f200c00, 0x38200800 },	/* register offset */
	{ 0x3e000000, 0x28000000 },	/* pair: no-allocate, post, offset, pre */
	{ 0x3f000000, 0x18000000 },	/* literal */
	{ 0x3fbffc00, 0x089ffc00 },	/* ordered LDAR/STLR (Rs, Rt2 = 11111) */
};

static void to_insn_regs(const struct hvx_regs *h, struct insn_regs *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->x, h->x, sizeof(r->x));
	r->sp = h->sp;
	r->pc = h->pc;
}

static int emu_class_ok(enum insn_class c)
{
	switch (c) {
	case INSN_C_LIT: case INSN_C_UIMM: case INSN_C_UNSCALED:
	case INSN_C_POST: case INSN_C_PRE: case INSN_C_REGOFF:
	case INSN_C_UNPRIV: case INSN_C_PAIR_NA: case INSN_C_PAIR_OFF:
	case INSN_C_PAIR_POST: case INSN_C_PAIR_PRE: case INSN_C_ORDERED:
		return 1;
	default:
		return 0;
	}
}

int check_emu_domain(uint32_t insn)
{
	struct insn d;

	if (insn_decode(insn, &d) || !emu_class_ok(d.cls))
		return 0;
	return !d.simd && !d.unpredictable && !d.no_access && !d.exclusive &&
	       !d.atomic && (d.load || d.store) && d.nbytes <= 16;
}

uint32_t check_gen_emulate(uint64_t *s)
{
	uint32_t w;

	do {
		unsigned g = util_rng_below(s, HVX_ARRAY_SIZE(emu_groups));

		w = ((uint32_t)util_rng_next(s) & ~emu_groups[g].fixed) |
		    emu_groups[g].value;
		if (util_rng_below(s, 4) == 0)		/* Rt = 31 (XZR) often */
			w |= 31;
	} while (!check_emu_domain(w));
	return w;
}

void check_emulate_regs(uint64_t seed, uint32_t insn, struct hvx_regs *r)
{
	uint64_t s = seed ^ ((uint64_t)insn << 32 | insn);
	struct insn d;

	memset(r, 0, sizeof(*r));
	for (unsigned i = 0; i < 31; i++)
		r->x[i] = util_rng_next(&s);
	r->sp = UINT64_C(0x09100000) + (util_rng_next(&s) & 0xfff0);
	r->pc = UINT64_C(0x40080000) + (util_rng_next(&s) & 0xfffc);
	r->pstate = 0x3c5;
	if (insn_decode(insn, &d))
		return;
	/* a base near a device (offsets stay small), an index of a few
	 * elements either way */
	if (d.rn < 31)
		r->x[d.rn] = UINT64_C(0x09000000) + (util_rng_next(&s) & 0xfff8);
	if (d.index_reg && d.rm < 31 && d.rm != d.rn)
		r->x[d.rm] = util_rng_below(&s, 2) ? util_rng_below(&s, 64) :
			     (uint64_t)-(int64_t)util_rng_below(&s, 64);
}

/* ---- the feature grid ---------------------------------------------------- */

enum { EM_OFFSET, EM_UNSCALED, EM_PRE, EM_POST, EM_REGOFF, EM_LITERAL, EM_ORDERED,
       EM_UNPRIV };
enum { EO_LOAD, EO_SLOAD_X, EO_SLOAD_W, EO_STORE };

const uint8_t check_emu_axis_len[EX_COUNT] = { 8, 2, 4, 4, 2, 2 };

static const char *const axis_names[EX_COUNT][8] = {
	[EX_MODE] = { "offset", "unscaled", "pre-index", "post-index", "register-offset",
		      "literal", "acquire-release", "unprivileged" },
	[EX_SHAPE] = { "single", "pair" },
	[EX_OP] = { "load", "signed-load-X", "signed-load-W", "store" },
	[EX_SIZE] = { "8-bit", "16-bit", "32-bit", "64-bit" },
	[EX_RT] = { "Rt!=31", "Rt=31" },	/* for a pair: Rt or Rt2 is 31 */
	[EX_RN] = { "Rn!=SP", "Rn=SP" },
};

const char *check_emu_axis_value(unsigned axis, unsigned v)
{
	return axis < EX_COUNT && v < check_emu_axis_len[axis] && axis_names[axis][v] ?
	       axis_names[axis][v] : "?";
}

unsigned check_emu_point_index(const struct emu_point *p)
{
	unsigned i = 0;

	for (unsigned a = 0; a < EX_COUNT; a++)
		i = i * check_emu_axis_len[a] + p->v[a];
	return i;
}

int check_emu_point_of(uint32_t insn, struct emu_point *p)
{
	static const int8_t mode[INSN_C_COUNT] = {
		[INSN_C_UIMM] = EM_OFFSET, [INSN_C_PAIR_OFF] = EM_OFFSET,
		[INSN_C_UNSCALED] = EM_UNSCALED, [INSN_C_PAIR_NA] = EM_UNSCALED,
		[INSN_C_PRE] = EM_PRE, [INSN_C_PAIR_PRE] = EM_PRE,
		[INSN_C_POST] = EM_POST, [INSN_C_PAIR_POST] = EM_POST,
		[INSN_C_REGOFF] = EM_REGOFF, [INSN_C_LIT] = EM_LITERAL,
		[INSN_C_ORDERED] = EM_ORDERED, [INSN_C_UNPRIV] = EM_UNPRIV,
	};
	struct insn d;

	if (!check_emu_domain(insn) || insn_decode(insn, &d))
		return -1;
	p->v[EX_MODE] = (uint8_t)mode[d.cls];
	p->v[EX_SHAPE] = d.pair;
	p->v[EX_OP] = d.store ? EO_STORE : !d.sign_extend ? EO_LOAD :
		      d.reg64 ? EO_SLOAD_X : EO_SLOAD_W;
	p->v[EX_SIZE] = d.size_log2;
	p->v[EX_RT] = d.rt == 31 || (d.pair && d.rt2 == 31);
	p->v[EX_RN] = !d.literal && d.rn == 31;
	return 0;
}

/* opc [23:22] of a single-register load/store (C4.1 Loads and Stores). */
static int single_opc(unsigned op, unsigned size)
{
	switch (op) {
	case EO_LOAD: return 1;
	case EO_STORE: return 0;
	case EO_SLOAD_X: return size < 3 ? 2 : -1;
	default: return size < 2 ? 3 : -1;
	}
}

static int encode_pair(const struct emu_point *p, unsigned rt, unsigned rn, uint32_t *w)
{
	static const uint8_t idx[] = { [EM_OFFSET] = 2, [EM_UNSCALED] = 0, [EM_PRE] = 3,
				       [EM_POST] = 1 };
	unsigned op = p->v[EX_OP], size = p->v[EX_SIZE], opc;

	if (p->v[EX_MODE] > EM_POST || size < 2 || op == EO_SLOAD_W)
		return -1;
	if (op == EO_SLOAD_X)
		opc = size == 2 ? 1 : 4;	/* LDPSW */
	else
		opc = size == 3 ? 2 : 0;
	if (opc > 3)
		return -1;
	*w = opc << 30 | 0x28000000u | (uint32_t)idx[p->v[EX_MODE]] << 23 |
	     (op != EO_STORE) << 22 | 1u << 15 | (p->v[EX_RT] ? 31u : 2u) << 10 |
	     rn << 5 | rt;
	return 0;
}

static int encode_single(const struct emu_point *p, unsigned rt, unsigned rn, uint32_t *w)
{
	static const uint16_t op2[] = { [EM_UNSCALED] = 0, [EM_POST] = 1, [EM_UNPRIV] = 2,
					[EM_PRE] = 3 };
	unsigned size = p->v[EX_SIZE], op = p->v[EX_OP];
	int opc = single_opc(op, size);
	uint32_t base = (uint32_t)size << 30 | rn << 5 | rt;

	switch (p->v[EX_MODE]) {
	case EM_LITERAL:	/* LDR W/X, LDRSW (literal): opc [31:30] */
		if (p->v[EX_RN])
			return -1;
		if (op == EO_LOAD && size >= 2)
			*w = (uint32_t)(size - 2) << 30 | 0x18000000u | 2u << 5 | rt;
		else if (op == EO_SLOAD_X && size == 2)
			*w = 2u << 30 | 0x18000000u | 2u << 5 | rt;
		else
			return -1;
		return 0;
	case EM_ORDERED:	/* LDAR/STLR */
		if (op == EO_SLOAD_X || op == EO_SLOAD_W)
			return -1;
		*w = base | 0x089ffc00u | (op == EO_LOAD) << 22;
		return 0;
	case EM_OFFSET:
		if (opc < 0)
			return -1;
		*w = base | 0x39000000u | (uint32_t)opc << 22 | 1u << 10;
		return 0;
	case EM_REGOFF:		/* Xm = x4, LSL #size */
		if (opc < 0)
			return -1;
		*w = base | 0x38200800u | (uint32_t)opc << 22 | 4u << 16 | 3u << 13 | 1u << 12;
		return 0;
	default:		/* imm9 = 8: unscaled, post, unprivileged, pre */
		if (opc < 0)
			return -1;
		*w = base | 0x38000000u | (uint32_t)opc << 22 | 8u << 12 |
		     (uint32_t)op2[p->v[EX_MODE]] << 10;
		return 0;
	}
}

int check_emu_encode(const struct emu_point *p, uint32_t *insn)
{
	/* Rt = 31 on the pair axis: the second register is XZR */
	unsigned rt = p->v[EX_RT] && !p->v[EX_SHAPE] ? 31 : 1, rn = p->v[EX_RN] ? 31 : 3;
	struct emu_point back;
	uint32_t w;
	int e = p->v[EX_SHAPE] ? encode_pair(p, rt, rn, &w) : encode_single(p, rt, rn, &w);

	/* the instruction must be in the domain and have exactly this point */
	if (e || check_emu_point_of(w, &back) || memcmp(&back, p, sizeof(back)))
		return -1;
	*insn = w;
	return 0;
}

/* insn_bus over check_emu_mem, recording every access as the plugin
 * host's callback does. */
struct ref_bus { uint64_t seed; struct plugin_emu_result *res; };

static int ref_record(struct ref_bus *b, uint64_t addr, unsigned size, int write,
		      uint64_t data)
{
	struct plugin_emu_result *r = b->res;

	if (r->nacc == PLUGIN_EMU_MAX_ACC || size > 8)
		return -E2BIG;
	r->acc[r->nacc++] = (struct plugin_emu_access){
		.addr = addr, .len = (uint8_t)size, .write = (uint8_t)write,
		.data = data };
	return 0;
}

static int ref_read(void *ctx, uint64_t addr, unsigned size, uint8_t *buf)
{
	struct ref_bus *b = ctx;
	uint64_t v = check_emu_mem(b->seed, addr, size);

	hvx_put_le(buf, v, size);
	return ref_record(b, addr, size, 0, v);
}

static int ref_write(void *ctx, uint64_t addr, unsigned size, const uint8_t *buf)
{
	return ref_record(ctx, addr, size, 1, hvx_get_le(buf, size));
}

int check_ref_emulate(uint32_t insn, uint64_t mem_seed, const struct hvx_regs *in,
		      struct plugin_emu_result *ref)
{
	struct ref_bus b = { .seed = mem_seed, .res = ref };
	struct insn_bus bus = { .read = ref_read, .write = ref_write, .ctx = &b };
	struct insn_regs r;
	int rc;

	memset(ref, 0, sizeof(*ref));
	if (!check_emu_domain(insn))
		return -EINVAL;
	to_insn_regs(in, &r);
	rc = insn_emulate(insn, &r, &bus);
	if (rc)
		return rc;
	memcpy(ref->regs.x, r.x, sizeof(r.x));
	ref->regs.sp = r.sp;
	ref->regs.pc = r.pc;
	ref->regs.pstate = in->pstate;
	return 0;
}

/* check_put into a table char (*s)[N] */
#define put(s, i, ...) check_put((s) ? (s)[0] : NULL, sizeof((s)[0]), (i), __VA_ARGS__)

static void put_acc(char (*s)[48], unsigned f, unsigned i, unsigned n,
		    const struct plugin_emu_access *a)
{
	if (i >= n)
		put(s, f, "%u accesses", n);
	else
		put(s, f, "#%u %s %u@0x%llx", i, a->write ? "write" : "read",
		    a->len, (unsigned long long)a->addr);
}

static unsigned cmp_accesses(const struct plugin_emu_result *ref,
			     const struct plugin_emu_result *act,
			     char (*exp_s)[48], char (*act_s)[48])
{
	unsigned fail = 0, n = ref->nacc > act->nacc ? ref->nacc : act->nacc;

	put(exp_s, EF_ACCESSES, "%u accesses", ref->nacc);
	put(act_s, EF_ACCESSES, "%u accesses%s", act->nacc,
	    act->overflow ? " and more" : "");
	put(exp_s, EF_STORE_DATA, "as stored");
	put(act_s, EF_STORE_DATA, "as stored");
	if (act->overflow)
		return 1u << EF_ACCESSES;
	for (unsigned i = 0; i < n; i++) {
		const struct plugin_emu_access *e = &ref->acc[i], *a = &act->acc[i];

		if (i >= ref->nacc || i >= act->nacc || e->addr != a->addr ||
		    e->len != a->len || e->write != a->write || a->refused) {
			put_acc(exp_s, EF_ACCESSES, i, ref->nacc, e);
			put_acc(act_s, EF_ACCESSES, i, act->nacc, a);
			return fail | 1u << EF_ACCESSES;
		}
		if (e->write && e->data != a->data && !fail) {
			put(exp_s, EF_STORE_DATA, "#%u 0x%llx", i, (unsigned long long)e->data);
			put(act_s, EF_STORE_DATA, "#%u 0x%llx", i, (unsigned long long)a->data);
			fail |= 1u << EF_STORE_DATA;
		}
	}
	return fail;
}

/* Which field a register belongs to for insn d. */
static unsigned reg_field(const struct insn *d, unsigned x)
{
	if (d->load && (x == d->rt || (d->pair && x == d->rt2)))
		return EF_TRANSFER;
	if (d->writeback && x == d->rn)
		return EF_WRITEBACK;
	return EF_OTHER;
}

static const char *reg_name(unsigned x)
{
	static const char *const n[32] = {
		"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
		"x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20",
		"x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
		"sp",
	};
	return n[x & 31];
}

unsigned check_cmp_emulate(uint32_t insn, const struct hvx_regs *in,
			   const struct plugin_emu_result *ref, int act_rc,
			   const struct plugin_emu_result *act, unsigned *compared,
			   char (*exp_s)[48], char (*act_s)[48])
{
	struct insn d;
	unsigned fail = 0;
	const struct hvx_regs *e = &ref->regs, *a = &act->regs;

	(void)in;
	*compared = 1u << EF_RETURN;
	put(exp_s, EF_RETURN, "0 (emulated) or refused");
	put(act_s, EF_RETURN, "%d", act_rc);
	if (act_rc < 0)
		return 0;
	if (act_rc > 0 || insn_decode(insn, &d))
		return 1u << EF_RETURN;
	*compared |= 1u << EF_ACCESSES | 1u << EF_STORE_DATA | 1u << EF_TRANSFER |
		     1u << EF_WRITEBACK | 1u << EF_OTHER | 1u << EF_PC;
	fail |= cmp_accesses(ref, act, exp_s, act_s);
	if (fail >> EF_ACCESSES & 1)	/* loaded data from elsewhere: not a */
		*compared &= ~(1u << EF_TRANSFER);	/* second cause */
	for (unsigned f = EF_TRANSFER; f <= EF_OTHER; f++) {
		put(exp_s, f, "as emulated");
		put(act_s, f, "as emulated");
	}
	for (unsigned x = 0; x < 32; x++) {
		uint64_t ev = x < 31 ? e->x[x] : e->sp, av = x < 31 ? a->x[x] : a->sp;
		unsigned f = x < 31 ? reg_field(&d, x) :
			     d.writeback && d.rn == 31 ? EF_WRITEBACK : EF_OTHER;

		if (ev == av || (fail >> f & 1) || !(*compared >> f & 1))
			continue;
		put(exp_s, f, "%s=0x%llx", reg_name(x), (unsigned long long)ev);
		put(act_s, f, "%s=0x%llx", reg_name(x), (unsigned long long)av);
		fail |= 1u << f;
	}
	put(exp_s, EF_PC, "0x%llx", (unsigned long long)e->pc);
	put(act_s, EF_PC, "0x%llx", (unsigned long long)a->pc);
	fail |= (unsigned)(e->pc != a->pc) << EF_PC;
	return fail;
}

void check_describe_insn(uint32_t insn, char *buf, unsigned len)
{
	struct insn d;
	char r = 'w', rt2[16] = "", base[32];

	if (insn_decode(insn, &d)) {
		snprintf(buf, len, "0x%08x (not a load/store)", insn);
		return;
	}
	if (d.reg64 || (d.store && d.size_log2 == 3))
		r = 'x';
	if (d.pair)
		snprintf(rt2, sizeof(rt2), ", %c%u", r, d.rt2);
	if (d.literal)
		snprintf(base, sizeof(base), "pc%+lld", (long long)d.imm);
	else if (d.rn == 31)
		snprintf(base, sizeof(base), "sp");
	else
		snprintf(base, sizeof(base), "x%u", d.rn);
	snprintf(buf, len, "%s %c%u%s, [%s] (%s%s)", d.mnemonic, r, d.rt, rt2,
		 base, insn_class_name(d.cls), d.writeback ? ", writeback" : "");
}
