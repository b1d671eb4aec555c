/*
 * decode_dabt and mmio_load: conformance vectors (corpus/vectors/plugin_*.tsv)
 * first, then random differential cases against the reference
 * (plugin_check.c); each failing field is shrunk to a minimal input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/common.h"
#include "harness/validate/plugin_check.h"
#include "harness/util/infile.h"
#include "harness/util/num.h"
#include "harness/validate/validate.h"

#define MAX_PROC_FINDINGS 3	/* stop an entry point after this many */

static int proc_failed(const struct plugin_status *st)
{
	return st->kind != PLUGIN_CALL_OK;
}

/* ---- decode_dabt ------------------------------------------------------ */

struct dabt_run {
	struct plugin_status st;
	unsigned cmp, fail;
	char exp[DF_COUNT][32], act[DF_COUNT][32];
};

static int run_dabt(struct plugin_host *h, uint64_t esr, struct dabt_run *r)
{
	struct hvx_dabt ref, act;
	int ref_rc, act_rc = 0;
	int e;

	memset(&act, 0, sizeof(act));
	e = plugin_call_decode_dabt(h, esr, &act_rc, &act, &r->st);
	if (e)
		return e;
	r->cmp = r->fail = 0;
	if (r->st.kind != PLUGIN_CALL_OK && r->st.kind != PLUGIN_CALL_SANITIZER)
		return 0;
	check_ref_decode_dabt(esr, &ref_rc, &ref);
	r->fail = check_cmp_dabt(esr, ref_rc, &ref, act_rc, &act, &r->cmp,
				 r->exp, r->act);
	return 0;
}

/* Still failing the same way? field < 0 means "the process failed". */
static int dabt_fails(struct plugin_host *h, uint64_t esr, int field,
		      enum plugin_call_kind kind)
{
	struct dabt_run r;

	if (run_dabt(h, esr, &r))
		return 0;
	if (field < 0)
		return r.st.kind == kind;
	return r.st.kind == PLUGIN_CALL_OK && (r.fail >> field & 1);
}

/* Clear bits (high to low) while the case keeps failing. Hangs cost a
 * timeout per try, so they get a small budget. */
static uint64_t shrink_bits(uint64_t v, unsigned budget,
			    int (*still)(void *, uint64_t), void *ctx)
{
	int changed = 1;

	while (changed && budget) {
		changed = 0;
		for (int b = 63; b >= 0 && budget; b--) {
			uint64_t t = v & ~(UINT64_C(1) << b);

			if (t == v)
				continue;
			budget--;
			if (still(ctx, t)) {
				v = t;
				changed = 1;
			}
		}
	}
	return v;
}

struct dabt_shrink { struct plugin_host *h; int field; enum plugin_call_kind kind; };

static int dabt_still(void *ctx, uint64_t esr)
{
	struct dabt_shrink *s = ctx;

	return dabt_fails(s->h, esr, s->field, s->kind);
}

static void describe_dabt_input(uint64_t esr, char *buf, size_t len)
{
	char d[200];

	check_describe_esr(esr, d, sizeof(d));
	snprintf(buf, len, "esr=0x%016llx (%s)", (unsigned long long)esr, d);
}

