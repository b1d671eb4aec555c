/*
 * hvexit oracle s2: Stage-2 scenarios (s2gen.c) run on the probe and
 * compared, access by access, with the Stage-2 model (decoder/s2_walk.c).
 *
 * Every access runs twice: the access itself at EL1 (LDR X0,[X1], STR
 * X0,[X1] or BR X1 from the stub at IPA 0x800; ESR_EL2, FAR_EL2,
 * HPFAR_EL2, ELR_EL2), then AT S12E1R/W from EL2 (PAR_EL1: the fault
 * code, or the output address). The model's walks write their hardware
 * Access-flag/dirty updates (VTCR_EL2.HA/HD) back to its copy of the
 * tables in the same order as the PE does. The EL1 instruction fetch of the stub is itself a
 * Stage-2 access: when the model says it faults, that fault is expected.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "harness/oracle/check.h"
#include "harness/oracle/classify.h"
#include "harness/oracle/s2case.h"
#include "hvexit/esr.h"

/* LDR X0,[X1]; STR X0,[X1]; BR X1 (C6.2). */
static const uint32_t acc_word[] = { 0xf9400020, 0xf9000020, 0xd61f0020 };
static const char *const acc_name[] = { "read", "write", "exec" };

struct s2_check {
	uint64_t case_idx, vtcr, ipa, id_at, id_run;
	bool no_run;		/* AT only: the access would leave the pool */
	unsigned acc_idx;
	enum s2_access acc;
	enum oracle_s2_mut mut;
	struct oracle_expect_run run;
	struct oracle_expect_at at;
	struct oracle_s2_facts facts;
};

/* What the generated accesses exercise: the model's outcome of each EL1
 * access by fault kind, and the cases by granule. */
struct s2_cover {
	unsigned long result[S2_FAULT_SYNC_EXT_WALK + 1];
	unsigned long granule[3];	/* 4K, 16K, 64K */
	unsigned long config_fault, stub_fault, mutated, hw_update, at_only;
};

struct s2_batch {
	struct oracle_batch b;
	struct s2_check *chk;
	size_t n, cap;
	uint64_t ncases;
	struct s2_cover cov;
};

static int cas_flat(void *ctx, uint64_t pa, uint64_t expect, uint64_t desired, uint64_t *found)
{
	struct s2_flatmem *m = ctx;

	if (pa < m->base || pa - m->base > m->len - 8 || (pa & 7))
		return -1;
	uint8_t *p = (uint8_t *)m->buf + (pa - m->base);
	*found = hvx_get_le(p, 8);
	if (*found == expect)
		hvx_put_le(p, desired, 8);
	return 0;
}

static int walk(struct oracle_s2_case *c, uint64_t ipa, enum s2_access acc, struct s2_result *r)
{
	struct s2_flatmem fm = { c->buf, c->used, ORACLE_TABLE_PA };
	struct s2_mem m = { .read64 = s2_flat_read64, .cas64 = cas_flat, .ctx = &fm };

	return s2_walk_mem(&c->cfg, ipa, acc, false, &m, r);
}

static void expect_abort(struct oracle_expect_run *e, const struct s2_result *r,
			 enum s2_access acc, uint64_t far, uint64_t elr)
{
	/* LDR X0 / STR X0: ISV=1, SAS=0b11, SRT=0, SF=1 (D24.2.46 ISV). */
	struct esr_dabt iss = { .isv = 1, .il = 1, .sas = 3, .sf = 1 };
	struct s2_access_info ai = { .acc = acc, .iss = &iss };

	e->abort = true;
	e->esr = s2_fault_esr(r, &ai);
	e->far = far;
	e->far_valid = true;
	e->hpfar = s2_fault_hpfar(r->ipa);
	e->hpfar_valid = true;
	e->elr = elr;
}

