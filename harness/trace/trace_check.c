/*
 * What a trace can prove on its own: KVM's reported events against the
 * syndrome decoded from the Arm ARM, and field-by-field comparison of
 * recorded outcomes. The ISS layouts used here are those of Arm ARM
 * D24.2.46 ESR_EL2 (Data Abort, MSR/MRS/System instruction, HVC, WFx).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/esr.h"
#include "hvexit/trace.h"
#include "harness/util/sha256.h"
#include "hvexit/xcheck.h"

static void report(trace_diff_fn fn, void *arg, const char *kind, const char *field,
		   const char *exp, const char *rec)
{
	struct trace_diff d = { .kind = kind };

	snprintf(d.field, sizeof(d.field), "%s", field);
	snprintf(d.expected, sizeof(d.expected), "%s", exp);
	snprintf(d.recorded, sizeof(d.recorded), "%s", rec);
	if (fn)
		fn(arg, &d);
}

static int check_u64(trace_diff_fn fn, void *arg, const char *field,
		     uint64_t exp, uint64_t rec)
{
	char e[32], r[32];

	if (exp == rec)
		return 0;
	snprintf(e, sizeof(e), "0x%" PRIx64, exp);
	snprintf(r, sizeof(r), "0x%" PRIx64, rec);
	report(fn, arg, "kvm", field, e, r);
	return 1;
}

static int check_bool(trace_diff_fn fn, void *arg, const char *field, bool exp, bool rec)
{
	if (exp == rec)
		return 0;
	report(fn, arg, "kvm", field, exp ? "true" : "false", rec ? "true" : "false");
	return 1;
}

static uint64_t hexof(const json_t *o, const char *key, bool *ok)
{
	uint64_t v = 0;

	if (trace_get_u64(json_object_get(o, key), &v) < 0)
		*ok = false;
	return v;
}

/* Data Abort (D24.2.46, ISS encoding for a Data Abort): each kvm_mmio
 * must have the length 1 << SAS, the direction WnR and the address
 * HPFAR-page | FAR[11:0] when ISV=1; MMIO with ISV=0 cannot be decoded from
 * the syndrome and must go to userspace as KVM_EXIT_ARM_NISV (or be
 * emulated from the instruction). */
static int check_dabt(const struct trace_event *ev, trace_diff_fn fn, void *arg)
{
	const struct trace_exit *e = &ev->exit;
	const json_t *mmio = json_object_get(ev->kvm, "mmio");
	const json_t *fault = json_object_get(ev->kvm, "fault");
	const char *uexit = json_string_value(json_object_get(
		json_object_get(ev->kvm, "userspace_exit"), "reason"));
	struct esr_dabt d;
	size_t i;
	json_t *m;
	int n = 0;
	bool ok = true;

	if (esr_decode_dabt(e->esr, &d) < 0)
		return 0;
	if (fault) {
		uint64_t ipa = hexof(fault, "ipa", &ok);

		/* The fault IPA comes from HPFAR_EL2 and is page aligned. */
		if (ok)
			n += check_u64(fn, arg, "kvm.fault.ipa[11:0]", 0, ipa & 0xfff);
	}
	if (!d.isv) {
		if (json_array_size(mmio)) {
			report(fn, arg, "kvm", "kvm.mmio", "no MMIO decoded from the syndrome (ISV=0)",
			       "kvm_mmio event present");
			n++;
		}
		return n;
	}
	if (uexit && !strcmp(uexit, "KVM_EXIT_ARM_NISV")) {
		report(fn, arg, "kvm", "kvm.userspace_exit", "not KVM_EXIT_ARM_NISV (ISV=1)", uexit);
		n++;
	}
	json_array_foreach(mmio, i, m) {
		const char *op = json_string_value(json_object_get(m, "op"));
		json_int_t len = json_integer_value(json_object_get(m, "len"));
		uint64_t gpa = hexof(m, "gpa", &ok);
		char f[48];

		if (!op || !ok)
			continue;
		snprintf(f, sizeof(f), "kvm.mmio[%zu].len", i);
		n += check_u64(fn, arg, f, UINT64_C(1) << d.sas, (uint64_t)len);
		snprintf(f, sizeof(f), "kvm.mmio[%zu].write", i);
		n += check_bool(fn, arg, f, d.wnr, !strcmp(op, "write"));
		if (e->has_hpfar && e->has_far && !d.fnv) {
			uint64_t want = (e->hpfar >> 4) << 12 | (e->far & 0xfff);

			snprintf(f, sizeof(f), "kvm.mmio[%zu].gpa", i);
			n += check_u64(fn, arg, f, want, gpa);
		}
	}
	return n;
}

