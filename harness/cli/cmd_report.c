/*
 * hvexit report FINDINGS.jsonl... [options]
 *
 * The report writer for tools outside this binary (ci/fuzz-nightly, the
 * real-KVM run's console log): reads findings and cases as JSON Lines
 * (docs/findings.md) and writes the same text, JSON, JUnit XML or TAP 13
 * report, with the same baselines, as replay, validate and xcheck do.
 *
 *   {"type":"report","title":T,"props":{...}}     (optional, once)
 *   {"type":"case","name":N,"class":C,"status":"PASS|SKIP|ERROR","note":T}
 *   {"type":"finding","case":N, ...the fields of a finding...}
 *
 * A case that only appears in findings is created; a case's status is FAIL
 * or KNOWN when it has new or known findings. Exit: 0 no new finding and
 * no failed case, 1 new findings, 2 bad input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/cli/cli.h"
#include "harness/util/infile.h"
#include "harness/cli/cmds.h"
#include "harness/cli/report_out.h"
#include "harness/report/report.h"
#include "harness/util/grow.h"
#include "hvexit/common.h"

#define MAX_LINE (1u << 20)
#define MAX_RECORDS 1000000u

struct rcase {
	char name[256], classname[64], note[512];
	enum report_status st;
	json_t *props;
};

struct input {
	char title[64];
	json_t *props;		/* from a {"type":"report"} record */
	struct rcase *cases;
	size_t ncases, capcases;
	struct finding *f;
	size_t *fcase;
	size_t nf, capf;
};

/* The case with this name (and class, when given: two targets may both
 * have a case "libfuzzer"), created when new. */
static long case_index(struct input *in, const char *cls, const char *name)
{
	for (size_t i = 0; i < in->ncases; i++)
		if (!strcmp(in->cases[i].name, name) &&
		    (!cls || !strcmp(in->cases[i].classname, cls)))
			return (long)i;
	if (util_grow(&in->cases, &in->capcases, in->ncases + 1, sizeof(in->cases[0]), 16))
		return -ENOMEM;
	memset(&in->cases[in->ncases], 0, sizeof(in->cases[0]));
	snprintf(in->cases[in->ncases].name, sizeof(in->cases[0].name), "%s", name);
	snprintf(in->cases[in->ncases].classname, sizeof(in->cases[0].classname), "%s",
		 cls ? cls : "hvexit");
	return (long)in->ncases++;
}

static int parse_status(const char *s, enum report_status *st)
{
	static const struct { const char *name; enum report_status st; } t[] = {
		{ "PASS", REPORT_PASS }, { "SKIP", REPORT_SKIP }, { "ERROR", REPORT_ERROR },
		{ "FAIL", REPORT_PASS }, { "KNOWN", REPORT_PASS },	/* decided by findings */
	};

	for (size_t i = 0; i < HVX_ARRAY_SIZE(t); i++)
		if (!strcmp(s, t[i].name)) {
			*st = t[i].st;
			return 0;
		}
	return -EINVAL;
}

/* A record's "props" object (a copy) replaces the one kept before. */
static void keep_props(json_t **kept, const json_t *props)
{
	if (!json_is_object(props))
		return;
	json_decref(*kept);
	*kept = json_deep_copy(props);
}

static int add_record(struct input *in, const json_t *o, char *err, size_t errlen)
{
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *cn = json_string_value(json_object_get(o, "case"));
	long ci;

	if (!type) {
		snprintf(err, errlen, "record without a \"type\"");
		return -EINVAL;
	}
	if (!strcmp(type, "report")) {
		const char *t = json_string_value(json_object_get(o, "title"));
		const json_t *p = json_object_get(o, "props");

		if (t)
			snprintf(in->title, sizeof(in->title), "%s", t);
		keep_props(&in->props, p);
		return 0;
	}
	if (!strcmp(type, "case")) {
		const char *name = json_string_value(json_object_get(o, "name"));
		const char *st = json_string_value(json_object_get(o, "status"));
		const char *cls = json_string_value(json_object_get(o, "class"));
		const char *note = json_string_value(json_object_get(o, "note"));
		const json_t *props = json_object_get(o, "props");
		struct rcase *c;

		if (!name) {
			snprintf(err, errlen, "case record without a \"name\"");
			return -EINVAL;
		}
		ci = case_index(in, cls, name);
		if (ci < 0)
			return (int)ci;
		c = &in->cases[ci];
		if (st && parse_status(st, &c->st) < 0) {
			snprintf(err, errlen, "case \"%s\": status \"%s\" is not PASS, SKIP or ERROR",
				 name, st);
			return -EINVAL;
		}
		if (note)
			snprintf(c->note, sizeof(c->note), "%s", note);
		keep_props(&c->props, props);
		return 0;
	}
	if (strcmp(type, "finding")) {
		snprintf(err, errlen, "unknown record type \"%s\"", type);
		return -EINVAL;
	}
	if (in->nf >= MAX_RECORDS) {
		snprintf(err, errlen, "more than %u findings", MAX_RECORDS);
		return -E2BIG;
	}
	if (in->nf == in->capf) {
		size_t nc = in->capf ? 2 * in->capf : 64;
		struct finding *nf = realloc(in->f, nc * sizeof(*nf));
		size_t *nfc = nf ? realloc(in->fcase, nc * sizeof(*nfc)) : NULL;

		if (nf)
			in->f = nf;
		if (!nf || !nfc)
			return -ENOMEM;
		in->fcase = nfc;
		in->capf = nc;
	}
	if (finding_from_json(o, &in->f[in->nf], err, errlen) < 0)
		return -EINVAL;
	ci = case_index(in, NULL, cn ? cn : "findings");
	if (ci < 0)
		return (int)ci;
	in->fcase[in->nf++] = (size_t)ci;
	return 0;
}

