/*
 * Data-abort syndrome cross-check: own A64 decoder vs Capstone 4.0.2.
 * Capstone 4 gives register ids, base/index/disp and writeback reliably
 * but no access size, sign extension, acquire/release or pair flag; those
 * are derived from insn->id and the register width (notes/kvm-under-qemu).
 */
#include "hvexit/xcheck.h"
#include "hvexit/esr.h"
#include "harness/util/rng.h"

#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CS_ADDR 0x100000u	/* address Capstone disassembles at (literals) */

static csh cs_handle;
static bool cs_open_done, cs_open_ok;
static bool cache_on = true;

struct cache_ent {
	bool valid;
	uint32_t word;
	struct xcheck_csview v;
};
static struct cache_ent cache[4096];

/* Per-mnemonic facts Capstone 4 does not give. size -1: register width. */
struct cs_info {
	int8_t size;
	uint8_t load, store, sign, acqrel, pair, excl, simd, prfm;
};

enum { LD = 1, ST = 2, SX = 4, AR = 8, PR = 16, EX = 32, VEC = 64, PF = 128 };

/* Loads and stores by access size: byte, halfword, and the register's
 * width (a word for the sign-extending loads); 0: no such form. */
static const struct {
	unsigned flags;
	unsigned id[3];
} cs_sized[] = {
	{ LD | AR, { ARM64_INS_LDARB, ARM64_INS_LDARH, ARM64_INS_LDAR } },
	{ ST | AR, { ARM64_INS_STLRB, ARM64_INS_STLRH, ARM64_INS_STLR } },
	{ LD | EX, { ARM64_INS_LDXRB, ARM64_INS_LDXRH, ARM64_INS_LDXR } },
	{ ST | EX, { ARM64_INS_STXRB, ARM64_INS_STXRH, ARM64_INS_STXR } },
	{ LD | AR | EX, { ARM64_INS_LDAXRB, ARM64_INS_LDAXRH, ARM64_INS_LDAXR } },
	{ ST | AR | EX, { ARM64_INS_STLXRB, ARM64_INS_STLXRH, ARM64_INS_STLXR } },
	{ LD, { ARM64_INS_LDRB, ARM64_INS_LDRH, ARM64_INS_LDR } },
	{ LD, { ARM64_INS_LDURB, ARM64_INS_LDURH, ARM64_INS_LDUR } },
	{ LD, { ARM64_INS_LDTRB, ARM64_INS_LDTRH, ARM64_INS_LDTR } },
	{ LD | SX, { ARM64_INS_LDRSB, ARM64_INS_LDRSH, ARM64_INS_LDRSW } },
	{ LD | SX, { ARM64_INS_LDURSB, ARM64_INS_LDURSH, ARM64_INS_LDURSW } },
	{ LD | SX, { ARM64_INS_LDTRSB, ARM64_INS_LDTRSH, ARM64_INS_LDTRSW } },
	{ ST, { ARM64_INS_STRB, ARM64_INS_STRH, ARM64_INS_STR } },
	{ ST, { ARM64_INS_STURB, ARM64_INS_STURH, ARM64_INS_STUR } },
	{ ST, { ARM64_INS_STTRB, ARM64_INS_STTRH, ARM64_INS_STTR } },
};

/* Forms of one size each: pairs, vector structures, prefetches. */
static const struct {
	unsigned flags;
	int8_t size;
	unsigned id[8];		/* 0 ends the list */
} cs_lists[] = {
	{ LD | PR, -1, { ARM64_INS_LDP, ARM64_INS_LDNP } },
	{ ST | PR, -1, { ARM64_INS_STP, ARM64_INS_STNP } },
	{ LD | SX | PR, 2, { ARM64_INS_LDPSW } },
	{ LD | PR | EX, -1, { ARM64_INS_LDXP } },
	{ LD | AR | PR | EX, -1, { ARM64_INS_LDAXP } },
	{ ST | PR | EX, -1, { ARM64_INS_STXP } },
	{ ST | AR | PR | EX, -1, { ARM64_INS_STLXP } },
	{ LD | VEC, -1, { ARM64_INS_LD1, ARM64_INS_LD2, ARM64_INS_LD3, ARM64_INS_LD4,
			  ARM64_INS_LD1R, ARM64_INS_LD2R, ARM64_INS_LD3R, ARM64_INS_LD4R } },
	{ ST | VEC, -1, { ARM64_INS_ST1, ARM64_INS_ST2, ARM64_INS_ST3, ARM64_INS_ST4 } },
	{ PF, 3, { ARM64_INS_PRFM, ARM64_INS_PRFUM } },
};