/* Trapped MSR/MRS (D24.2.46, ISS for EC 0x18): Op0 [21:20], Op2 [19:17],
 * Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0] (1 = read). */
static int check_sysreg(const struct trace_event *ev, trace_diff_fn fn, void *arg)
{
	const json_t *sa = json_object_get(ev->kvm, "sys_access");
	uint64_t iss = esr_iss(ev->exit.esr);
	static const struct { const char *key, *field; unsigned hi, lo; } f[] = {
		{ "op0", "kvm.sys_access.op0", 21, 20 },
		{ "op2", "kvm.sys_access.op2", 19, 17 },
		{ "op1", "kvm.sys_access.op1", 16, 14 },
		{ "crn", "kvm.sys_access.crn", 13, 10 },
		{ "crm", "kvm.sys_access.crm", 4, 1 },
	};
	int n = 0;

	if (!sa)
		return 0;
	for (size_t i = 0; i < HVX_ARRAY_SIZE(f); i++)
		n += check_u64(fn, arg, f[i].field, hvx_bits(iss, f[i].hi, f[i].lo),
			       (uint64_t)json_integer_value(json_object_get(sa, f[i].key)));
	n += check_bool(fn, arg, "kvm.sys_access.write", !hvx_bit(iss, 0),
			json_is_true(json_object_get(sa, "write")));
	return n;
}

int trace_check_kvm(const struct trace_event *ev, trace_diff_fn fn, void *arg)
{
	const struct trace_exit *e = &ev->exit;
	const json_t *k = ev->kvm, *j;
	bool ok = true;
	int n = 0;

	if (!k)
		return 0;
	/* The EC kvm_exit printed is ESR_EL2[31:26] of the same exit. */
	if (e->has_esr)
		n += check_u64(fn, arg, "kvm.ec", esr_ec(e->esr), hexof(k, "ec", &ok));
	if ((j = json_object_get(k, "fault")) && e->has_pc) {
		ok = true;
		uint64_t pc = hexof(j, "pc", &ok);
		if (ok)
			n += check_u64(fn, arg, "kvm.fault.pc", e->pc, pc);
	}
	if (e->has_esr && (e->ec == ESR_EC_DABT_LOW || e->ec == ESR_EC_DABT_CUR))
		n += check_dabt(ev, fn, arg);
	else if (json_array_size(json_object_get(k, "mmio"))) {
		report(fn, arg, "kvm", "kvm.mmio", "MMIO only on a data abort", "kvm_mmio event present");
		n++;
	}
	if (e->has_esr && e->ec == ESR_EC_SYS64)
		n += check_sysreg(ev, fn, arg);
	if ((json_object_get(k, "sys_reg") || json_object_get(k, "sys_access")) &&
	    e->ec != ESR_EC_SYS64) {
		report(fn, arg, "kvm", "kvm.ec", "0x18 (trapped MSR/MRS)", "another EC");
		n++;
	}
	if ((j = json_object_get(k, "hvc"))) {
		ok = true;
		uint64_t imm = hexof(j, "imm", &ok), pc = hexof(j, "pc", &ok);

		if (e->ec != ESR_EC_HVC64 && e->ec != ESR_EC_HVC32) {
			char r[16];

			snprintf(r, sizeof(r), "0x%x", e->ec);
			report(fn, arg, "kvm", "kvm.ec", "0x16 or 0x12 (HVC)", r);
			n++;
		}
		/* HVC ISS [15:0] is the immediate (D24.2.46, EC 0x16). */
		if (ok && e->has_esr)
			n += check_u64(fn, arg, "kvm.hvc.imm", esr_iss(e->esr) & 0xffff, imm);
		else if (ok && imm > 0xffff)
			n += check_u64(fn, arg, "kvm.hvc.imm", imm & 0xffff, imm);
		if (ok && e->has_pc)
			n += check_u64(fn, arg, "kvm.hvc.pc", e->pc, pc);
	}
	if ((j = json_object_get(k, "wfx"))) {
		const char *insn = json_string_value(json_object_get(j, "insn"));
		ok = true;
		uint64_t pc = hexof(j, "pc", &ok);

		if (e->ec != ESR_EC_WFx) {
			char r[16];

			snprintf(r, sizeof(r), "0x%x", e->ec);
			report(fn, arg, "kvm", "kvm.ec", "0x1 (WFx)", r);
			n++;
		}
		/* WFx ISS TI [1:0]: 0 WFI, 1 WFE (D24.2.46, EC 0x01). */
		if (e->has_esr && insn)
			n += check_bool(fn, arg, "kvm.wfx.wfe", (esr_iss(e->esr) & 3) == 1,
					!strcmp(insn, "wfe"));
		if (ok && e->has_pc)
			n += check_u64(fn, arg, "kvm.wfx.pc", e->pc, pc);
	}
	return n;
}

