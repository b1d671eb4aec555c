/*
 * The "exit" record of JSON Lines traces without a DOM: a tokenizer that
 * reads the documented event schema (docs/trace-format.md, "exit", and the
 * outcome object) straight into struct trace_event, and a formatter that
 * writes it. The tokenizer takes only the plain shapes the writers emit:
 * strings without escapes, hex values as "0x" + lower-case digits without
 * leading zeros, counts as JSON integers, every key known and at most
 * once, an outcome with every key of its schema. Anything else (escapes,
 * other number spellings, "kvm", unknown keys, errors) is left to jansson
 * (reader.c), which accepts or rejects it with a message: the tokenizer
 * only ever takes a subset of what jansson takes, with the same meaning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/trace/trace_int.h"

struct sc {
	const char *p, *e;
	bool bad;
};

static inline void ws(struct sc *s)
{
	while (s->p < s->e && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r'))
		s->p++;
}

/* The character c (after blanks). */
static inline bool ch(struct sc *s, char c)
{
	ws(s);
	if (s->p < s->e && *s->p == c) {
		s->p++;
		return true;
	}
	return false;
}

/* A string without escapes or control characters: its bytes. */
static inline bool str(struct sc *s, const char **v, size_t *n)
{
	const char *q;

	if (!ch(s, '"'))
		return false;
	for (q = s->p; q < s->e && *q != '"'; q++)
		if (*q == '\\' || (unsigned char)*q < 0x20)
			return false;
	if (q == s->e)
		return false;
	*v = s->p;
	*n = (size_t)(q - s->p);
	s->p = q + 1;
	return true;
}

/* "key": */
static bool key(struct sc *s, const char **k, size_t *n)
{
	return str(s, k, n) && ch(s, ':');
}

/* k[0..n) is the literal want (a string constant: its length is known). */
#define keyis(k, n, want) \
	((n) == sizeof(want) - 1 && (k)[0] == (want)[0] && !memcmp((k), (want), sizeof(want) - 1))

/* Index of k[0..n) in a table of names, or nt. */
static inline unsigned key_index(const char *k, size_t n, const char *const *t, unsigned nt)
{
	for (unsigned i = 0; i < nt; i++) {
		size_t j = 0;

		while (j < n && k[j] == t[i][j])
			j++;
		if (j == n && !t[i][n])
			return i;
	}
	return nt;
}

/* key_index of a key not seen before, marked in *seen; nt for an unknown
 * or repeated key. */
static unsigned key_once(const char *k, size_t n, const char *const *t, unsigned nt,
			 unsigned *seen)
{
	unsigned i = key_index(k, n, t, nt);

	if (i == nt || (*seen & 1u << i))
		return nt;
	*seen |= 1u << i;
	return i;
}

