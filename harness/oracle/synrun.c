/* hvexit oracle syndromes: the command, running both parts (syn.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "harness/oracle/classify.h"
#include "harness/oracle/syn.h"

int oracle_syndromes(const struct oracle_opts *o, struct report *r, struct oracle_stats *st,
		     char *err, size_t errlen)
{
	struct oracle_syn_env *e = malloc(sizeof(*e));
	struct oracle_syn_counts sc = { 0 };
	struct oracle_ident id;
	int rc = e ? oracle_identify(o->env, &id, err, errlen) : -ENOMEM;

	if (!rc)
		rc = oracle_syn_env_init(e, &id, err, errlen);
	if (rc) {
		if (!e)
			snprintf(err, errlen, "out of memory");
		free(e);
		return rc;
	}
	oracle_report_ident(r, &id, e->cfg.features);
	rc = oracle_syn_ldst(e, o, o->cases, r, st, &sc, err, errlen);
	if (!rc)
		rc = oracle_syn_sysreg(e, o, r, st, err, errlen);
	free(e);
	json_t *nc = json_object();
	for (unsigned i = 0; i < sc.count; i++)
		json_object_set_new(nc, sc.why[i], json_integer((json_int_t)sc.n[i]));
	report_prop(r, "not_compared", nc);
	if (o->log)
		for (unsigned i = 0; i < sc.count; i++)
			fprintf(o->log, "oracle syndromes: not compared: %lu %s\n", sc.n[i], sc.why[i]);
	return rc;
}
