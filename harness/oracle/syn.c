/*
 * hvexit oracle syndromes, loads and stores: instruction words drawn from
 * the A64 load/store encoding space (uniformly, and class by class so that
 * rare classes are covered) run at EL1 with every register pointing into
 * IPA space that Stage 2 leaves unmapped. The Data Abort EL2 receives is
 * compared with hvexit's expectation: ISV and the instruction syndrome
 * from xcheck (our decoder, D24.2.46 ISV rules), DFSC from the Stage-2
 * model, FAR from the instruction's first access (insn_accesses), HPFAR
 * from that IPA (D24.2.76). System-register traps are in systrap.c.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "harness/oracle/check.h"
#include "harness/oracle/classify.h"
#include "harness/oracle/syn.h"
#include "harness/util/rng.h"
#include "hvexit/esr.h"
#include "hvexit/insn.h"
#include "hvexit/xcheck.h"

#define SYN_BASE UINT64_C(0x2000000)	/* every GPR and SP_EL1: unmapped IPA */
#define TEMPLATE_SCAN (1u << 21)

/* DC by-VA maintenance and DC ZVA with Rt = 0 (SYS, C5.3 "DC"): ZVA,
 * IVAC, CVAC, CVAU, CIVAC. */
static const uint32_t dc_words[] = { 0xd50b7420, 0xd5087620, 0xd50b7a20, 0xd50b7b20, 0xd50b7e20 };

/* One word of each class found in a scan of the encoding space, to vary
 * when random draws do not find a rare class. */
struct templates {
	uint32_t word[INSN_C_COUNT];
	bool have[INSN_C_COUNT];
};

static void scan_templates(struct templates *t, uint64_t seed)
{
	uint64_t rs = seed ^ UINT64_C(0x5851f42d4c957f2d);
	struct insn d;

	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < TEMPLATE_SCAN; i++) {
		uint32_t w = xcheck_ldst_word((uint32_t)util_rng_next(&rs) & 0x3fffffff);
		if (!insn_decode(w, &d) && !t->have[d.cls]) {
			t->word[d.cls] = w;
			t->have[d.cls] = true;
		}
	}
	t->word[INSN_C_DC] = dc_words[0];
	t->have[INSN_C_DC] = true;
}

/* Case `index`: even cases uniform over the load/store group, odd ones a
 * word of class 1 + (index / 2) % (classes - 1): a random draw of that
 * class, else the class template with new register fields (Rt [4:0],
 * Rn [9:5], Rs/Rm [20:16]) that still decodes to the class. */
static uint32_t oracle_syn_word(const struct templates *t, uint64_t seed, uint64_t index)
{
	uint64_t rs = seed ^ (index * UINT64_C(0x9e3779b97f4a7c15));
	struct insn d;

	util_rng_next(&rs);
	if (!(index & 1))
		return xcheck_ldst_word((uint32_t)util_rng_next(&rs) & 0x3fffffff);
	enum insn_class c = (enum insn_class)(1 + (index / 2) % (INSN_C_COUNT - 1));
	if (c == INSN_C_DC)
		return dc_words[util_rng_below(&rs, HVX_ARRAY_SIZE(dc_words))] |
		       util_rng_below(&rs, 31);
	for (unsigned i = 0; i < 4096; i++) {
		uint32_t w = xcheck_ldst_word((uint32_t)util_rng_next(&rs) & 0x3fffffff);
		if (!insn_decode(w, &d) && d.cls == c)
			return w;
	}
	if (!t->have[c])
		return xcheck_ldst_word((uint32_t)util_rng_next(&rs) & 0x3fffffff);
	for (unsigned i = 0; i < 64; i++) {
		uint32_t w = (t->word[c] & ~UINT32_C(0x1f03ff)) |
			     ((uint32_t)util_rng_next(&rs) & 0x1f03ff);
		if (!insn_decode(w, &d) && d.cls == c)
			return w;
	}
	return t->word[c];
}

struct syn_check {
	uint64_t case_idx, id;
	uint32_t word;
	int rc;			/* insn_decode() */
	struct insn d;
	uint64_t addr;		/* the first access's address */
	bool have_addr;
	uint8_t dfsc;		/* model: the fault at addr */
	bool mapped;		/* model: addr is mapped (the stub page) */
};

