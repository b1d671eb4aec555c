/*
 * The "exit" record of JSON Lines traces written without a DOM: the same
 * keys, order and spelling as trace_event_to_json() + json_dumps(COMPACT)
 * give (event_json.c), for events whose outcome is the engine's struct or
 * absent. Events with a JSON outcome or KVM observations, strings that
 * would need escapes, and seq values above INT64_MAX go to that general
 * writer (trace_jsonl_format_event returns 0).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/trace/trace_int.h"

struct out {
	char *p, *e;
};

static inline void lit(struct out *o, const char *s, size_t n)
{
	memcpy(o->p, s, n);
	o->p += n;
}
#define LIT(o, s) lit((o), (s), sizeof(s) - 1)

static inline void dec(struct out *o, uint64_t v)
{
	char t[24];
	int n = 0;

	do
		t[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		*o->p++ = t[--n];
}

static inline void hexv(struct out *o, uint64_t v)
{
	static const char dig[] = "0123456789abcdef";
	int sh = 60;

	*o->p++ = '"';
	*o->p++ = '0';
	*o->p++ = 'x';
	while (sh > 0 && !(v >> sh & 0xf))
		sh -= 4;
	for (; sh >= 0; sh -= 4)
		*o->p++ = dig[v >> sh & 0xf];
	*o->p++ = '"';
}

/* A string that needs no escape (printable ASCII but '"' and '\\'). */
static bool plain(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f || *s == '"' || *s == '\\')
			return false;
	return true;
}

static void qstr(struct out *o, const char *s)
{
	*o->p++ = '"';
	lit(o, s, strlen(s));
	*o->p++ = '"';
}

static void regname(struct out *o, unsigned r)
{
	*o->p++ = '"';
	if (r == EMU_REG_SP) {
		LIT(o, "sp");
	} else {
		*o->p++ = 'x';
		dec(o, r);
	}
	*o->p++ = '"';
}

static void outcome(struct out *o, const struct emu_outcome *oc)
{
	unsigned na = oc->n_accesses < EMU_MAX_ACCESSES ? oc->n_accesses : EMU_MAX_ACCESSES;
	unsigned nw = oc->n_writes < EMU_MAX_WRITES ? oc->n_writes : EMU_MAX_WRITES;
	unsigned nf = oc->n_findings < EMU_MAX_FINDINGS ? oc->n_findings : EMU_MAX_FINDINGS;
	const char *an = emu_action_name(oc->action);

	LIT(o, "{\"action\":");
	qstr(o, an ? an : "unhandled");
	LIT(o, ",\"vcpu\":");
	dec(o, oc->vcpu);
	LIT(o, ",\"accesses\":[");
	for (unsigned i = 0; i < na; i++) {
		const struct emu_access *a = &oc->accesses[i];

		if (i)
			*o->p++ = ',';
		LIT(o, "{\"ipa\":");
		hexv(o, a->ipa);
		LIT(o, ",\"len\":");
		dec(o, a->len);
		if (a->write)
			LIT(o, ",\"write\":true,\"data\":");
		else
			LIT(o, ",\"write\":false,\"data\":");
		hexv(o, a->data);
		if (a->pending)
			LIT(o, ",\"pending\":true}");
		else
			LIT(o, ",\"pending\":false}");
	}
	LIT(o, "],\"writes\":{");
	for (unsigned i = 0; i < nw; i++) {
		if (i)
			*o->p++ = ',';
		regname(o, oc->writes[i].reg);
		*o->p++ = ':';
		hexv(o, oc->writes[i].val);
	}
	LIT(o, "},\"pc\":");
	hexv(o, oc->pc);
	if (oc->has_inject) {
		LIT(o, ",\"inject\":{\"esr_el1\":");
		hexv(o, oc->inject.esr_el1);
		LIT(o, ",\"far_el1\":");
		hexv(o, oc->inject.far_el1);
		LIT(o, ",\"elr_el1\":");
		hexv(o, oc->inject.elr_el1);
		LIT(o, ",\"spsr_el1\":");
		hexv(o, oc->inject.spsr_el1);
		LIT(o, ",\"vector\":");
		hexv(o, oc->inject.vector);
		*o->p++ = '}';
	} else {
		LIT(o, ",\"inject\":null");
	}
	if (oc->action == EMU_ACT_CPU_ON) {
		LIT(o, ",\"cpu_on\":{\"target\":");
		hexv(o, oc->target_mpidr);
		LIT(o, ",\"entry\":");
		hexv(o, oc->entry);
		LIT(o, ",\"context\":");
		hexv(o, oc->context_id);
		*o->p++ = '}';
	}
	LIT(o, ",\"findings\":[");
	for (unsigned i = 0; i < nf; i++) {
		if (i)
			*o->p++ = ',';
		LIT(o, "{\"kind\":");
		qstr(o, oc->findings[i].kind);
		LIT(o, ",\"detail\":");
		qstr(o, oc->findings[i].detail);
		*o->p++ = '}';
	}
	LIT(o, "]}");
}

