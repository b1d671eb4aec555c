/*
 * A64 load/store decoder. One table row per Arm ARM encoding table of the
 * "Loads and Stores" group (Arm ARM DDI0487, C4.1.x "Loads and Stores",
 * encoding index by op0 = x1x0), plus DC ZVA / DC by-VA from
 * C5.3 "A64 system instructions for cache maintenance".
 *
 * ISV rule (D24.2.46 ESR_EL2, ISS encoding for a Data Abort, field ISV):
 * for a stage 2 abort hardware reports ISV=1 only for AArch64 loads and
 * stores of a single general-purpose register (Rt = 31 included, with or
 * without acquire/release semantics), excluding Load/Store Exclusive and
 * excluding forms with writeback; with FEAT_LS64 also for
 * LD64B/ST64B/ST64BV/ST64BV0 (with LST in ISS[12:11]). Pairs, SIMD&FP,
 * atomics, CAS and structure loads/stores report ISV=0.
 */
#include "hvexit/insn.h"

#include <string.h>

typedef int (*insn_handler)(uint32_t w, struct insn *d);

struct insn_row {
	uint32_t mask, value;
	enum insn_class cls;
	insn_handler fn;
	const char *ref;
};

static unsigned fld(uint32_t w, unsigned hi, unsigned lo)
{
	return (unsigned)hvx_bits(w, hi, lo);
}

static void regs_common(uint32_t w, struct insn *d)
{
	d->rt = (uint8_t)fld(w, 4, 0);
	d->rn = (uint8_t)fld(w, 9, 5);
}

/* ISS a single-GPR access reports when ISV=1 (D24.2.46). */
static void set_iss_single(struct insn *d)
{
	d->isv_possible = true;
	d->iss.sas = d->size_log2;
	d->iss.sse = d->sign_extend;
	d->iss.srt = d->rt;
	d->iss.sf = d->reg64;
	d->iss.ar = d->acquire || d->release;
	d->iss.wnr = d->store;
}

/* ---- single register: size/V/opc map (C4.1.x "Load/store register" tables) */

/* Names indexed [V][size][opc]; NULL = unallocated or PRFM. */
static const char *const name_reg[2][4][4] = {
	{ { "STRB", "LDRB", "LDRSB", "LDRSB" }, { "STRH", "LDRH", "LDRSH", "LDRSH" },
	  { "STR", "LDR", "LDRSW", NULL }, { "STR", "LDR", NULL, NULL } },
	{ { "STR", "LDR", "STR", "LDR" }, { "STR", "LDR", NULL, NULL },
	  { "STR", "LDR", NULL, NULL }, { "STR", "LDR", NULL, NULL } },
};
static const char *const name_unscaled[2][4][4] = {
	{ { "STURB", "LDURB", "LDURSB", "LDURSB" }, { "STURH", "LDURH", "LDURSH", "LDURSH" },
	  { "STUR", "LDUR", "LDURSW", NULL }, { "STUR", "LDUR", NULL, NULL } },
	{ { "STUR", "LDUR", "STUR", "LDUR" }, { "STUR", "LDUR", NULL, NULL },
	  { "STUR", "LDUR", NULL, NULL }, { "STUR", "LDUR", NULL, NULL } },
};
static const char *const name_unpriv[4][4] = {
	{ "STTRB", "LDTRB", "LDTRSB", "LDTRSB" }, { "STTRH", "LDTRH", "LDTRSH", "LDTRSH" },
	{ "STTR", "LDTR", "LDTRSW", NULL }, { "STTR", "LDTR", NULL, NULL },
};

/*
 * Fill size/direction/extension from size:V:opc. prfm_name: mnemonic of
 * size=11,V=0,opc=10 in this table (PRFM/PRFUM) or NULL if unallocated.
 */
