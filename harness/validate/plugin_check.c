/*
 * Reference answers, field comparison and random cases for plugin
 * validation (see harness/plugin_check.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "harness/util/rng.h"
#include "harness/validate/dabt_space.h"
#include "harness/validate/plugin_check.h"
#include "hvexit/esr.h"
#include "hvexit/esr_load.h"

/* Arm ARM D24.2.46 ESR_EL2, ISS encoding for an exception from a Data
 * Abort: one rule per field of struct hvx_dabt. */
const struct check_field check_dabt_fields[DF_COUNT] = {
	[DF_RETURN] = { "return", "D24.2.46 EC[31:26] 0x24: a guest's Data Abort decodes; "
			"ISV=0 (no instruction syndrome) and EC 0x25 (an abort of EL2 "
			"itself) may be refused" },
	[DF_VALID]  = { "valid", "D24.2.46 ISS[24] ISV: instruction syndrome valid" },
	[DF_LEN]    = { "len", "D24.2.46 ISS[23:22] SAS: access size = 1 << SAS bytes" },
	[DF_IS_WRITE] = { "is_write", "D24.2.46 ISS[6] WnR: 1 write, 0 read (S1PTW=1 "
			  "does not set it: a walk's write permission is a separate matter)" },
	[DF_SSE]    = { "sign_extend", "D24.2.46 ISS[21] SSE: load sign-extends" },
	[DF_RT]     = { "rt", "D24.2.46 ISS[20:16] SRT: register number, 31 = XZR/WZR" },
	[DF_SF]     = { "sixty_four", "D24.2.46 ISS[15] SF: 64-bit register (with ISV=1)" },
	[DF_AR]     = { "acq_rel", "D24.2.46 ISS[14] AR: acquire/release semantics" },
	[DF_S1PTW]  = { "s1ptw", "D24.2.46 ISS[7] S1PTW: stage 2 fault on a stage 1 walk" },
	[DF_DFSC]   = { "dfsc", "D24.2.46 ISS[5:0] DFSC: the 6-bit fault status code" },
};

const struct check_field check_load_fields[LF_COUNT] = {
	[LF_RETURN] = { "return", "C6.2 LDR* with Rt=31: XZR/WZR, the load result is "
			"discarded (return 1 = HVX_MMIO_NO_WRITE); otherwise Xt is "
			"written (return 0)" },
	[LF_VALUE]  = { "rt_value", "D24.2.46 SAS/SSE/SF and C6.2 LDR*: data = bus[8<<SAS-1:0]; "
			"SSE=1: sign-extend to 64 (SF=1) or to 32 with [63:32]=0 "
			"(SF=0); SSE=0: zero-extend; a Wt write zeroes [63:32]" },
};

void check_ref_decode_dabt(uint64_t esr, int *rc, struct hvx_dabt *out)
{
	struct esr_dabt d;

	*out = (struct hvx_dabt){ 0 };
	*rc = esr_decode_dabt(esr, &d);
	if (*rc < 0)
		return;
	*out = (struct hvx_dabt){
		.valid = d.isv, .len = 1u << d.sas, .is_write = d.wnr,
		.sign_extend = d.sse, .rt = d.srt, .sixty_four = d.sf,
		.acq_rel = d.ar, .s1ptw = d.s1ptw, .dfsc = d.dfsc,
	};
}

/* check_put into a table char (*s)[N] */
#define put(s, i, ...) check_put((s) ? (s)[0] : NULL, sizeof((s)[0]), (i), __VA_ARGS__)

void check_put(char *s, size_t width, unsigned i, const char *fmt, ...)
{
	va_list ap;

	if (!s)
		return;
	va_start(ap, fmt);
	vsnprintf(s + i * width, width, fmt, ap);
	va_end(ap);
}

static void put_rc(char (*s)[32], unsigned i, int rc)
{
	if (s)
		snprintf(s[i], sizeof(s[i]), "%s (%d)", rc < 0 ? "refused" :
			 rc == 0 ? "ok" : "positive", rc);
}