static void add_check(struct s2_batch *sb, const struct s2_check *k)
{
	if (sb->n == sb->cap) {
		size_t cap = sb->cap ? sb->cap * 2 : 256;
		void *p = realloc(sb->chk, cap * sizeof(*sb->chk));
		if (!p) {
			sb->b.oom = true;
			return;
		}
		sb->chk = p;
		sb->cap = cap;
	}
	sb->chk[sb->n++] = *k;
}

/* Expectations of access i of c, in batch order (walks update c's tables
 * like the hardware would). */
static void emit_access(struct s2_batch *sb, struct oracle_s2_case *c, unsigned i)
{
	const struct oracle_s2_access *a = &c->acc[i];
	struct s2_check k = { .case_idx = c->index, .vtcr = c->vtcr, .ipa = a->ipa,
			      .acc_idx = i, .acc = a->acc };
	struct s2_result r;
	bool w = a->acc == S2_ACC_WRITE;

	for (unsigned j = 0; j < c->nreg; j++)
		if (a->ipa >= c->reg[j].ipa && a->ipa - c->reg[j].ipa < c->reg[j].size)
			k.mut = c->mut[j];
	/* the stub's fetch, then the access */
	if (walk(c, ORACLE_STUB_ENTRY, S2_ACC_EXEC, &r))
		return;
	if (r.fault != S2_OK) {
		expect_abort(&k.run, &r, S2_ACC_EXEC, ORACLE_STUB_ENTRY, ORACLE_STUB_ENTRY);
		oracle_s2_facts(&c->cfg, &r, true, &k.facts);
		sb->cov.stub_fault++;
	} else {
		if (walk(c, a->ipa, a->acc, &r))
			return;
		oracle_s2_facts(&c->cfg, &r, false, &k.facts);
		if ((unsigned)r.fault < HVX_ARRAY_SIZE(sb->cov.result))
			sb->cov.result[r.fault]++;
		sb->cov.mutated += k.mut != ORC_MUT_NONE;
		sb->cov.hw_update += r.upd.valid;
		if (r.fault == S2_OK && (r.pa < ORACLE_POOL_LO || r.pa >= ORACLE_POOL_HI)) {
			/* A random IPA inside a large block can map outside the
			 * pool: memory that does not exist, or a device. Only its
			 * AT is compared. */
			k.no_run = true;
			sb->cov.at_only++;
		} else if (r.fault != S2_OK) {
			bool x = a->acc == S2_ACC_EXEC;
			expect_abort(&k.run, &r, a->acc, a->ipa, x ? a->ipa : ORACLE_STUB_ENTRY);
		} else if (a->acc == S2_ACC_EXEC) {
			k.run.esr = oracle_esr_hvc(2);
			k.run.elr = a->ipa + 4;
			if (r.pa >= ORACLE_POOL_LO && r.pa < ORACLE_POOL_HI)
				oracle_batch_add(&sb->b, ORC_POKE32, r.pa, ORC_HVC_TARGET, 0);
		} else {
			k.run.esr = oracle_esr_hvc(1);
			k.run.elr = ORACLE_STUB_ENTRY + 8;
		}
	}
	if (!k.no_run)
		k.id_run = oracle_batch_run(&sb->b, acc_word[a->acc] | ORC_RUN_X0_HVC, a->ipa);
	/* then AT S12E1R/W (after the access, so that a hardware Access-flag
	 * or dirty-state update the access made is in both) */
	if (walk(c, a->ipa, w ? S2_ACC_WRITE : S2_ACC_READ, &r))
		return;
	k.at.fault = r.fault != S2_OK;
	k.at.fst = r.fsc;
	k.at.pa = r.pa;
	if (r.fault == S2_FAULT_SYNC_EXT_WALK) {
		/* D8.15 R_YWCRL: a Data Abort to EL2 from EL2 (EC 0x25), CM = 1
		 * and WnR = 1 for an address translation instruction, FAR_EL2 =
		 * the address the instruction was given (D24.2.46 CM, WnR). */
		struct esr_dabt ed = { .ec = ESR_EC_DABT_CUR, .il = 1, .cm = 1, .wnr = 1,
				       .dfsc = r.fsc & 0x3f };
		k.at.exception = true;
		k.at.esr = esr_build_dabt(&ed);
		k.at.far = a->ipa;
	}
	k.id_at = oracle_batch_at(&sb->b, w, a->ipa);
	add_check(sb, &k);
}