static int reg_kind(uint32_t w, struct insn *d, const char *const names[2][4][4],
		    const char *prfm_name)
{
	unsigned size = fld(w, 31, 30), v = fld(w, 26, 26), opc = fld(w, 23, 22);

	regs_common(w, d);
	d->simd = v;
	if (v) {
		if (opc & 2) {
			if (size != 0)
				return -EINVAL;
			d->size_log2 = 4;
		} else {
			d->size_log2 = (uint8_t)size;
		}
		d->store = !(opc & 1);
		d->load = !d->store;
	} else {
		d->size_log2 = (uint8_t)size;
		switch (opc) {
		case 0: d->store = true; d->reg64 = size == 3; break;
		case 1: d->load = true; d->reg64 = size == 3; break;
		case 2:
			if (size == 3) {
				if (!prfm_name)
					return -EINVAL;
				d->mnemonic = prfm_name;
				d->op = INSN_OP_PRFM;
				d->no_access = true;
				return 0;
			}
			d->load = true; d->sign_extend = true; d->reg64 = true;
			break;
		default:
			if (size >= 2)
				return -EINVAL;
			d->load = true; d->sign_extend = true; d->reg64 = false;
			break;
		}
	}
	d->op = d->store ? INSN_OP_STORE : INSN_OP_LOAD;
	d->mnemonic = names[v][size][opc];
	d->nbytes = 1u << d->size_log2;
	d->nregs = 1;
	return d->mnemonic ? 0 : -EINVAL;
}

static void single_gpr_iss(struct insn *d)
{
	if (!d->simd && !d->no_access && !d->writeback)
		set_iss_single(d);
}

/* Writeback with Rn == Rt (Rn != SP) is CONSTRAINED UNPREDICTABLE
 * (C6.2 LDR/STR (immediate) pseudocode, "if wback && n == t && n != 31"). */
static void wb_overlap(struct insn *d)
{
	if (d->writeback && !d->simd && !d->no_access && d->rn != 31 &&
	    (d->rn == d->rt || (d->pair && d->rn == d->rt2)))
		d->unpredictable = true;
}

static int h_uimm(uint32_t w, struct insn *d)
{
	int r = reg_kind(w, d, name_reg, "PRFM");

	if (r)
		return r;
	d->imm = (int64_t)((uint64_t)fld(w, 21, 10) << (d->no_access ? 3 : d->size_log2));
	single_gpr_iss(d);
	return 0;
}

static int h_imm9(uint32_t w, struct insn *d)
{
	unsigned op2 = fld(w, 11, 10);
	int r;

	switch (op2) {
	case 0: r = reg_kind(w, d, name_unscaled, "PRFUM"); d->cls = INSN_C_UNSCALED; break;
	case 1: r = reg_kind(w, d, name_reg, NULL); d->cls = INSN_C_POST;
		d->writeback = d->postindex = true; break;
	case 3: r = reg_kind(w, d, name_reg, NULL); d->cls = INSN_C_PRE;
		d->writeback = true; break;
	default:
		d->cls = INSN_C_UNPRIV;
		if (fld(w, 26, 26))
			return -EINVAL;
		r = reg_kind(w, d, name_reg, NULL);
		if (!r)
			d->mnemonic = name_unpriv[fld(w, 31, 30)][fld(w, 23, 22)];
		d->unpriv = true;
		break;
	}
	if (r)
		return r;
	d->imm = hvx_sext(fld(w, 20, 12), 9);
	wb_overlap(d);
	single_gpr_iss(d);
	return 0;
}

static int h_regoff(uint32_t w, struct insn *d)
{
	unsigned option = fld(w, 15, 13);
	int r = reg_kind(w, d, name_reg, "PRFM");

	if (r)
		return r;
	if (!(option & 2))
		return -EINVAL;
	d->index_reg = true;
	d->rm = (uint8_t)fld(w, 20, 16);
	d->extend = (enum insn_extend)option;
	d->shift = fld(w, 12, 12) ? (d->no_access ? 3 : d->size_log2) : 0;
	single_gpr_iss(d);
	return 0;
}