static void info_set(struct cs_info *inf, unsigned flags, int size)
{
	*inf = (struct cs_info){ .size = (int8_t)size, .load = !!(flags & LD),
		.store = !!(flags & ST), .sign = !!(flags & SX), .acqrel = !!(flags & AR),
		.pair = !!(flags & PR), .excl = !!(flags & EX), .simd = !!(flags & VEC),
		.prfm = !!(flags & PF) };
}

/* The facts of mnemonic id in *inf; false when it is no load or store. */
static bool info_of(unsigned id, struct cs_info *inf)
{
	static const int8_t col_size[3] = { 0, 1, -1 };

	for (size_t i = 0; i < HVX_ARRAY_SIZE(cs_sized); i++)
		for (int c = 0; c < 3; c++)
			if (cs_sized[i].id[c] == id) {
				info_set(inf, cs_sized[i].flags,
					 c == 2 && (cs_sized[i].flags & SX) ? 2 : col_size[c]);
				return true;
			}
	for (size_t i = 0; i < HVX_ARRAY_SIZE(cs_lists); i++)
		for (size_t k = 0; k < HVX_ARRAY_SIZE(cs_lists[i].id) && cs_lists[i].id[k]; k++)
			if (cs_lists[i].id[k] == id) {
				info_set(inf, cs_lists[i].flags, cs_lists[i].size);
				return true;
			}
	return false;
}

/* Register id -> number (31 = SP/ZR) and width class:
 * 'w','x','b','h','s','d','q','v'; 0 if unknown. */
static int reg_num(unsigned reg, char *kind)
{
	static const struct { unsigned first; char k; } banks[] = {
		{ ARM64_REG_W0, 'w' }, { ARM64_REG_B0, 'b' }, { ARM64_REG_H0, 'h' },
		{ ARM64_REG_S0, 's' }, { ARM64_REG_D0, 'd' }, { ARM64_REG_Q0, 'q' },
		{ ARM64_REG_V0, 'v' },
	};
	size_t i;

	if (reg >= ARM64_REG_X0 && reg <= ARM64_REG_X28) { *kind = 'x'; return (int)(reg - ARM64_REG_X0); }
	if (reg == ARM64_REG_X29) { *kind = 'x'; return 29; }
	if (reg == ARM64_REG_X30) { *kind = 'x'; return 30; }
	if (reg == ARM64_REG_XZR || reg == ARM64_REG_SP) { *kind = 'x'; return 31; }
	if (reg == ARM64_REG_WZR || reg == ARM64_REG_WSP) { *kind = 'w'; return 31; }
	for (i = 0; i < HVX_ARRAY_SIZE(banks); i++) {
		unsigned n = banks[i].k == 'w' ? 31 : 32;

		if (reg >= banks[i].first && reg < banks[i].first + n) {
			*kind = banks[i].k;
			return (int)(reg - banks[i].first);
		}
	}
	*kind = 0;
	return -1;
}

static int kind_size(char k)
{
	switch (k) {
	case 'b': return 0;
	case 'h': return 1;
	case 'w': case 's': return 2;
	case 'x': case 'd': return 3;
	case 'q': return 4;
	default: return -1;
	}
}

static int ext_of(arm64_extender e, arm64_shifter st)
{
	switch (e) {
	case ARM64_EXT_UXTW: return INSN_EXT_UXTW;
	case ARM64_EXT_SXTW: return INSN_EXT_SXTW;
	case ARM64_EXT_SXTX: return INSN_EXT_SXTX;
	case ARM64_EXT_UXTX: return INSN_EXT_LSL;
	default: return st == ARM64_SFT_LSL || e == ARM64_EXT_INVALID ? INSN_EXT_LSL : 0;
	}
}

static bool cs_ready(void)
{
	if (!cs_open_done) {
		cs_open_done = true;
		cs_open_ok = cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs_handle) == CS_ERR_OK &&
			     cs_option(cs_handle, CS_OPT_DETAIL, CS_OPT_ON) == CS_ERR_OK;
	}
	return cs_open_ok;
}

void xcheck_close(void)
{
	if (cs_open_ok)
		cs_close(&cs_handle);
	cs_open_done = cs_open_ok = false;
}

void xcheck_cache_enable(bool on)
{
	cache_on = on;
	memset(cache, 0, sizeof(cache));
}