/* ---- ISV=1 data aborts vs the instruction at PC ------------------------- */

bool trace_event_insn(const struct trace_reader *r, const struct trace_event *ev,
		      uint32_t *insn)
{
	const struct trace_exit *e = &ev->exit;

	/* SPSR_EL2.M[4] (nRW) = 1: the guest ran AArch32 (D1.4 SPSR_EL2); an
	 * IL=0 syndrome is a 16-bit T32 instruction (D24.2.46 IL). Neither
	 * is an A64 word. */
	if ((e->has_pstate && (e->pstate & 0x10)) || (e->has_esr && !(e->esr & ESR_IL)))
		return false;
	if (e->has_insn) {
		*insn = e->insn;
		return true;
	}
	if (!e->has_pc || (e->pc & 3) || !r)
		return false;
	for (unsigned i = 0; i < ev->n_pages && i < TRACE_MAX_PAGEREFS; i++) {
		const uint8_t *p;
		size_t off = (size_t)(e->pc & (TRACE_PAGE_SIZE - 1));

		if (ev->pages[i].ipa != (e->pc & ~(uint64_t)(TRACE_PAGE_SIZE - 1)))
			continue;
		p = trace_reader_page(r, ev->pages[i].hash);
		if (!p)
			continue;
		/* A64 instructions are little-endian (B2.6.2). */
		*insn = (uint32_t)hvx_get_le(p + off, 4);
		return true;
	}
	return false;
}

