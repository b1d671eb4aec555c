/*
 * emulate (plugin ABI 1.1): ISV=0 emulation of an A64 load/store from its
 * instruction word. A case is (instruction, seed): the seed gives the
 * register file and the memory (check_emulate_regs, check_emu_mem), so
 * `--entry emulate --insn HEX --seed S` re-runs it alone. The plugin's
 * accesses and registers are compared with insn_emulate's
 * (plugin_check_emu.c); a refusal is counted, not a finding.
 *
 * A failing field is clustered by its decisive features: the case's
 * instruction is placed on the feature grid (addressing mode, single or
 * pair, load/signed load/store, size, Rt=31, Rn=SP), moved along each
 * axis to its simplest value that still fails, and every axis through
 * that point is probed; the key names the values of each axis on which
 * the field fails, leaving out axes on which it always fails. One bug is
 * one cluster however many instruction forms show it; two bugs in the
 * same field fail on different values and stay apart.
 *
 * Robustness (--hostile): any 32-bit word (SIMD&FP, exclusives, atomics,
 * unallocated encodings, non-loads); refusing is right, only a crash, a
 * hang or a sanitizer report counts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/common.h"
#include "harness/util/rng.h"
#include "harness/validate/plugin_check.h"
#include "harness/validate/validate.h"

#define MAX_PROC_FINDINGS 3
#define MAX_PROBE_PROC 2	/* probes that may crash or hang per run */
/* A probe runs its instruction with several register files and memory
 * contents, so that a data-dependent failure (a lost sign extension needs
 * a negative value) is seen at every point it belongs to. */
static const uint64_t probe_seeds[] = {
	UINT64_C(0x9e0be5eed), UINT64_C(0x5eed0002), UINT64_C(0x5eed0003),
	UINT64_C(0x5eed0004),
};

struct emu_run {
	struct plugin_status st;
	struct plugin_emu_result ref, act;
	int rc;
	unsigned cmp, fail;
	char exp[EF_COUNT][48], act_s[EF_COUNT][48];
};

struct ectx {
	struct plugin_host *h;
	struct val_ep *ep;
	bool single;
	unsigned refused, probe_proc;
	uint8_t done[CHECK_EMU_GRID];
	uint32_t fail[CHECK_EMU_GRID];	/* probe results per grid point */
};

static bool answered(const struct plugin_status *st)
{
	return st->kind == PLUGIN_CALL_OK || st->kind == PLUGIN_CALL_SANITIZER;
}

static int run_case(struct ectx *x, uint32_t insn, uint64_t seed, struct emu_run *r)
{
	struct hvx_regs in;
	int e;

	memset(r, 0, sizeof(*r));
	check_emulate_regs(seed, insn, &in);
	e = plugin_call_emulate(x->h, insn, seed, &in, &r->rc, &r->act, &r->st);
	if (e || !answered(&r->st) || !check_emu_domain(insn))
		return e;
	if (check_ref_emulate(insn, seed, &in, &r->ref))
		return -EINVAL;		/* a domain instruction the engine refuses */
	r->fail = check_cmp_emulate(insn, &in, &r->ref, r->rc, &r->act, &r->cmp,
				    r->exp, r->act_s);
	return 0;
}

static void describe(uint32_t insn, uint64_t seed, char *buf, size_t len)
{
	struct hvx_regs in;
	char d[96];
	unsigned rn = (insn >> 5) & 31;	/* Rn, bits [9:5] of every form drawn */

	check_emulate_regs(seed, insn, &in);
	check_describe_insn(insn, d, sizeof(d));
	snprintf(buf, len, "insn=0x%08x %s base=0x%llx pc=0x%llx seed=0x%llx", insn, d,
		 (unsigned long long)(rn == 31 ? in.sp : in.x[rn]),
		 (unsigned long long)in.pc, (unsigned long long)seed);
}

static void reproduce(const struct ectx *x, uint32_t insn, uint64_t seed, char *buf,
		      size_t len)
{
	val_reproduce(x->ep, buf, len, "--insn 0x%08x --seed 0x%llx", insn,
		      (unsigned long long)seed);
}

/* ---- causes: probing the feature grid ---------------------------------- */

/* Fields failing at grid point p (its instruction, the probe seed);
 * 0 when p is no instruction of the domain. A probe that crashes or hangs
 * counts as passing: the case itself reports it. */