/* Fill v from a Capstone instruction with detail. */
static void view_fill(const cs_insn *in, struct xcheck_csview *v)
{
	const cs_arm64 *a = &in->detail->arm64;
	struct cs_info info;
	const struct cs_info *inf = info_of(in->id, &info) ? &info : NULL;
	int nreg = 0, i;
	char k0 = 0;

	v->decoded = true;
	v->id = in->id;
	snprintf(v->text, sizeof(v->text), "%s %s", in->mnemonic, in->op_str);
	v->writeback = a->writeback;
	if (in->id == ARM64_INS_DC) {
		for (i = 0; i < a->op_count; i++) {
			const cs_arm64_op *o = &a->operands[i];
			char k;

			if (o->type == ARM64_OP_SYS && o->sys == ARM64_DC_ZVA)
				v->dczva = true;
			if (o->type == ARM64_OP_REG)
				v->rt = reg_num(o->reg, &k);
		}
		v->ldst = v->dczva;
		v->store = v->dczva;
		v->size_log2 = 6;
		return;
	}
	if (!inf)
		return;
	v->ldst = true;
	v->load = inf->load;
	v->store = inf->store;
	v->sign = inf->sign;
	v->acqrel = inf->acqrel;
	v->pair = inf->pair;
	v->exclusive = inf->excl;
	v->simd = inf->simd;
	v->prfm = inf->prfm;
	v->size_log2 = inf->size;
	for (i = 0; i < a->op_count; i++) {
		const cs_arm64_op *o = &a->operands[i];
		char k;

		switch (o->type) {
		case ARM64_OP_REG: {
			int n = reg_num(o->reg, &k);

			if (v->simd && k == 'v') {
				if (v->nregs == 0)
					v->rt = n;
				/* Capstone 4 puts the lane on the last register of the list */
				if (o->vector_index >= 0)
					v->lane = o->vector_index;
				v->nregs++;
				break;
			}
			if (i > 0 && a->operands[i - 1].type == ARM64_OP_MEM) {
				v->rm = n;	/* SIMD post-index register */
				v->has_index = true;
				break;
			}
			/* store-exclusive: first register is the status Ws */
			if (nreg == 0 && inf->excl && inf->store) {
				v->rs = n;
				nreg = -1;
				break;
			}
			if (nreg <= 0) {
				v->rt = n;
				k0 = k;
				nreg = 1;
			} else {
				v->rt2 = n;
			}
			break;
		}
		case ARM64_OP_MEM: {
			v->rn = reg_num(o->mem.base, &k);
			if (o->mem.index != ARM64_REG_INVALID) {
				v->rm = reg_num(o->mem.index, &k);
				v->has_index = true;
				v->ext = ext_of(o->ext, o->shift.type);
				v->shift = o->shift.value;
			} else {
				v->imm = o->mem.disp;
				v->has_imm = true;
			}
			break;
		}
		case ARM64_OP_IMM:
			if (i > 0 && a->operands[i - 1].type == ARM64_OP_MEM) {
				v->imm = o->imm;	/* post-index amount */
				v->postindex = true;
				v->has_imm = true;
			} else if (v->rn < 0) {
				v->imm = o->imm - CS_ADDR;	/* literal target */
				v->has_imm = true;
			}
			break;
		default:
			break;
		}
	}
	if (v->has_index && v->simd)
		v->postindex = true;
	if (v->size_log2 < 0 && !v->simd)
		v->size_log2 = kind_size(k0);
	v->reg64 = k0 == 'x';
	if (k0 && k0 != 'w' && k0 != 'x')
		v->fp = true;		/* SIMD&FP register transfer */
	if (!v->simd && !v->fp && !v->prfm && (v->load || v->store))
		v->isv_possible = !v->pair && !v->exclusive && !v->writeback;
}

static void view_lookup(uint32_t word, struct xcheck_csview *v)
{
	uint8_t b[4] = { (uint8_t)word, (uint8_t)(word >> 8), (uint8_t)(word >> 16),
			 (uint8_t)(word >> 24) };
	cs_insn *in = NULL;
	size_t n;

	memset(v, 0, sizeof(*v));
	v->size_log2 = -1;
	v->rt = v->rt2 = v->rn = v->rs = v->rm = v->lane = -1;
	n = cs_disasm(cs_handle, b, 4, CS_ADDR, 1, &in);
	if (n == 1)
		view_fill(in, v);
	if (n)
		cs_free(in, n);
}