static int read_file(struct input *in, const char *path)
{
	FILE *f;
	struct stat st;
	char *line = NULL, err[512];
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int rc = 0;

	if (infile_check(path, err, sizeof(err)) < 0)
		return cli_error("report", "%s", err);
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return cli_error("report", "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = cli_error("report", "%s: is a directory", path);
		goto out;
	}
	while ((n = infile_getline(&line, &cap, f, MAX_LINE)) >= 0 || n == -EFBIG) {
		json_error_t je;
		json_t *o;

		lineno++;
		if (n == -EFBIG) {
			rc = cli_error("report", "%s:%lu: line longer than 1 MiB", path, lineno);
			goto out;
		}
		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		o = json_loadb(line, (size_t)n, 0, &je);
		if (!json_is_object(o)) {
			json_decref(o);
			rc = cli_error("report", "%s:%lu: not a JSON object%s%s", path, lineno,
				       o ? "" : ": ", o ? "" : je.text);
			goto out;
		}
		if (add_record(in, o, err, sizeof(err)) < 0) {
			json_decref(o);
			rc = cli_error("report", "%s:%lu: %s", path, lineno, err);
			goto out;
		}
		json_decref(o);
	}
	if (ferror(f))
		rc = cli_error("report", "%s: read error", path);
out:
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	const char *source = NULL, *title = NULL, *kernel = NULL;
	struct report_out ro = { .cmd = "report" };
	const struct cli_opt opts[] = {
		OPT_STR("--source", &source, "NAME", "tool named in the report (default: the findings')"),
		OPT_STR("--title", &title, "TEXT", "report title (default: hvexit SOURCE)"),
		OPT_REPORT_BASELINE(&ro),
		OPT_REPORT_UPDATE(&ro),
		OPT_STR("--kernel", &kernel, "RELEASE", "kernel the findings were seen on (baselines)"),
		OPT_REPORT_FORMATS(&ro, "case"),
	};
	const struct cli_cmd cmd = {
		.name = "report", .synopsis = "FINDINGS.jsonl... [options]", .min_operands = 1,
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts),
		.about = "Writes the report of findings and cases given as JSON Lines (docs/findings.md),\n"
			 "with a baseline applied. Exit 0 no new finding, 1 new findings, 2 bad input.",
	};
	char **files = NULL, t[64];
	struct input in = { 0 };
	struct report *rep = NULL;
	int nfiles, status;

	if (!cli_parse_new(&cmd, argc, argv, &files, &nfiles, &status) ||
	    report_out_load(&ro, files, nfiles, "input"))
		goto out;
	for (int i = 0; i < nfiles; i++)
		if (read_file(&in, files[i]))
			goto out;
	if (!source)
		source = in.nf ? in.f[0].source : "report";
	snprintf(t, sizeof(t), "hvexit %s", source);
	rep = report_new(source, title ? title : in.title[0] ? in.title : t);
	if (!rep || report_out_attach(&ro, rep))
		goto out;
	if (in.props) {
		const char *k;
		json_t *v;

		json_object_foreach(in.props, k, v)
			report_prop(rep, k, json_incref(v));
	}
	if (kernel)
		report_set_kernel(rep, kernel);
	for (size_t c = 0; c < in.ncases; c++) {
		report_case_begin(rep, in.cases[c].classname, in.cases[c].name);
		for (size_t k = 0; k < in.nf; k++)
			if (in.fcase[k] == c)
				report_add(rep, &in.f[k]);
		if (in.cases[c].props)
			report_case_prop(rep, "props", json_incref(in.cases[c].props));
		report_case_end(rep, in.cases[c].st, "%s", in.cases[c].note);
	}
	status = report_out_update(&ro, rep, report_exit_status(rep));
	if (status != 2 && report_count_cases(rep, REPORT_ERROR))
		status = 2;
	report_out_print(&ro, rep, NULL, 0);
	status = report_out_finish(&ro, rep, stderr, status);
out:
	for (size_t c = 0; c < in.ncases; c++)
		json_decref(in.cases[c].props);
	json_decref(in.props);
	free(in.cases);
	free(in.f);
	free(in.fcase);
	report_out_free(&ro);
	report_free(rep);
	free(files);
	return status;
}