/* C4.1.x "Load register (literal)": opc:V. */
static int h_lit(uint32_t w, struct insn *d)
{
	unsigned opc = fld(w, 31, 30), v = fld(w, 26, 26);

	regs_common(w, d);
	d->literal = true;
	d->imm = hvx_sext(fld(w, 23, 5), 19) * 4;
	d->simd = v;
	d->nregs = 1;
	if (v) {
		if (opc == 3)
			return -EINVAL;
		d->size_log2 = (uint8_t)(2 + opc);
		d->mnemonic = "LDR";
	} else if (opc == 3) {
		d->mnemonic = "PRFM";
		d->op = INSN_OP_PRFM;
		d->no_access = true;
		return 0;
	} else {
		d->size_log2 = opc == 1 ? 3 : 2;
		d->reg64 = opc != 0;
		d->sign_extend = opc == 2;
		d->mnemonic = opc == 2 ? "LDRSW" : "LDR";
	}
	d->load = true;
	d->op = INSN_OP_LOAD;
	d->nbytes = 1u << d->size_log2;
	single_gpr_iss(d);
	return 0;
}

/* C4.1.x "Load/store register pair" and "no-allocate pair": opc:V:L. */
static int h_pair(uint32_t w, struct insn *d)
{
	static const enum insn_class cls[4] = {
		INSN_C_PAIR_NA, INSN_C_PAIR_POST, INSN_C_PAIR_OFF, INSN_C_PAIR_PRE };
	unsigned opc = fld(w, 31, 30), v = fld(w, 26, 26), l = fld(w, 22, 22);
	unsigned idx = fld(w, 24, 23);

	regs_common(w, d);
	d->cls = cls[idx];
	d->rt2 = (uint8_t)fld(w, 14, 10);
	d->pair = true;
	d->simd = v;
	d->nregs = 2;
	d->load = l;
	d->store = !l;
	d->op = l ? INSN_OP_LOAD : INSN_OP_STORE;
	d->writeback = idx == 1 || idx == 3;
	d->postindex = idx == 1;
	if (v) {
		if (opc == 3)
			return -EINVAL;
		d->size_log2 = (uint8_t)(2 + opc);
	} else if (opc == 1) {
		if (!l || idx == 0)	/* STGP (FEAT_MTE) / unallocated */
			return -EINVAL;
		d->size_log2 = 2;
		d->sign_extend = true;
		d->reg64 = true;
	} else if (opc == 3) {
		return -EINVAL;
	} else {
		d->size_log2 = opc ? 3 : 2;
		d->reg64 = opc != 0;
	}
	if (idx == 0)
		d->mnemonic = l ? "LDNP" : "STNP";
	else if (d->sign_extend)
		d->mnemonic = "LDPSW";
	else
		d->mnemonic = l ? "LDP" : "STP";
	d->nbytes = 2u << d->size_log2;
	d->imm = hvx_sext(fld(w, 21, 15), 7) * (int64_t)(1u << d->size_log2);
	/* LDP with t == t2 is CONSTRAINED UNPREDICTABLE (C6.2 LDP). */
	if (l && d->rt == d->rt2)
		d->unpredictable = true;
	wb_overlap(d);
	return 0;
}

/* Mnemonic tables for the exclusive/ordered/CAS group, [L][o0][size]. */
static const char *const name_excl[2][2][4] = {
	{ { "STXRB", "STXRH", "STXR", "STXR" }, { "STLXRB", "STLXRH", "STLXR", "STLXR" } },
	{ { "LDXRB", "LDXRH", "LDXR", "LDXR" }, { "LDAXRB", "LDAXRH", "LDAXR", "LDAXR" } },
};
static const char *const name_ord[2][2][4] = {
	{ { "STLLRB", "STLLRH", "STLLR", "STLLR" }, { "STLRB", "STLRH", "STLR", "STLR" } },
	{ { "LDLARB", "LDLARH", "LDLAR", "LDLAR" }, { "LDARB", "LDARH", "LDAR", "LDAR" } },
};
static const char *const name_cas[2][2][4] = {
	{ { "CASB", "CASH", "CAS", "CAS" }, { "CASLB", "CASLH", "CASL", "CASL" } },
	{ { "CASAB", "CASAH", "CASA", "CASA" }, { "CASALB", "CASALH", "CASAL", "CASAL" } },
};
static const char *const name_casp[2][2] = { { "CASP", "CASPL" }, { "CASPA", "CASPAL" } };
static const char *const name_exclp[2][2] = { { "STXP", "STLXP" }, { "LDXP", "LDAXP" } };

/* C4.1.x "Load/store exclusive register", "... exclusive pair",
 * "Load/store ordered", "Compare and swap", "Compare and swap pair". */