int xcheck_cs_view(uint32_t word, struct xcheck_csview *v)
{
	struct cache_ent *e;

	if (!cs_ready())
		return -ENODEV;
	if (!cache_on) {
		view_lookup(word, v);
		return 0;
	}
	e = &cache[(word ^ (word >> 12) ^ (word >> 24)) & 4095u];
	if (!e->valid || e->word != word) {
		view_lookup(word, &e->v);
		e->word = word;
		e->valid = true;
	}
	*v = e->v;
	return 0;
}

const char *xcheck_field_name(enum xcheck_field f)
{
	static const char *const names[XF_COUNT] = {
		[XF_ISV] = "ISV", [XF_SAS] = "SAS", [XF_SSE] = "SSE", [XF_SRT] = "SRT",
		[XF_SF] = "SF", [XF_AR] = "AR", [XF_WNR] = "WnR", [XF_LST] = "LST",
	};
	return (unsigned)f < XF_COUNT ? names[f] : "?";
}

/* Values the instruction implies for each ISS field, -1 when unknown. */
static void implied_own(const struct xcheck_result *r, int out[XF_COUNT])
{
	const struct insn *d = &r->own;
	unsigned i;

	for (i = 0; i < XF_COUNT; i++)
		out[i] = -1;
	if (r->own_rc)
		return;
	out[XF_ISV] = d->isv_possible;
	if (!d->isv_possible)
		return;
	out[XF_WNR] = d->iss.wnr;
	if (d->cls == INSN_C_LS64) {
		out[XF_LST] = d->iss.lst;
		return;
	}
	out[XF_SAS] = d->iss.sas;
	out[XF_SSE] = d->iss.sse;
	out[XF_SRT] = d->iss.srt;
	out[XF_SF] = d->iss.sf;
	out[XF_AR] = d->iss.ar;
	out[XF_LST] = 0;
}

static void implied_cs(const struct xcheck_csview *v, int out[XF_COUNT])
{
	unsigned i;

	for (i = 0; i < XF_COUNT; i++)
		out[i] = -1;
	if (!v->ldst)
		return;
	out[XF_ISV] = v->isv_possible;
	if (!v->isv_possible)
		return;
	out[XF_SAS] = v->size_log2;
	out[XF_SSE] = v->sign;
	out[XF_SRT] = v->rt;
	out[XF_SF] = v->reg64;
	out[XF_AR] = v->acqrel;
	out[XF_WNR] = v->store;
	out[XF_LST] = 0;
}

int xcheck_dabt(uint32_t insn, uint64_t esr, struct xcheck_result *res)
{
	struct esr_dabt e;
	int own[XF_COUNT], cs[XF_COUNT], iss[XF_COUNT];
	unsigned f;
	int r;

	memset(res, 0, sizeof(*res));
	res->insn = insn;
	res->esr = esr;
	if (esr_decode_dabt(esr, &e))
		return -EINVAL;
	res->own_rc = insn_decode(insn, &res->own);
	r = xcheck_cs_view(insn, &res->cs);
	if (r)
		return r;
	if (!e.isv) {
		res->status = XCHECK_ISV0;
		return 0;
	}
	implied_own(res, own);
	implied_cs(&res->cs, cs);
	if (own[XF_ISV] < 0 && cs[XF_ISV] < 0) {
		res->status = XCHECK_UNKNOWN_INSN;
		return 0;
	}
	iss[XF_ISV] = 1;
	iss[XF_SAS] = e.sas;
	iss[XF_SSE] = e.sse;
	iss[XF_SRT] = e.srt;
	iss[XF_SF] = e.sf;
	iss[XF_AR] = e.ar;
	iss[XF_WNR] = e.wnr;
	iss[XF_LST] = e.lst;
	for (f = 0; f < XF_COUNT; f++) {
		bool own_ok = own[f] < 0 || own[f] == iss[f];
		bool cs_ok = cs[f] < 0 || cs[f] == iss[f];

		if (own_ok && cs_ok)
			continue;
		/* once ISV itself is wrong the other fields are moot */
		if (f != XF_ISV && res->ndiff && res->diff[0].field == XF_ISV)
			break;
		res->diff[res->ndiff++] = (struct xcheck_diff){
			.field = (enum xcheck_field)f, .iss = iss[f], .own = own[f], .cs = cs[f] };
	}
	res->status = res->ndiff ? XCHECK_MISMATCH : XCHECK_CONSISTENT;
	return 0;
}