static const struct {
	const char *key;
	size_t off_val, off_has;
} xfields[] = {
	{ ",\"esr\":",    offsetof(struct trace_exit, esr),    offsetof(struct trace_exit, has_esr) },
	{ ",\"far\":",    offsetof(struct trace_exit, far),    offsetof(struct trace_exit, has_far) },
	{ ",\"hpfar\":",  offsetof(struct trace_exit, hpfar),  offsetof(struct trace_exit, has_hpfar) },
	{ ",\"pc\":",     offsetof(struct trace_exit, pc),     offsetof(struct trace_exit, has_pc) },
	{ ",\"pstate\":", offsetof(struct trace_exit, pstate), offsetof(struct trace_exit, has_pstate) },
};

size_t trace_jsonl_format_event(const struct trace_event *ev, char **buf, size_t *cap)
{
	const struct trace_exit *e = &ev->exit;
	const size_t need = 8192;	/* far above the longest line this writes */
	struct out o;

	if (ev->kvm || (!ev->has_oc && ev->outcome) || ev->seq > (uint64_t)INT64_MAX)
		return 0;
	for (unsigned i = 0; ev->has_oc && i < ev->oc.n_findings && i < EMU_MAX_FINDINGS; i++)
		if (!plain(ev->oc.findings[i].kind) || !plain(ev->oc.findings[i].detail))
			return 0;
	if (*cap < need) {
		char *nb = realloc(*buf, need);

		if (!nb)
			return 0;
		*buf = nb;
		*cap = need;
	}
	o.p = *buf;
	o.e = *buf + *cap;
	LIT(&o, "{\"type\":\"exit\",\"seq\":");
	dec(&o, ev->seq);
	LIT(&o, ",\"vcpu\":");
	dec(&o, ev->vcpu);
	LIT(&o, ",\"exit\":{\"ec\":");
	hexv(&o, e->has_esr ? (e->esr >> 26) & 0x3f : e->ec);
	for (size_t i = 0; i < HVX_ARRAY_SIZE(xfields); i++) {
		const char *base = (const char *)e;

		if (*(const bool *)(base + xfields[i].off_has)) {
			lit(&o, xfields[i].key, strlen(xfields[i].key));
			hexv(&o, *(const uint64_t *)(base + xfields[i].off_val));
		}
	}
	if (e->has_insn) {
		LIT(&o, ",\"insn\":");
		hexv(&o, e->insn);
	}
	LIT(&o, ",\"regs\":{");
	for (unsigned r = 0, n = 0; r < TRACE_NREGS; r++) {
		if (!(e->regs_mask >> r & 1))
			continue;
		if (n++)
			*o.p++ = ',';
		regname(&o, r);
		*o.p++ = ':';
		hexv(&o, e->regs[r]);
	}
	LIT(&o, "}}");
	if (ev->n_mmio) {
		LIT(&o, ",\"mmio_data\":[");
		for (unsigned i = 0; i < ev->n_mmio && i < TRACE_MAX_MMIO; i++) {
			if (i)
				*o.p++ = ',';
			hexv(&o, ev->mmio_data[i]);
		}
		*o.p++ = ']';
	}
	if (ev->n_pages) {
		LIT(&o, ",\"pages\":[");
		for (unsigned i = 0; i < ev->n_pages && i < TRACE_MAX_PAGEREFS; i++) {
			char hx[65];

			if (i)
				*o.p++ = ',';
			LIT(&o, "{\"ipa\":");
			hexv(&o, ev->pages[i].ipa);
			LIT(&o, ",\"sha256\":\"");
			trace_hash_hex(ev->pages[i].hash, hx);
			lit(&o, hx, 64);
			LIT(&o, "\"}");
		}
		*o.p++ = ']';
	}
	if (ev->has_oc) {
		LIT(&o, ",\"outcome\":");
		outcome(&o, &ev->oc);
	}
	LIT(&o, "}\n");
	return (size_t)(o.p - *buf);
}
