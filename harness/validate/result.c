/*
 * Per entry point, per field: cases compared and failed; every failure
 * goes to the report as a struct finding (validate.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hvexit/common.h"
#include "harness/validate/validate.h"

static const char *const class_kind[] = {
	[VAL_CONFORMANCE] = "conformance", [VAL_ROBUSTNESS] = "robustness",
};

unsigned val_field(struct val_ep *ep, const char *name, const char *rule)
{
	for (unsigned i = 0; i < ep->nfields; i++)
		if (!strcmp(ep->f[i].name, name))
			return i;
	if (ep->nfields == VAL_MAX_FIELDS)
		return VAL_MAX_FIELDS - 1;
	ep->f[ep->nfields] = (struct val_field){ .name = name, .rule = rule };
	return ep->nfields++;
}

static void fill(const struct val_ep *ep, unsigned fi, const char *cluster,
		 struct finding *f)
{
	memset(f, 0, sizeof(*f));
	finding_set(f, source, "validate");
	finding_set(f, kind, "%s", class_kind[ep->cls]);
	finding_set(f, field, "%s.%s", ep->name, ep->f[fi].name);
	finding_set(f, cluster, "%s", cluster ? cluster : "");
}

bool val_seen(const struct val_ep *ep, unsigned fi, const char *cluster)
{
	struct finding f;

	if (!ep->o || !ep->o->rep)
		return ep->f[fi].have_cx;
	fill(ep, fi, cluster, &f);
	return report_has_cluster(ep->o->rep, &f);
}

void val_fail(struct val_ep *ep, unsigned fi, const char *cluster, const char *input,
	      const char *expected, const char *actual, const char *rule,
	      const char *reproduce)
{
	struct val_field *vf = &ep->f[fi];
	struct finding f;

	vf->compared++;
	vf->failures++;
	vf->have_cx = true;
	if (!ep->o || !ep->o->rep)
		return;
	fill(ep, fi, cluster, &f);
	finding_set(&f, expected, "%s", expected);
	finding_set(&f, observed, "%s", actual);
	finding_set(&f, rule, "%s", rule ? rule : vf->rule);
	finding_set(&f, context, "%s", input);
	finding_set(&f, where, "%s %s case %u", ep->name, class_kind[ep->cls],
		    ep->cls == VAL_ROBUSTNESS ? ep->hostile : ep->cases);
	if (reproduce)
		finding_set(&f, reproduce, "%s", reproduce);
	report_add(ep->o->rep, &f);
}

void val_count(struct val_ep *ep, unsigned fi, int failed, const char *input,
	       const char *expected, const char *actual)
{
	if (failed)
		val_fail(ep, fi, NULL, input, expected, actual, NULL, NULL);
	else
		ep->f[fi].compared++;
}

void val_process_as(struct val_ep *ep, const struct plugin_status *st,
		    const char *what, const char *input, const char *reproduce)
{
	unsigned fi = val_field(ep, "process",
		"the plugin must return within the timeout, without a signal "
		"or a sanitizer report, for every input (robustness: refusing is "
		"always fine; only this counts)");
	char act[600], cl[160];

	snprintf(act, sizeof(act), "%s%s%s: %s", plugin_call_kind_name(st->kind),
		 st->signal ? " " : "", st->signal ? strsignal(st->signal) : "",
		 st->diag);
	snprintf(cl, sizeof(cl), "%s%s%s%s%s", plugin_call_kind_name(st->kind),
		 st->signal ? " " : "", st->signal ? strsignal(st->signal) : "",
		 what ? " " : "", what ? what : "");
	val_fail(ep, fi, cl, input, "return normally", act, NULL, reproduce);
	ep->proc_findings++;
}

void val_process(struct val_ep *ep, const struct plugin_status *st,
		 const char *input)
{
	val_process_as(ep, st, NULL, input, NULL);
}

void val_tick(struct val_ep *ep, unsigned total)
{
	if (ep->o && ep->o->progress && (ep->cases + ep->hostile) % 256 == 0)
		ep->o->progress(ep->o->progress_ctx, ep->name, ep->cases + ep->hostile, total);
}

/* Single-quote s for a POSIX shell when it needs quoting. */
static void shell_word(char *buf, size_t len, const char *s)
{
	size_t n = 0;

	if (s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		       "0123456789/._-+=:,@")] == 0) {
		snprintf(buf, len, "%s", s);
		return;
	}
	if (len < 3)
		return;
	buf[n++] = '\'';
	for (; *s && n + 5 < len; s++) {
		if (*s == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = *s;
		}
	}
	buf[n++] = '\'';
	buf[n] = 0;
}

void val_reproduce(const struct val_ep *ep, char *buf, size_t len, const char *fmt, ...)
{
	char lib[300];
	va_list ap;
	int n;

	shell_word(lib, sizeof(lib), ep->o && ep->o->plugin ? ep->o->plugin : "LIB.so");
	n = snprintf(buf, len, "hvexit validate --plugin %s --entry %s%s ", lib, ep->name,
		     ep->cls == VAL_ROBUSTNESS ? " --hostile" : "");
	if (n < 0 || (size_t)n >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - (size_t)n, fmt, ap);
	va_end(ap);
}