static void xcheck_value(char *buf, size_t len, int v)
{
	if (v < 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%d", v);
}

/* Verdicts already reached, so each distinct (instruction word, ESR)
 * pair is decided once however often a trace repeats it (own decoder and
 * Capstone run on a miss only): a table of the consistent and
 * unknown-instruction verdicts. An entry is the word (bits 63:32) and
 * ESR[26:0] with the verdict in bits 31:27, where the ESR has EC[5:1],
 * the same for both data abort classes (0x24, 0x25) this is used for;
 * ESRs with bits above 31 set are not cached. A mismatch is decided
 * again, to report its fields. 256 KiB in sets of eight ways, a set one
 * cache line (a lookup is at most one miss): with two ways, the ~12 k
 * pairs of `hvexit record random` left some sets over-full, and their
 * pairs evicted each other on every use (3 xcheck runs per distinct
 * pair over 1 M events); a table twice the size spent more time waiting
 * for memory than it saved. */
#define VERDICT_BITS 15
#define VERDICT_WAYS 8
enum { V_EMPTY, V_CONSISTENT, V_UNKNOWN };
static _Alignas(64) uint64_t verdicts[1u << VERDICT_BITS];

static inline uint64_t verdict_entry(uint64_t key, unsigned v)
{
	return key | (uint64_t)v << 27;
}

static inline unsigned verdict_set(uint64_t key)
{
	return (unsigned)((key * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - VERDICT_BITS)) &
	       ~(VERDICT_WAYS - 1u);
}

void trace_check_xcheck_prefetch(const struct trace_event *ev)
{
	const struct trace_exit *e = &ev->exit;

	if (e->has_insn && e->has_esr)
		__builtin_prefetch(&verdicts[verdict_set((uint64_t)e->insn << 32 |
							(e->esr & 0x07ffffff))]);
}

/* The slot holding key, or the one to fill (the set's first empty one,
 * else its last). */
static unsigned verdict_slot(uint64_t key, unsigned *v)
{
	unsigned s = verdict_set(key);
	unsigned fill = s | (VERDICT_WAYS - 1);

	for (unsigned w = 0; w < VERDICT_WAYS; w++) {
		uint64_t e = verdicts[s | w];

		if ((e & ~(UINT64_C(0x1f) << 27)) == key && (e >> 27 & 0x1f)) {
			*v = (unsigned)(e >> 27 & 0x1f);
			return s | w;
		}
		if (!e && fill == (s | (VERDICT_WAYS - 1)))
			fill = s | w;
	}
	*v = V_EMPTY;
	return fill;
}

int trace_check_xcheck(const struct trace_reader *r, const struct trace_event *ev,
		       struct trace_xcheck_stats *st, trace_diff_fn fn, void *arg)
{
	const struct trace_exit *e = &ev->exit;
	struct xcheck_result res;
	struct esr_dabt d;
	uint32_t word;
	int n = 0, rc;

	if (!e->has_esr || (e->ec != ESR_EC_DABT_LOW && e->ec != ESR_EC_DABT_CUR) ||
	    esr_decode_dabt(e->esr, &d) < 0 || !d.isv)
		return 0;
	st->isv1++;
	if (!trace_event_insn(r, ev, &word)) {
		st->no_insn++;
		return 0;
	}
	uint64_t key = (uint64_t)word << 32 | (e->esr & 0x07ffffff);
	unsigned state, slot = verdict_slot(key, &state);
	bool cacheable = !(e->esr >> 32);

	if (cacheable && state != V_EMPTY) {
		st->checked++;
		if (state == V_UNKNOWN)
			st->unknown_insn++;
		else
			st->consistent++;
		return 0;
	}
	rc = xcheck_dabt(word, e->esr, &res);
	if (rc < 0)
		return rc;
	st->checked++;
	if (res.status == XCHECK_UNKNOWN_INSN) {
		if (cacheable)
			verdicts[slot] = verdict_entry(key, V_UNKNOWN);
		st->unknown_insn++;
		return 0;
	}
	for (unsigned i = 0; i < res.ndiff && i < XF_COUNT; i++) {
		const struct xcheck_diff *x = &res.diff[i];
		struct trace_diff td = { .kind = "xcheck", .xcheck = true, .iss = x->iss,
					 .own = x->own, .capstone = x->cs, .insn = word };
		char o[16], c[16];
		int implied = x->own >= 0 && x->own != x->iss ? x->own : x->cs;

		/* ISS[12:11] is LST only for LS64 instructions; for the others
		 * it is SET, the error state of a synchronous External abort
		 * (FEAT_RAS), which the instruction does not imply. */
		if (x->field == XF_LST && (d.dfsc == 0x10 || d.dfsc == 0x18) &&
		    res.own.cls != INSN_C_LS64)
			continue;
		xcheck_value(o, sizeof(o), x->own);
		xcheck_value(c, sizeof(c), x->cs);
		snprintf(td.field, sizeof(td.field), "xcheck.%s", xcheck_field_name(x->field));
		snprintf(td.expected, sizeof(td.expected), "%d (own %s, capstone %s; insn 0x%08x)",
			 implied, o, c, word);
		snprintf(td.recorded, sizeof(td.recorded), "%d", x->iss);
		if (fn)
			fn(arg, &td);
		n++;
	}
	if (n) {
		st->inconsistent++;
	} else {
		st->consistent++;
		if (cacheable)
			verdicts[slot] = verdict_entry(key, V_CONSISTENT);
	}
	return n;
}

static void json_text(const json_t *v, char *buf, size_t len)
{
	char *s;

	if (!v) {
		snprintf(buf, len, "(absent)");
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	snprintf(buf, len, "%s", s ? s : "?");
	free(s);
}

/* Two hex strings naming the same number ("0x0a" vs "0xa") are equal. */
static bool same_scalar(const json_t *a, const json_t *b)
{
	uint64_t x, y;

	if (json_is_string(a) && json_is_string(b) &&
	    trace_get_u64(a, &x) == 0 && trace_get_u64(b, &y) == 0)
		return x == y;
	return json_equal((json_t *)a, (json_t *)b);
}

int trace_json_diff(const json_t *exp, const json_t *rec, const char *path,
		    const char *kind, trace_diff_fn fn, void *arg)
{
	char sub[64], e[96], r[96];
	int n = 0;

	if (json_is_object(exp) && json_is_object(rec)) {
		const char *key;
		json_t *v;

		json_object_foreach((json_t *)exp, key, v) {
			snprintf(sub, sizeof(sub), "%s.%s", path, key);
			n += trace_json_diff(v, json_object_get(rec, key), sub, kind, fn, arg);
		}
		json_object_foreach((json_t *)rec, key, v) {
			if (json_object_get(exp, key))
				continue;
			snprintf(sub, sizeof(sub), "%s.%s", path, key);
			n += trace_json_diff(NULL, v, sub, kind, fn, arg);
		}
		return n;
	}
	if (json_is_array(exp) && json_is_array(rec)) {
		size_t ne = json_array_size(exp), nr = json_array_size(rec);

		for (size_t i = 0; i < ne || i < nr; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			n += trace_json_diff(json_array_get(exp, i), json_array_get(rec, i),
					     sub, kind, fn, arg);
		}
		return n;
	}
	if (exp && rec && same_scalar(exp, rec))
		return 0;
	json_text(exp, e, sizeof(e));
	json_text(rec, r, sizeof(r));
	report(fn, arg, kind, path, e, r);
	return 1;
}

static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case ESR_EC_UNKNOWN: return "UNKNOWN";
	case ESR_EC_WFx: return "WFx";
	case ESR_EC_HVC64: return "HVC64";
	case ESR_EC_HVC32: return "HVC32";
	case ESR_EC_SMC64: return "SMC64";
	case ESR_EC_SMC32: return "SMC32";
	case ESR_EC_SYS64: return "SYS64";
	case ESR_EC_IABT_LOW: return "IABT_LOW";
	case ESR_EC_DABT_LOW: return "DABT_LOW";
	case ESR_EC_DABT_CUR: return "DABT_CUR";
	default: return "EC";
	}
}

