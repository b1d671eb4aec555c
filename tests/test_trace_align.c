/* Unit tests for the streaming exit aligner of hvexit diff
 * (harness/trace/trace_align.c). Exits are letters; equal letters are
 * equal signatures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"
#include <errno.h>

#include "harness/trace/trace_align.h"

/* What the aligner decided, as text: "=" same pair, "~" changed pair,
 * "-" dropped (only in A), "+" inserted (only in B), each followed by
 * the letter(s) and vCPU. */
struct log {
	char s[1024];
	size_t n;
	unsigned items;		/* items handed back (ownership check) */
};

static void put(struct log *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	l->n += (size_t)vsnprintf(l->s + l->n, sizeof(l->s) - l->n, fmt, ap);
	va_end(ap);
}

static void on_pair(void *arg, unsigned vcpu, void *a, void *b, bool same)
{
	struct log *l = arg;

	put(l, "%c%c%c%u ", same ? '=' : '~', *(char *)a, *(char *)b, vcpu);
	l->items += 2;
	free(a);
	free(b);
}

static void on_only(void *arg, unsigned vcpu, enum trace_align_side side, void *item)
{
	struct log *l = arg;

	put(l, "%c%c%u ", side == ALIGN_A ? '-' : '+', *(char *)item, vcpu);
	l->items++;
	free(item);
}

static const struct trace_align_ops ops = { on_pair, on_only, free };

static void *item(char c)
{
	char *p = malloc(1);

	*p = c;
	return p;
}

/* Feed a and b alternately (one exit each, as hvexit diff reads), all on
 * vCPU 0 unless a letter is upper case (vCPU 1). Returns the first error. */
static int run(const char *a, const char *b, size_t window, struct log *l, char *err)
{
	struct trace_align *al = trace_align_new(window, &ops, l);
	size_t i = 0, j = 0;
	int rc = 0;

	assert_non_null(al);
	memset(l, 0, sizeof(*l));
	while (!rc && (a[i] || b[j])) {
		if (a[i]) {
			char c = a[i++];
			rc = trace_align_push(al, ALIGN_A, c < 'a', (uint64_t)c, item(c), err, 200);
			if (!a[i] && !rc)
				rc = trace_align_end(al, ALIGN_A, err, 200);
		}
		if (!rc && b[j]) {
			char c = b[j++];
			rc = trace_align_push(al, ALIGN_B, c < 'a', (uint64_t)c, item(c), err, 200);
			if (!b[j] && !rc)
				rc = trace_align_end(al, ALIGN_B, err, 200);
		}
	}
	if (!rc && !*a)
		rc = trace_align_end(al, ALIGN_A, err, 200);
	if (!rc && !*b)
		rc = trace_align_end(al, ALIGN_B, err, 200);
	trace_align_free(al);
	return rc;
}

static void expect(const char *a, const char *b, const char *want)
{
	struct log l;
	char err[200] = "";

	assert_int_equal(run(a, b, 64, &l, err), 0);
	assert_string_equal(l.s, want);
	assert_int_equal(l.items, strlen(a) + strlen(b));
}

/* Two exit sequences and the decisions wanted, per test (its state). */
static const struct align_case {
	const char *test, *a, *b, *want;
} align_cases[] = {
	{ "same", "abcd", "abcd", "=aa0 =bb0 =cc0 =dd0 " },
	/* One exit removed: exactly one dropped, the rest pair as same. */
	{ "dropped", "abcdefg", "abcefg", "=aa0 =bb0 =cc0 -d0 =ee0 =ff0 =gg0 " },
	{ "dropped", "abcdefg", "bcdefg", "-a0 =bb0 =cc0 =dd0 =ee0 =ff0 =gg0 " },
	{ "dropped", "abcdefg", "abcdef", "=aa0 =bb0 =cc0 =dd0 =ee0 =ff0 -g0 " },
	{ "inserted", "abcefg", "abcdefg", "=aa0 =bb0 =cc0 +d0 =ee0 =ff0 =gg0 " },
	/* A changed exit pairs with its counterpart, not as drop + insert. */
	{ "changed", "abcdefg", "abcdzfg", "=aa0 =bb0 =cc0 =dd0 ~ez0 =ff0 =gg0 " },
	/* A run of equal exits with one removed hides no shifted pairs. */
	{ "run", "xxxxy", "xxxy", "=xx0 =xx0 =xx0 -x0 =yy0 " },
};

static void test_cases(void **state)
{
	const char *test = *state;
	unsigned n = 0;

	for (size_t i = 0; i < sizeof(align_cases) / sizeof(align_cases[0]); i++) {
		const struct align_case *c = &align_cases[i];

		if (!strcmp(c->test, test)) {
			expect(c->a, c->b, c->want);
			n++;
		}
	}
	assert_true(n > 0);
}

/* The decisions of one vCPU, in order (tokens ending in its digit). */
static void of_vcpu(const char *s, char v, char *out)
{
	*out = '\0';
	for (const char *t = s; *t; t = strchr(t, ' ') + 1) {
		size_t n = (size_t)(strchr(t, ' ') - t);

		if (t[n - 1] == v)
			strncat(out, t, n + 1);
	}
}

/* vCPUs align independently, whatever the interleaving. */
static void test_vcpus(void **state)
{
	struct log l;
	char err[200], v0[256], v1[256];

	(void)state;
	assert_int_equal(run("aAbBcC", "abcAC", 64, &l, err), 0);
	of_vcpu(l.s, '0', v0);
	of_vcpu(l.s, '1', v1);
	assert_string_equal(v0, "=aa0 =bb0 =cc0 ");
	assert_string_equal(v1, "=AA1 -B1 =CC1 ");
	assert_int_equal(l.items, 11);
}

/* Nothing in common for longer than the window: a clear error. */
static void test_window(void **state)
{
	struct log l;
	char err[200] = "";

	(void)state;
	assert_int_equal(run("abcdefghij", "klmnopqrst", 3, &l, err), -E2BIG);
	assert_non_null(strstr(err, "window of 3 exits"));
	/* the same input within a larger window: all changed pairs */
	assert_int_equal(run("abcdefghij", "klmnopqrst", 64, &l, err), 0);
	assert_non_null(strstr(l.s, "~ak0 "));
	assert_int_equal(l.items, 20);
}

HVX_TEST_MAIN(NULL, NULL,
	HVX_TEST_STATE("test_same", test_cases, "same"),
	HVX_TEST_STATE("test_dropped", test_cases, "dropped"),
	HVX_TEST_STATE("test_inserted", test_cases, "inserted"),
	HVX_TEST_STATE("test_changed", test_cases, "changed"),
	HVX_TEST_STATE("test_run", test_cases, "run"),
	cmocka_unit_test(test_vcpus),
	cmocka_unit_test(test_window))