/* What the model says about one word (no record yet). */
static void expect_word(const struct oracle_syn_env *e, struct syn_check *k)
{
	struct insn_regs regs;
	struct insn_access acc[8];
	struct s2_result r;

	k->rc = insn_decode(k->word, &k->d);
	k->have_addr = false;
	if (k->rc)
		return;
	for (int i = 0; i < 31; i++)
		regs.x[i] = SYN_BASE;
	regs.sp = SYN_BASE;
	regs.pc = ORACLE_STUB_ENTRY;
	int n = insn_accesses(&k->d, &regs, acc, HVX_ARRAY_SIZE(acc));
	if (n > 0) {
		k->addr = acc[0].addr;
		k->have_addr = true;
	} else if (k->d.cls == INSN_C_DC) {
		/* DC by VA: the address in Xt (DC ZVA: aligned down to the
		 * block, D24.2.46 FAR rules leave the low bits UNKNOWN). */
		k->addr = SYN_BASE;
		k->have_addr = true;
	}
	k->mapped = false;
	if (k->have_addr && !s2_walk(&e->cfg, k->addr, S2_ACC_READ, false, s2_flat_read64,
				     (void *)&e->mem, &r)) {
		k->dfsc = r.fsc;
		k->mapped = r.fault == S2_OK;
	}
}

static const char *skip_reason(const struct syn_check *k, const struct oracle_rec *o)
{
	unsigned ec = (unsigned)hvx_bits(o->esr, 31, 26);
	uint16_t imm = 0;

	if (ec != ESR_EC_HVC64 || esr_decode_imm16(o->esr, &imm))
		return NULL;
	if (imm == 1)
		return k->rc ? "completed, not a load/store of the decoder" :
		       k->d.no_access ? "completed (no data access)" :
		       k->mapped && !k->d.store ? "completed (a literal in the mapped stub page)" :
		       NULL;
	if (imm != ORC_HVC_EL1EXC)
		return NULL;
	unsigned ec1 = (unsigned)hvx_bits(o->x0, 31, 26);
	if (ec1 == 0)
		return k->rc ? "UNDEFINED, unallocated for the decoder" :
			       "UNDEFINED on the probed PE (feature not implemented)";
	if (ec1 == ESR_EC_DABT_CUR && (o->x0 & 0x3f) == 0x21)
		return "alignment fault at EL1 (Device memory: EL1 MMU off)";
	if (ec1 == ESR_EC_DABT_CUR && (o->x0 & 0x3c) == 0)
		return "Stage-1 address size fault at EL1 (MMU off, address above PAMax)";
	return NULL;
}

/* The first disagreement of an abort with the expectation, NULL if none. */
static const char *cmp_abort(const struct syn_check *k, const struct oracle_rec *o,
			     struct oracle_diff *d, const struct xcheck_result *x)
{
	struct esr_dabt e;

	esr_decode_dabt(o->esr, &e);
	*d = (struct oracle_diff){ NULL, 0, 0, (int)(o->esr & 0x3f) };
	if (k->rc) {
		d->field = "decoder";
		d->observed = o->esr;
		return d->field;
	}
	bool isv = k->d.isv_possible;
	if (isv != e.isv) {
		*d = (struct oracle_diff){ "esr.isv", isv, e.isv, d->obs_fsc };
		return d->field;
	}
	for (unsigned i = 0; i < x->ndiff; i++)
		if (x->diff[i].own >= 0 && x->diff[i].own != x->diff[i].iss) {
			*d = (struct oracle_diff){ xcheck_field_name(x->diff[i].field),
				(uint64_t)x->diff[i].own, (uint64_t)x->diff[i].iss, d->obs_fsc };
			return d->field;
		}
	bool cm = k->d.cls == INSN_C_DC && k->d.op == INSN_OP_DCMAINT;
	if (e.cm != cm) {
		*d = (struct oracle_diff){ "esr.cm", cm, e.cm, d->obs_fsc };
		return d->field;
	}
	if (!isv && k->d.store != e.wnr && !k->d.load) {
		*d = (struct oracle_diff){ "esr.wnr", k->d.store, e.wnr, d->obs_fsc };
		return d->field;
	}
	if (k->have_addr && e.dfsc != k->dfsc) {
		*d = (struct oracle_diff){ "esr.dfsc", k->dfsc, e.dfsc, d->obs_fsc };
		return d->field;
	}
	uint64_t far = k->d.op == INSN_OP_ZVA ? o->far & ~UINT64_C(63) : o->far;
	uint64_t want = k->d.op == INSN_OP_ZVA ? k->addr & ~UINT64_C(63) : k->addr;
	if (k->have_addr && far != want) {
		*d = (struct oracle_diff){ "far", want, o->far, d->obs_fsc };
		return d->field;
	}
	if (k->have_addr && o->hpfar != s2_fault_hpfar(o->far)) {
		*d = (struct oracle_diff){ "hpfar", s2_fault_hpfar(o->far), o->hpfar, d->obs_fsc };
		return d->field;
	}
	return NULL;
}

