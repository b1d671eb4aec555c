/*
 * JUnit XML (the form Jenkins, GitLab and GitHub test reporters read): one
 * <testsuite> for the run, one <testcase> per case; new findings are a
 * <failure>, errors an <error>, skips and stale baseline entries
 * <skipped>, known findings are listed in <system-out>.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/report/report.h"
#include "harness/util/outfile.h"
#include "harness/util/utf8.h"

/* XML text: escape markup and drop the control characters XML 1.0 does
 * not allow (all below 0x20 but tab, newline, carriage return). */
static void xml(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t n = utf8_seq_len((const unsigned char *)s);

		if (n > 1) {	/* a whole multi-byte character */
			fwrite(s, 1, n, f);
			s += n - 1;
			continue;
		}
		if (!n) {	/* not UTF-8 (a file name): U+FFFD */
			fputs("\xef\xbf\xbd", f);
			continue;
		}
		switch (c) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			if (c >= 0x20 || c == '\n' || c == '\t')
				fputc(c, f);
		}
	}
}

static void cluster_body(const struct report *r, const struct report_cluster *c, FILE *f)
{
	const struct finding *x = &c->first;

	fprintf(f, "%s: %lu instance%s\n", c->key, c->count, c->count == 1 ? "" : "s");
	fprintf(f, "  first: ");
	xml(f, x->where);
	fprintf(f, "\n  input: ");
	xml(f, x->context);
	fprintf(f, "\n  %s: ", r->label_expected);
	xml(f, x->expected);
	fprintf(f, "\n  %s: ", r->label_observed);
	xml(f, x->observed);
	if (x->rule[0]) {
		fprintf(f, "\n  rule: ");
		xml(f, x->rule);
	}
	if (x->reproduce[0]) {
		fprintf(f, "\n  reproduce: ");
		xml(f, x->reproduce);
	}
	fputc('\n', f);
}

/* <properties> of a JSON object: strings as they are, other values as
 * compact JSON. */
static void props(const json_t *o, const char *indent, FILE *f)
{
	const char *k;
	json_t *v;

	if (!o)
		return;
	fprintf(f, "%s<properties>", indent);
	json_object_foreach((json_t *)o, k, v) {
		char *t = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

		fputs("<property name=\"", f);
		xml(f, k);
		fputs("\" value=\"", f);
		xml(f, t ? t : json_string_value(v));
		fputs("\"/>", f);
		free(t);
	}
	fputs("</properties>\n", f);
}

/* The cause of case ci for a message: the only new (or known) cause's
 * title or key, else NULL. */
static const struct report_cluster *only_cause(const struct report *r, size_t ci, bool known)
{
	const struct report_cluster *one = NULL;

	for (size_t i = 0; i < r->ncl; i++) {
		if (r->cl[i].known != known || r->cl[i].case_idx != ci)
			continue;
		if (one)
			return NULL;
		one = &r->cl[i];
	}
	return one;
}

static const char *cause_name(const struct report_cluster *c)
{
	return c->first.title[0] ? c->first.title : c->key;
}

static void testcase(const struct report *r, size_t ci, FILE *f)
{
	const struct report_case *c = &r->cases[ci];
	size_t ncl = 0;

	fputs("    <testcase classname=\"", f);
	xml(f, c->classname);
	fputs("\" name=\"", f);
	xml(f, c->name);
	fprintf(f, "\" time=\"%.3f\">\n", c->secs);
	props(c->props, "      ", f);
	for (size_t i = 0; i < r->ncl; i++)
		ncl += !r->cl[i].known && r->cl[i].case_idx == ci;
	if (c->status == REPORT_ERROR) {
		fputs("      <error message=\"", f);
		xml(f, c->note);
		fputs("\"/>\n", f);
	} else if (c->status == REPORT_SKIP) {
		fputs("      <skipped message=\"", f);
		xml(f, c->note);
		fputs("\"/>\n", f);
	} else if (c->status == REPORT_KNOWN) {
		/* JUnit has no expected failure: a known finding is reported
		 * as a skip that names it */
		const struct report_cluster *k = only_cause(r, ci, true);

		fprintf(f, "      <skipped message=\"known (baselined): ");
		if (k)
			xml(f, cause_name(k));
		else
			fprintf(f, "%lu findings", c->known_findings);
		fputs("\"/>\n", f);
	}
	if (c->new_findings) {
		const struct report_cluster *one = only_cause(r, ci, false);

		fputs("      <failure type=\"finding\" message=\"", f);
		if (one && one->first.title[0])
			xml(f, one->first.title);
		else
			fprintf(f, "%lu new finding%s, %zu cause%s", c->new_findings,
				c->new_findings == 1 ? "" : "s", ncl, ncl == 1 ? "" : "s");
		fputs("\">", f);
		for (size_t i = 0; i < r->ncl; i++)
			if (!r->cl[i].known && r->cl[i].case_idx == ci)
				cluster_body(r, &r->cl[i], f);
		fputs("</failure>\n", f);
	}
	fputs("      <system-out>", f);
	xml(f, c->note);
	if (c->known_findings)
		fprintf(f, "\n%lu known finding%s (baselined)", c->known_findings,
			c->known_findings == 1 ? "" : "s");
	fputs("</system-out>\n    </testcase>\n", f);
}

struct stale_ctx { FILE *f; };

static void stale_case(const struct baseline_entry *e, void *arg)
{
	struct stale_ctx *s = arg;
	char d[700];

	baseline_entry_describe(e, d, sizeof(d));
	fputs("    <testcase classname=\"baseline\" name=\"", s->f);
	xml(s->f, d);
	fputs("\"><skipped message=\"known finding not reproduced: fixed?\"/></testcase>\n", s->f);
}

int report_write_junit(const struct report *r, const char *path, char *err, size_t errlen)
{
	struct outfile of;
	struct stale_ctx s;
	size_t nstale = report_stale(r, NULL, NULL);
	int rc = outfile_open(&of, path);

	if (rc < 0) {
		snprintf(err, errlen, "%s", of.err);
		return rc;
	}
	s.f = of.f;
	fprintf(of.f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"");
	xml(of.f, r->title);
	fprintf(of.f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
		r->ncases + nstale, report_count_cases(r, REPORT_FAIL),
		report_count_cases(r, REPORT_ERROR), report_count_cases(r, REPORT_SKIP) + report_count_cases(r, REPORT_KNOWN) + nstale,
		report_elapsed(r));
	fputs("  <testsuite name=\"", of.f);
	xml(of.f, r->title);
	fprintf(of.f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n",
		r->ncases + nstale, report_count_cases(r, REPORT_FAIL),
		report_count_cases(r, REPORT_ERROR),
		report_count_cases(r, REPORT_SKIP) + report_count_cases(r, REPORT_KNOWN) + nstale);
	props(r->props, "    ", of.f);
	for (size_t i = 0; i < r->ncases; i++)
		testcase(r, i, of.f);
	report_stale(r, stale_case, &s);
	fputs("  </testsuite>\n</testsuites>\n", of.f);
	rc = outfile_commit(&of);
	if (rc < 0)
		snprintf(err, errlen, "%s", of.err);
	return rc;
}
