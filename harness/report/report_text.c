/* The text form of a report (report.h): what a person reads in a CI log. */
#include <string.h>

#include "harness/report/report.h"

static void line(FILE *f, const char *label, const char *v)
{
	if (*v)
		fprintf(f, "    %-10s %s\n", label, v);
}

static void cluster_text(const struct report *r, const struct report_cluster *c, FILE *f)
{
	const struct finding *x = &c->first;
	char lab_e[32], lab_o[32];

	if (c->known) {
		fprintf(f, "KNOWN %s: %lu instance%s (baselined)\n", c->key, c->count,
			c->count == 1 ? "" : "s");
		return;
	}
	fprintf(f, "FINDING %s: %lu instance%s\n", c->key, c->count, c->count == 1 ? "" : "s");
	snprintf(lab_e, sizeof(lab_e), "%s:", r->label_expected);
	snprintf(lab_o, sizeof(lab_o), "%s:", r->label_observed);
	line(f, "title:", x->title);
	line(f, "first:", x->where);
	line(f, "input:", x->context);
	line(f, lab_e, x->expected);
	line(f, lab_o, x->observed);
	line(f, "rule:", x->rule);
	line(f, "reproduce:", x->reproduce);
	line(f, "id:", x->fingerprint);
}

static void stale_text(const struct baseline_entry *e, void *arg)
{
	char d[700];

	baseline_entry_describe(e, d, sizeof(d));
	fprintf(arg, "STALE baseline entry: known finding not reproduced (fixed?): %s\n", d);
}

void report_write_text(const struct report *r, FILE *f, size_t max_clusters)
{
	size_t shown = 0;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < r->ncl; i++) {
			if (r->cl[i].known != (pass == 1))
				continue;
			if (max_clusters && shown++ >= max_clusters)
				continue;
			cluster_text(r, &r->cl[i], f);
		}
	if (max_clusters && shown > max_clusters)
		fprintf(f, "... %zu more causes not shown\n", shown - max_clusters);
	if (r->unlisted)
		fprintf(f, "... %lu findings of causes beyond the first %d not listed\n",
			r->unlisted, REPORT_MAX_CLUSTERS);
	report_stale(r, stale_text, f);
}

void report_write_summary(const struct report *r, FILE *f)
{
	size_t ncl_new = 0;

	for (size_t i = 0; i < r->ncl; i++)
		ncl_new += !r->cl[i].known;
	fprintf(f, "%s: %zu case%s: %zu pass, %zu fail, %zu known, %zu skip, %zu error; "
		"%lu new finding%s in %zu cause%s, %lu known; %zu stale baseline entr%s\n",
		r->title, r->ncases, r->ncases == 1 ? "" : "s",
		report_count_cases(r, REPORT_PASS), report_count_cases(r, REPORT_FAIL),
		report_count_cases(r, REPORT_KNOWN), report_count_cases(r, REPORT_SKIP),
		report_count_cases(r, REPORT_ERROR), r->new_total, r->new_total == 1 ? "" : "s",
		ncl_new, ncl_new == 1 ? "" : "s", r->known_total, report_stale(r, NULL, NULL),
		report_stale(r, NULL, NULL) == 1 ? "y" : "ies");
}