static void emit_case(struct s2_batch *sb, struct oracle_s2_case *c)
{
	oracle_batch_add(&sb->b, ORC_SET, ORC_VTCR, c->vtcr, 0);
	oracle_batch_add(&sb->b, ORC_SET, ORC_VTTBR, c->vttbr, 0);
	for (size_t off = 0; off + 8 <= c->used; off += 8) {
		uint64_t v = hvx_get_le(c->buf + off, 8);
		if (v)
			oracle_batch_add(&sb->b, ORC_WORD, ORACLE_TABLE_PA + off, v, 0);
	}
	oracle_batch_add(&sb->b, ORC_TLBI, 0, 0, 0);
	for (unsigned i = 0; i < c->nacc; i++)
		emit_access(sb, c, i);
	oracle_batch_add(&sb->b, ORC_CLEAN, 0, 0, 0);
	sb->ncases++;
	sb->cov.granule[(c->cfg.granule_bits - 12) / 2]++;
	sb->cov.config_fault += c->cfg.fault_rule != NULL;
}

static void batch_prologue(struct oracle_batch *b, const struct oracle_ident *id)
{
	oracle_batch_add(b, ORC_SET, ORC_HCR, oracle_hcr(id), 0);
	oracle_batch_add(b, ORC_SET, ORC_SCTLR1, ORC_SCTLR1, 0);
	oracle_batch_add(b, ORC_SET, ORC_CPTR, ORC_CPTR_BASE, 0);
	oracle_batch_add(b, ORC_SET, ORC_CPACR1, ORC_CPACR1_FP, 0);
}

static void report_check(struct report *r, const struct oracle_opts *o, const struct s2_check *k,
			 const struct oracle_diff *d, const struct oracle_rec *rec,
			 struct oracle_stats *st)
{
	struct finding f = { 0 };
	struct oracle_verdict v;

	oracle_classify_s2(&k->facts, d, &v);
	finding_set(&f, where, "seed 0x%" PRIx64 " case %" PRIu64 " access %u", o->seed,
		    k->case_idx, k->acc_idx);
	finding_set(&f, context, "VTCR_EL2 0x%" PRIx64 " (%s) %s IPA 0x%" PRIx64
		    " changed: %s; model: %s", k->vtcr, k->facts.cfg_text, acc_name[k->acc],
		    k->ipa, oracle_s2_mut_name(k->mut), k->facts.result_text);
	finding_set(&f, reproduce, "hvexit oracle s2 --seed 0x%" PRIx64 " --first %" PRIu64
		    " --cases 1", o->seed, k->case_idx);
	oracle_report_add(r, &f, "s2", NULL, d, &v, rec, st);
}

/* Compare the checks of the cases up to index `last`. */
static void compare(struct s2_batch *sb, const struct oracle_out *out, const struct oracle_opts *o,
		    struct report *r, struct oracle_stats *st, uint64_t last)
{
	size_t i = 0;

	while (i < sb->n && sb->chk[i].case_idx <= last) {
		uint64_t ci = sb->chk[i].case_idx;
		char name[64];
		snprintf(name, sizeof(name), "s2 case %" PRIu64, ci);
		report_case_begin(r, "oracle.s2", name);
		for (; i < sb->n && sb->chk[i].case_idx == ci; i++) {
			const struct s2_check *k = &sb->chk[i];
			struct oracle_diff d;
			const struct oracle_rec *ra = &out->rec[k->id_at], *rr = &out->rec[k->id_run];
			bool ok_at = oracle_cmp_at(&k->at, ra, &d);
			if (!ok_at)
				report_check(r, o, k, &d, ra, st);
			bool ok_run = k->no_run || oracle_cmp_run(&k->run, rr, &d);
			if (!ok_run)
				report_check(r, o, k, &d, rr, st);
			st->checks += 2 - k->no_run;
			st->agree += ok_at + (ok_run && !k->no_run);
		}
		report_case_end(r, REPORT_PASS, NULL);
		st->cases++;
	}
}

