/* The classifier tables (classify.h). */
#include <inttypes.h>
#include <string.h>

#include "harness/oracle/classify.h"
#include "hvexit/esr.h"

void oracle_s2_facts(const struct s2_config *cfg, const struct s2_result *r, bool fetch,
		     struct oracle_s2_facts *f)
{
	*f = (struct oracle_s2_facts){
		.fault = r->fault, .level = r->level, .fetch = fetch,
		.config_fault = cfg->fault_rule != NULL, .config_rule = cfg->fault_rule,
		.start_level = cfg->start_level, .granule_bits = cfg->granule_bits,
		.ia_bits = cfg->ia_bits, .oa_bits = cfg->oa_bits,
		.root_tables = cfg->root_tables, .ds = cfg->ds,
	};
	if (!cfg->fault_rule) {
		struct s2_config alt;
		uint64_t vtcr = s2_vtcr_encode(&cfg->vtcr);
		int rc = s2_config_init(vtcr, cfg->root, cfg->features, cfg->oa_bits, cfg->fwb,
					&alt, NULL);
		f->faults_if_ps_were_pamax = rc == 1 || cfg->ia_bits > cfg->oa_bits;
	}
	snprintf(f->cfg_text, sizeof(f->cfg_text), "%uK IA %u PA %u SL %d x%u%s",
		 1u << (cfg->granule_bits - 10), cfg->ia_bits, cfg->oa_bits, cfg->start_level,
		 cfg->root_tables, cfg->ds ? " DS" : "");
	if (r->fault == S2_OK)
		snprintf(f->result_text, sizeof(f->result_text), "ok PA 0x%" PRIx64, r->pa);
	else
		snprintf(f->result_text, sizeof(f->result_text), "%s%s fault level %d",
			 fetch ? "stub fetch: " : "", s2_fault_name(r->fault), r->level);
}

struct s2_rule {
	bool (*match)(const struct oracle_s2_facts *f, const struct oracle_diff *d);
	enum oracle_class cls;
	const char *cause;
	const char *rule;
};

/* A configuration the Arm ARM leaves CONSTRAINED UNPREDICTABLE or
 * IMPLEMENTATION DEFINED: the model picks the fault, the PE may pick
 * another permitted behaviour. */
static bool cfg_cu(const struct oracle_s2_facts *f, const struct oracle_diff *d)
{
	(void)d;
	return f->config_fault && f->config_rule &&
	       (strstr(f->config_rule, "IMPLEMENTATION DEFINED") ||
		strstr(f->config_rule, "CONSTRAINED UNPREDICTABLE"));
}

/* Every access takes a level 0 Translation fault on the probe where the
 * model walks: the PE applies the IPA-size / start-level limits to
 * VTCR_EL2.PS. */
static bool ps_limits_ia(const struct oracle_s2_facts *f, const struct oracle_diff *d)
{
	return f->faults_if_ps_were_pamax && !f->config_fault && d->obs_fsc == 0x04;
}

/* Start level -1 (4KB, DS = 1) with an IPA narrower than 52 bits faulted
 * at level 0 on the probe. */
static bool sl_minus1(const struct oracle_s2_facts *f, const struct oracle_diff *d)
{
	return f->start_level == -1 && f->ia_bits < 52 && !f->config_fault && d->obs_fsc == 0x04;
}

/* 16KB with DS = 1 and SL0 = 0b11 (start level 0) faulted at level 0. */
static bool l0_16k(const struct oracle_s2_facts *f, const struct oracle_diff *d)
{
	return f->granule_bits == 14 && f->start_level == 0 && f->ds && !f->config_fault &&
	       d->obs_fsc == 0x04;
}