unsigned check_cmp_dabt(uint64_t esr, int ref_rc, const struct hvx_dabt *ref,
			int act_rc, const struct hvx_dabt *act,
			unsigned *compared, char (*exp_s)[32], char (*act_s)[32])
{
	unsigned fail = 0, cmp = 1u << DF_RETURN;
	/* ISV=0 aborts are not emulated from the syndrome by many
	 * hypervisors; EC 0x25 is never a guest's access */
	int may_refuse = ref_rc == 0 && (!ref->valid || esr_ec(esr) == ESR_EC_DABT_CUR);

	put_rc(exp_s, DF_RETURN, ref_rc);
	put_rc(act_s, DF_RETURN, act_rc);
	if ((ref_rc < 0) != (act_rc < 0) && !(may_refuse && act_rc < 0))
		fail |= 1u << DF_RETURN;
	else if (ref_rc >= 0 && act_rc > 0)
		fail |= 1u << DF_RETURN;	/* no positive value defined */
	if (ref_rc < 0 || act_rc != 0) {
		*compared = cmp;
		return fail;
	}
#define BOOLF(F, m) do { cmp |= 1u << F; put(exp_s, F, "%d", !!ref->m); \
	put(act_s, F, "%d", !!act->m); if (!ref->m != !act->m) fail |= 1u << F; } while (0)
#define UF(F, m, fmt) do { cmp |= 1u << F; put(exp_s, F, fmt, ref->m); \
	put(act_s, F, fmt, act->m); if (ref->m != act->m) fail |= 1u << F; } while (0)
	BOOLF(DF_VALID, valid);
	BOOLF(DF_IS_WRITE, is_write);
	BOOLF(DF_S1PTW, s1ptw);
	UF(DF_DFSC, dfsc, "0x%02x");
	if (ref->valid) {
		UF(DF_LEN, len, "%u");
		BOOLF(DF_SSE, sign_extend);
		UF(DF_RT, rt, "%u");
		BOOLF(DF_SF, sixty_four);
		BOOLF(DF_AR, acq_rel);
	}
#undef BOOLF
#undef UF
	*compared = cmp;
	return fail;
}

void check_ref_mmio_load(uint64_t esr, uint64_t bus, int *rc, uint64_t *val)
{
	int r = esr_dabt_load_value(esr, bus, val);

	*rc = r < 0 ? r : r == 1 ? 0 : HVX_MMIO_NO_WRITE;
	if (*rc)
		*val = 0;
}

unsigned check_cmp_load(int ref_rc, uint64_t ref_val, int act_rc,
			uint64_t act_val, unsigned *compared,
			char (*exp_s)[32], char (*act_s)[32])
{
	unsigned fail = 0;

	*compared = 1u << LF_RETURN;
	if (exp_s)
		snprintf(exp_s[LF_RETURN], 32, "%d (%s)", ref_rc,
			 ref_rc == 0 ? "Xt written" : ref_rc == 1 ? "no write" : "refused");
	if (act_s)
		snprintf(act_s[LF_RETURN], 32, "%d (%s)", act_rc,
			 act_rc == 0 ? "Xt written" : act_rc == 1 ? "no write" :
			 act_rc < 0 ? "refused" : "undefined");
	if (ref_rc != act_rc && !(ref_rc < 0 && act_rc < 0))
		fail |= 1u << LF_RETURN;
	if (ref_rc == 0 && act_rc == 0) {
		*compared |= 1u << LF_VALUE;
		put(exp_s, LF_VALUE, "0x%016llx", (unsigned long long)ref_val);
		put(act_s, LF_VALUE, "0x%016llx", (unsigned long long)act_val);
		if (ref_val != act_val)
			fail |= 1u << LF_VALUE;
	}
	return fail;
}