/* Value + 1 of a lower-case hex digit, 0 for any other byte. */
static const uint8_t hex_digit[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
	['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13,
	['d'] = 14, ['e'] = 15, ['f'] = 16,
};

/* "0x" + 1..16 lower-case hex digits, no leading zeros: one pass over the
 * string (anything but a digit before the closing quote, an escape too,
 * refuses it, as str() would). */
static bool hex(struct sc *s, uint64_t *out)
{
	const char *q, *d;
	uint64_t x = 0;
	unsigned v;

	if (!ch(s, '"') || s->e - s->p < 4 || s->p[0] != '0' || s->p[1] != 'x')
		return false;
	d = s->p + 2;
	for (q = d; q < s->e && (v = hex_digit[(unsigned char)*q]) != 0; q++)
		x = x << 4 | (v - 1);
	if (q == d || q - d > 16 || q == s->e || *q != '"' || (*d == '0' && q - d > 1))
		return false;
	s->p = q + 1;
	*out = x;
	return true;
}

/* A JSON integer 0..10^18-1 without leading zeros. */
static bool uintv(struct sc *s, uint64_t *out)
{
	const char *q;
	uint64_t x = 0;

	ws(s);
	for (q = s->p; q < s->e && *q >= '0' && *q <= '9'; q++)
		x = x * 10 + (uint64_t)(*q - '0');
	if (q == s->p || q - s->p > 18 || (*s->p == '0' && q - s->p > 1) ||
	    (q < s->e && (*q == '.' || *q == 'e' || *q == 'E')))
		return false;
	s->p = q;
	*out = x;
	return true;
}

static bool boolean(struct sc *s, bool *out)
{
	ws(s);
	if (s->e - s->p >= 4 && !memcmp(s->p, "true", 4)) {
		s->p += 4;
		*out = true;
		return true;
	}
	if (s->e - s->p >= 5 && !memcmp(s->p, "false", 5)) {
		s->p += 5;
		*out = false;
		return true;
	}
	return false;
}

static bool null(struct sc *s)
{
	ws(s);
	if (s->e - s->p >= 4 && !memcmp(s->p, "null", 4)) {
		s->p += 4;
		return true;
	}
	return false;
}

/* Iterate an object: call with first = true after '{'. 1 = a key is next
 * (read into k/n), 0 = the object ended, -1 = malformed. */
static int next_key(struct sc *s, bool *first, const char **k, size_t *n)
{
	if (*first) {
		*first = false;
		if (ch(s, '}'))
			return 0;
	} else if (ch(s, '}')) {
		return 0;
	} else if (!ch(s, ',')) {
		return -1;
	}
	return key(s, k, n) ? 1 : -1;
}

/* An object being read: obj_open() reads '{'; each obj_next() that returns
 * true has read a key into k/n; after the last, rc says how the object
 * ended (0 = '}', -1 = malformed). */
struct obj {
	bool first;
	int rc;
	const char *k;
	size_t n;
};

static bool obj_open(struct sc *s, struct obj *o)
{
	o->first = true;
	o->rc = -1;
	return ch(s, '{');
}

static bool obj_next(struct sc *s, struct obj *o)
{
	o->rc = next_key(s, &o->first, &o->k, &o->n);
	return o->rc > 0;
}

/* Same for arrays: 1 = an element is next, 0 = ended, -1 = malformed. */
static int next_elem(struct sc *s, bool *first)
{
	if (*first) {
		*first = false;
		return ch(s, ']') ? 0 : 1;
	}
	if (ch(s, ']'))
		return 0;
	return ch(s, ',') ? 1 : -1;
}

/* "[ e, ... ]", reading each element with one(s, ctx). */
static bool scan_list(struct sc *s, bool (*one)(struct sc *, void *), void *ctx)
{
	bool first = true;
	int rc;

	if (!ch(s, '['))
		return false;
	while ((rc = next_elem(s, &first)) > 0)
		if (!one(s, ctx))
			return false;
	return rc == 0;
}

/* "x0".."x30" (and "sp" when sp) -> 0..31; -1 otherwise. */
static int reg_of(const char *k, size_t n, bool sp)
{
	if (sp && n == 2 && k[0] == 's' && k[1] == 'p')
		return EMU_REG_SP;
	if (n < 2 || n > 3 || k[0] != 'x' || k[1] < '0' || k[1] > '9' ||
	    (n == 3 && (k[1] == '0' || k[2] < '0' || k[2] > '9')))
		return -1;
	int r = n == 2 ? k[1] - '0' : (k[1] - '0') * 10 + (k[2] - '0');
	return r <= 30 ? r : -1;
}

/* ---- the exit object -------------------------------------------------------- */
static const char *const exit_keys[] = { "esr", "far", "hpfar", "pc", "pstate" };

static bool scan_exit(struct sc *s, struct trace_exit *e)
{
	bool has_ec = false;
	uint64_t ec = 0, v;
	unsigned seen = 0;
	struct obj o;

	if (!obj_open(s, &o))
		return false;
	while (obj_next(s, &o)) {
		unsigned i = key_index(o.k, o.n, exit_keys, HVX_ARRAY_SIZE(exit_keys));

		if (i < HVX_ARRAY_SIZE(exit_keys)) {
			if ((seen & 1u << i) || !hex(s, &v))
				return false;
			seen |= 1u << i;
			switch (i) {
			case 0: e->esr = v; e->has_esr = true; break;
			case 1: e->far = v; e->has_far = true; break;
			case 2: e->hpfar = v; e->has_hpfar = true; break;
			case 3: e->pc = v; e->has_pc = true; break;
			default: e->pstate = v; e->has_pstate = true; break;
			}
		} else if (keyis(o.k, o.n, "ec")) {
			if (has_ec || !hex(s, &ec) || ec > 0x3f)
				return false;
			has_ec = true;
		} else if (keyis(o.k, o.n, "insn")) {
			if (e->has_insn || !hex(s, &v) || v > UINT32_MAX)
				return false;
			e->insn = (uint32_t)v;
			e->has_insn = true;
		} else if (keyis(o.k, o.n, "regs")) {
			struct obj r;

			if ((seen & 1u << 8) || !obj_open(s, &r))
				return false;
			seen |= 1u << 8;
			while (obj_next(s, &r)) {
				int reg = reg_of(r.k, r.n, false);

				if (reg < 0 || (e->regs_mask >> reg & 1) || !hex(s, &e->regs[reg]))
					return false;
				e->regs_mask |= UINT32_C(1) << reg;
			}
			if (r.rc < 0)
				return false;
		} else {
			return false;
		}
	}
	if (o.rc < 0 || (!has_ec && !e->has_esr) || (e->has_esr && (e->esr >> 56)))
		return false;
	e->ec = e->has_esr ? (unsigned)(e->esr >> 26) & 0x3f : (unsigned)ec;
	return !has_ec || !e->has_esr || ec == e->ec;
}

/* ---- the outcome object ----------------------------------------------------- */
static bool scan_access(struct sc *s, struct emu_access *a)
{
	unsigned seen = 0;
	uint64_t v;
	struct obj o;

	if (!obj_open(s, &o))
		return false;
	while (obj_next(s, &o)) {
		unsigned bit;
		bool ok;

		if (keyis(o.k, o.n, "ipa"))
			bit = 0, ok = hex(s, &a->ipa);
		else if (keyis(o.k, o.n, "len"))
			bit = 1, ok = uintv(s, &v) && v >= 1 && v <= 8, a->len = (unsigned)v;
		else if (keyis(o.k, o.n, "write"))
			bit = 2, ok = boolean(s, &a->write);
		else if (keyis(o.k, o.n, "data"))
			bit = 3, ok = hex(s, &a->data);
		else if (keyis(o.k, o.n, "pending"))
			bit = 4, ok = boolean(s, &a->pending);
		else
			return false;
		if (!ok || (seen & 1u << bit))
			return false;
		seen |= 1u << bit;
	}
	return o.rc == 0 && seen == 0x1f;
}

static bool scan_hex_fields(struct sc *s, const char *const *keys, unsigned nk, uint64_t *dst)
{
	unsigned seen = 0;
	struct obj o;

	if (!obj_open(s, &o))
		return false;
	while (obj_next(s, &o)) {
		unsigned i = key_once(o.k, o.n, keys, nk, &seen);

		if (i == nk || !hex(s, &dst[i]))
			return false;
	}
	return o.rc == 0 && seen == (1u << nk) - 1;
}

static bool scan_finding(struct sc *s, struct emu_finding *f)
{
	unsigned seen = 0;
	const char *v;
	size_t vn;
	struct obj o;

	if (!obj_open(s, &o))
		return false;
	while (obj_next(s, &o)) {
		bool kind = keyis(o.k, o.n, "kind");
		char *dst = kind ? f->kind : f->detail;
		size_t cap = kind ? sizeof(f->kind) : sizeof(f->detail);
		unsigned bit = kind ? 1 : 2;

		if ((!kind && !keyis(o.k, o.n, "detail")) || (seen & bit) || !str(s, &v, &vn) ||
		    vn >= cap || memchr(v, 0, vn))
			return false;
		memcpy(dst, v, vn);
		dst[vn] = 0;
		seen |= bit;
	}
	return o.rc == 0 && seen == 3;
}

/* List elements, appended to an outcome (ctx) up to its capacity. */
static bool add_access(struct sc *s, void *ctx)
{
	struct emu_outcome *o = ctx;

	return o->n_accesses < EMU_MAX_ACCESSES && scan_access(s, &o->accesses[o->n_accesses++]);
}

static bool add_finding(struct sc *s, void *ctx)
{
	struct emu_outcome *o = ctx;

	return o->n_findings < EMU_MAX_FINDINGS && scan_finding(s, &o->findings[o->n_findings++]);
}

enum { OK_ACTION, OK_VCPU, OK_ACC, OK_WRITES, OK_PC, OK_INJECT, OK_CPUON, OK_FIND };

static bool scan_outcome_key(struct sc *s, const char *k, size_t n, struct emu_outcome *o,
			     unsigned *seen)
{
	static const char *const inj_keys[] = { "esr_el1", "far_el1", "elr_el1", "spsr_el1", "vector" };
	static const char *const cpu_keys[] = { "target", "entry", "context" };
	static const char *const keys[] = { "action", "vcpu", "accesses", "writes", "pc",
					    "inject", "cpu_on", "findings" };
	uint64_t v[5];
	struct obj w;
	const char *t;
	size_t tn;

	switch (key_once(k, n, keys, HVX_ARRAY_SIZE(keys), seen)) {
	case OK_ACTION: {
		char a[16];

		if (!str(s, &t, &tn) || tn >= sizeof(a))
			return false;
		memcpy(a, t, tn);
		a[tn] = 0;
		return emu_action_parse(a, &o->action) == 0;
	}
	case OK_VCPU:
		if (!uintv(s, &v[0]) || v[0] >= EMU_MAX_VCPUS)
			return false;
		o->vcpu = (unsigned)v[0];
		return true;
	case OK_ACC:
		return scan_list(s, add_access, o);
	case OK_WRITES:
		if (!obj_open(s, &w))
			return false;
		while (obj_next(s, &w)) {
			int reg = reg_of(w.k, w.n, true);

			if (reg < 0 || o->n_writes >= EMU_MAX_WRITES || !hex(s, &v[0]))
				return false;
			for (unsigned j = 0; j < o->n_writes; j++)
				if (o->writes[j].reg == reg)
					return false;	/* duplicate key */
			o->writes[o->n_writes].reg = (uint8_t)reg;
			o->writes[o->n_writes++].val = v[0];
		}
		return w.rc == 0;
	case OK_PC:
		return hex(s, &o->pc);
	case OK_INJECT:
		if (null(s))
			return true;
		if (!scan_hex_fields(s, inj_keys, 5, v))
			return false;
		o->has_inject = true;
		o->inject.esr_el1 = v[0];
		o->inject.far_el1 = v[1];
		o->inject.elr_el1 = v[2];
		o->inject.spsr_el1 = v[3];
		o->inject.vector = v[4];
		return true;
	case OK_CPUON:
		if (!scan_hex_fields(s, cpu_keys, 3, v))
			return false;
		o->target_mpidr = v[0];
		o->entry = v[1];
		o->context_id = v[2];
		return true;
	case OK_FIND:
		return scan_list(s, add_finding, o);
	default:
		return false;	/* unknown or repeated key */
	}
}

/* The outcome of the documented schema with every key (what
 * emu_outcome_to_json writes), so the struct says all the JSON says. */
static bool scan_outcome(struct sc *s, struct emu_outcome *o)
{
	unsigned seen = 0, want = 0xffu & ~(1u << OK_CPUON);
	struct obj c;

	/* every key is required: the arrays past their counts stay as they are */
	o->n_accesses = o->n_writes = o->n_findings = 0;
	o->has_inject = false;
	memset(&o->inject, 0, sizeof(o->inject));
	o->target_mpidr = o->entry = o->context_id = 0;
	if (!obj_open(s, &c))
		return false;
	while (obj_next(s, &c))
		if (!scan_outcome_key(s, c.k, c.n, o, &seen))
			return false;
	if (o->action == EMU_ACT_CPU_ON)
		want |= 1u << OK_CPUON;
	return c.rc == 0 && seen == want;
}

/* ---- the event line --------------------------------------------------------- */
static bool scan_pages(struct sc *s, struct trace_event *ev)
{
	bool first = true;
	int rc;

	if (!ch(s, '['))
		return false;
	while ((rc = next_elem(s, &first)) > 0) {
		struct trace_page_ref *p;
		struct obj o;
		unsigned seen = 0;
		const char *v;
		size_t vn;
		char hx[65];

		if (ev->n_pages >= TRACE_MAX_PAGEREFS || !obj_open(s, &o))
			return false;
		p = &ev->pages[ev->n_pages++];
		while (obj_next(s, &o)) {
			if (keyis(o.k, o.n, "ipa") && !(seen & 1)) {
				if (!hex(s, &p->ipa) || (p->ipa & (TRACE_PAGE_SIZE - 1)))
					return false;
				seen |= 1;
			} else if (keyis(o.k, o.n, "sha256") && !(seen & 2)) {
				if (!str(s, &v, &vn) || vn != 64)
					return false;
				memcpy(hx, v, 64);
				hx[64] = 0;
				if (trace_hash_parse(hx, p->hash) < 0)
					return false;
				seen |= 2;
			} else {
				return false;
			}
		}
		if (o.rc < 0 || seen != 3)
			return false;
	}
	return rc == 0;
}

static bool add_mmio(struct sc *s, void *ctx)
{
	struct trace_event *ev = ctx;

	return ev->n_mmio < TRACE_MAX_MMIO && hex(s, &ev->mmio_data[ev->n_mmio++]);
}

enum { EK_TYPE, EK_SEQ, EK_VCPU, EK_EXIT, EK_MMIO, EK_PAGES, EK_OUTCOME };

static bool scan_event_key(struct sc *s, const char *k, size_t n, struct trace_event *ev,
			   unsigned *seen)
{
	static const char *const keys[] = { "type", "seq", "vcpu", "exit", "mmio_data",
					    "pages", "outcome" };
	uint64_t v;
	const char *t;
	size_t tn;

	switch (key_once(k, n, keys, HVX_ARRAY_SIZE(keys), seen)) {
	case EK_TYPE:
		return str(s, &t, &tn) && keyis(t, tn, "exit");
	case EK_SEQ:
		return uintv(s, &ev->seq);
	case EK_VCPU:
		if (!uintv(s, &v) || v >= 4096)
			return false;
		ev->vcpu = (unsigned)v;
		return true;
	case EK_EXIT:
		return scan_exit(s, &ev->exit);
	case EK_MMIO:
		return scan_list(s, add_mmio, ev);
	case EK_PAGES:
		return scan_pages(s, ev);
	case EK_OUTCOME:
		if (null(s))
			return true;
		ev->has_oc = true;
		return scan_outcome(s, &ev->oc);
	default:
		return false;	/* unknown or repeated key */
	}
}

int trace_jsonl_scan_event(const char *line, size_t len, struct trace_event *ev)
{
	struct sc s = { line, line + len, false };
	unsigned seen = 0, need = 1u << EK_TYPE | 1u << EK_SEQ | 1u << EK_VCPU | 1u << EK_EXIT;
	struct obj o;

	trace_event_reset(ev);
	if (!obj_open(&s, &o))
		return 0;
	while (obj_next(&s, &o))
		if (!scan_event_key(&s, o.k, o.n, ev, &seen))
			return 0;
	ws(&s);
	if (o.rc < 0 || s.p != s.e || (seen & need) != need)
		return 0;
	return 1;
}