/* Account one case; shrink and record new counterexamples. */
static int dabt_case(struct plugin_host *h, struct val_ep *ep, uint64_t esr,
		     const char *vec_ref, const struct dabt_run *vexp)
{
	struct dabt_run r;
	char in[320];
	int e = run_dabt(h, esr, &r);

	if (e)
		return e;
	ep->cases++;
	if (proc_failed(&r.st) && r.st.kind != PLUGIN_CALL_SANITIZER) {
		struct dabt_shrink s = { h, -1, r.st.kind };
		uint64_t m = esr;

		if (!vec_ref)
			m = shrink_bits(esr, r.st.kind == PLUGIN_CALL_HANG ? 4 : 256,
					dabt_still, &s);
		describe_dabt_input(m, in, sizeof(in));
		if (vec_ref) {
			size_t n = strlen(in);

			snprintf(in + n, sizeof(in) - n, " [vector: %s]", vec_ref);
		}
		val_process(ep, &r.st, in);
		return 0;
	}
	if (r.st.kind == PLUGIN_CALL_SANITIZER) {
		describe_dabt_input(esr, in, sizeof(in));
		val_process(ep, &r.st, in);
	}
	if (vexp) {	/* a vector: the file's values are the expectation */
		r.fail = 0;
		for (unsigned f = 0; f < DF_COUNT; f++) {
			if (!(vexp->cmp >> f & 1))
				continue;
			snprintf(r.exp[f], sizeof(r.exp[f]), "%s", vexp->exp[f]);
			if (!(r.cmp >> f & 1) && f != DF_RETURN)
				continue;
			if (f == DF_RETURN) {	/* compare "ok"/"refused" */
				size_t n = strcspn(r.exp[f], " ");

				if ((strncmp(r.exp[f], r.act[f], n) || r.act[f][n] != ' ') &&
				    !(vexp->fail && !strncmp(r.act[f], "refused", 7)))
					r.fail |= 1u << f;
			} else if (strcmp(r.exp[f], r.act[f])) {
				r.fail |= 1u << f;
			}
		}
	}
	for (unsigned f = 0; f < DF_COUNT; f++) {
		unsigned fi = val_field(ep, check_dabt_fields[f].name,
					check_dabt_fields[f].rule);
		int failed = r.fail >> f & 1;
		uint64_t m = esr;
		struct dabt_run mr = r;

		if (!(r.cmp >> f & 1))
			continue;
		if (failed && !ep->f[fi].have_cx && !vec_ref) {
			struct dabt_shrink s = { h, (int)f, PLUGIN_CALL_OK };

			m = shrink_bits(esr, 512, dabt_still, &s);
			if (run_dabt(h, m, &mr) || !(mr.fail >> f & 1)) {
				m = esr;
				mr = r;
			}
		}
		describe_dabt_input(m, in, sizeof(in));
		if (vec_ref && failed) {
			size_t n = strlen(in);

			snprintf(in + n, sizeof(in) - n, " [vector: %s]", vec_ref);
		}
		val_count(ep, fi, failed, in, mr.exp[f], mr.act[f]);
	}
	return 0;
}

/* Split a TSV line in place; returns the number of columns. */
static int split_tabs(char *line, char **col, int max)
{
	int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = 0;
	while (n < max) {
		col[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = 0;
	}
	return n;
}

static FILE *open_vectors(const struct val_opts *o, const char *name, char *path,
			  size_t plen)
{
	char why[512];

	snprintf(path, plen, "%s/%s", o->vectors, name);
	return infile_check(path, why, sizeof(why)) == 0 ? fopen(path, "r") : NULL;
}

/*
 * Run every row of the vector file o->vectors/name: row() splits and
 * checks one line (returns 1 when it ran a case, 0 when it skipped a
 * malformed line, <0 when the case it ran failed with an error). Stops early once the plugin crashed or
 * hung MAX_PROC_FINDINGS times. A missing file is noted, not an error.
 */
static int for_each_vector(struct plugin_host *h, const struct val_opts *o,
			   struct val_ep *ep, const char *name,
			   int (*row)(struct plugin_host *h, struct val_ep *ep,
				      char *line, const char *path, unsigned lineno))
{
	char path[512], line[1024];
	unsigned lineno = 0;
	int e = 0;
	FILE *f;

	if (!o->vectors) {
		snprintf(ep->note, sizeof(ep->note), "random cases only (--no-vectors)");
		return 0;
	}
	f = open_vectors(o, name, path, sizeof(path));
	if (!f)
		return -errno;	/* cmd_validate checked the files up front */
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		e = row(h, ep, line, path, lineno);
		if (e)
			ep->vectors++;	/* a case ran, even if it then failed */
		if (e < 0)
			break;
		e = 0;
		if (ep->proc_findings >= MAX_PROC_FINDINGS)
			break;
	}
	fclose(f);
	return e;
}

static void malformed_vector(const char *path, unsigned lineno)
{
	fprintf(stderr, "hvexit validate: %s:%u: malformed vector, skipped\n", path, lineno);
}

/* True (with a note) once the plugin crashed or hung too often to go on. */
static bool proc_limit_reached(struct val_ep *ep)
{
	if (ep->proc_findings < MAX_PROC_FINDINGS)
		return false;
	snprintf(ep->note, sizeof(ep->note), "stopped after %u crashes/hangs",
		 ep->proc_findings);
	return true;
}

