/*
 * TAP version 13 (testanything.org), as the Linux KVM selftests print it:
 * one test point per case; known findings are "not ok ... # TODO known"
 * (an expected failure), skips "ok ... # SKIP reason", stale baseline
 * entries "ok ... # TODO not reproduced" (an unexpected pass); new
 * findings are listed in a YAML block under their test point.
 */
#include <stddef.h>
#include <string.h>

#include "harness/report/report.h"

/* A one-line YAML scalar in single quotes (quotes doubled, line breaks
 * and other control characters turned into spaces). */
static void yq(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\'')
			fputs("''", f);
		else
			fputc(c < 0x20 ? ' ' : c, f);
	}
	fputc('\'', f);
}

/* A description on a test-point line: '#' would start a directive. */
static void desc(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '#' ? '_' : (unsigned char)*s < 0x20 ? ' ' : *s, f);
}

static void yaml_cluster(const struct report_cluster *c, FILE *f)
{
	const struct finding *x = &c->first;
	static const struct { const char *k; size_t off; } keys[] = {
		{ "where", offsetof(struct finding, where) },
		{ "input", offsetof(struct finding, context) },
		{ "expected", offsetof(struct finding, expected) },
		{ "observed", offsetof(struct finding, observed) },
		{ "rule", offsetof(struct finding, rule) },
		{ "reproduce", offsetof(struct finding, reproduce) },
	};

	fputs("    - cause: ", f);
	yq(f, c->key);
	fprintf(f, "\n      count: %lu\n", c->count);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = (const char *)x + keys[i].off;

		if (!*v)
			continue;
		fprintf(f, "      %s: ", keys[i].k);
		yq(f, v);
		fputc('\n', f);
	}
}

struct tap_ctx { FILE *f; size_t n; };

static void stale_point(const struct baseline_entry *e, void *arg)
{
	struct tap_ctx *t = arg;
	char d[700];

	baseline_entry_describe(e, d, sizeof(d));
	fprintf(t->f, "ok %zu - baseline: ", ++t->n);
	desc(t->f, d);
	fputs(" # TODO known finding not reproduced: fixed?\n", t->f);
}

void report_write_tap(const struct report *r, FILE *f)
{
	struct tap_ctx t = { f, 0 };

	fprintf(f, "TAP version 13\n1..%zu\n# %s\n", r->ncases + report_stale(r, NULL, NULL),
		r->title);
	for (size_t i = 0; i < r->ncases; i++) {
		const struct report_case *c = &r->cases[i];
		bool ok = c->status == REPORT_PASS || c->status == REPORT_SKIP;

		fprintf(f, "%s %zu - ", ok ? "ok" : "not ok", ++t.n);
		desc(f, c->name);
		if (c->status == REPORT_SKIP) {
			fputs(" # SKIP ", f);
			desc(f, c->note);
		} else if (c->status == REPORT_KNOWN) {
			fprintf(f, " # TODO known: %lu baselined finding%s", c->known_findings,
				c->known_findings == 1 ? "" : "s");
		}
		fputc('\n', f);
		if (c->status != REPORT_FAIL && c->status != REPORT_ERROR)
			continue;
		fputs("  ---\n  message: ", f);
		if (c->status == REPORT_ERROR) {
			yq(f, c->note);
			fputc('\n', f);
		} else {
			char m[96];

			snprintf(m, sizeof(m), "%lu new finding%s", c->new_findings,
				 c->new_findings == 1 ? "" : "s");
			yq(f, m);
			fputs("\n  findings:\n", f);
			for (size_t k = 0; k < r->ncl; k++)
				if (!r->cl[k].known && r->cl[k].case_idx == i)
					yaml_cluster(&r->cl[k], f);
		}
		fputs("  ...\n", f);
	}
	report_stale(r, stale_point, &t);
	fprintf(f, "# totals: pass:%zu fail:%zu known:%zu skip:%zu error:%zu\n",
		report_count_cases(r, REPORT_PASS), report_count_cases(r, REPORT_FAIL),
		report_count_cases(r, REPORT_KNOWN), report_count_cases(r, REPORT_SKIP),
		report_count_cases(r, REPORT_ERROR));
}
