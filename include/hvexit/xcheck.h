/*
 * Cross-check of data-abort syndromes against the instruction behind them.
 * Two decoders: our own (decoder/insn_decode.c) and Capstone 4.0.2.
 *
 * When an ESR_EL2 data abort reports ISV=1, its ISS (SAS, SSE, SRT, SF, AR,
 * WnR; Arm ARM D24.2.46) is a claim about the instruction at the faulting
 * PC. xcheck_dabt() checks that claim. xcheck_sweep_word() compares our
 * decoder with Capstone on one word for the encoding-space sweep.
 *
 * Thread safety: the Capstone handle and the instruction-word cache are
 * process-wide and opened lazily; call from one thread at a time.
 */
#ifndef HVEXIT_XCHECK_H
#define HVEXIT_XCHECK_H

#include "hvexit/common.h"
#include "hvexit/insn.h"

/* What Capstone says about one instruction word (fields derived from
 * insn->id and register operands, as Capstone 4 gives no size/sign). */
struct xcheck_csview {
	bool decoded;		/* Capstone returned an instruction */
	bool ldst;		/* a load/store/prefetch/DC ZVA we model */
	unsigned id;
	char text[200];		/* "ldr x1, [x2, #8]" */
	bool load, store, pair, sign, acqrel, exclusive, simd, prfm, dczva;
	bool fp;		/* B/H/S/D/Q transfer register (SIMD&FP LDR/STR/LDP) */
	bool writeback, postindex, has_index;
	bool reg64;
	int size_log2;		/* -1: unknown */
	int rt, rt2, rn, rs, rm;	/* -1: absent */
	int64_t imm;		/* displacement / post-index amount / literal offset */
	bool has_imm;
	int ext;		/* INSN_EXT_*, 0 if none */
	unsigned shift;
	unsigned nregs;		/* SIMD register-list length */
	int lane;		/* -1 if none */
	bool isv_possible;	/* single GPR, no writeback, not exclusive */
};

/* Decode word with Capstone. 0, or -ENODEV if Capstone cannot be opened. */
int xcheck_cs_view(uint32_t word, struct xcheck_csview *v);

/* ISS fields that can disagree. */
enum xcheck_field {
	XF_ISV, XF_SAS, XF_SSE, XF_SRT, XF_SF, XF_AR, XF_WNR, XF_LST, XF_COUNT
};
const char *xcheck_field_name(enum xcheck_field f);

/* A field the ESR claims and the instruction implies differently. own/cs
 * are the values each decoder implies, or -1 when that decoder cannot
 * tell (e.g. Capstone 4 does not know the instruction). */
struct xcheck_diff {
	enum xcheck_field field;
	int iss;
	int own;
	int cs;
};

enum xcheck_status {
	XCHECK_CONSISTENT = 0,	/* every ISS field matches the instruction */
	XCHECK_ISV0,		/* ISV=0: no instruction syndrome to check */
	XCHECK_MISMATCH,	/* at least one field disagrees */
	XCHECK_UNKNOWN_INSN,	/* ISV=1 but neither decoder knows the word */
};

struct xcheck_result {
	uint32_t insn;
	uint64_t esr;
	enum xcheck_status status;
	struct insn own;
	int own_rc;		/* insn_decode() return */
	struct xcheck_csview cs;
	unsigned ndiff;
	struct xcheck_diff diff[XF_COUNT];
};

/*
 * Cross-check an ESR_EL2 data abort against the instruction word at the
 * faulting PC. Returns 0 and fills *res (status says the verdict), or
 * -EINVAL if esr is not a data abort, -ENODEV if Capstone is unavailable.
 */
int xcheck_dabt(uint32_t insn, uint64_t esr, struct xcheck_result *res);

/*
 * Format a result as one JSON object (no newline) into buf (size n, caller
 * owned): {"insn","esr","status","own","own_class","capstone","diffs":[...]}.
 * Returns the length it needed (like snprintf; >= n means truncated), or
 * -EINVAL for a NULL argument. For replay/KVM reports.
 */
int xcheck_result_json(const struct xcheck_result *r, char *buf, size_t n);

/* Status name used in JSON: "consistent", "isv0", "mismatch", "unknown_insn". */
const char *xcheck_status_name(enum xcheck_status s);

/* Enable/disable the instruction-word cache of Capstone views (default
 * on). The cache holds the last 4096 words, direct-mapped. */
void xcheck_cache_enable(bool on);

/* Release Capstone (optional, at exit). */
void xcheck_close(void);

/* ---- sweep: own decoder vs Capstone ----------------------------------- */

/* Comparison verdict for one word. */
enum xcheck_verdict {
	XV_AGREE = 0,		/* both agree (or both say "not a load/store") */
	XV_EXPLAINED,		/* disagreement with a named cause (a Capstone 4 limitation) */
	XV_UNEXPLAINED,
};

/* Result of comparing one word. */
struct xcheck_cmp {
	enum xcheck_verdict verdict;
	const char *cause;	/* named cause when XV_EXPLAINED (xcheck_cause.c) */
	const char *field;	/* first disagreeing field */
	enum insn_class cls;	/* own class (INSN_C_NONE if not decoded) */
};

/* Compare own decoder and Capstone on word. 0 or -ENODEV. */
int xcheck_sweep_word(uint32_t word, struct xcheck_cmp *out);

/* Name the cause of a disagreement (used by xcheck_sweep_word): a short id
 * such as "cs4-no-v8.1+", or NULL when nothing explains it. Which causes
 * are accepted is a baseline's decision (corpus/baselines/). */
const char *xcheck_disagreement_cause(const struct insn *own, int own_rc,
				      const struct xcheck_csview *cs, const char *field);

/* Per-class sweep counters. */
struct xcheck_sweep_stats {
	uint64_t total[INSN_C_COUNT], agree[INSN_C_COUNT], explained[INSN_C_COUNT];
	uint64_t unexplained[INSN_C_COUNT];
	uint64_t words, unexplained_total;
	uint32_t example[16];		/* first unexplained words */
	const char *example_field[16];
	unsigned nexample;
};

/* Map a 30-bit index to a word of the load/store group (op0 = x1x0:
 * bit 27 = 1, bit 25 = 0; Arm ARM C4.1 top-level encoding table). */
uint32_t xcheck_ldst_word(uint32_t index);

/*
 * Sweep: the DC ZVA/DC by-VA words, then either all 2^30 load/store words
 * (all = true) or n words drawn with util_rng_next from the seed (harness/util/rng.h). Accumulates into
 * *st (caller zeroes it). cb, if not NULL, is called for every word that
 * is not XV_AGREE (with its cause, so the caller can report it). Returns 0 or -ENODEV.
 */
int xcheck_sweep(uint64_t n, uint64_t seed, bool all, struct xcheck_sweep_stats *st,
		 void (*cb)(void *ctx, uint32_t word, const struct xcheck_cmp *c), void *ctx);
/* The same, calling progress(ctx, words done, words in all) every 2^20
 * words of the sample; a non-zero return stops the sweep with -EINTR
 * (*st then holds the words compared so far). */
int xcheck_sweep_progress(uint64_t n, uint64_t seed, bool all, struct xcheck_sweep_stats *st,
			  void (*cb)(void *ctx, uint32_t word, const struct xcheck_cmp *c),
			  int (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx);

#endif
