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
 * The case loop is the case driver's (case_driver.h); this is its row.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/common.h"
#include "harness/util/rng.h"
#include "harness/validate/case_driver.h"

/* A probe runs its instruction with several register files and memory
 * contents, so that a data-dependent failure (a lost sign extension needs
 * a negative value) is seen at every point it belongs to. */
static const uint64_t probe_seeds[] = {
	UINT64_C(0x9e0be5eed), UINT64_C(0x5eed0002), UINT64_C(0x5eed0003),
	UINT64_C(0x5eed0004),
};

struct emu_run {
	struct cd_run c;
	struct plugin_emu_result ref, act;
	char exp[EF_COUNT][48], act_s[EF_COUNT][48];
};

/* probe results per grid point */
struct egrid {
	uint8_t done[CHECK_EMU_GRID];
	uint32_t fail[CHECK_EMU_GRID];
};

static int run_case(struct cd_ctx *x, struct cd_in in, struct cd_run *c)
{
	struct emu_run *r = (struct emu_run *)c;
	uint32_t insn = (uint32_t)in.a;
	struct hvx_regs regs;
	int e;

	memset(r, 0, sizeof(*r));
	check_emulate_regs(in.b, insn, &regs);
	e = plugin_call_emulate(x->h, insn, in.b, &regs, &c->rc, &r->act, &c->st);
	if (e || !cd_answered(&c->st) || !check_emu_domain(insn))
		return e;
	if (check_ref_emulate(insn, in.b, &regs, &r->ref))
		return -EINVAL;		/* a domain instruction the engine refuses */
	c->fail = check_cmp_emulate(insn, &regs, &r->ref, c->rc, &r->act, &c->cmp,
				    r->exp, r->act_s);
	return 0;
}

static void describe(const struct cd_ctx *x, struct cd_in in, const struct cd_run *r,
		     const char *vec, char *buf, size_t len)
{
	uint32_t insn = (uint32_t)in.a;
	struct hvx_regs regs;
	char d[96];
	unsigned rn = (insn >> 5) & 31;	/* Rn, bits [9:5] of every form drawn */

	(void)x, (void)r, (void)vec;
	check_emulate_regs(in.b, insn, &regs);
	check_describe_insn(insn, d, sizeof(d));
	snprintf(buf, len, "insn=0x%08x %s base=0x%llx pc=0x%llx seed=0x%llx", insn, d,
		 (unsigned long long)(rn == 31 ? regs.sp : regs.x[rn]),
		 (unsigned long long)regs.pc, (unsigned long long)in.b);
}

static void reproduce(const struct cd_ctx *x, struct cd_in in, char *buf, size_t len)
{
	val_reproduce(x->ep, buf, len, "--insn 0x%08x --seed 0x%llx", (uint32_t)in.a,
		      (unsigned long long)in.b);
}

/* ---- causes: probing the feature grid ---------------------------------- */

/* Fields failing at grid point p (its instruction, the probe seeds);
 * 0 when p is no instruction of the domain. */
static int probe(struct cd_ctx *x, const struct emu_point *p, bool *valid, uint32_t *fail)
{
	struct egrid *g = x->priv;
	unsigned i = check_emu_point_index(p);
	uint32_t insn;

	*valid = !check_emu_encode(p, &insn);
	*fail = 0;
	if (!*valid)
		return 0;
	for (unsigned k = 0; !g->done[i] && k < HVX_ARRAY_SIZE(probe_seeds); k++) {
		int e = cd_probe(x, (struct cd_in){ insn, probe_seeds[k] }, &g->fail[i]);

		if (e)
			return e;
	}
	g->done[i] = 1;
	*fail = g->fail[i];
	return 0;
}

static int probe_axis(struct cd_ctx *x, const struct emu_point *p, unsigned a, unsigned f,
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
static int grid_key(struct cd_ctx *x, struct emu_point p, unsigned f, char *key,
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

static int cause(struct cd_ctx *x, unsigned f, struct cd_in in, char *key, size_t len,
		 struct cd_in *rep)
{
	uint32_t insn = (uint32_t)in.a, min = insn;
	struct emu_point p;
	int k = 0;

	if (!x->single && !check_emu_point_of(insn, &p))
		k = grid_key(x, p, f, key, len, &min);
	if (k < 0)
		return k;
	if (k == 0) {	/* not reproduced on the grid: keyed by the instance */
		char d[96];

		check_describe_insn(insn, d, sizeof(d));
		snprintf(key, len, "%s %s", x->single ? "single case" : "data-specific", d);
	}
	rep->a = min;
	return k;
}

static void rule(const struct cd_ctx *x, unsigned f, const char *key, char *buf, size_t len)
{
	snprintf(buf, len, "%s; fails for: %s", x->ops->fields[f].rule, key);
}

/* ---- inputs and the entry point ------------------------------------------ */

static bool possible(struct cd_in in)
{
	return check_emu_domain((uint32_t)in.a);
}

static void gen(uint64_t *s, struct cd_in *in)
{
	in->a = check_gen_emulate(s);
	in->b = util_rng_next(s);
}

/* Any 32-bit word, half of them in the load/store encoding space (op0
 * x1x0). */
static bool gen_hostile(uint64_t *s, struct cd_in *in)
{
	uint32_t insn = (uint32_t)util_rng_next(s);

	if (util_rng_below(s, 2))
		insn = (insn & ~UINT32_C(0x0a000000)) | UINT32_C(0x08000000);
	if (check_emu_domain(insn))
		return false;
	in->a = insn;
	in->b = util_rng_next(s);
	return true;
}

static int init(struct cd_ctx *x)
{
	x->priv = calloc(1, sizeof(struct egrid));
	return x->priv ? 0 : -ENOMEM;
}

static void fini(struct cd_ctx *x)
{
	free(x->priv);
}

const struct cd_ops cd_emulate_ops = {
	.fields = check_emu_fields, .nfields = EF_COUNT, .list_all = true,
	.note_refusals = true, .single_in = CD_SINGLE_INSN_SEED,
	.run_size = sizeof(struct emu_run), .exp_at = offsetof(struct emu_run, exp),
	.act_at = offsetof(struct emu_run, act_s),
	.text_len = sizeof(((struct emu_run *)0)->exp[0]),
	.seed_conformance = 0xe3a1a7e0, .seed_robustness = 0x4e3a,
	.rep_seeds = probe_seeds, .nrep_seeds = HVX_ARRAY_SIZE(probe_seeds),
	.gen = gen, .gen_hostile = gen_hostile, .possible = possible,
	.init = init, .fini = fini, .run = run_case, 
	.describe = describe, .reproduce = reproduce, .cause = cause, .rule = rule,
};
