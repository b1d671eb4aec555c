/*
 * hvexit oracle syndromes, system-register traps: each row names a trap
 * control of HCR_EL2 (D24.2.62), MDCR_EL2 (D24.3.17) or CPTR_EL2
 * (D24.2.38) and an EL1 instruction it traps. Every row runs with the
 * control set (the instruction must trap to EL2 with the syndrome the
 * Arm ARM gives: EC 0x18 with the instruction's encoding, EC 0x01 for
 * WFx, EC 0x07 for FP; and hvexit's decoder must name the register that
 * was accessed) and, for reads and FP, with it clear (it must not trap).
 */
#include <inttypes.h>
#include <string.h>

#include "harness/oracle/check.h"
#include "harness/oracle/classify.h"
#include "harness/oracle/syn.h"
#include "hvexit/esr.h"
#include "hvexit/sysreg.h"

enum trap_kind { TK_MRS, TK_MSR, TK_SYS, TK_WFI, TK_WFE, TK_FP };

enum { TRAP_MAX_REGS = 12 };

/* A trap control and the accesses it traps, each a case of its own. */
struct trap_row {
	enum oracle_reg ctl;	/* ORC_HCR, ORC_MDCR or ORC_CPTR */
	unsigned bit;
	const char *control;	/* "HCR_EL2.TVM" */
	enum trap_kind kind;
	const char *regs[TRAP_MAX_REGS];	/* registers or SYS aliases it traps;
						 * none for WFx/FP */
};

static const struct trap_row rows[] = {
	/* HCR_EL2.TVM [26]: writes of the EL1 virtual-memory controls */
	{ ORC_HCR, 26, "HCR_EL2.TVM", TK_MSR, { "SCTLR_EL1", "TTBR0_EL1", "TTBR1_EL1",
	  "TCR_EL1", "ESR_EL1", "FAR_EL1", "AFSR0_EL1", "AFSR1_EL1", "MAIR_EL1", "AMAIR_EL1",
	  "CONTEXTIDR_EL1" } },
	/* HCR_EL2.TRVM [30]: reads of the same */
	{ ORC_HCR, 30, "HCR_EL2.TRVM", TK_MRS, { "SCTLR_EL1", "TTBR0_EL1", "TCR_EL1", "ESR_EL1",
	  "FAR_EL1", "MAIR_EL1", "CONTEXTIDR_EL1" } },
	/* HCR_EL2.TID1 [16], TID2 [17], TID3 [18]: ID groups 1, 2, 3 */
	{ ORC_HCR, 16, "HCR_EL2.TID1", TK_MRS, { "REVIDR_EL1", "AIDR_EL1" } },
	{ ORC_HCR, 17, "HCR_EL2.TID2", TK_MRS, { "CTR_EL0", "CCSIDR_EL1", "CLIDR_EL1",
	  "CSSELR_EL1" } },
	{ ORC_HCR, 18, "HCR_EL2.TID3", TK_MRS, { "ID_AA64PFR0_EL1", "ID_AA64PFR1_EL1",
	  "ID_AA64DFR0_EL1", "ID_AA64ISAR0_EL1", "ID_AA64ISAR1_EL1", "ID_AA64MMFR0_EL1",
	  "ID_AA64MMFR1_EL1", "ID_AA64MMFR2_EL1", "ID_PFR0_EL1", "MVFR0_EL1" } },
	/* HCR_EL2.TACR [21]: ACTLR_EL1 */
	{ ORC_HCR, 21, "HCR_EL2.TACR", TK_MRS, { "ACTLR_EL1" } },
	/* HCR_EL2.TSW [22]: data cache maintenance by set/way */
	{ ORC_HCR, 22, "HCR_EL2.TSW", TK_SYS, { "DC ISW", "DC CSW", "DC CISW" } },
	/* HCR_EL2.TPCP [23] (TPC): data cache maintenance to the PoC */
	{ ORC_HCR, 23, "HCR_EL2.TPCP", TK_SYS, { "DC CIVAC", "DC CVAC", "DC IVAC" } },
	/* HCR_EL2.TPU [24]: cache maintenance to the PoU */
	{ ORC_HCR, 24, "HCR_EL2.TPU", TK_SYS, { "IC IALLU", "IC IALLUIS", "DC CVAU" } },
	/* HCR_EL2.TTLB [25]: TLB maintenance */
	{ ORC_HCR, 25, "HCR_EL2.TTLB", TK_SYS, { "TLBI VMALLE1", "TLBI VMALLE1IS", "TLBI VAE1",
	  "TLBI ASIDE1" } },
	/* HCR_EL2.TWI [13], TWE [14] */
	{ ORC_HCR, 13, "HCR_EL2.TWI", TK_WFI, { NULL } },
	{ ORC_HCR, 14, "HCR_EL2.TWE", TK_WFE, { NULL } },
	/* MDCR_EL2.TDA [9], TDOSA [10], TDRA [11], TPM [6], TPMCR [5] */
	{ ORC_MDCR, 9, "MDCR_EL2.TDA", TK_MRS, { "MDSCR_EL1", "DBGBVR0_EL1", "DBGWCR0_EL1" } },
	{ ORC_MDCR, 10, "MDCR_EL2.TDOSA", TK_MRS, { "OSLSR_EL1", "OSDLR_EL1" } },
	{ ORC_MDCR, 10, "MDCR_EL2.TDOSA", TK_MSR, { "OSLAR_EL1" } },
	{ ORC_MDCR, 11, "MDCR_EL2.TDRA", TK_MRS, { "MDRAR_EL1" } },
	{ ORC_MDCR, 6, "MDCR_EL2.TPM", TK_MRS, { "PMCCNTR_EL0", "PMSELR_EL0", "PMUSERENR_EL0" } },
	{ ORC_MDCR, 5, "MDCR_EL2.TPMCR", TK_MRS, { "PMCR_EL0" } },
	/* CPTR_EL2.TCPAC [31], TFP [10] (HCR_EL2.E2H = 0) */
	{ ORC_CPTR, 31, "CPTR_EL2.TCPAC", TK_MRS, { "CPACR_EL1" } },
	{ ORC_CPTR, 10, "CPTR_EL2.TFP", TK_FP, { NULL } },
};

