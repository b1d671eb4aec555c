/* Collecting findings into a report (report.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/report/report.h"
#include "harness/util/grow.h"
#include "harness/util/clock.h"

struct report *report_new(const char *source, const char *title)
{
	struct report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	snprintf(r->source, sizeof(r->source), "%s", source);
	snprintf(r->title, sizeof(r->title), "%s", title);
	report_set_labels(r, NULL, NULL);
	r->cur = SIZE_MAX;
	r->t0 = util_now_s();
	return r;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ncases; i++)
		json_decref(r->cases[i].props);
	for (size_t i = 0; i < r->ncl; i++)
		free(r->cl[i].fps);
	json_decref(r->props);
	free(r->cases);
	free(r->cl);
	free(r->hidx);
	free(r);
}

void report_set_labels(struct report *r, const char *expected, const char *observed)
{
	snprintf(r->label_expected, sizeof(r->label_expected), "%s",
		 expected ? expected : "expected");
	snprintf(r->label_observed, sizeof(r->label_observed), "%s",
		 observed ? observed : "observed");
}

void report_set_kernel(struct report *r, const char *kernel)
{
	snprintf(r->kernel, sizeof(r->kernel), "%s", kernel ? kernel : "");
}

void report_use_baseline(struct report *r, struct baseline *b)
{
	r->bl = b;
}

void report_stream_to(struct report *r, FILE *f)
{
	r->stream = f;
}

void report_prop(struct report *r, const char *key, json_t *value)
{
	if (!r->props)
		r->props = json_object();
	json_object_set_new(r->props, key, value);
}

size_t report_case_begin(struct report *r, const char *classname, const char *name)
{
	struct report_case *c;

	if (r->cur != SIZE_MAX)
		report_case_end(r, REPORT_PASS, NULL);
	if (util_grow(&r->cases, &r->capcases, r->ncases + 1, sizeof(r->cases[0]), 16))
		return SIZE_MAX;
	c = &r->cases[r->ncases];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->classname, sizeof(c->classname), "%s", classname);
	c->secs = util_now_s();
	r->cur = r->ncases++;
	return r->cur;
}

void report_case_prop(struct report *r, const char *key, json_t *value)
{
	struct report_case *c;

	if (r->cur == SIZE_MAX) {
		json_decref(value);
		return;
	}
	c = &r->cases[r->cur];
	if (!c->props)
		c->props = json_object();
	json_object_set_new(c->props, key, value);
}

void report_case_partial(struct report *r)
{
	if (r->cur != SIZE_MAX)
		r->cases[r->cur].partial = true;
}

void report_case_end(struct report *r, enum report_status st, const char *fmt, ...)
{
	struct report_case *c;

	if (r->cur == SIZE_MAX)
		return;
	c = &r->cases[r->cur];
	if (fmt) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(c->note, sizeof(c->note), fmt, ap);
		va_end(ap);
	}
	if (st == REPORT_ERROR)
		c->status = REPORT_ERROR;
	else if (c->new_findings)
		c->status = REPORT_FAIL;
	else if (c->known_findings)
		c->status = REPORT_KNOWN;
	else
		c->status = st;
	c->secs = util_now_s() - c->secs;
	r->cur = SIZE_MAX;
}

/* FNV-1a: the cluster index only needs spreading, not strength. */
static uint64_t hash_str(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
	return h;
}