/* The case of the first run or AT that has no record, UINT64_MAX if all
 * came. */
static uint64_t hung_case(const struct s2_batch *sb, const struct oracle_out *out)
{
	for (size_t i = 0; i < sb->n; i++)
		if (!out->rec[sb->chk[i].id_at].tag ||
		    (!sb->chk[i].no_run && !out->rec[sb->chk[i].id_run].tag))
			return sb->chk[i].case_idx;
	return UINT64_MAX;
}

static void report_cover(struct report *r, const struct s2_cover *cv)
{
	static const char *const gran[] = { "4K", "16K", "64K" };
	json_t *res = json_object(), *g = json_object();

	for (unsigned i = 0; i < HVX_ARRAY_SIZE(cv->result); i++)
		json_object_set_new(res, s2_fault_name((enum s2_fault)i),
				    json_integer((json_int_t)cv->result[i]));
	for (unsigned i = 0; i < 3; i++)
		json_object_set_new(g, gran[i], json_integer((json_int_t)cv->granule[i]));
	report_prop(r, "model_access_results", res);
	report_prop(r, "cases_by_granule", g);
	report_prop(r, "accesses_faulting_on_the_stub_fetch",
		    json_integer((json_int_t)cv->stub_fault));
	report_prop(r, "cases_with_a_faulting_configuration",
		    json_integer((json_int_t)cv->config_fault));
	report_prop(r, "accesses_to_changed_tables", json_integer((json_int_t)cv->mutated));
	report_prop(r, "accesses_with_a_hardware_update", json_integer((json_int_t)cv->hw_update));
	report_prop(r, "accesses_outside_the_pool_at_only", json_integer((json_int_t)cv->at_only));
}

int oracle_s2(const struct oracle_opts *o, struct report *r, struct oracle_stats *st,
	      char *err, size_t errlen)
{
	struct oracle_ident id = { 0 };
	int rc = o->have_pe ? 0 : oracle_identify(o->env, &id, err, errlen);

	if (rc)
		return rc;
	struct oracle_s2_env e = { oracle_s2_features(&id), oracle_parange_bits(id.mmfr0) };
	if (o->have_pe)
		e = (struct oracle_s2_env){ o->pe_features, o->pe_parange };
	struct oracle_s2_case *c = malloc(sizeof(*c));
	struct s2_batch sb = { 0 };

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (!o->have_pe)
		oracle_report_ident(r, &id, e.features);
	for (uint64_t i = 0; i < o->cases && !rc;) {
		uint64_t last = UINT64_MAX;
		oracle_batch_init(&sb.b);
		batch_prologue(&sb.b, &id);
		sb.n = 0;
		sb.ncases = 0;
		for (; i < o->cases && sb.ncases < o->batch; i++) {
			if (oracle_s2_case_gen(&e, o->seed, o->first + i, c)) {
				st->skipped++;
				continue;
			}
			emit_case(&sb, c);
		}
		struct oracle_out out;
		rc = oracle_qemu_run(o->env, &sb.b, &out, err, errlen);
		if (rc == -ETIMEDOUT) {
			/* The run that never returned ends this boot: its case is
			 * reported (field "record"), the next boot starts after it. */
			last = hung_case(&sb, &out);
			if (last != UINT64_MAX) {
				i = last + 1 - o->first;
				rc = 0;
			}
		}
		if (!rc) {
			compare(&sb, &out, o, r, st, last);
			if (o->log)
				fprintf(o->log, "oracle s2: %" PRIu64 " cases, %lu checks, %lu disagree\n",
					i, st->checks, st->disagree);
		}
		oracle_out_free(&out);
		oracle_batch_free(&sb.b);
	}
	report_cover(r, &sb.cov);
	free(sb.chk);
	free(c);
	return rc;
}