/* ---- sweep ------------------------------------------------------------ */

static bool own_is_ldst(const struct insn *d, int rc)
{
	return rc == 0 && (d->op != INSN_OP_DCMAINT);
}

/* The fields both decoders give, in the order they are compared: where
 * `when` holds, own and cs must be equal. */
static const char *compare_fields(const struct insn *d, const struct xcheck_csview *v)
{
	bool gpr = d->cls < INSN_C_SIMD_MULT;	/* not a SIMD structure list */
	const struct {
		const char *name;
		bool when;
		int64_t own, cs;
	} f[] = {
		{ "direction", true, d->load << 1 | d->store, v->load << 1 | v->store },
		{ "simd", !gpr, d->simd, v->simd }, { "pair", true, d->pair, v->pair },
		{ "exclusive", true, d->exclusive, v->exclusive },
		{ "acqrel", true, d->acquire || d->release, v->acqrel },
		{ "size", gpr, d->size_log2, v->size_log2 }, { "sign", gpr, d->sign_extend, v->sign },
		{ "fp", gpr, d->simd, v->fp }, { "sf", gpr && !d->simd, d->reg64, v->reg64 },
		{ "rt2", gpr && d->pair, d->rt2, v->rt2 }, { "nregs", !gpr, d->nregs, v->nregs },
		{ "lane", !gpr && !d->replicate && d->cls >= INSN_C_SIMD_SINGLE, d->lane, v->lane },
		{ "rt", true, d->rt, v->rt }, { "rs", d->exclusive && d->store, d->rs, v->rs },
		{ "rn", !d->literal, d->rn, v->rn }, { "writeback", true, d->writeback, v->writeback },
		{ "postindex", true, d->postindex, v->postindex },
		{ "index", true, d->index_reg, v->has_index }, { "rm", d->index_reg, d->rm, v->rm },
		{ "extend", d->index_reg && gpr, (int)d->extend, v->ext },
		{ "shift", d->index_reg && gpr, d->shift, v->shift },
		{ "imm", !d->index_reg && v->has_imm, d->imm, v->imm },
		{ "isv", true, d->isv_possible, v->isv_possible },
	};

	for (size_t i = 0; i < HVX_ARRAY_SIZE(f); i++)
		if (f[i].when && f[i].own != f[i].cs)
			return f[i].name;
	return NULL;
}

/* First field where own and Capstone disagree, or NULL. */
static const char *compare(const struct insn *d, int rc, const struct xcheck_csview *v)
{
	bool own_ok = own_is_ldst(d, rc);

	if (own_ok != v->ldst)
		return "decodable";
	if (!own_ok)
		return NULL;
	if (d->op == INSN_OP_ZVA)
		return v->dczva && v->rt == d->rt ? NULL : "dc";
	if ((d->op == INSN_OP_PRFM) != v->prfm)
		return "prfm";
	if (d->op == INSN_OP_PRFM)
		return v->rn == (d->literal ? -1 : d->rn) ? NULL : "rn";
	return compare_fields(d, v);
}

int xcheck_sweep_word(uint32_t word, struct xcheck_cmp *out)
{
	struct insn d;
	struct xcheck_csview v;
	int rc = insn_decode(word, &d), r;

	r = xcheck_cs_view(word, &v);
	if (r)
		return r;
	memset(out, 0, sizeof(*out));
	out->cls = d.cls;
	out->field = compare(&d, rc, &v);
	if (!out->field) {
		out->verdict = XV_AGREE;
		return 0;
	}
	out->cause = xcheck_disagreement_cause(&d, rc, &v, out->field);
	out->verdict = out->cause ? XV_EXPLAINED : XV_UNEXPLAINED;
	return 0;
}

const char *xcheck_status_name(enum xcheck_status s)
{
	switch (s) {
	case XCHECK_CONSISTENT: return "consistent";
	case XCHECK_ISV0: return "isv0";
	case XCHECK_MISMATCH: return "mismatch";
	default: return "unknown_insn";
	}
}