static int dabt_vector_row(struct plugin_host *h, struct val_ep *ep, char *line,
			   const char *path, unsigned lineno)
{
	static const unsigned colf[] = { DF_VALID, DF_LEN, DF_IS_WRITE, DF_SSE,
					 DF_RT, DF_SF, DF_AR, DF_S1PTW, DF_DFSC };
	char *c[13];
	struct dabt_run v;
	uint64_t esr, x;
	int e;

	if (split_tabs(line, c, 13) != 12 || num_parse_hex(c[0], &esr)) {
		malformed_vector(path, lineno);
		return 0;
	}
	memset(&v, 0, sizeof(v));
	v.cmp = 1u << DF_RETURN;
	if (!strcmp(c[1], "refuse"))
		snprintf(v.exp[DF_RETURN], 32, "refused (%d)", -EINVAL);
	else
		snprintf(v.exp[DF_RETURN], 32, "ok (0)");
	v.fail = !strcmp(c[1], "ok-or-refuse");	/* flag: refusal ok */
	for (unsigned k = 0; k < HVX_ARRAY_SIZE(colf); k++) {
		const char *s = c[2 + k];

		if (!strcmp(s, "-"))
			continue;
		if (num_parse_u64(s, &x))
			continue;
		v.cmp |= 1u << colf[k];
		snprintf(v.exp[colf[k]], 32, colf[k] == DF_DFSC ? "0x%02x" :
			 "%u", (unsigned)x);
	}
	e = dabt_case(h, ep, esr, c[11], &v);
	return e < 0 ? e : 1;
}

/*
 * corpus/vectors/plugin_dabt.tsv: esr, result (ok|refuse|ok-or-refuse),
 * valid, len, is_write, sign_extend, rt, sixty_four, acq_rel, s1ptw,
 * dfsc ("-" = not compared), Arm ARM reference.
 */
int val_run_dabt(struct plugin_host *h, const struct val_opts *o,
			 struct val_ep *ep)
{
	uint64_t s = o->seed ^ UINT64_C(0xdab7);
	int e = for_each_vector(h, o, ep, "plugin_dabt.tsv", dabt_vector_row);

	for (unsigned i = 0; !e && i < o->cases && !proc_limit_reached(ep); i++) {
		e = dabt_case(h, ep, check_gen_dabt_esr(&s), NULL, NULL);
		ep->random++;
	}
	return e;
}

/* ---- mmio_load -------------------------------------------------------- */

struct load_run {
	struct plugin_status st;
	unsigned cmp, fail;
	char exp[LF_COUNT][32], act[LF_COUNT][32];
};

static int run_load(struct plugin_host *h, uint64_t esr, uint64_t bus,
		    struct load_run *r)
{
	uint64_t ref_val = 0, act_val = 0;
	int ref_rc, act_rc = 0;
	int e = plugin_call_mmio_load(h, esr, bus, &act_rc, &act_val, &r->st);

	if (e)
		return e;
	r->cmp = r->fail = 0;
	if (r->st.kind != PLUGIN_CALL_OK && r->st.kind != PLUGIN_CALL_SANITIZER)
		return 0;
	check_ref_mmio_load(esr, bus, &ref_rc, &ref_val);
	r->fail = check_cmp_load(ref_rc, ref_val, act_rc, act_val, &r->cmp,
				 r->exp, r->act);
	return 0;
}

struct load_shrink {
	struct plugin_host *h;
	int field;
	enum plugin_call_kind kind;
	uint64_t esr, bus;	/* the other half of the input */
	int which;		/* 0 shrink esr, 1 shrink bus */
};

static int load_still(void *ctx, uint64_t v)
{
	struct load_shrink *s = ctx;
	uint64_t esr = s->which ? s->esr : v, bus = s->which ? v : s->bus;
	struct load_run r;

	if (!check_load_domain(esr) || run_load(s->h, esr, bus, &r))
		return 0;
	if (s->field < 0)
		return r.st.kind == s->kind;
	return r.st.kind == PLUGIN_CALL_OK && (r.fail >> s->field & 1);
}

static void load_shrink_pair(struct load_shrink *s, uint64_t *esr, uint64_t *bus,
			     unsigned budget)
{
	s->which = 0;
	s->bus = *bus;
	*esr = shrink_bits(*esr, budget, load_still, s);
	s->which = 1;
	s->esr = *esr;
	*bus = shrink_bits(*bus, budget, load_still, s);
}

static void describe_load_input(uint64_t esr, uint64_t bus, char *buf, size_t len)
{
	char d[200];

	check_describe_esr(esr, d, sizeof(d));
	snprintf(buf, len, "esr=0x%016llx (%s) bus_data=0x%016llx",
		 (unsigned long long)esr, d, (unsigned long long)bus);
}