static int h_excl(uint32_t w, struct insn *d)
{
	unsigned size = fld(w, 31, 30), o2 = fld(w, 23, 23), l = fld(w, 22, 22);
	unsigned o1 = fld(w, 21, 21), o0 = fld(w, 15, 15);

	regs_common(w, d);
	d->rs = (uint8_t)fld(w, 20, 16);
	d->rt2 = (uint8_t)fld(w, 14, 10);
	d->nregs = 1;
	d->size_log2 = (uint8_t)size;
	d->reg64 = size == 3;
	if (!o2 && !o1) {
		d->cls = INSN_C_EXCL;
		d->exclusive = true;
		d->load = l; d->store = !l;
		d->acquire = l && o0; d->release = !l && o0;
		d->mnemonic = name_excl[l][o0][size];
		d->rt2 = 0;
		if (!l && (d->rs == d->rt || (d->rs == d->rn && d->rn != 31)))
			d->unpredictable = true;
		if (l)
			d->rs = 0;
	} else if (!o2 && o1 && size >= 2) {
		d->cls = INSN_C_EXCL_PAIR;
		d->exclusive = d->pair = true;
		d->nregs = 2;
		d->size_log2 = (uint8_t)(2 + (size & 1));
		d->reg64 = size & 1;
		d->load = l; d->store = !l;
		d->acquire = l && o0; d->release = !l && o0;
		d->mnemonic = name_exclp[l][o0];
		if (l && d->rt == d->rt2)
			d->unpredictable = true;
		if (!l && (d->rs == d->rt || d->rs == d->rt2 ||
			   (d->rs == d->rn && d->rn != 31)))
			d->unpredictable = true;
		if (l)
			d->rs = 0;
	} else if (!o2 && o1) {
		d->cls = INSN_C_CASP;
		if (d->rt2 != 31 || (d->rs & 1) || (d->rt & 1))
			return -EINVAL;
		d->rt2 = 0;
		d->atomic = d->pair = true;
		d->nregs = 2;
		d->size_log2 = (uint8_t)(2 + (size & 1));
		d->reg64 = size & 1;
		d->load = d->store = true;
		d->op = INSN_OP_CAS;
		d->acquire = l; d->release = o0;
		d->mnemonic = name_casp[l][o0];
	} else if (o2 && !o1) {
		d->cls = INSN_C_ORDERED;
		d->load = l; d->store = !l;
		d->acquire = l; d->release = !l;
		d->mnemonic = name_ord[l][o0][size];
		d->rs = 0; d->rt2 = 0;
		d->op = l ? INSN_OP_LOAD : INSN_OP_STORE;
		d->nbytes = 1u << size;
		set_iss_single(d);
		return 0;
	} else {
		d->cls = INSN_C_CAS;
		if (d->rt2 != 31)
			return -EINVAL;
		d->rt2 = 0;
		d->atomic = true;
		d->load = d->store = true;
		d->op = INSN_OP_CAS;
		d->acquire = l; d->release = o0;
		d->mnemonic = name_cas[l][o0][size];
	}
	if (d->op != INSN_OP_CAS)
		d->op = d->load ? INSN_OP_LOAD : INSN_OP_STORE;
	d->nbytes = (unsigned)d->nregs << d->size_log2;
	return 0;
}

/* C4.1.x "Atomic memory operations": size:V:A:R:o3:opc. */
static const char *const name_atom_full[9][4][4] = {
#define ATOM_NAMES(b) \
	{ { b "B", b "H", b, b }, { b "LB", b "LH", b "L", b "L" }, \
	  { b "AB", b "AH", b "A", b "A" }, { b "ALB", b "ALH", b "AL", b "AL" } }
	ATOM_NAMES("LDADD"), ATOM_NAMES("LDCLR"), ATOM_NAMES("LDEOR"),
	ATOM_NAMES("LDSET"), ATOM_NAMES("LDSMAX"), ATOM_NAMES("LDSMIN"),
	ATOM_NAMES("LDUMAX"), ATOM_NAMES("LDUMIN"), ATOM_NAMES("SWP"),
#undef ATOM_NAMES
};