int check_load_domain(uint64_t esr)
{
	struct esr_dabt d;

	int cls;

	if (esr_decode_dabt(esr, &d) < 0)
		return 0;
	/* one of the load classes (C6.2 LDR*, dabt_space.c) */
	cls = dabt_class_of(&d);
	return cls >= 0 && cls < DCLS_NLOADS;
}

void check_gen_load(uint64_t *s, uint64_t *esr, uint64_t *bus)
{
	*esr = dabt_gen_possible(s, true);
	*bus = dabt_gen_bus(s, (unsigned)hvx_bits(*esr, 23, 22));
}

void check_describe_esr(uint64_t esr, char *buf, unsigned len)
{
	struct esr_dabt d;

	if (esr_decode_dabt(esr, &d) < 0) {
		snprintf(buf, len, "EC=0x%02x (not a data abort) IL=%d ISS=0x%07x",
			 esr_ec(esr), esr_il(esr), esr_iss(esr));
		return;
	}
	snprintf(buf, len, "EC=0x%02x IL=%d ISV=%d SAS=%u SSE=%d SRT=%u SF/FnP=%d "
		 "AR=%d S1PTW=%d WnR=%d DFSC=0x%02x%s", d.ec, d.il, d.isv, d.sas,
		 d.sse, d.srt, d.isv ? d.sf : d.fnp, d.ar, d.s1ptw, d.wnr, d.dfsc,
		 esr_iss2(esr) || (esr >> 56) ? " ISS2/RES0 bits set" : "");
}

/* ---- the cause of a wrong load value ---------------------------------- */

const char *check_load_cause(uint64_t esr, uint64_t bus, uint64_t old,
			     uint64_t expected, uint64_t actual, char *buf,
			     unsigned len)
{
	struct esr_dabt d;
	unsigned bits;
	uint64_t data, zext, sext;

	if (esr_decode_dabt(esr, &d) < 0) {
		snprintf(buf, len, "value");
		return buf;
	}
	bits = 8u << d.sas;
	data = bits == 64 ? bus : bus & ((UINT64_C(1) << bits) - 1);
	zext = data;
	sext = (uint64_t)hvx_sext(data, bits);
	if (d.sse && actual == zext && expected != zext)
		snprintf(buf, len, "sign-extension-lost");
	else if (d.sse && !d.sf && actual == sext)
		snprintf(buf, len, "sign-extended-to-64");
	else if (!d.sse && actual == sext && sext != zext)
		snprintf(buf, len, "extended-unsigned-load");
	else if (bits < 64 && (actual == bus || actual == (uint32_t)bus) &&
		 bus != data)
		snprintf(buf, len, "bus-bits-above-size");
	else if (!d.sf && (uint32_t)actual == (uint32_t)expected &&
		 actual >> 32 == old >> 32 && old >> 32)
		snprintf(buf, len, "w-upper-kept");
	else
		snprintf(buf, len, "value SAS=%u SSE=%d SF=%d", d.sas, d.sse, d.sf);
	return buf;
}

/* ---- mmio_load_regs ---------------------------------------------------- */

const struct check_field check_load_regs_fields[RF_COUNT] = {
	[RF_RETURN] = { "return", "plugin.h mmio_load_regs: a load syndrome (ISV=1, WnR=0) "
			"is completed (return 0); refusing it is a finding" },
	[RF_XT]     = { "rt_value", "D24.2.46 SAS/SSE/SF/SRT and C6.2 LDR*: X[SRT] = data "
			"(bus[8<<SAS-1:0]) sign-extended (SSE=1) to 64 (SF=1) or 32 "
			"bits with [63:32]=0 (SF=0), else zero-extended; SRT=31 is "
			"XZR/WZR: nothing is written" },
	[RF_OTHER]  = { "other_regs", "C6.2 LDR*: a load writes only its transfer register "
			"X[t]; every other general-purpose register is unchanged "
			"(SRT=31 writes none)" },
	[RF_SP]     = { "sp", "C6.2 LDR*: Rt=31 names XZR/WZR, never SP; a load without "
			"writeback leaves SP unchanged" },
	[RF_PC]     = { "pc", "plugin.h mmio_load_regs: PC unchanged (advanced elsewhere) "
			"or PC+4 (IL=1, D24.2.46: a 32-bit instruction)" },
	[RF_PSTATE] = { "pstate", "C6.2 LDR*: a load does not change PSTATE" },
};