void trace_describe_exit(const struct trace_exit *e, char *buf, size_t len)
{
	struct esr_dabt d;
	int o;

	o = snprintf(buf, len, "EC 0x%02x %s", e->ec, ec_name(e->ec));
	if (o < 0 || (size_t)o >= len)
		return;
	if (e->has_esr) {
		o += snprintf(buf + o, len - (size_t)o, " ESR 0x%" PRIx64, e->esr);
		if ((size_t)o < len && esr_decode_dabt(e->esr, &d) == 0) {
			if (d.isv)
				o += snprintf(buf + o, len - (size_t)o,
					      " ISV=1 SAS=%u (%u bytes) SSE=%u SRT=%u SF=%u AR=%u WnR=%u DFSC=0x%02x",
					      d.sas, 1u << d.sas, d.sse, d.srt, d.sf, d.ar, d.wnr, d.dfsc);
			else
				o += snprintf(buf + o, len - (size_t)o, " ISV=0 WnR=%u DFSC=0x%02x",
					      d.wnr, d.dfsc);
		}
	}
	if ((size_t)o < len && e->has_far)
		o += snprintf(buf + o, len - (size_t)o, " FAR 0x%" PRIx64, e->far);
	if ((size_t)o < len && e->has_hpfar)
		o += snprintf(buf + o, len - (size_t)o, " HPFAR 0x%" PRIx64, e->hpfar);
	if ((size_t)o < len && e->has_pc)
		o += snprintf(buf + o, len - (size_t)o, " PC 0x%" PRIx64, e->pc);
	if ((size_t)o < len && e->has_insn)
		snprintf(buf + o, len - (size_t)o, " insn 0x%08x", e->insn);
}

void trace_diff_fingerprint(const struct trace_diff *d, const struct trace_exit *e,
			    char out[17])
{
	char buf[512];
	uint8_t h[32];
	int n;

	n = snprintf(buf, sizeof(buf), "%s|%s|%x|%" PRIx64 "|%s|%s", d->kind, d->field, e->ec,
		     e->has_esr ? e->esr : 0, d->expected, d->recorded);
	util_sha256(buf, n < 0 ? 0 : (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1, h);
	for (unsigned i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}