static int probe(struct ectx *x, const struct emu_point *p, bool *valid, uint32_t *fail)
{
	unsigned i = check_emu_point_index(p);
	uint32_t insn;
	struct emu_run r;
	int e;

	*valid = !check_emu_encode(p, &insn);
	*fail = 0;
	if (!*valid)
		return 0;
	for (unsigned k = 0; !x->done[i] && k < HVX_ARRAY_SIZE(probe_seeds) &&
			     x->probe_proc < MAX_PROBE_PROC; k++) {
		e = run_case(x, insn, probe_seeds[k], &r);
		if (e)
			return e;
		if (!answered(&r.st))
			x->probe_proc++;
		else
			x->fail[i] |= r.fail;
	}
	x->done[i] = 1;
	*fail = x->fail[i];
	return 0;
}

static int probe_axis(struct ectx *x, const struct emu_point *p, unsigned a, unsigned f,
		      uint32_t *possible, uint32_t *failing)
{
	*possible = *failing = 0;
	for (unsigned v = 0; v < check_emu_axis_len[a]; v++) {
		struct emu_point q = *p;
		uint32_t fl;
		bool valid;
		int e;

		q.v[a] = (uint8_t)v;
		e = probe(x, &q, &valid, &fl);
		if (e)
			return e;
		*possible |= (uint32_t)valid << v;
		*failing |= (uint32_t)(valid && (fl >> f & 1)) << v;
	}
	return 0;
}

/*
 * The key of a failure of field f at p (see the top of the file). 1 with
 * the representative instruction when the grid point fails, 0 when the
 * failure needs more than the grid (the caller keys it by the instance).
 */
static int cause_key(struct ectx *x, struct emu_point p, unsigned f, char *key,
		     size_t len, uint32_t *rep)
{
	uint32_t possible, failing;
	size_t n = 0;
	int e;

	key[0] = 0;
	for (unsigned a = 0; a < EX_COUNT; a++) {	/* the simplest failing point */
		e = probe_axis(x, &p, a, f, &possible, &failing);
		if (e)
			return e;
		if (!(failing >> p.v[a] & 1) && a == 0)
			return 0;
		for (unsigned v = 0; v < check_emu_axis_len[a]; v++)
			if (failing >> v & 1) {
				p.v[a] = (uint8_t)v;
				break;
			}
	}
	for (unsigned a = 0; a < EX_COUNT; a++) {
		e = probe_axis(x, &p, a, f, &possible, &failing);
		if (e)
			return e;
		if (!(failing >> p.v[a] & 1))
			return 0;
		if (failing == possible)
			continue;			/* not decisive */
		for (unsigned v = 0; v < check_emu_axis_len[a] && n + 2 < len; v++)
			if (failing >> v & 1)
				n += (size_t)snprintf(key + n, len - n, "%s%s",
						      n ? (key[n - 1] == ' ' ? "" : ",") : "",
						      check_emu_axis_value(a, v));
		if (n + 1 < len)
			key[n++] = ' ', key[n] = 0;
	}
	if (n && key[n - 1] == ' ')
		key[n - 1] = 0;
	if (!key[0])
		snprintf(key, len, "any");
	return check_emu_encode(&p, rep) ? 0 : 1;
}

/* ---- cases ------------------------------------------------------------------ */

static int report_field(struct ectx *x, unsigned f, uint32_t insn, uint64_t seed,
			const struct emu_run *r)
{
	unsigned fi = val_field(x->ep, check_emu_fields[f].name, check_emu_fields[f].rule);
	char key[160] = "", in[400], rep[400], rule[600];
	const char *exp = r->exp[f], *act = r->act_s[f];
	struct emu_point p;
	struct emu_run mr;
	uint32_t min = insn;
	int k = 0;

	if (!x->single && !check_emu_point_of(insn, &p))
		k = cause_key(x, p, f, key, sizeof(key), &min);
	if (k < 0)
		return k;
	if (k == 0) {	/* not reproduced on the grid: keyed by the instance */
		char d[96];

		check_describe_insn(insn, d, sizeof(d));
		snprintf(key, sizeof(key), "%s %s", x->single ? "single case" :
			 "data-specific", d);
	} else if (!val_seen(x->ep, fi, key) && min != insn) {
		for (unsigned i = 0; i < HVX_ARRAY_SIZE(probe_seeds); i++) {
			int e = run_case(x, min, probe_seeds[i], &mr);

			if (e)
				return e;
			if (answered(&mr.st) && (mr.fail >> f & 1)) {
				insn = min;
				seed = probe_seeds[i];
				exp = mr.exp[f];
				act = mr.act_s[f];
				break;
			}
		}
	}
	describe(insn, seed, in, sizeof(in));
	reproduce(x, insn, seed, rep, sizeof(rep));
	snprintf(rule, sizeof(rule), "%s; fails for: %s", check_emu_fields[f].rule, key);
	val_fail(x->ep, fi, key, in, exp, act, rule, rep);
	return 0;
}