static int load_case(struct plugin_host *h, struct val_ep *ep, uint64_t esr,
		     uint64_t bus, const char *vec_ref, const char *vexp_rc,
		     const char *vexp_val)
{
	struct load_run r;
	char in[320];
	int e = run_load(h, esr, bus, &r);

	if (e)
		return e;
	ep->cases++;
	if (proc_failed(&r.st) && r.st.kind != PLUGIN_CALL_SANITIZER) {
		struct load_shrink s = { .h = h, .field = -1, .kind = r.st.kind };
		uint64_t me = esr, mb = bus;

		if (!vec_ref)
			load_shrink_pair(&s, &me, &mb,
					 r.st.kind == PLUGIN_CALL_HANG ? 2 : 128);
		describe_load_input(me, mb, in, sizeof(in));
		if (vec_ref) {
			size_t n = strlen(in);

			snprintf(in + n, sizeof(in) - n, " [vector: %s]", vec_ref);
		}
		val_process(ep, &r.st, in);
		return 0;
	}
	if (r.st.kind == PLUGIN_CALL_SANITIZER) {
		describe_load_input(esr, bus, in, sizeof(in));
		val_process(ep, &r.st, in);
	}
	if (vexp_rc) {	/* vector: expectation from the file */
		snprintf(r.exp[LF_RETURN], 32, "%s", vexp_rc);
		r.fail = strncmp(r.exp[LF_RETURN], r.act[LF_RETURN], 1) ?
			 1u << LF_RETURN : 0;
		if (vexp_val && (r.cmp >> LF_VALUE & 1)) {
			snprintf(r.exp[LF_VALUE], 32, "%s", vexp_val);
			if (strcmp(r.exp[LF_VALUE], r.act[LF_VALUE]))
				r.fail |= 1u << LF_VALUE;
		}
	}
	for (unsigned f = 0; f < LF_COUNT; f++) {
		unsigned fi = val_field(ep, check_load_fields[f].name,
					check_load_fields[f].rule);
		int failed = r.fail >> f & 1;
		uint64_t me = esr, mb = bus;
		struct load_run mr = r;

		if (!(r.cmp >> f & 1))
			continue;
		if (failed && !ep->f[fi].have_cx && !vec_ref) {
			struct load_shrink s = { .h = h, .field = (int)f };

			load_shrink_pair(&s, &me, &mb, 512);
			if (run_load(h, me, mb, &mr) || !(mr.fail >> f & 1)) {
				me = esr;
				mb = bus;
				mr = r;
			}
		}
		describe_load_input(me, mb, in, sizeof(in));
		if (vec_ref && failed) {
			size_t n = strlen(in);

			snprintf(in + n, sizeof(in) - n, " [vector: %s]", vec_ref);
		}
		val_count(ep, fi, failed, in, mr.exp[f], mr.act[f]);
	}
	return 0;
}

static int load_vector_row(struct plugin_host *h, struct val_ep *ep, char *line,
			   const char *path, unsigned lineno)
{
	char *c[6], rcs[32], vals[32];
	uint64_t esr, bus, val = 0;
	int nowrite, e;

	if (split_tabs(line, c, 6) != 5 || num_parse_hex(c[0], &esr) ||
	    num_parse_hex(c[1], &bus) ||
	    (strcmp(c[2], "write") && strcmp(c[2], "nowrite")) ||
	    (!strcmp(c[2], "write") && num_parse_hex(c[3], &val)) ||
	    !check_load_domain(esr)) {
		malformed_vector(path, lineno);
		return 0;
	}
	nowrite = !strcmp(c[2], "nowrite");
	snprintf(rcs, sizeof(rcs), "%d (%s)", nowrite, nowrite ? "no write" :
		 "Xt written");
	snprintf(vals, sizeof(vals), "0x%016llx", (unsigned long long)val);
	e = load_case(h, ep, esr, bus, c[4], rcs, nowrite ? NULL : vals);
	return e < 0 ? e : 1;
}

/*
 * corpus/vectors/plugin_load.tsv: esr, bus_data, result (write|nowrite),
 * rt_value (hex, "-" for nowrite), Arm ARM reference.
 */
int val_run_load(struct plugin_host *h, const struct val_opts *o,
			 struct val_ep *ep)
{
	uint64_t s = o->seed ^ UINT64_C(0x10ad);
	int e = for_each_vector(h, o, ep, "plugin_load.tsv", load_vector_row);

	for (unsigned i = 0; !e && i < o->cases && !proc_limit_reached(ep); i++) {
		uint64_t esr, bus;

		check_gen_load(&s, &esr, &bus);
		e = load_case(h, ep, esr, bus, NULL, NULL, NULL);
		ep->random++;
	}
	return e;
}
