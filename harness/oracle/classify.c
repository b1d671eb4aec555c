/* The classifier tables (classify.h). */
#include <inttypes.h>
#include <string.h>

#include "harness/oracle/classify.h"

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

static const struct s2_rule s2_rules[] = {
	{ cfg_cu, ORC_CU, "configuration outside the architected range",
	  "D8.1.9/D8.2.8.2: the behaviour for this VTCR_EL2 value is IMPLEMENTATION DEFINED "
	  "or CONSTRAINED UNPREDICTABLE" },
	{ ps_limits_ia, ORC_EMULATOR, "IPA size and start level limited by VTCR_EL2.PS",
	  "D8.1.10 (Table D8-8, Table D8-9): the implemented PA size, not VTCR_EL2.PS, "
	  "constrains the IPA size (effective minimum T0SZ) and the initial lookup level; "
	  "pseudocode AArch64.S2InvalidSL/AArch64.S2TxSZFaults use AArch64.PAMax(). The probe "
	  "gives a level 0 Translation fault for every access" },
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