static int lookup(const char *name, bool sys, uint32_t *enc)
{
	const char *n;

	if (!sys)
		return sysreg_lookup(name, enc);
	for (size_t i = 0; i < sysreg_sys_count(); i++)
		if (!sysreg_sys_at(i, enc, &n) && !strcmp(n, name))
			return 0;
	return -ENOENT;
}

/* The instruction word of a row's access to reg with Xt = X1 (C6.2 MRS/MSR/SYS encodings:
 * [20:19] op0, [18:16] op1, [15:12] CRn, [11:8] CRm, [7:5] op2). */
static int row_word(const struct trap_row *t, const char *reg, uint32_t *word, uint32_t *enc)
{
	*enc = 0;
	switch (t->kind) {
	case TK_WFI: *word = 0xd503207f; return 0;
	case TK_WFE: *word = 0xd503205f; return 0;
	case TK_FP: *word = 0x9e670020; return 0;	/* FMOV D0, X1 */
	default: break;
	}
	if (lookup(reg, t->kind == TK_SYS, enc))
		return -ENOENT;
	*word = (t->kind == TK_MRS ? 0xd5200000u : 0xd5000000u) | *enc << 5 | 1;
	return 0;
}

/* ESR_EL2 the Arm ARM gives for the trapped instruction (D24.2.46): EC
 * 0x18 with Op0/Op2/Op1/CRn/Rt/CRm/Direction; EC 0x01 with TI (WFI 00,
 * WFE 01) and EC 0x07, both with CV 1 and COND 0b1110 ("for exceptions
 * taken from AArch64"); IL 1. */
static uint64_t row_esr(const struct trap_row *t, uint32_t enc)
{
	struct esr_sys64 s = { .op0 = (uint8_t)(enc >> 14 & 3), .op1 = (uint8_t)(enc >> 11 & 7),
			       .crn = (uint8_t)(enc >> 7 & 15), .crm = (uint8_t)(enc >> 3 & 15),
			       .op2 = (uint8_t)(enc & 7), .rt = 1, .dir_read = t->kind == TK_MRS };
	struct esr_wfx w = { .cv = true, .cond = 0xe, .ti = t->kind == TK_WFE };

	switch (t->kind) {
	case TK_WFI:
	case TK_WFE:
		return esr_build_wfx(&w);
	case TK_FP:
		return (uint64_t)ESR_EC_FP_ASIMD << 26 | 1u << 25 | 1u << 24 | 0xeu << 20;
	default:
		return esr_build_sys64(&s);
	}
}

/* hvexit's decoder on the observed ESR: the register name it gives for
 * the trapped access ("" when it is not a sysreg trap). */
static void decoded_name(uint64_t esr, char *buf, size_t len)
{
	struct esr_sys64 s;
	const char *n = NULL;

	buf[0] = 0;
	if (esr_decode_sys64(esr, &s))
		return;
	uint32_t enc = sysreg_enc(s.op0, s.op1, s.crn, s.crm, s.op2);
	n = s.op0 == 1 ? sysreg_sys_name(enc) : sysreg_name(enc);
	snprintf(buf, len, "%s", n ? n : "?");
}

struct trap_case {
	const struct trap_row *row;
	const char *reg;	/* one of row->regs; NULL for WFx/FP */
	bool on;
	uint32_t word, enc;
	uint64_t id;
};

static void report_trap(struct report *r, const struct oracle_opts *o, const struct trap_case *c,
			const struct oracle_diff *d, const struct oracle_rec *rec,
			struct oracle_stats *st)
{
	const char *control = c->row->control;
	struct finding f = { 0 };
	struct oracle_verdict v;