static int grow_index(struct report *r)
{
	size_t nc = r->hcap ? 2 * r->hcap : 256;
	size_t *n = calloc(nc, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (size_t i = 0; i < r->ncl; i++) {
		size_t k = hash_str(r->cl[i].key) & (nc - 1);

		while (n[k])
			k = (k + 1) & (nc - 1);
		n[k] = i + 1;
	}
	free(r->hidx);
	r->hidx = n;
	r->hcap = nc;
	return 0;
}

/* The cluster of key, created when new (NULL: out of memory or full). */
static struct report_cluster *cluster_of(struct report *r, const char *key, bool *created)
{
	size_t k;

	*created = false;
	if ((r->ncl + 1) * 2 > r->hcap && grow_index(r) < 0)
		return NULL;
	for (k = hash_str(key) & (r->hcap - 1); r->hidx[k]; k = (k + 1) & (r->hcap - 1))
		if (!strcmp(r->cl[r->hidx[k] - 1].key, key))
			return &r->cl[r->hidx[k] - 1];
	if (r->ncl >= REPORT_MAX_CLUSTERS)
		return NULL;
	if (util_grow(&r->cl, &r->capcl, r->ncl + 1, sizeof(r->cl[0]), 16))
		return NULL;
	memset(&r->cl[r->ncl], 0, sizeof(r->cl[0]));
	snprintf(r->cl[r->ncl].key, sizeof(r->cl[0].key), "%s", key);
	r->hidx[k] = ++r->ncl;
	*created = true;
	return &r->cl[r->ncl - 1];
}

bool report_has_cluster(const struct report *r, const struct finding *f)
{
	char key[512];

	if (!r->hcap)
		return false;
	finding_group_key(f, key, sizeof(key));
	for (size_t k = hash_str(key) & (r->hcap - 1); r->hidx[k]; k = (k + 1) & (r->hcap - 1))
		if (!strcmp(r->cl[r->hidx[k] - 1].key, key))
			return true;
	return false;
}

static void keep_fingerprint(struct report_cluster *c, const char *fp)
{
	for (unsigned i = 0; i < c->nfps; i++)
		if (!strcmp(c->fps[i], fp))
			return;
	if (c->nfps >= REPORT_MAX_FINGERPRINTS) {
		c->fps_overflow = true;
		return;
	}
	if (!c->fps) {
		c->fps = calloc(REPORT_MAX_FINGERPRINTS, sizeof(*c->fps));
		if (!c->fps) {
			c->fps_overflow = true;
			return;
		}
	}
	snprintf(c->fps[c->nfps++], sizeof(c->fps[0]), "%s", fp);
}

static const char *case_name(const struct report *r, size_t i)
{
	return i < r->ncases ? r->cases[i].name : NULL;
}

int report_add(struct report *r, struct finding *f)
{
	struct report_cluster *c;
	char key[512];
	bool created, known;

	if (!f->source[0])
		snprintf(f->source, sizeof(f->source), "%s", r->source);
	/* the hash is only needed to match instances, to list new ones and to
	 * stream them: a sweep of known causes skips it */
	if (r->stream || !r->bl || r->bl->has_fingerprints)
		finding_fingerprint(f);
	known = baseline_match(r->bl, f, case_name(r, r->cur), r->kernel[0] ? r->kernel : NULL) >= 0;
	if (!known)
		finding_fingerprint(f);
	if (r->cur != SIZE_MAX) {
		if (known)
			r->cases[r->cur].known_findings++;
		else
			r->cases[r->cur].new_findings++;
	}
	known ? r->known_total++ : r->new_total++;
	if (r->stream) {
		json_t *o = finding_to_json(f);

		json_object_set_new(o, "type", json_string("finding"));
		if (r->cur != SIZE_MAX)
			json_object_set_new(o, "case", json_string(r->cases[r->cur].name));
		json_object_set_new(o, "known", json_boolean(known));
		json_dumpf(o, r->stream, JSON_COMPACT | JSON_ENSURE_ASCII);
		fputc('\n', r->stream);
		json_decref(o);
	}
	finding_group_key(f, key, sizeof(key));
	/* Known and new instances of one cause are separate groups: a new
	 * value of a baselined bug must stand out. */
	if (known)
		strncat(key, " [known]", sizeof(key) - strlen(key) - 1);
	c = cluster_of(r, key, &created);
	if (!c) {
		r->unlisted++;
		return known ? 0 : 1;
	}
	if (created) {
		c->first = *f;
		c->case_idx = r->cur;
		c->known = known;
	}
	c->count++;
	if (!known)
		keep_fingerprint(c, f->fingerprint);
	return known ? 0 : 1;
}

/* A case that ran to its end: not an error, not read in part, and not
 * skipped (a skipped case did not run, so it proves nothing fixed). */
static bool case_ran_clean(const struct report *r, const char *name)
{
	for (size_t i = 0; i < r->ncases; i++)
		if (!strcmp(r->cases[i].name, name))
			return r->cases[i].status != REPORT_ERROR &&
			       r->cases[i].status != REPORT_SKIP && !r->cases[i].partial;
	return false;
}

/* In scope: the entry's source is ours, and its case (if it names one)
 * ran to the end in this report. */
static bool entry_in_run(const struct report *r, const struct baseline_entry *e)
{
	if (!baseline_in_scope(e, r->source, NULL, r->kernel[0] ? r->kernel : NULL))
		return false;
	if (e->kernel[0] && !r->kernel[0])
		return false;
	if (e->case_name[0])
		return case_ran_clean(r, e->case_name);
	for (size_t i = 0; i < r->ncases; i++)
		if (r->cases[i].status == REPORT_ERROR || r->cases[i].partial)
			return false;	/* a case-less entry might be in the unread case */
	return r->ncases > 0;
}

size_t report_stale(const struct report *r,
		    void (*fn)(const struct baseline_entry *e, void *arg), void *arg)
{
	size_t n = 0;

	for (size_t i = 0; r->bl && i < r->bl->n; i++) {
		const struct baseline_entry *e = &r->bl->e[i];

		if (e->hits || !entry_in_run(r, e))
			continue;
		n++;
		if (fn)
			fn(e, arg);
	}
	return n;
}

int report_update_baseline(struct report *r, FILE *log, char *err, size_t errlen)
{
	struct baseline *b = r->bl;
	int rc;

	if (!b)
		return -EINVAL;
	b->added = b->dropped = 0;
	for (size_t i = 0; i < b->n; i++)
		if (!b->e[i].hits && entry_in_run(r, &b->e[i]))
			baseline_drop(b, i);
	for (size_t i = 0; i < r->ncl; i++) {
		struct report_cluster *c = &r->cl[i];
		struct finding f = c->first;
		const char *cn = case_name(r, c->case_idx);

		if (c->known)
			continue;
		if (c->fps_overflow) {
			/* too many distinct values to list: the whole cause */
			if (baseline_add(b, &f, cn, true) < 0)
				return -ENOMEM;
			continue;
		}
		for (unsigned k = 0; k < c->nfps; k++) {
			snprintf(f.fingerprint, sizeof(f.fingerprint), "%s", c->fps[k]);
			if (baseline_add(b, &f, cn, false) < 0)
				return -ENOMEM;
		}
	}
	rc = baseline_save(b, err, errlen);
	if (rc == 0 && log)
		fprintf(log, "%s: baseline %s: %lu entr%s added, %lu removed (not reproduced), %zu kept\n",
			r->title, b->path, b->added, b->added == 1 ? "y" : "ies", b->dropped,
			b->n - b->dropped - b->added);
	return rc;
}

size_t report_count_cases(const struct report *r, enum report_status st)
{
	size_t n = 0;

	for (size_t i = 0; i < r->ncases; i++)
		n += r->cases[i].status == st;
	return n;
}

const char *report_status_name(enum report_status st)
{
	static const char *const names[] = {
		[REPORT_PASS] = "PASS", [REPORT_FAIL] = "FAIL", [REPORT_KNOWN] = "KNOWN",
		[REPORT_SKIP] = "SKIP", [REPORT_ERROR] = "ERROR",
	};

	return (unsigned)st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

int report_exit_status(const struct report *r)
{
	return r->new_total || report_count_cases(r, REPORT_FAIL) ? 1 : 0;
}

double report_elapsed(const struct report *r)
{
	return util_now_s() - r->t0;
}
