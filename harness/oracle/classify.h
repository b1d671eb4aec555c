/*
 * Classifying a disagreement between hvexit's expectation and the probe
 * (oracle.h, enum oracle_class) by a table of rules, each naming the Arm
 * ARM text that settles it. A disagreement no rule matches is
 * "unsettled": it is reported, and someone reads the Arm ARM.
 */
#ifndef HVEXIT_ORACLE_CLASSIFY_H
#define HVEXIT_ORACLE_CLASSIFY_H

#include "harness/oracle/check.h"
#include "hvexit/insn.h"
#include "hvexit/s2.h"

/* What a rule may look at in a Stage-2 check. */
struct oracle_s2_facts {
	enum s2_fault fault;	/* model's fault (S2_OK none) */
	int level;
	bool fetch;		/* the fault is on the stub's own fetch */
	bool config_fault;	/* the configuration faults every access */
	const char *config_rule;
	int start_level;
	unsigned granule_bits, ia_bits, oa_bits, root_tables;
	bool ds;
	/* The configuration would fault every access if the IPA-size and
	 * start-level rules used VTCR_EL2.PS instead of the implemented PA
	 * size, or the IPA size exceeds PS. */
	bool faults_if_ps_were_pamax;
	char cfg_text[96];	/* "4K IA 40 PA 40 SL 1 x2" */
	char result_text[96];	/* "translation fault level 2" / "ok PA 0x..." */
};
void oracle_s2_facts(const struct s2_config *cfg, const struct s2_result *r, bool fetch,
		     struct oracle_s2_facts *f);

struct oracle_verdict {
	enum oracle_class cls;
	const char *cause;	/* short, stable: the cluster key */
	const char *rule;	/* the Arm ARM rule with its section */
};
void oracle_classify_s2(const struct oracle_s2_facts *f, const struct oracle_diff *d,
			struct oracle_verdict *v);

/* A load/store syndrome disagreement (syn.c): d is the decoded word
 * (rc its insn_decode() result). */
void oracle_classify_syn(const struct insn *d, int rc, const struct oracle_diff *df,
			 struct oracle_verdict *v);
/* A system-register trap disagreement (systrap.c). */
void oracle_classify_trap(const char *control, bool on, const struct oracle_diff *d,
			  struct oracle_verdict *v);

/* Identify the probed PE with an empty batch. */
int oracle_identify(const struct oracle_env *env, struct oracle_ident *id, char *err,
		    size_t errlen);
/* Completes and adds an oracle finding f of the given kind, whose where,
 * reproduce and context (less the probe) the caller has set: source;
 * field, expected and observed from d; rule from v; cluster "class: topic:
 * cause" (no topic when NULL); "; probe: <rec>" after the context. Counts
 * the disagreement and v's class in st. */
void oracle_report_add(struct report *r, struct finding *f, const char *kind, const char *topic,
		       const struct oracle_diff *d, const struct oracle_verdict *v,
		       const struct oracle_rec *rec, struct oracle_stats *st);
/* The identification as run-level report properties. */
void oracle_report_ident(struct report *r, const struct oracle_ident *id, unsigned features);

#endif