static int h_atomic(uint32_t w, struct insn *d)
{
	unsigned size = fld(w, 31, 30), a = fld(w, 23, 23), r = fld(w, 22, 22);
	unsigned o3 = fld(w, 15, 15), opc = fld(w, 14, 12), k;

	regs_common(w, d);
	d->rs = (uint8_t)fld(w, 20, 16);
	if (o3 && opc != 0)
		return -EINVAL;
	k = o3 ? 8 : opc;
	d->op = (enum insn_op)(INSN_OP_ADD + k);
	d->atomic = true;
	d->load = d->store = true;
	d->acquire = a; d->release = r;
	d->size_log2 = (uint8_t)size;
	d->reg64 = size == 3;
	d->nregs = 1;
	d->nbytes = 1u << size;
	d->mnemonic = name_atom_full[k][a * 2 + r][size];
	return 0;
}

static const char *const name_ldapr[4] = { "LDAPRB", "LDAPRH", "LDAPR", "LDAPR" };

/* LDAPR (FEAT_LRCPC), in the atomic memory operations table. */
static int h_ldapr(uint32_t w, struct insn *d)
{
	unsigned size = fld(w, 31, 30);

	regs_common(w, d);
	d->load = true;
	d->acquire = true;
	d->op = INSN_OP_LOAD;
	d->size_log2 = (uint8_t)size;
	d->reg64 = size == 3;
	d->nregs = 1;
	d->nbytes = 1u << size;
	d->mnemonic = name_ldapr[size];
	set_iss_single(d);
	return 0;
}

/* C4.1.x "LDAPR/STLR (unscaled immediate)" (FEAT_LRCPC2). */
static const char *const name_rcpc2[4][4] = {
	{ "STLURB", "LDAPURB", "LDAPURSB", "LDAPURSB" },
	{ "STLURH", "LDAPURH", "LDAPURSH", "LDAPURSH" },
	{ "STLUR", "LDAPUR", "LDAPURSW", NULL },
	{ "STLUR", "LDAPUR", NULL, NULL },
};

static int h_rcpc2(uint32_t w, struct insn *d)
{
	unsigned size = fld(w, 31, 30), opc = fld(w, 23, 22);

	regs_common(w, d);
	d->mnemonic = name_rcpc2[size][opc];
	if (!d->mnemonic)
		return -EINVAL;
	d->size_log2 = (uint8_t)size;
	d->imm = hvx_sext(fld(w, 20, 12), 9);
	d->store = opc == 0;
	d->load = !d->store;
	d->release = d->store;
	d->acquire = d->load;
	d->sign_extend = opc >= 2;
	d->reg64 = opc == 2 || (opc < 2 && size == 3);
	d->op = d->store ? INSN_OP_STORE : INSN_OP_LOAD;
	d->nregs = 1;
	d->nbytes = 1u << size;
	set_iss_single(d);
	return 0;
}

/* C4.1.x "Load register (pac)" (FEAT_PAuth): LDRAA/LDRAB. */
static int h_pac(uint32_t w, struct insn *d)
{
	unsigned s = fld(w, 22, 22);

	regs_common(w, d);
	d->pac_key_b = fld(w, 23, 23);
	d->mnemonic = d->pac_key_b ? "LDRAB" : "LDRAA";
	d->imm = hvx_sext((s << 9) | fld(w, 20, 12), 10) * 8;
	d->writeback = fld(w, 11, 11);
	d->load = true;
	d->op = INSN_OP_LOAD;
	d->size_log2 = 3;
	d->reg64 = true;
	d->nregs = 1;
	d->nbytes = 8;
	wb_overlap(d);
	single_gpr_iss(d);
	return 0;
}

/* C4.1.x "Atomic memory operations", FEAT_LS64 rows. */
static int h_ls64(uint32_t w, struct insn *d)
{
	unsigned opc = fld(w, 14, 12);

	regs_common(w, d);
	if (d->rt >= 24 || (d->rt & 1))
		return -EINVAL;
	d->size_log2 = 3;
	d->reg64 = true;
	d->nregs = 8;
	d->nbytes = 64;
	d->isv_possible = true;
	switch (opc) {
	case 5: d->mnemonic = "LD64B"; d->load = true; d->iss.lst = 2; break;
	case 1: d->mnemonic = "ST64B"; d->store = true; d->iss.lst = 2; break;
	case 3: d->mnemonic = "ST64BV"; d->store = true; d->iss.lst = 1;
		d->rs = (uint8_t)fld(w, 20, 16); break;
	default: d->mnemonic = "ST64BV0"; d->store = true; d->iss.lst = 3;
		d->rs = (uint8_t)fld(w, 20, 16); break;
	}
	d->op = d->load ? INSN_OP_LOAD : INSN_OP_STORE;
	d->iss.wnr = d->store;
	d->iss.srt = d->rt;
	d->iss.sas = 3;
	d->iss.sf = true;
	return 0;
}

