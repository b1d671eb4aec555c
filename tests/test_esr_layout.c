/*
 * hvexit's ESR_EL2 tables against the Arm ARM itself.
 *
 * tests/vectors/armarm_esr_layout.tsv is extracted by
 * tools/gen_armarm_esr_layout.py from the Markdown Arm ARM (DDI 0487
 * M.a.a, D24.2.46 ESR_EL2; the file's header names the repository, commit
 * and file). It lists every EC with its ISS and ISS2 encodings, every
 * field of every encoding with its bits and its "When ...:" condition, and
 * every DFSC/IFSC table. This test checks, from that data alone:
 *  - the EC table: which classes exist and which encoding each uses (by
 *    the subsection title);
 *  - for every class, over every combination of the values of the fields
 *    the conditions read (ISV, DFSC, ExType, ...) and random other bits:
 *    the fields hvexit says apply are exactly the fields the Arm ARM
 *    defines for that value, at the same bits under the same name; each
 *    value is the raw bits; RES0 is exactly what no such field covers;
 *  - every code of every status code table.
 * Normalisation: names compare ignoring case; ISS2 bit n is ESR bit 32+n;
 * conditions are read with every feature implemented (the generator
 * drops feature terms). Deliberate differences are listed in `devs` below,
 * each with the Arm ARM text it follows.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "tests/test_main.h"
#include "hvexit/esr.h"

#define DATA "tests/vectors/armarm_esr_layout.tsv"
#define MAXL 512

struct afield {
	char enc[160], name[24], cond[160];
	unsigned hi, lo;	/* ESR bits */
};
struct afsc {
	char enc[160], type[32];
	unsigned code;
	int level;		/* FSC_NO_LEVEL if none */
};
struct aec {
	unsigned ec;
	char iss[160], iss2[160];
};

static struct afield fields[256];
static struct afsc fscs[256];
static struct aec ecs[64];
static unsigned nfields, nfscs, necs;
static char source[MAXL];

/*
 * Deliberate differences. A row with hi == 0 && lo == 0 && !extra adds a
 * condition to an Arm ARM field (the prose of its description states it;
 * the generator reads only "When" clauses); a row with extra set is a
 * field hvexit decodes that the Arm ARM describes in words, not as a
 * field.
 */
struct dev {
	const char *enc_prefix, *name, *cond;
	bool extra;
	unsigned hi, lo;
	const char *why;
};
static const struct dev devs[] = {
	{ "ISS encoding for an exception from a Data Abort", "FnV", "DFSC=010000",
	  false, 0, 0, "FnV: \"This field is valid only if the DFSC code is "
	  "0b010000. It is RES0 for all other aborts.\"" },
	{ "ISS encoding for an SError exception", "*", "IDS=0", false, 0, 0,
	  "IDS: \"0b1 Bits [23:0] of the ISS field holds IMPLEMENTATION DEFINED "
	  "syndrome information\": the other fields exist only with IDS=0" },
	{ "ISS encoding for an SError exception", "impdef", "IDS=1", true, 23, 0,
	  "the IMPLEMENTATION DEFINED syndrome of IDS=1, decoded as one field" },
	{ "ISS encoding for an SError exception", "WnR", "WnRV=1", false, 0, 0,
	  "WnR: \"This bit is RES0 if ESR_EL2.WnRV== 0b0\"" },
	{ "ISS encoding for an exception from a Software Step exception", "EX",
	  "ISV=1", false, 0, 0, "EX: \"If the ISV bit is set to 0, this bit is RES0\"" },
	{ "ISS encoding for an exception from an ERET", "ERETA", "ERET=1", false, 0, 0,
	  "ERETA: \"When the ERET field is 0, this bit is RES0.\"" },
	{ "ISS encoding for an exception from a WF* instruction", "RV", "TI=1x",
	  false, 0, 0, "RV: \"If TI[1] == 0, then this field is RES0.\"" },
};

