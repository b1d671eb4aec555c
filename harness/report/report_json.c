/* The JSON form of a report (report.h, docs/findings.md). */
#include <stdlib.h>

#include "harness/report/report.h"

static void stale_json(const struct baseline_entry *e, void *arg)
{
	char d[700];

	baseline_entry_describe(e, d, sizeof(d));
	json_array_append_new(arg, json_pack("{s:o,s:o,s:o,s:o,s:o}", "source", report_json_text(e->source),
		"case", report_json_text(e->case_name), "cluster", report_json_text(e->cluster),
		"fingerprint", report_json_text(e->fingerprint), "entry", report_json_text(d)));
}

json_t *report_to_json(const struct report *r)
{
	json_t *o = json_object(), *cases = json_array(), *cls = json_array(), *st = json_array();

	for (size_t i = 0; i < r->ncases; i++) {
		const struct report_case *c = &r->cases[i];
		json_t *j = json_pack("{s:o,s:o,s:s,s:o,s:I,s:I,s:f}", "name", report_json_text(c->name),
			"class", report_json_text(c->classname), "status", report_status_name(c->status),
			"note", report_json_text(c->note), "new_findings", (json_int_t)c->new_findings,
			"known_findings", (json_int_t)c->known_findings, "secs", c->secs);

		if (c->props)
			json_object_set(j, "props", c->props);
		json_array_append_new(cases, j);
	}
	for (size_t i = 0; i < r->ncl; i++) {
		const struct report_cluster *c = &r->cl[i];

		json_array_append_new(cls, json_pack("{s:o,s:I,s:b,s:o,s:o}", "key", report_json_text(c->key),
			"count", (json_int_t)c->count, "known", c->known,
			"case", report_json_text(c->case_idx < r->ncases ? r->cases[c->case_idx].name : ""),
			"first", finding_to_json(&c->first)));
	}
	report_stale(r, stale_json, st);
	json_object_set_new(o, "tool", report_json_text(r->title));
	json_object_set_new(o, "status", json_string(report_exit_status(r) ? "fail" : "pass"));
	json_object_set_new(o, "cases", cases);
	json_object_set_new(o, "clusters", cls);
	json_object_set_new(o, "stale", st);
	json_object_set_new(o, "totals", json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
		"cases", (json_int_t)r->ncases,
		"pass", (json_int_t)report_count_cases(r, REPORT_PASS),
		"fail", (json_int_t)report_count_cases(r, REPORT_FAIL),
		"known", (json_int_t)report_count_cases(r, REPORT_KNOWN),
		"skip", (json_int_t)report_count_cases(r, REPORT_SKIP),
		"error", (json_int_t)report_count_cases(r, REPORT_ERROR),
		"new_findings", (json_int_t)r->new_total,
		"known_findings", (json_int_t)r->known_total,
		"unlisted_findings", (json_int_t)r->unlisted));
	if (r->props)
		json_object_set(o, "props", r->props);
	if (r->kernel[0])
		json_object_set_new(o, "kernel", json_string(r->kernel));
	return o;
}
