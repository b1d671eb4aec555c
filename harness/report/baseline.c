/* Baselines of known findings (baseline.h, docs/findings.md). */
#include <errno.h>
#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/report/baseline.h"
#include "harness/util/grow.h"
#include "harness/util/outfile.h"

#define BASELINE_MAX_BYTES (64u << 20)	/* a baseline is a reviewed text file */

#define EF(k, m) TEXT_FIELD(k, struct baseline_entry, m)
static const struct text_field entry_fields[] = {
	EF("source", source), EF("kind", kind), EF("field", field),
	EF("fingerprint", fingerprint), EF("cluster", cluster), EF("case", case_name),
	EF("kernel", kernel), EF("expected", expected), EF("observed", observed),
	EF("first_seen", first_seen), EF("note", note),
};
#undef EF
#define N_ENTRY_FIELDS (sizeof(entry_fields) / sizeof(entry_fields[0]))

struct baseline *baseline_new(const char *path)
{
	struct baseline *b = calloc(1, sizeof(*b));

	if (b)
		snprintf(b->path, sizeof(b->path), "%s", path);
	return b;
}

void baseline_free(struct baseline *b)
{
	if (!b)
		return;
	free(b->e);
	free(b);
}

static struct baseline_entry *entry_new(struct baseline *b)
{
	if (util_grow(&b->e, &b->cap, b->n + 1, sizeof(b->e[0]), 16))
		return NULL;
	memset(&b->e[b->n], 0, sizeof(b->e[0]));
	return &b->e[b->n++];
}

static int entry_from_json(struct baseline *b, const json_t *o, int version, size_t idx,
			   char *err, size_t errlen)
{
	struct baseline_entry *e;
	const char *bad;

	if (!json_is_object(o)) {
		snprintf(err, errlen, "%s: known[%zu] is not an object", b->path, idx);
		return -EINVAL;
	}
	e = entry_new(b);
	if (!e)
		return -ENOMEM;
	bad = text_fields_from_json(o, e, entry_fields, N_ENTRY_FIELDS);
	if (bad) {
		snprintf(err, errlen, "%s: known[%zu].%s is not a string", b->path, idx, bad);
		return -EINVAL;
	}
	if (version == 1) {
		/* replay's first format: fingerprints, "first_seen": "FILE seq N" */
		const char *seq = strstr(e->first_seen, " seq ");

		snprintf(e->source, sizeof(e->source), "replay");
		if (seq)
			snprintf(e->case_name, sizeof(e->case_name), "%.*s",
				 (int)(seq - e->first_seen), e->first_seen);
	}
	b->has_fingerprints |= e->fingerprint[0] != '\0';
	if (!e->fingerprint[0] && !e->cluster[0]) {
		snprintf(err, errlen, "%s: known[%zu] has neither \"fingerprint\" nor \"cluster\"",
			 b->path, idx);
		return -EINVAL;
	}
	return 0;
}

int baseline_load(const char *path, bool must_exist, struct baseline **out,
		  char *err, size_t errlen)
{
	struct baseline *b = baseline_new(path);
	json_error_t je;
	json_t *j = NULL, *known, *v;
	struct stat st;
	size_t i;
	int rc = 0;
	json_int_t ver;

	if (!b)
		return -ENOMEM;
	*out = NULL;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT && !must_exist) {
			*out = b;
			return 0;
		}
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)BASELINE_MAX_BYTES) {
		rc = -EINVAL;
		snprintf(err, errlen, "%s: not a baseline file (%s)", path,
			 S_ISREG(st.st_mode) ? "larger than 64 MiB" : "not a regular file");
		goto out;
	}
	j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		rc = -EINVAL;
		snprintf(err, errlen, "%s:%d: baseline is not JSON: %s", path, je.line, je.text);
		goto out;
	}
	ver = json_integer_value(json_object_get(j, "hvexit_baseline"));
	known = json_object_get(j, "known");
	if ((ver != 1 && ver != BASELINE_VERSION) || !json_is_array(known)) {
		rc = -EINVAL;
		snprintf(err, errlen, "%s: not an hvexit baseline (needs \"hvexit_baseline\": %d "
			 "and a \"known\" array)", path, BASELINE_VERSION);
		goto out;
	}
	json_array_foreach(known, i, v) {
		rc = entry_from_json(b, v, (int)ver, i, err, errlen);
		if (rc < 0)
			goto out;
	}
	*out = b;
	b = NULL;
out:
	json_decref(j);
	baseline_free(b);
	return rc;
}

static bool eq_or_unset(const char *want, const char *have)
{
	return !*want || (have && !strcmp(want, have));
}