static void report_one(struct report *r, const struct oracle_opts *o, const struct syn_check *k,
		       const struct oracle_diff *d, const struct oracle_rec *rec,
		       struct oracle_stats *st)
{
	const char *cls = k->rc ? "not decoded" : insn_class_name(k->d.cls);
	struct finding f = { 0 };
	struct oracle_verdict v;

	oracle_classify_syn(&k->d, k->rc, d, &v);
	finding_set(&f, where, "seed 0x%" PRIx64 " case %" PRIu64, o->seed, k->case_idx);
	finding_set(&f, context, "insn 0x%08" PRIx32 " %s (%s) X0-X30/SP = 0x%" PRIx64
		    ", unmapped at Stage 2", k->word, k->rc ? "?" : k->d.mnemonic, cls, SYN_BASE);
	finding_set(&f, reproduce, "hvexit oracle syndromes --seed 0x%" PRIx64 " --first %"
		    PRIu64 " --cases 1", o->seed, k->case_idx);
	oracle_report_add(r, &f, "syndrome", cls, d, &v, rec, st);
}

static void judge(struct report *r, const struct oracle_opts *o, const struct syn_check *k,
		  const struct oracle_rec *rec, struct oracle_stats *st, struct oracle_syn_counts *sc)
{
	char name[96];
	struct oracle_diff d = { "record", 'R', (uint64_t)(unsigned char)rec->tag, -1 };
	bool bad = rec->tag != 'R';

	snprintf(name, sizeof(name), "ldst case %" PRIu64 " %08" PRIx32 " %s", k->case_idx,
		 k->word, k->rc ? "-" : k->d.mnemonic);
	report_case_begin(r, "oracle.syndromes", name);
	st->cases++;
	const char *why = bad ? NULL : skip_reason(k, rec);
	if (why) {
		oracle_syn_count(sc, why);
		st->skipped++;
		report_case_end(r, REPORT_SKIP, "%s", why);
		return;
	}
	unsigned ec = (unsigned)hvx_bits(rec->esr, 31, 26);
	if (!bad && ec == ESR_EC_DABT_LOW) {
		struct xcheck_result x;
		if (xcheck_dabt(k->word, rec->esr, &x) == 0 && cmp_abort(k, rec, &d, &x))
			bad = true;
	} else if (!bad) {
		d = (struct oracle_diff){ "outcome", 0, rec->esr, -1 };
		bad = true;
	}
	st->checks++;
	if (bad)
		report_one(r, o, k, &d, rec, st);
	else
		st->agree++;
	report_case_end(r, REPORT_PASS, NULL);
}

int oracle_syn_ldst(const struct oracle_syn_env *e, const struct oracle_opts *o,
		    uint64_t ncases, struct report *r, struct oracle_stats *st,
		    struct oracle_syn_counts *sc, char *err, size_t errlen)
{
	struct templates *t = malloc(sizeof(*t));
	struct syn_check *k = calloc(o->batch, sizeof(*k));
	int rc = 0;

	if (!t || !k) {
		free(t);
		free(k);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	scan_templates(t, o->seed);
	for (uint64_t i = 0; i < ncases && !rc;) {
		struct oracle_batch b;
		struct oracle_out out;
		size_t n = 0;
		oracle_batch_init(&b);
		oracle_syn_prologue(e, &b);
		for (; i < ncases && n < o->batch; i++, n++) {
			k[n].case_idx = o->first + i;
			k[n].word = oracle_syn_word(t, o->seed, o->first + i);
			expect_word(e, &k[n]);
			k[n].id = oracle_batch_run(&b, k[n].word, SYN_BASE);
		}
		rc = oracle_qemu_run(o->env, &b, &out, err, errlen);
		if (rc == -ETIMEDOUT) {
			/* judge up to the run that never returned; go on after it */
			size_t h = 0;
			while (h < n && out.rec[k[h].id].tag)
				h++;
			if (h < n) {
				i -= n - h - 1;
				n = h + 1;
				rc = 0;
			}
		}
		for (size_t j = 0; !rc && j < n; j++)
			judge(r, o, &k[j], &out.rec[k[j].id], st, sc);
		if (!rc && o->log)
			fprintf(o->log, "oracle syndromes: %lu load/store cases, %lu disagree\n",
				st->cases, st->disagree);
		oracle_out_free(&out);
		oracle_batch_free(&b);
	}
	free(t);
	free(k);
	return rc;
}