/*
 * Post-indexed SIMD structure forms (C4.1.x "Advanced SIMD load/store
 * multiple/single structures (post-indexed)"): Rm = 31 selects the
 * immediate form, whose offset is the number of bytes transferred;
 * otherwise Xm is added. d->nbytes must be set.
 */
static void simd_post_index(uint32_t w, struct insn *d)
{
	d->writeback = d->postindex = true;
	d->rm = (uint8_t)fld(w, 20, 16);
	if (d->rm == 31) {
		d->imm_from_rm = true;
		d->imm = d->nbytes;
	} else {
		d->index_reg = true;
		d->extend = INSN_EXT_LSL;
	}
}

/* C4.1.x "Advanced SIMD load/store multiple structures (post-indexed)". */
static int h_simd_mult(uint32_t w, struct insn *d)
{
	static const uint8_t rpt[16] = { [0] = 1, [2] = 4, [4] = 1, [6] = 3,
		[7] = 1, [8] = 1, [10] = 2 };
	static const uint8_t sel[16] = { [0] = 4, [2] = 1, [4] = 3, [6] = 1,
		[7] = 1, [8] = 2, [10] = 1 };
	static const char *const ld[5] = { NULL, "LD1", "LD2", "LD3", "LD4" };
	static const char *const st[5] = { NULL, "ST1", "ST2", "ST3", "ST4" };
	unsigned opcode = fld(w, 15, 12), size = fld(w, 11, 10);
	unsigned l = fld(w, 22, 22);

	regs_common(w, d);
	d->simd = true;
	d->q = fld(w, 30, 30);
	if (!rpt[opcode])
		return -EINVAL;
	d->selem = sel[opcode];
	d->nregs = (uint8_t)(rpt[opcode] * sel[opcode]);
	if (size == 3 && !d->q && d->selem != 1)
		return -EINVAL;
	d->size_log2 = (uint8_t)size;
	d->elems = (uint8_t)((d->q ? 16 : 8) >> size);
	d->nbytes = (unsigned)d->nregs * (d->q ? 16u : 8u);
	d->load = l; d->store = !l;
	d->op = l ? INSN_OP_LOAD : INSN_OP_STORE;
	d->mnemonic = l ? ld[d->selem] : st[d->selem];
	if (d->cls == INSN_C_SIMD_MULT_POST)
		simd_post_index(w, d);
	return 0;
}

/* C4.1.x "Advanced SIMD load/store single structure (post-indexed)". */
static int h_simd_single(uint32_t w, struct insn *d)
{
	static const char *const ld[5] = { NULL, "LD1", "LD2", "LD3", "LD4" };
	static const char *const ldr[5] = { NULL, "LD1R", "LD2R", "LD3R", "LD4R" };
	static const char *const st[5] = { NULL, "ST1", "ST2", "ST3", "ST4" };
	unsigned opcode = fld(w, 15, 13), s = fld(w, 12, 12), size = fld(w, 11, 10);
	unsigned l = fld(w, 22, 22), r = fld(w, 21, 21), q = fld(w, 30, 30);
	unsigned scale = opcode >> 1, index = 0;

	regs_common(w, d);
	d->simd = true;
	d->q = q;
	d->selem = (uint8_t)((((opcode & 1) << 1) | r) + 1);
	switch (scale) {
	case 3:
		if (!l || s)
			return -EINVAL;
		scale = size;
		d->replicate = true;
		break;
	case 0:
		index = (q << 3) | (s << 2) | size;
		break;
	case 1:
		if (size & 1)
			return -EINVAL;
		index = (q << 2) | (s << 1) | (size >> 1);
		break;
	default:
		if (size & 2)
			return -EINVAL;
		if (!(size & 1)) {
			index = (q << 1) | s;
		} else {
			if (s)
				return -EINVAL;
			index = q;
			scale = 3;
		}
		break;
	}
	d->size_log2 = (uint8_t)scale;
	d->lane = (uint8_t)index;
	d->nregs = d->selem;
	d->nbytes = (unsigned)d->selem << scale;
	d->load = l; d->store = !l;
	d->op = l ? INSN_OP_LOAD : INSN_OP_STORE;
	d->mnemonic = d->replicate ? ldr[d->selem] : l ? ld[d->selem] : st[d->selem];
	if (d->cls == INSN_C_SIMD_SINGLE_POST)
		simd_post_index(w, d);
	return 0;
}