static const struct s2_rule s2_rules[] = {
	{ cfg_cu, ORC_CU, "configuration outside the architected range",
	  "D8.1.9/D8.2.8.2: the behaviour for this VTCR_EL2 value is IMPLEMENTATION DEFINED "
	  "or CONSTRAINED UNPREDICTABLE" },
	{ ps_limits_ia, ORC_EMULATOR, "IPA size and start level limited by VTCR_EL2.PS",
	  "D8.1.10 (Table D8-8, Table D8-9): the implemented PA size, not VTCR_EL2.PS, "
	  "constrains the IPA size (effective minimum T0SZ) and the initial lookup level; "
	  "pseudocode AArch64.S2InvalidSL/AArch64.S2TxSZFaults use AArch64.PAMax(). The probe "
	  "gives a level 0 Translation fault for every access" },
	{ sl_minus1, ORC_EMULATOR, "start level -1 only with a 52-bit IPA",
	  "J1.1.4.38 AArch64.S2InconsistentSL: start level -1 (4KB, VTCR_EL2.DS 1, SL2 1) is "
	  "consistent with any IPA size from levels*stride+granulebits+1 = 49 to 49+(stride-1)+4 "
	  "bits (root concatenation); the probe faults every access at level 0 unless the IPA is "
	  "52 bits" },
	{ l0_16k, ORC_EMULATOR, "16KB start level 0 with DS=1 rejected",
	  "J1.1.4.40 AArch64.S2InvalidSL: with the 16KB granule, SL0 = 0b11 (start level 0) is "
	  "invalid only when VTCR_EL2.DS is 0 (D24.2.224 SL0, FEAT_LPA2); the probe faults "
	  "every access at level 0 with DS = 1" },
};

void oracle_classify_s2(const struct oracle_s2_facts *f, const struct oracle_diff *d,
			struct oracle_verdict *v)
{
	for (size_t i = 0; i < HVX_ARRAY_SIZE(s2_rules); i++)
		if (s2_rules[i].match(f, d)) {
			*v = (struct oracle_verdict){ s2_rules[i].cls, s2_rules[i].cause,
						      s2_rules[i].rule };
			return;
		}
	*v = (struct oracle_verdict){ ORC_UNSETTLED, d->field, "" };
}

struct syn_rule {
	bool (*match)(const struct insn *d, int rc, const struct oracle_diff *df);
	enum oracle_class cls;
	const char *cause;
	const char *rule;
};

/* A Store-Exclusive that completed without the abort: the monitor was not
 * set (no Load-Exclusive before it), so the store fails without access. */
static bool stx_no_abort(const struct insn *d, int rc, const struct oracle_diff *df)
{
	return !rc && (d->cls == INSN_C_EXCL || d->cls == INSN_C_EXCL_PAIR) && d->store &&
	       !strcmp(df->field, "outcome") && df->observed == oracle_esr_hvc(1);
}

/* LDLAR/STLLR reported with AR = 0. */
static bool lor_ar(const struct insn *d, int rc, const struct oracle_diff *df)
{
	return !rc && d->cls == INSN_C_ORDERED && d->mnemonic &&
	       (strstr(d->mnemonic, "LLR") || strstr(d->mnemonic, "LDLAR")) &&
	       !strcmp(df->field, "AR") && df->expected == 1 && df->observed == 0;
}

static const struct syn_rule syn_rules[] = {
	{ stx_no_abort, ORC_CU, "Store-Exclusive without a set monitor does not abort",
	  "C6.2 STXR/STLXR/STXP/STLXP (and byte/halfword forms): if "
	  "AArch64.ExclusiveMonitorsPass() returns FALSE and the access would generate a "
	  "synchronous Data Abort, it is IMPLEMENTATION DEFINED whether the exception is "
	  "generated" },
	{ lor_ar, ORC_EMULATOR, "LoadLOAcquire/StoreLORelease reported without AR",
	  "D24.2.46 ISS.AR is 1 for an instruction with acquire/release semantics; LDLAR/STLLR "
	  "have them (J1.3 CreateAccDescLOR sets acqsc for LDLAR, relsc for a store) and with "
	  "no LORegions behave as Load-Acquire/Store-Release (B2.4)" },
};

void oracle_classify_syn(const struct insn *d, int rc, const struct oracle_diff *df,
			 struct oracle_verdict *v)
{
	for (size_t i = 0; i < HVX_ARRAY_SIZE(syn_rules); i++)
		if (syn_rules[i].match && syn_rules[i].match(d, rc, df)) {
			*v = (struct oracle_verdict){ syn_rules[i].cls, syn_rules[i].cause,
						      syn_rules[i].rule };
			return;
		}
	*v = (struct oracle_verdict){ ORC_UNSETTLED, df->field, "" };
}