static bool prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* Split a line into tab-separated columns in place; the count. */
static int split(char *line, char **col, int max)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; n < max;) {
		col[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

static void copy(char *dst, size_t n, const char *src)
{
	assert_true(strlen(src) < n);
	strcpy(dst, src);
}

static int setup(void **state)
{
	FILE *f = fopen(DATA, "r");
	char line[MAXL], *col[8];

	(void)state;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int n;

		if (prefix(line, "# source\t"))
			copy(source, sizeof(source), line + 2);
		if (line[0] == '#' || line[0] == '\n')
			continue;
		n = split(line, col, 8);
		if (!strcmp(col[0], "ec") && n == 4 && necs < HVX_ARRAY_SIZE(ecs)) {
			struct aec *e = &ecs[necs++];

			e->ec = (unsigned)strtoul(col[1], NULL, 0);
			copy(e->iss, sizeof(e->iss), col[2]);
			copy(e->iss2, sizeof(e->iss2), col[3]);
		} else if (!strcmp(col[0], "field") && n == 6 &&
			   nfields < HVX_ARRAY_SIZE(fields)) {
			struct afield *a = &fields[nfields++];
			unsigned off = prefix(col[1], "ISS2 ") ? 32 : 0;

			copy(a->enc, sizeof(a->enc), col[1]);
			copy(a->name, sizeof(a->name), col[2]);
			a->hi = (unsigned)atoi(col[3]) + off;
			a->lo = (unsigned)atoi(col[4]) + off;
			copy(a->cond, sizeof(a->cond), col[5]);
		} else if (!strcmp(col[0], "fsc") && n == 7 && nfscs < HVX_ARRAY_SIZE(fscs)) {
			struct afsc *c = &fscs[nfscs++];

			copy(c->enc, sizeof(c->enc), col[1]);
			c->code = (unsigned)strtoul(col[3], NULL, 0);
			copy(c->type, sizeof(c->type), col[4]);
			c->level = strcmp(col[5], "-") ? atoi(col[5]) : FSC_NO_LEVEL;
		} else {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return necs >= 40 && nfields >= 100 && nfscs >= 90 && source[0] ? 0 : -1;
}

/* ---- the condition language of the data file ----------------------- */

/* One probe: an encoding's Arm fields (to find a selector's bits) and the
 * value being judged. */
struct probe {
	const struct afield *f[48];
	unsigned n;
	uint64_t esr;
};

static const struct afield *field_named(const struct probe *p, const char *name,
					size_t len)
{
	for (unsigned i = 0; i < p->n; i++)
		if (strlen(p->f[i]->name) == len && !strncmp(p->f[i]->name, name, len))
			return p->f[i];
	return NULL;
}

static bool cond_or(const struct probe *p, const char **s);

/* NAME=PATTERN, !x, (x) */
static bool cond_atom(const struct probe *p, const char **s)
{
	const char *name = *s, *pat;
	const struct afield *f;
	uint32_t v;
	size_t w;

	if (**s == '!') {
		(*s)++;
		return !cond_atom(p, s);
	}
	if (**s == '(') {
		bool r;

		(*s)++;
		r = cond_or(p, s);
		assert_int_equal(**s, ')');
		(*s)++;
		return r;
	}
	while (isalnum((unsigned char)**s) || **s == '_')
		(*s)++;
	f = field_named(p, name, (size_t)(*s - name));
	if (!f)
		fail_msg("condition names %.*s, not a field of %s", (int)(*s - name),
			 name, p->n ? p->f[0]->enc : "?");
	assert_int_equal(**s, '=');
	pat = ++*s;
	while (**s == '0' || **s == '1' || **s == 'x')
		(*s)++;
	w = (size_t)(*s - pat);
	assert_int_equal(w, f->hi - f->lo + 1);
	v = (uint32_t)hvx_bits(p->esr, f->hi, f->lo);
	for (size_t i = 0; i < w; i++) {
		unsigned bit = (v >> (w - 1 - i)) & 1;

		if (pat[i] != 'x' && (unsigned)(pat[i] - '0') != bit)
			return false;
	}
	return true;
}

static bool cond_and(const struct probe *p, const char **s)
{
	bool r = cond_atom(p, s);

	while (**s == '&') {
		(*s)++;
		r = cond_atom(p, s) && r;
	}
	return r;
}

static bool cond_or(const struct probe *p, const char **s)
{
	bool r = cond_and(p, s);

	while (**s == '|') {
		(*s)++;
		r = cond_and(p, s) || r;
	}
	return r;
}

static bool cond_holds(const struct probe *p, const char *cond)
{
	const char *s = cond;
	bool r;

	if (!*cond)
		return true;
	r = cond_or(p, &s);
	if (*s)
		fail_msg("condition %s: trailing %s", cond, s);
	return r;
}

/* The selector fields a condition reads, as a bit mask of ESR bits. */
static uint64_t cond_bits(const struct probe *p, const char *cond)
{
	uint64_t m = 0;

	for (const char *s = cond; *s;) {
		const char *name = s;

		if (!isalpha((unsigned char)*s)) {
			s++;
			continue;
		}
		while (isalnum((unsigned char)*s) || *s == '_')
			s++;
		const struct afield *f = field_named(p, name, (size_t)(s - name));
		if (f)
			m |= hvx_mask(f->hi, f->lo);
	}
	return m;
}

/* ---- the checks --------------------------------------------------------- */

static const struct aec *arm_ec(unsigned ec)
{
	for (unsigned i = 0; i < necs; i++)
		if (ecs[i].ec == ec)
			return &ecs[i];
	return NULL;
}

static void test_source(void **state)
{
	(void)state;
	print_message("Arm ARM layout: %s", source);
	assert_non_null(strstr(source, "wuyongzheng/arm-md-specs"));
	assert_non_null(strstr(source, "commit "));
	assert_non_null(strstr(source, "arm-D24.2.46.md"));
}

/* D24.2.46 EC field: the classes and their ISS/ISS2 encodings. */
static void test_ec_table(void **state)
{
	(void)state;
	for (unsigned ec = 0; ec < 64; ec++) {
		const struct aec *a = arm_ec(ec);
		enum esr_fmt f = esr_ec_fmt(ec);

		if (!a) {
			if (f != ESR_FMT_RESERVED)
				fail_msg("EC 0x%02x is not an ESR_EL2 class in the Arm ARM, "
					 "hvexit decodes it as %s", ec, esr_ec_name(ec));
			continue;
		}
		if (f == ESR_FMT_RESERVED)
			fail_msg("EC 0x%02x (%s) is reserved in hvexit", ec, a->iss);
		if (strcmp(esr_fmt_title(f), a->iss))
			fail_msg("EC 0x%02x: hvexit \"%s\", Arm ARM \"%s\"", ec,
				 esr_fmt_title(f), a->iss);
		if (strcmp(esr_fmt_iss2_title(f), a->iss2))
			fail_msg("EC 0x%02x: hvexit \"%s\", Arm ARM \"%s\"", ec,
				 esr_fmt_iss2_title(f), a->iss2);
	}
}

/* The Arm ARM fields of a class (ISS and ISS2 encodings), the conditions
 * after the deviations, and the hvexit-only fields. */
struct expect {
	struct probe p;
	const char *cond[48];
	const char *more_cond[48][2];	/* conditions added by devs, or NULL */
	struct { const char *name, *cond; unsigned hi, lo; } extra[4];
	unsigned nextra;
};

static void gather(const struct aec *a, struct expect *x)
{
	memset(x, 0, sizeof(*x));
	for (unsigned i = 0; i < nfields; i++) {
		const struct afield *f = &fields[i];

		if (strcmp(f->enc, a->iss) && strcmp(f->enc, a->iss2))
			continue;
		assert_true(x->p.n < HVX_ARRAY_SIZE(x->p.f));
		x->cond[x->p.n] = f->cond;
		for (unsigned k = 0; k < HVX_ARRAY_SIZE(devs); k++) {
			const struct dev *d = &devs[k];

			if (d->extra || !prefix(f->enc, d->enc_prefix))
				continue;
			if (!strcmp(d->name, f->name) ||
			    (!strcmp(d->name, "*") && strcmp(f->name, "IDS"))) {
				const char **m = x->more_cond[x->p.n];

				assert_null(m[1]);
				m[m[0] ? 1 : 0] = d->cond;
			}
		}
		x->p.f[x->p.n++] = f;
	}
	for (unsigned k = 0; k < HVX_ARRAY_SIZE(devs); k++)
		if (devs[k].extra && prefix(a->iss, devs[k].enc_prefix)) {
			x->extra[x->nextra].name = devs[k].name;
			x->extra[x->nextra].cond = devs[k].cond;
			x->extra[x->nextra].hi = devs[k].hi;
			x->extra[x->nextra].lo = devs[k].lo;
			x->nextra++;
		}
}

/* Is (name, hi, lo) an applicable hvexit field of d? */
static bool decoded(const struct esr_decoded *d, const char *name, unsigned hi,
		    unsigned lo)
{
	for (unsigned i = 0; i < d->nfields; i++)
		if (esr_field_applies(d, i) && !strcasecmp(d->fields[i].name, name) &&
		    d->fields[i].hi == hi && d->fields[i].lo == lo)
			return true;
	return false;
}

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
	rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
	return rng;
}

/* Check one value of class ec: expected fields (Arm ARM + devs) present,
 * nothing else applies, values and RES0. Returns the fields that applied. */
static unsigned check_probe(unsigned ec, struct expect *x, uint64_t esr)
{
	struct esr_decoded d;
	uint64_t covered = hvx_mask(31, 25);
	unsigned want = 0, got = 0;

	x->p.esr = esr;
	esr_decode(esr, &d);
	for (unsigned i = 0; i < x->p.n; i++) {
		const struct afield *f = x->p.f[i];

		if (!cond_holds(&x->p, x->cond[i]) ||
		    (x->more_cond[i][0] && !cond_holds(&x->p, x->more_cond[i][0])) ||
		    (x->more_cond[i][1] && !cond_holds(&x->p, x->more_cond[i][1])))
			continue;
		want++;
		covered |= hvx_mask(f->hi, f->lo);
		if (!decoded(&d, f->name, f->hi, f->lo))
			fail_msg("EC 0x%02x ESR 0x%016llx: the Arm ARM defines %s [%u:%u] "
				 "(%s), hvexit does not decode it", ec,
				 (unsigned long long)esr, f->name, f->hi, f->lo,
				 x->cond[i][0] ? x->cond[i] : "always");
	}
	for (unsigned k = 0; k < x->nextra; k++)
		if (cond_holds(&x->p, x->extra[k].cond)) {
			want++;
			covered |= hvx_mask(x->extra[k].hi, x->extra[k].lo);
			if (!decoded(&d, x->extra[k].name, x->extra[k].hi, x->extra[k].lo))
				fail_msg("EC 0x%02x ESR 0x%016llx: %s missing", ec,
					 (unsigned long long)esr, x->extra[k].name);
		}
	for (unsigned i = 0; i < d.nfields; i++) {
		if (!esr_field_applies(&d, i))
			continue;
		got++;
		assert_int_equal(esr_field_value(&d, i),
				 hvx_bits(esr, d.fields[i].hi, d.fields[i].lo));
	}
	if (got != want) {
		for (unsigned i = 0; i < d.nfields; i++)
			if (esr_field_applies(&d, i))
				print_message("  hvexit: %s [%u:%u]\n", d.fields[i].name,
					      d.fields[i].hi, d.fields[i].lo);
		fail_msg("EC 0x%02x ESR 0x%016llx: hvexit decodes %u fields, the Arm "
			 "ARM defines %u", ec, (unsigned long long)esr, got, want);
	}
	if (d.res0_bits != (esr & ~covered))
		fail_msg("EC 0x%02x ESR 0x%016llx: RES0 0x%llx, want 0x%llx", ec,
			 (unsigned long long)esr, (unsigned long long)d.res0_bits,
			 (unsigned long long)(esr & ~covered));
	return got;
}

static void test_fields(void **state)
{
	unsigned probes = 0;

	(void)state;
	for (unsigned k = 0; k < necs; k++) {
		const struct aec *a = &ecs[k];
		struct expect x;
		uint64_t sel = 0;
		unsigned nsel = 0, pos[24];

		gather(a, &x);
		for (unsigned i = 0; i < x.p.n; i++) {
			sel |= cond_bits(&x.p, x.cond[i]);
			for (unsigned m = 0; m < 2; m++)
				if (x.more_cond[i][m])
					sel |= cond_bits(&x.p, x.more_cond[i][m]);
		}
		for (unsigned e = 0; e < x.nextra; e++)
			sel |= cond_bits(&x.p, x.extra[e].cond);
		for (unsigned b = 0; b < 64; b++)
			if (sel >> b & 1)
				pos[nsel++] = b;
		assert_true(nsel <= 12);
		/* Every combination of the selector bits, each with other
		 * bits clear, set, and random. */
		for (uint64_t c = 0; c < (UINT64_C(1) << nsel); c++) {
			uint64_t s = 0, base = (uint64_t)a->ec << 26 | ESR_IL;

			for (unsigned b = 0; b < nsel; b++)
				s |= (c >> b & 1) << pos[b];
			check_probe(a->ec, &x, base | s);
			check_probe(a->ec, &x, base | s | (hvx_mask(55, 0) & ~sel & ~hvx_mask(31, 25)));
			for (int r = 0; r < 8; r++)
				check_probe(a->ec, &x, base | s |
					    (rnd() & hvx_mask(55, 0) & ~sel & ~hvx_mask(31, 25)));
			probes += 10;
		}
	}
	print_message("Arm ARM layout: %u classes, %u values checked\n", necs, probes);
}

/* Every status code table: listed codes decode to the Arm ARM's type and
 * level, every other code is reserved. */
static void test_fsc_tables(void **state)
{
	unsigned checked = 0;

	(void)state;
	for (unsigned k = 0; k < necs; k++) {
		const struct aec *a = &ecs[k];
		enum fsc_kind kind = esr_fmt_fsc_kind(esr_ec_fmt(a->ec));
		bool has_table = false;

		for (unsigned i = 0; i < nfscs; i++)
			has_table |= !strcmp(fscs[i].enc, a->iss);
		if (has_table != (kind != FSC_KIND_NONE))
			fail_msg("EC 0x%02x: Arm ARM status code table %s, hvexit kind %d",
				 a->ec, has_table ? "present" : "absent", kind);
		for (unsigned code = 0; has_table && code < 64; code++) {
			const struct afsc *want = NULL;
			struct fsc_info fi;

			for (unsigned i = 0; i < nfscs; i++)
				if (!strcmp(fscs[i].enc, a->iss) && fscs[i].code == code)
					want = &fscs[i];
			assert_int_equal(fsc_decode_kind(kind, code, &fi), 0);
			if (!want) {
				if (fi.type != FSC_RESERVED)
					fail_msg("EC 0x%02x code 0x%02x: reserved in the Arm ARM, "
						 "hvexit says %s", a->ec, code,
						 fsc_type_name(fi.type));
				continue;
			}
			if (strcmp(fsc_type_name(fi.type), want->type) || fi.level != want->level)
				fail_msg("EC 0x%02x code 0x%02x: hvexit %s level %d, Arm ARM "
					 "%s level %d", a->ec, code, fsc_type_name(fi.type),
					 fi.level, want->type, want->level);
			checked++;
		}
	}
	print_message("Arm ARM status codes: %u listed codes checked\n", checked);
}

HVX_TEST_MAIN(setup, NULL,
	cmocka_unit_test(test_source),
	cmocka_unit_test(test_ec_table),
	cmocka_unit_test(test_fields),
	cmocka_unit_test(test_fsc_tables))