static void put64(char (*s)[32], unsigned i, uint64_t v)
{
	put(s, i, "0x%016llx", (unsigned long long)v);
}

unsigned check_cmp_load_regs(uint64_t esr, uint64_t bus, const struct hvx_regs *in,
			     int act_rc, const struct hvx_regs *out,
			     unsigned *compared, char (*exp_s)[32], char (*act_s)[32])
{
	int ref_rc;
	uint64_t val = 0;
	struct hvx_regs ref = *in;
	unsigned fail = 0, srt = (unsigned)hvx_bits(esr, 20, 16);

	check_ref_mmio_load(esr, bus, &ref_rc, &val);
	*compared = 1u << RF_RETURN;
	put(exp_s, RF_RETURN, "0 (completed)");
	put_rc(act_s, RF_RETURN, act_rc);
	if (act_rc != 0)
		return 1u << RF_RETURN;
	if (ref_rc == 0)
		ref.x[srt] = val;
	*compared |= 1u << RF_XT | 1u << RF_OTHER | 1u << RF_SP | 1u << RF_PC |
		     1u << RF_PSTATE;
	if (srt < 31) {
		put64(exp_s, RF_XT, ref.x[srt]);
		put64(act_s, RF_XT, out->x[srt]);
		fail |= (unsigned)(ref.x[srt] != out->x[srt]) << RF_XT;
	} else {
		put(exp_s, RF_XT, "no write (XZR)");
		put(act_s, RF_XT, "no write (XZR)");
	}
	put(exp_s, RF_OTHER, "unchanged");
	put(act_s, RF_OTHER, "unchanged");
	for (unsigned i = 0; i < 31; i++) {
		if (i == srt || ref.x[i] == out->x[i])
			continue;
		put(act_s, RF_OTHER, "x%u=0x%llx", i, (unsigned long long)out->x[i]);
		put(exp_s, RF_OTHER, "x%u=0x%llx", i, (unsigned long long)ref.x[i]);
		fail |= 1u << RF_OTHER;
		break;
	}
	put64(exp_s, RF_SP, ref.sp);
	put64(act_s, RF_SP, out->sp);
	fail |= (unsigned)(ref.sp != out->sp) << RF_SP;
	put(exp_s, RF_PC, "0x%llx or +4", (unsigned long long)ref.pc);
	put64(act_s, RF_PC, out->pc);
	fail |= (unsigned)(out->pc != ref.pc && out->pc != ref.pc + 4) << RF_PC;
	put64(exp_s, RF_PSTATE, ref.pstate);
	put64(act_s, RF_PSTATE, out->pstate);
	fail |= (unsigned)(ref.pstate != out->pstate) << RF_PSTATE;
	return fail;
}

void check_gen_regs(uint64_t *s, uint64_t esr, uint64_t bus, struct hvx_regs *r)
{
	int rc;
	uint64_t val = 0;
	unsigned srt = (unsigned)hvx_bits(esr, 20, 16);

	for (unsigned i = 0; i < 31; i++)
		r->x[i] = util_rng_next(s);
	r->sp = util_rng_next(s) & ~UINT64_C(15);
	r->pc = (util_rng_next(s) & ~UINT64_C(3)) & UINT64_C(0x0000ffffffffffff);
	r->pstate = 0x3c5;	/* SPSR_EL2: EL1h, DAIF masked */
	check_ref_mmio_load(esr, bus, &rc, &val);
	if (rc == 0 && srt < 31 && r->x[srt] == val)
		r->x[srt] = ~val;	/* the write must be visible */
}