/* C5.3 DC ZVA / DC <op>, Xt (SYS #op1, C7, Cm, #op2). Bits [20:5] select. */
static int h_dc(uint32_t w, struct insn *d)
{
	d->rt = (uint8_t)fld(w, 4, 0);
	d->rn = d->rt;
	d->nregs = 0;
	if ((w & 0xffffffe0u) == 0xd50b7420u) {	/* op1=3 CRm=4 op2=1 */
		d->mnemonic = "DC ZVA";
		d->op = INSN_OP_ZVA;
		d->store = true;
		d->size_log2 = 6;
		d->nbytes = INSN_DCZVA_BYTES;
		return 0;
	}
	d->mnemonic = "DC";
	d->op = INSN_OP_DCMAINT;
	d->no_access = true;
	return 0;
}

/* Most specific rows first. */
static const struct insn_row rows[] = {
	/* DC ZVA, DC IVAC/CVAC/CVAU/CIVAC/CVAP/CVADP (C5.3.x) */
	{ 0xffffffe0, 0xd50b7420, INSN_C_DC, h_dc, "C5.3 DC ZVA" },
	{ 0xffffffe0, 0xd5087620, INSN_C_DC, h_dc, "C5.3 DC IVAC" },
	{ 0xffffffe0, 0xd50b7a20, INSN_C_DC, h_dc, "C5.3 DC CVAC" },
	{ 0xffffffe0, 0xd50b7b20, INSN_C_DC, h_dc, "C5.3 DC CVAU" },
	{ 0xffffffe0, 0xd50b7c20, INSN_C_DC, h_dc, "C5.3 DC CVAP" },
	{ 0xffffffe0, 0xd50b7d20, INSN_C_DC, h_dc, "C5.3 DC CVADP" },
	{ 0xffffffe0, 0xd50b7e20, INSN_C_DC, h_dc, "C5.3 DC CIVAC" },
	/* FEAT_LS64 rows of "Atomic memory operations" */
	{ 0xfffffc00, 0xf83f9000, INSN_C_LS64, h_ls64, "C4.1 Atomic memory operations (ST64B)" },
	{ 0xfffffc00, 0xf83fd000, INSN_C_LS64, h_ls64, "C4.1 Atomic memory operations (LD64B)" },
	{ 0xffe0fc00, 0xf820b000, INSN_C_LS64, h_ls64, "C4.1 Atomic memory operations (ST64BV)" },
	{ 0xffe0fc00, 0xf820a000, INSN_C_LS64, h_ls64, "C4.1 Atomic memory operations (ST64BV0)" },
	{ 0x3ffffc00, 0x38bfc000, INSN_C_LDAPR, h_ldapr, "C4.1 Atomic memory operations (LDAPR)" },
	{ 0x3f200c00, 0x38200000, INSN_C_ATOMIC, h_atomic, "C4.1 Atomic memory operations" },
	{ 0xff200400, 0xf8200400, INSN_C_PAC, h_pac, "C4.1 Load register (pac)" },
	{ 0x3b200c00, 0x38200800, INSN_C_REGOFF, h_regoff, "C4.1 Load/store register (register offset)" },
	{ 0x3b200000, 0x38000000, INSN_C_UNSCALED, h_imm9, "C4.1 Load/store register (unscaled immediate/post-indexed/unprivileged/pre-indexed)" },
	{ 0x3b000000, 0x39000000, INSN_C_UIMM, h_uimm, "C4.1 Load/store register (unsigned immediate)" },
	{ 0x3b000000, 0x18000000, INSN_C_LIT, h_lit, "C4.1 Load register (literal)" },
	{ 0x3f200c00, 0x19000000, INSN_C_RCPC_UNSCALED, h_rcpc2, "C4.1 LDAPR/STLR (unscaled immediate)" },
	{ 0x3a000000, 0x28000000, INSN_C_PAIR_OFF, h_pair, "C4.1 Load/store register pair (offset/pre/post) and no-allocate pair" },
	{ 0x3f000000, 0x08000000, INSN_C_EXCL, h_excl, "C4.1 Load/store exclusive, ordered, compare and swap" },
	{ 0xbfbf0000, 0x0c000000, INSN_C_SIMD_MULT, h_simd_mult, "C4.1 Advanced SIMD load/store multiple structures" },
	{ 0xbfa00000, 0x0c800000, INSN_C_SIMD_MULT_POST, h_simd_mult, "C4.1 Advanced SIMD load/store multiple structures (post-indexed)" },
	{ 0xbf9f0000, 0x0d000000, INSN_C_SIMD_SINGLE, h_simd_single, "C4.1 Advanced SIMD load/store single structure" },
	{ 0xbf800000, 0x0d800000, INSN_C_SIMD_SINGLE_POST, h_simd_single, "C4.1 Advanced SIMD load/store single structure (post-indexed)" },
};