struct trap_rule {
	const char *control;
	bool on;
	const char *field;
	enum oracle_class cls;
	const char *cause;
	const char *rule;
};

static const struct trap_rule trap_rules[] = {
	{ "HCR_EL2.TWE", true, "esr", ORC_CU, "WFE completed without the trap",
	  "D24.2.62 TWE: the trap is taken only if the WFE would otherwise enter a low-power "
	  "state, and WFE traps are not guaranteed to be taken; the exception return into EL1 "
	  "sets the Event Register (D1.4), so WFE completes at once" },
	{ "MDCR_EL2.TPMCR", true, "esr", ORC_EMULATOR, "PMCR_EL0 access not trapped",
	  "D24.3.17 MDCR_EL2.TPMCR: with FEAT_PMUv3, EL0 and EL1 accesses to PMCR_EL0 are "
	  "trapped to EL2 (EC 0x18) when EL2 is enabled in the current Security state" },
};

void oracle_classify_trap(const char *control, bool on, const struct oracle_diff *d,
			  struct oracle_verdict *v)
{
	for (size_t i = 0; i < HVX_ARRAY_SIZE(trap_rules); i++) {
		const struct trap_rule *t = &trap_rules[i];
		if (!strcmp(t->control, control) && t->on == on && !strcmp(t->field, d->field)) {
			*v = (struct oracle_verdict){ t->cls, t->cause, t->rule };
			return;
		}
	}
	*v = (struct oracle_verdict){ ORC_UNSETTLED, d->field, "" };
}

int oracle_identify(const struct oracle_env *env, struct oracle_ident *id, char *err,
		    size_t errlen)
{
	struct oracle_batch b;
	struct oracle_out out;

	oracle_batch_init(&b);
	int rc = oracle_qemu_run(env, &b, &out, err, errlen);
	oracle_batch_free(&b);
	if (rc)
		return rc;
	*id = out.id;
	oracle_out_free(&out);
	return 0;
}

void oracle_report_add(struct report *r, struct finding *f, const char *kind, const char *topic,
		       const struct oracle_diff *d, const struct oracle_verdict *v,
		       const struct oracle_rec *rec, struct oracle_stats *st)
{
	size_t n = strlen(f->context);
	char obs[200];

	st->disagree++;
	st->by_class[v->cls]++;
	finding_set(f, source, "oracle");
	finding_set(f, kind, "%s", kind);
	finding_set(f, field, "%s", d->field);
	finding_set(f, expected, "0x%" PRIx64, d->expected);
	finding_set(f, observed, "0x%" PRIx64, d->observed);
	finding_set(f, rule, "%s", v->rule);
	if (topic)
		finding_set(f, cluster, "%s: %s: %s", oracle_class_name(v->cls), topic, v->cause);
	else
		finding_set(f, cluster, "%s: %s", oracle_class_name(v->cls), v->cause);
	oracle_rec_text(rec, obs, sizeof(obs));
	snprintf(f->context + n, sizeof(f->context) - n, "; probe: %s", obs);
	report_add(r, f);
}

void oracle_report_ident(struct report *r, const struct oracle_ident *id, unsigned features)
{
	char buf[32], feat[128];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, id->midr);
	report_prop(r, "midr_el1", json_string(buf));
	snprintf(buf, sizeof(buf), "0x%" PRIx64, id->mmfr0);
	report_prop(r, "id_aa64mmfr0_el1", json_string(buf));
	snprintf(buf, sizeof(buf), "0x%" PRIx64, id->mmfr1);
	report_prop(r, "id_aa64mmfr1_el1", json_string(buf));
	snprintf(buf, sizeof(buf), "0x%" PRIx64, id->mmfr2);
	report_prop(r, "id_aa64mmfr2_el1", json_string(buf));
	s2_features_format(features, feat, sizeof(feat));
	report_prop(r, "s2_features", json_string(feat));
}