	oracle_classify_trap(control, c->on, d, &v);
	finding_set(&f, where, "%s %s %s", control, c->on ? "set" : "clear",
		    c->reg ? c->reg : "");
	finding_set(&f, context, "insn 0x%08" PRIx32 " at EL1 with %s=%d", c->word, control, c->on);
	finding_set(&f, reproduce, "hvexit oracle syndromes --seed 0x%" PRIx64 " --cases 1",
		    o->seed);
	oracle_report_add(r, &f, "sysreg-trap", control, d, &v, rec, st);
}

static void judge(struct report *r, const struct oracle_opts *o, const struct trap_case *c,
		  const struct oracle_rec *rec, struct oracle_stats *st)
{
	char name[128], got[64];
	struct oracle_diff d = { NULL, 0, 0, -1 };
	uint64_t want = c->on ? row_esr(c->row, c->enc) : oracle_esr_hvc(1);

	snprintf(name, sizeof(name), "trap %s=%d %s", c->row->control, c->on,
		 c->reg ? c->reg : c->row->kind == TK_FP ? "FMOV" : "WFx");
	report_case_begin(r, "oracle.syndromes", name);
	st->cases++;
	st->checks++;
	if (rec->tag != 'R') {
		d = (struct oracle_diff){ "record", 'R', (uint64_t)(unsigned char)rec->tag, -1 };
	} else if (rec->esr != want) {
		d = (struct oracle_diff){ c->on ? "esr" : "trapped", want, rec->esr, -1 };
	} else if (c->on && c->reg) {
		decoded_name(rec->esr, got, sizeof(got));
		if (strcmp(got, c->reg))
			d = (struct oracle_diff){ "decoder.sysreg", c->enc, rec->esr, -1 };
	}
	if (d.field)
		report_trap(r, o, c, &d, rec, st);
	else
		st->agree++;
	report_case_end(r, REPORT_PASS, NULL);
}

/* The cases of row t's access to reg (NULL for WFx/FP), appended to c[*n]
 * and to batch b. Reads and FP run both ways; writes, maintenance and WFx
 * only with the trap on (without it they change EL1 state, need Stage-2
 * permissions of their own or wait for an event). -ENOENT for a register
 * the tables do not name. */
static int add_cases(struct oracle_batch *b, const struct oracle_ident *id,
		     const struct trap_row *t, const char *reg, struct trap_case *c, size_t *n)
{
	uint64_t base = t->ctl == ORC_HCR ? oracle_hcr(id) :
			t->ctl == ORC_CPTR ? ORC_CPTR_BASE : id->mdcr;
	uint32_t word, enc;

	if (row_word(t, reg, &word, &enc))
		return -ENOENT;
	for (int on = t->kind != TK_MRS && t->kind != TK_FP; on < 2; on++) {
		uint64_t v = on ? base | UINT64_C(1) << t->bit : base & ~(UINT64_C(1) << t->bit);

		oracle_batch_add(b, ORC_SET, t->ctl, v, 0);
		c[*n] = (struct trap_case){ t, reg, on, word, enc, 0 };
		c[*n].id = oracle_batch_run(b, word, 0);
		oracle_batch_add(b, ORC_SET, t->ctl, base, 0);
		oracle_batch_add(b, ORC_SET, ORC_SCTLR1, ORC_SCTLR1, 0);
		(*n)++;
	}
	return 0;
}

int oracle_syn_sysreg(const struct oracle_syn_env *e, const struct oracle_opts *o,
		      struct report *r, struct oracle_stats *st, char *err, size_t errlen)
{
	struct trap_case c[2 * TRAP_MAX_REGS * HVX_ARRAY_SIZE(rows)];
	struct oracle_batch b;
	struct oracle_out out;
	size_t n = 0;

	oracle_batch_init(&b);
	oracle_syn_prologue(e, &b);
	for (size_t i = 0; i < HVX_ARRAY_SIZE(rows); i++) {
		const struct trap_row *t = &rows[i];

		/* each register it traps; a row without one (WFx/FP) once */
		for (size_t j = 0; j == 0 || (j < TRAP_MAX_REGS && t->regs[j]); j++) {
			if (add_cases(&b, &e->id, t, t->regs[j], c, &n) < 0) {
				snprintf(err, errlen, "trap table: '%s' is not in the system "
					 "register table", t->regs[j]);
				oracle_batch_free(&b);
				return -ENOENT;
			}
		}
	}
	int rc = oracle_qemu_run(o->env, &b, &out, err, errlen);
	if (!rc)
		for (size_t i = 0; i < n; i++)
			judge(r, o, &c[i], &out.rec[c[i].id], st);
	oracle_out_free(&out);
	oracle_batch_free(&b);
	return rc;
}