int insn_decode(uint32_t word, struct insn *out)
{
	size_t i;
	int r;

	memset(out, 0, sizeof(*out));
	out->word = word;
	for (i = 0; i < HVX_ARRAY_SIZE(rows); i++) {
		if ((word & rows[i].mask) != rows[i].value)
			continue;
		out->cls = rows[i].cls;
		out->ref = rows[i].ref;
		r = rows[i].fn(word, out);
		if (r) {
			enum insn_class c = out->cls;
			const char *ref = out->ref;

			memset(out, 0, sizeof(*out));
			out->word = word;
			out->cls = c;
			out->ref = ref;
			out->mnemonic = "UNALLOCATED";
		}
		return r;
	}
	out->mnemonic = "";
	return -ENOENT;
}

static const char *const class_names[INSN_C_COUNT] = {
	[INSN_C_NONE] = "none", [INSN_C_LIT] = "literal", [INSN_C_UIMM] = "uimm",
	[INSN_C_UNSCALED] = "unscaled", [INSN_C_POST] = "post", [INSN_C_PRE] = "pre",
	[INSN_C_REGOFF] = "regoff", [INSN_C_UNPRIV] = "unpriv",
	[INSN_C_PAIR_NA] = "pair_na", [INSN_C_PAIR_OFF] = "pair_off",
	[INSN_C_PAIR_POST] = "pair_post", [INSN_C_PAIR_PRE] = "pair_pre",
	[INSN_C_ORDERED] = "ordered", [INSN_C_EXCL] = "excl",
	[INSN_C_EXCL_PAIR] = "excl_pair", [INSN_C_CAS] = "cas", [INSN_C_CASP] = "casp",
	[INSN_C_ATOMIC] = "atomic", [INSN_C_LDAPR] = "ldapr",
	[INSN_C_RCPC_UNSCALED] = "rcpc_unscaled", [INSN_C_PAC] = "pac",
	[INSN_C_LS64] = "ls64", [INSN_C_SIMD_MULT] = "simd_mult",
	[INSN_C_SIMD_MULT_POST] = "simd_mult_post", [INSN_C_SIMD_SINGLE] = "simd_single",
	[INSN_C_SIMD_SINGLE_POST] = "simd_single_post", [INSN_C_DC] = "dc",
};

const char *insn_class_name(enum insn_class c)
{
	if ((unsigned)c >= INSN_C_COUNT || !class_names[c])
		return "?";
	return class_names[c];
}

const char *insn_class_ref(enum insn_class c)
{
	size_t i;

	for (i = 0; i < HVX_ARRAY_SIZE(rows); i++)
		if (rows[i].cls == c)
			return rows[i].ref;
	return "C4.1 Loads and Stores";
}