static int conformance_case(struct ectx *x, uint32_t insn, uint64_t seed)
{
	struct emu_run r;
	char in[400], rep[400];
	int e = run_case(x, insn, seed, &r);

	if (e)
		return e;
	x->ep->cases++;
	if (r.st.kind != PLUGIN_CALL_OK) {
		describe(insn, seed, in, sizeof(in));
		reproduce(x, insn, seed, rep, sizeof(rep));
		val_process_as(x->ep, &r.st, NULL, in, rep);
		if (r.st.kind != PLUGIN_CALL_SANITIZER)
			return 0;
	}
	x->refused += r.rc < 0;
	for (unsigned f = 0; f < EF_COUNT && !e; f++) {
		unsigned fi = val_field(x->ep, check_emu_fields[f].name,
					check_emu_fields[f].rule);

		if (!(r.cmp >> f & 1))
			continue;
		if (r.fail >> f & 1)
			e = report_field(x, f, insn, seed, &r);
		else
			val_count(x->ep, fi, 0, "", "", "");
	}
	return e;
}

static int hostile_case(struct ectx *x, uint32_t insn, uint64_t seed)
{
	struct emu_run r;
	char in[400], rep[400];
	int e = run_case(x, insn, seed, &r);

	if (e)
		return e;
	x->ep->hostile++;
	if (r.st.kind == PLUGIN_CALL_OK)
		return 0;
	describe(insn, seed, in, sizeof(in));
	reproduce(x, insn, seed, rep, sizeof(rep));
	val_process_as(x->ep, &r.st, NULL, in, rep);
	return 0;
}

static struct ectx *ctx_new(struct plugin_host *h, struct val_ep *ep)
{
	struct ectx *x = calloc(1, sizeof(*x));

	if (x) {
		x->h = h;
		x->ep = ep;
		x->single = ep->o && ep->o->single.set;
	}
	return x;
}

static bool proc_limit_reached(struct val_ep *ep)
{
	if (ep->proc_findings < MAX_PROC_FINDINGS)
		return false;
	snprintf(ep->note, sizeof(ep->note), "stopped after %u crashes/hangs",
		 ep->proc_findings);
	return true;
}

int val_run_emulate(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	uint64_t s = o->seed ^ UINT64_C(0xe3a1a7e0);
	struct ectx *x = ctx_new(h, ep);
	int e = 0;

	if (!x)
		return -ENOMEM;
	for (unsigned i = 0; !e && i < o->cases && !proc_limit_reached(ep); i++) {
		uint32_t insn = check_gen_emulate(&s);

		e = conformance_case(x, insn, util_rng_next(&s));
		ep->random++;
		val_tick(ep, o->cases);
	}
	if (!ep->note[0] && x->refused)
		snprintf(ep->note, sizeof(ep->note), "%u of %u instructions refused",
			 x->refused, ep->cases);
	free(x);
	return e;
}

int val_hostile_emulate(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	uint64_t s = o->seed ^ UINT64_C(0x4e3a);
	struct ectx *x = ctx_new(h, ep);
	unsigned before = ep->proc_findings;
	int e = 0;

	if (!x)
		return -ENOMEM;
	ep->proc_findings = 0;
	for (unsigned i = 0; !e && i < o->cases && !proc_limit_reached(ep); i++) {
		uint32_t insn = (uint32_t)util_rng_next(&s);

		/* half of them in the load/store encoding space (op0 x1x0) */
		if (util_rng_below(&s, 2))
			insn = (insn & ~UINT32_C(0x0a000000)) | UINT32_C(0x08000000);
		if (check_emu_domain(insn))
			continue;	/* the conformance run covers it */
		e = hostile_case(x, insn, util_rng_next(&s));
		val_tick(ep, o->cases);
	}
	ep->proc_findings += before;
	free(x);
	return e;
}

int val_single_emulate(struct plugin_host *h, const struct val_opts *o, struct val_ep *ep)
{
	struct ectx *x = ctx_new(h, ep);
	int e;

	if (!x)
		return -ENOMEM;
	e = check_emu_domain(o->single.insn) ?
	    conformance_case(x, o->single.insn, o->seed) :
	    hostile_case(x, o->single.insn, o->seed);
	free(x);
	return e;
}