/* Append to buf at *len, never writing past n; *len counts what was needed. */
static void jput(char *buf, size_t n, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void jput(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(*len < n ? buf + *len : NULL, *len < n ? n - *len : 0, fmt, ap);
	va_end(ap);
	if (k > 0)
		*len += (size_t)k;
}

/* Capstone text is plain ASCII mnemonics/operands; drop '"' and '\\'. */
static void clean_text(const char *in, char *out, size_t n)
{
	size_t i, k = 0;

	for (i = 0; in[i] && k + 1 < n; i++)
		if (in[i] != '"' && in[i] != '\\' && (unsigned char)in[i] >= 0x20)
			out[k++] = in[i];
	out[k] = 0;
}

int xcheck_result_json(const struct xcheck_result *r, char *buf, size_t n)
{
	char cs[sizeof(r->cs.text)];
	size_t len = 0;
	unsigned i;

	if (!r || (!buf && n))
		return -EINVAL;
	if (n)
		buf[0] = 0;
	clean_text(r->cs.decoded ? r->cs.text : "", cs, sizeof(cs));
	jput(buf, n, &len, "{\"insn\":\"0x%08" PRIx32 "\",\"esr\":\"0x%" PRIx64 "\",\"status\":\"%s\","
	     "\"own\":\"%s\",\"own_class\":\"%s\",\"capstone\":\"%s\",\"diffs\":[",
	     r->insn, r->esr, xcheck_status_name(r->status),
	     r->own_rc || !r->own.mnemonic ? "" : r->own.mnemonic, insn_class_name(r->own.cls), cs);
	for (i = 0; i < r->ndiff && i < XF_COUNT; i++)
		jput(buf, n, &len, "%s{\"field\":\"%s\",\"iss\":%d,\"own\":%d,\"capstone\":%d}",
		     i ? "," : "", xcheck_field_name(r->diff[i].field), r->diff[i].iss,
		     r->diff[i].own, r->diff[i].cs);
	jput(buf, n, &len, "]}");
	return len > INT32_MAX ? -ERANGE : (int)len;
}

uint32_t xcheck_ldst_word(uint32_t i)
{
	return (i & 0x1ffffffu) | (((i >> 25) & 1u) << 26) | (((i >> 26) & 0xfu) << 28) |
	       0x08000000u;
}

static int sweep_word(uint32_t w, struct xcheck_sweep_stats *st,
		      void (*cb)(void *, uint32_t, const struct xcheck_cmp *), void *ctx)
{
	struct xcheck_cmp c;
	unsigned k;

	if (xcheck_sweep_word(w, &c))
		return -ENODEV;
	k = (unsigned)c.cls < INSN_C_COUNT ? (unsigned)c.cls : 0;
	st->words++;
	st->total[k]++;
	if (c.verdict == XV_AGREE) {
		st->agree[k]++;
		return 0;
	}
	if (c.verdict == XV_EXPLAINED) {
		st->explained[k]++;
	} else {
		st->unexplained[k]++;
		st->unexplained_total++;
		if (st->nexample < 16) {
			st->example[st->nexample] = w;
			st->example_field[st->nexample++] = c.field;
		}
	}
	if (cb)
		cb(ctx, w, &c);
	return 0;
}

int xcheck_sweep(uint64_t n, uint64_t seed, bool all, struct xcheck_sweep_stats *st,
		 void (*cb)(void *ctx, uint32_t word, const struct xcheck_cmp *c), void *ctx)
{
	return xcheck_sweep_progress(n, seed, all, st, cb, NULL, ctx);
}

int xcheck_sweep_progress(uint64_t n, uint64_t seed, bool all, struct xcheck_sweep_stats *st,
			  void (*cb)(void *ctx, uint32_t word, const struct xcheck_cmp *c),
			  int (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx)
{
	/* DC ZVA, DC IVAC/CVAC/CVAU/CVAP/CVADP/CIVAC (C5.3), outside op0 = x1x0 */
	static const uint32_t dc[] = { 0xd50b7420, 0xd5087620, 0xd50b7a20, 0xd50b7b20,
				       0xd50b7c20, 0xd50b7d20, 0xd50b7e20 };
	uint64_t i, s = seed;
	unsigned k, r;

	for (k = 0; k < HVX_ARRAY_SIZE(dc); k++)
		for (r = 0; r < 32; r++)
			if (sweep_word(dc[k] | r, st, cb, ctx))
				return -ENODEV;
	if (all)
		n = UINT64_C(1) << 30;
	for (i = 0; i < n; i++) {
		uint32_t w = xcheck_ldst_word(all ? (uint32_t)i : (uint32_t)util_rng_next(&s));

		if (sweep_word(w, st, cb, ctx))
			return -ENODEV;
		if (progress && (i & ((1u << 20) - 1)) == (1u << 20) - 1 && progress(ctx, i + 1, n))
			return -EINTR;
	}
	return 0;
}