bool baseline_in_scope(const struct baseline_entry *e, const char *source,
		       const char *case_name, const char *kernel)
{
	if (e->removed || !eq_or_unset(e->source, source))
		return false;
	if (e->case_name[0] && case_name && strcmp(e->case_name, case_name))
		return false;
	if (e->kernel[0] && (!kernel || fnmatch(e->kernel, kernel, 0)))
		return false;
	return true;
}

static bool covers(const struct baseline_entry *e, const struct finding *f,
		   const char *case_name, const char *kernel)
{
	if (!baseline_in_scope(e, f->source, case_name, kernel))
		return false;
	if (e->case_name[0] && !case_name)
		return false;
	if (!eq_or_unset(e->kind, f->kind))
		return false;
	/* A fingerprint is hashed over the field already, so an entry keeps
	 * matching when a tool groups the field under a new name (replay:
	 * outcome.writes.x3 became outcome.writes.Rt). */
	if (e->fingerprint[0])
		return !strcmp(e->fingerprint, f->fingerprint);
	return eq_or_unset(e->field, f->field) && !strcmp(e->cluster, f->cluster);
}

long baseline_match(struct baseline *b, const struct finding *f,
		    const char *case_name, const char *kernel)
{
	for (size_t i = 0; b && i < b->n; i++) {
		if (covers(&b->e[i], f, case_name, kernel)) {
			b->e[i].hits++;
			return (long)i;
		}
	}
	return -1;
}

int baseline_add(struct baseline *b, const struct finding *f, const char *case_name,
		 bool whole_cluster)
{
	struct baseline_entry *e;

	for (size_t i = 0; i < b->n; i++)
		if (covers(&b->e[i], f, case_name, NULL))
			return 0;
	e = entry_new(b);
	if (!e)
		return -ENOMEM;
	snprintf(e->source, sizeof(e->source), "%s", f->source);
	snprintf(e->kind, sizeof(e->kind), "%s", f->kind);
	snprintf(e->field, sizeof(e->field), "%s", f->field);
	snprintf(e->cluster, sizeof(e->cluster), "%s", f->cluster);
	if (!whole_cluster) {
		snprintf(e->fingerprint, sizeof(e->fingerprint), "%s", f->fingerprint);
		b->has_fingerprints = true;
	}
	snprintf(e->case_name, sizeof(e->case_name), "%s", case_name ? case_name : "");
	snprintf(e->expected, sizeof(e->expected), "%s", f->expected);
	snprintf(e->observed, sizeof(e->observed), "%s", f->observed);
	snprintf(e->first_seen, sizeof(e->first_seen), "%s", f->where);
	e->hits = 1;
	b->added++;
	return 1;
}

void baseline_drop(struct baseline *b, size_t i)
{
	if (i < b->n && !b->e[i].removed) {
		b->e[i].removed = true;
		b->dropped++;
	}
}

int baseline_save(const struct baseline *b, char *err, size_t errlen)
{
	json_t *o = json_object(), *arr = json_array();
	struct outfile of;
	int rc;

	for (size_t i = 0; i < b->n; i++) {
		json_t *e;

		if (b->e[i].removed)
			continue;
		e = json_object();
		text_fields_to_json(e, &b->e[i], entry_fields, N_ENTRY_FIELDS, json_string);
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "hvexit_baseline", json_integer(BASELINE_VERSION));
	json_object_set_new(o, "known", arr);
	rc = outfile_open(&of, b->path);
	if (rc == 0) {
		if (json_dumpf(o, of.f, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_ENSURE_ASCII) < 0 ||
		    fputc('\n', of.f) == EOF) {
			outfile_abort(&of);
			snprintf(of.err, sizeof(of.err), "%s: write failed (previous content kept)",
				 b->path);
			rc = -EIO;
		} else {
			rc = outfile_commit(&of);
		}
	}
	if (rc < 0)
		snprintf(err, errlen, "%s", of.err);
	json_decref(o);
	return rc;
}

void baseline_entry_describe(const struct baseline_entry *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s %s%s%s%s%s", e->source[0] ? e->source : "*",
		 e->case_name[0] ? " " : "", e->case_name, e->field[0] ? e->field : e->kind,
		 e->cluster[0] ? " [" : "", e->cluster, e->cluster[0] ? "]" : "",
		 e->fingerprint[0] ? "" : " (whole cluster)");
	if (e->fingerprint[0]) {
		size_t n = strlen(buf);

		snprintf(buf + n, n < len ? len - n : 0, " fingerprint %s", e->fingerprint);
	}
}
