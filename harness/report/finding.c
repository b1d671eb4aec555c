/* The finding model (finding.h). */
#include <errno.h>
#include <stdlib.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "harness/report/finding.h"
#include "harness/util/sha256.h"
#include "harness/util/utf8.h"

json_t *report_json_text(const char *s)
{
	char *fixed;
	json_t *j;

	if (!s)
		s = "";
	if (utf8_valid(s))
		return json_string(s);
	fixed = utf8_lossy(s);
	j = fixed ? json_string(fixed) : NULL;
	free(fixed);
	return j;
}

void finding_setf(char *dst, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, len, fmt, ap);
	va_end(ap);
}

void finding_init(struct finding *f, const char *kind, const char *field, const char *expected,
		  const char *observed)
{
	memset(f, 0, sizeof(*f));
	finding_set(f, kind, "%s", kind);
	finding_set(f, field, "%s", field);
	finding_set(f, expected, "%s", expected);
	finding_set(f, observed, "%s", observed);
}

const char *text_fields_from_json(const json_t *o, void *base, const struct text_field *t,
				  size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_object_get(o, t[i].key);

		if (v && !json_is_string(v))
			return t[i].key;
		if (v)
			snprintf((char *)base + t[i].off, t[i].len, "%s", json_string_value(v));
	}
	return NULL;
}

void text_fields_to_json(json_t *o, const void *base, const struct text_field *t, size_t n,
			 json_t *(*conv)(const char *))
{
	for (size_t i = 0; i < n; i++) {
		const char *v = (const char *)base + t[i].off;

		if (*v)
			json_object_set_new(o, t[i].key, conv(v));
	}
}

/* The text fields in JSON order, with their sizes (docs/findings.md). */
#define TF(m) TEXT_FIELD(#m, struct finding, m)
static const struct text_field text_fields[] = {
	TF(source), TF(kind), TF(field), TF(expected), TF(observed), TF(rule),
	TF(cluster), TF(where), TF(context), TF(reproduce), TF(fingerprint), TF(title),
};
#undef TF
#define N_TEXT_FIELDS (sizeof(text_fields) / sizeof(text_fields[0]))

const char *finding_fingerprint(struct finding *f)
{
	char buf[2048];
	uint8_t h[32];
	int n;

	if (f->fingerprint[0])
		return f->fingerprint;
	n = snprintf(buf, sizeof(buf), "%s|%s|%s|%s|%s|%s|%s", f->source, f->kind, f->field,
		     f->cluster, f->expected, f->observed, f->context);
	util_sha256(buf, n < 0 ? 0 : (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1, h);
	for (unsigned i = 0; i < 8; i++)
		snprintf(f->fingerprint + 2 * i, 3, "%02x", h[i]);
	return f->fingerprint;
}

void finding_group_key(const struct finding *f, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%s%s%s", f->source, f->kind, f->field,
		 f->cluster[0] ? "/" : "", f->cluster);
}

json_t *finding_to_json(const struct finding *f)
{
	json_t *o = json_object();

	text_fields_to_json(o, f, text_fields, N_TEXT_FIELDS, report_json_text);
	return o;
}

int finding_from_json(const json_t *o, struct finding *f, char *err, size_t errlen)
{
	const char *bad;

	memset(f, 0, sizeof(*f));
	if (!json_is_object(o)) {
		snprintf(err, errlen, "a finding must be a JSON object");
		return -EINVAL;
	}
	bad = text_fields_from_json(o, f, text_fields, N_TEXT_FIELDS);
	if (bad) {
		snprintf(err, errlen, "finding \"%s\" is not a string", bad);
		return -EINVAL;
	}
	if (!f->source[0] || !f->kind[0] || !f->field[0]) {
		snprintf(err, errlen, "a finding needs \"source\", \"kind\" and \"field\"");
		return -EINVAL;
	}
	return 0;
}
