/*
 * Event records of the binary trace format 2 (docs/trace-format.md,
 * "Binary variant"), and the fixed-layout type 'E' that earlier writers
 * made (the writer now makes 'C', bin2_compact.c). All integers
 * little-endian. 'E' payload:
 *   u16 flags, u8 ec, u8 n_mmio, u8 n_pages, u8 0, u16 vcpu, u64 seq,
 *   u32 regs_mask, then per flag u64 esr, far, hpfar, pc, pstate, u32 insn
 *   (flag HD: hpfar is not stored but equals (far >> 12) << 4, the FIPA
 *   of FAR taken as the IPA, HPFAR_EL2 D24.2.76),
 *   u64 regs[popcount(regs_mask)] (ascending), u64 mmio[n_mmio],
 *   {u64 ipa, u8 sha256[32]} pages[n_pages],
 *   the outcome (flag OC: the engine's struct, below; flag OJ: u32 length
 *   + JSON text for an outcome outside the documented schema),
 *   u32 length + kvm JSON text (flag KVM).
 * Outcome struct: u8 action, u8 vcpu, u8 n_accesses, u8 n_writes,
 *   u8 n_findings, u8 has_inject, u16 oflags, u64 pc (unless oflag PC4:
 *   the exit's pc + 4), {u64 ipa (unless oflag IPAF and this is the first
 *   access: the exit's far), u64 data, u8 len, u8 write | pending << 1}
 *   accesses[],
 *   {u8 reg, u64 value} writes[], inject (u64 esr_el1, far_el1, elr_el1,
 *   spsr_el1, vector) when has_inject, cpu_on (u64 target, entry,
 *   context) when the action is cpu_on,
 *   {u8 len, kind, u8 len, detail} findings[].
 */
#include <stdlib.h>
#include <string.h>

#include "harness/trace/bin2_event.h"
#include "hvexit/outcome_json.h"

static inline uint8_t *put(uint8_t *p, uint64_t v, unsigned n)
{
	hvx_put_le(p, v, n);
	return p + n;
}

bool trace_outcome_canonical(const json_t *o, struct emu_outcome *out)
{
	json_t *back;
	bool same;

	if (emu_outcome_from_json(o, out, NULL, 0) < 0)
		return false;
	back = emu_outcome_to_json(out);
	same = back && json_equal(back, (json_t *)o);
	json_decref(back);
	return same;
}

size_t trace_bin2_event_bound(const struct trace_event *ev, size_t *json_len,
			      char **otext, char **ktext)
{
	*otext = *ktext = NULL;
	*json_len = 0;
	if (!ev->has_oc && ev->outcome) {
		*otext = json_dumps(ev->outcome, JSON_COMPACT | JSON_SORT_KEYS);
		if (!*otext)
			return 0;
		*json_len += strlen(*otext) + 4;
	}
	if (ev->kvm) {
		*ktext = json_dumps(ev->kvm, JSON_COMPACT | JSON_SORT_KEYS);
		if (!*ktext)
			return 0;
		*json_len += strlen(*ktext) + 4;
	}
	/* fixed part, registers, MMIO, pages, the largest outcome struct;
	 * 'C' adds at most a code nibble and an index byte per value */
	return 24 + 5 * 8 + 4 + TRACE_NREGS * 8 + TRACE_MAX_MMIO * 8 + TRACE_MAX_PAGEREFS * 40 +
	       16 + EMU_MAX_ACCESSES * 18 + EMU_MAX_WRITES * 9 + 64 +
	       EMU_MAX_FINDINGS * (2 + 32 + 96) + BIN2_MAX_VALUES + *json_len;
}

static uint8_t *put_text(uint8_t *p, const char *t)
{
	size_t n = strlen(t);

	p = put(p, n, 4);
	memcpy(p, t, n);
	return p + n;
}

static uint8_t *put_str8(uint8_t *p, const char *s, size_t max)
{
	size_t n = strnlen(s, max - 1);

	*p++ = (uint8_t)n;
	memcpy(p, s, n);
	return p + n;
}

static uint8_t *encode_outcome(uint8_t *p, const struct emu_outcome *o,
			       const struct trace_exit *e)
{
	unsigned na = o->n_accesses < EMU_MAX_ACCESSES ? o->n_accesses : EMU_MAX_ACCESSES;
	unsigned nw = o->n_writes < EMU_MAX_WRITES ? o->n_writes : EMU_MAX_WRITES;
	unsigned nf = o->n_findings < EMU_MAX_FINDINGS ? o->n_findings : EMU_MAX_FINDINGS;

	unsigned of = bin2_outcome_flags(o, e);

	*p++ = (uint8_t)o->action;
	*p++ = (uint8_t)o->vcpu;
	*p++ = (uint8_t)na;
	*p++ = (uint8_t)nw;
	*p++ = (uint8_t)nf;
	*p++ = o->has_inject;
	p = put(p, of, 2);
	if (!(of & OF_PC4))
		p = put(p, o->pc, 8);
	for (unsigned i = 0; i < na; i++) {
		const struct emu_access *a = &o->accesses[i];

		if (i || !(of & OF_IPAF))
			p = put(p, a->ipa, 8);
		p = put(p, a->data, 8);
		*p++ = (uint8_t)a->len;
		*p++ = (uint8_t)(a->write | a->pending << 1);
	}
	for (unsigned i = 0; i < nw; i++) {
		*p++ = o->writes[i].reg;
		p = put(p, o->writes[i].val, 8);
	}
	if (o->has_inject) {
		p = put(p, o->inject.esr_el1, 8);
		p = put(p, o->inject.far_el1, 8);
		p = put(p, o->inject.elr_el1, 8);
		p = put(p, o->inject.spsr_el1, 8);
		p = put(p, o->inject.vector, 8);
	}
	if (o->action == EMU_ACT_CPU_ON) {
		p = put(p, o->target_mpidr, 8);
		p = put(p, o->entry, 8);
		p = put(p, o->context_id, 8);
	}
	return bin2_put_findings(p, o, nf);
}

unsigned bin2_outcome_flags(const struct emu_outcome *o, const struct trace_exit *e)
{
	return (e->has_pc && o->pc == e->pc + 4 ? OF_PC4 : 0) |
	       (e->has_far && o->n_accesses && o->accesses[0].ipa == e->far ? OF_IPAF : 0);
}

uint8_t *bin2_put_findings(uint8_t *p, const struct emu_outcome *o, unsigned nf)
{
	for (unsigned i = 0; i < nf; i++) {
		p = put_str8(p, o->findings[i].kind, sizeof(o->findings[i].kind));
		p = put_str8(p, o->findings[i].detail, sizeof(o->findings[i].detail));
	}
	return p;
}

unsigned bin2_event_flags(const struct trace_event *ev, const char *otext, const char *ktext)
{
	const struct trace_exit *e = &ev->exit;
	bool hd = e->has_hpfar && e->has_far && e->hpfar == (e->far >> 12) << 4;

	return (e->has_esr ? F_ESR : 0) | (e->has_far ? F_FAR : 0) |
	       (e->has_hpfar ? (hd ? F_HD : F_HPFAR) : 0) | (e->has_pc ? F_PC : 0) |
	       (e->has_pstate ? F_PSTATE : 0) | (e->has_insn ? F_INSN : 0) |
	       (ev->has_oc ? F_OC : otext ? F_OJ : 0) | (ktext ? F_KVM : 0);
}

size_t bin2_fixed_encode(uint8_t *p0, const struct trace_event *ev, const char *otext,
			 const char *ktext)
{
	const struct trace_exit *e = &ev->exit;
	unsigned nm = ev->n_mmio < TRACE_MAX_MMIO ? ev->n_mmio : TRACE_MAX_MMIO;
	unsigned np = ev->n_pages < TRACE_MAX_PAGEREFS ? ev->n_pages : TRACE_MAX_PAGEREFS;
	uint32_t mask = e->regs_mask & ((UINT32_C(1) << TRACE_NREGS) - 1);
	unsigned flags = bin2_event_flags(ev, otext, ktext);
	uint8_t *p = p0;

	p = put(p, flags, 2);
	*p++ = (uint8_t)(e->has_esr ? (e->esr >> 26) & 0x3f : e->ec);
	*p++ = (uint8_t)nm;
	*p++ = (uint8_t)np;
	*p++ = 0;
	p = put(p, ev->vcpu, 2);
	p = put(p, ev->seq, 8);
	p = put(p, mask, 4);
	if (e->has_esr) p = put(p, e->esr, 8);
	if (e->has_far) p = put(p, e->far, 8);
	if (flags & F_HPFAR) p = put(p, e->hpfar, 8);
	if (e->has_pc) p = put(p, e->pc, 8);
	if (e->has_pstate) p = put(p, e->pstate, 8);
	if (e->has_insn) p = put(p, e->insn, 4);
	for (uint32_t m = mask; m; m &= m - 1)
		p = put(p, e->regs[__builtin_ctz(m)], 8);
	for (unsigned i = 0; i < nm; i++)
		p = put(p, ev->mmio_data[i], 8);
	for (unsigned i = 0; i < np; i++) {
		p = put(p, ev->pages[i].ipa, 8);
		memcpy(p, ev->pages[i].hash, 32);
		p += 32;
	}
	if (ev->has_oc)
		p = encode_outcome(p, &ev->oc, e);
	else if (otext)
		p = put_text(p, otext);
	if (ktext)
		p = put_text(p, ktext);
	return (size_t)(p - p0);
}

/* ---- decoding ------------------------------------------------------------ */
/* A run of fields is read in one of two ways: checked (the record may end
 * inside it; reads past the end give 0 and mark the cursor bad, as
 * trace_cur_get does) or not (the caller saw that the whole run is
 * there). Each reader below is compiled once per way, so a whole record
 * costs one length check per run instead of one per field. */
#define RUN_READER static inline __attribute__((always_inline))

RUN_READER uint64_t get(struct trace_cur *c, unsigned n, bool checked)
{
	return checked ? trace_cur_get(c, n) : trace_cur_take(c, n);
}

/* The fixed 20 bytes that start an event: its flags; *reserved the byte
 * that must be 0. */
#define EVENT_HEAD 20
RUN_READER unsigned read_head(struct trace_cur *c, struct trace_event *ev, unsigned *reserved,
			      bool checked)
{
	unsigned flags = (unsigned)get(c, 2, checked);

	ev->exit.ec = (unsigned)get(c, 1, checked);
	ev->n_mmio = (unsigned)get(c, 1, checked);
	ev->n_pages = (unsigned)get(c, 1, checked);
	*reserved = (unsigned)get(c, 1, checked);
	ev->vcpu = (unsigned)get(c, 2, checked);
	ev->seq = get(c, 8, checked);
	ev->exit.regs_mask = (uint32_t)get(c, 4, checked);
	return flags;
}

/* The exit's registers the flags say are stored, then x[n] of the mask,
 * then the MMIO values: exit_run_len() bytes. */
static size_t exit_run_len(unsigned flags, const struct trace_event *ev)
{
	/* popcount without a library call (no -mpopcnt): few bits are set */
	size_t n = 4 * !!(flags & F_INSN) + 8 * (size_t)ev->n_mmio;

	for (uint32_t m = flags & (F_ESR | F_FAR | F_HPFAR | F_PC | F_PSTATE); m; m &= m - 1)
		n += 8;
	for (uint32_t m = ev->exit.regs_mask; m; m &= m - 1)
		n += 8;
	return n;
}

RUN_READER void read_exit(struct trace_cur *c, struct trace_event *ev, unsigned flags,
			  bool checked)
{
	struct trace_exit *e = &ev->exit;

	if (e->has_esr) e->esr = get(c, 8, checked);
	if (e->has_far) e->far = get(c, 8, checked);
	if (flags & F_HPFAR) e->hpfar = get(c, 8, checked);
	if (e->has_pc) e->pc = get(c, 8, checked);
	if (e->has_pstate) e->pstate = get(c, 8, checked);
	if (e->has_insn) e->insn = (uint32_t)get(c, 4, checked);
	for (uint32_t m = e->regs_mask; m; m &= m - 1)
		e->regs[__builtin_ctz(m)] = get(c, 8, checked);
	for (unsigned i = 0; i < ev->n_mmio; i++)
		ev->mmio_data[i] = get(c, 8, checked);
}

static bool get_str8(struct trace_cur *c, char *dst, size_t size)
{
	size_t n = (size_t)trace_cur_get(c, 1);

	if (c->bad || n >= size || c->left < n || memchr(c->p, 0, n))
		return false;
	memcpy(dst, c->p, n);
	dst[n] = 0;
	c->p += n;
	c->left -= n;
	return true;
}

/* An outcome after its 8-byte head (counts, action, flags of): PC,
 * accesses, register writes, injection, CPU_ON arguments. */
static size_t outcome_run_len(const struct emu_outcome *o, unsigned of)
{
	return (of & OF_PC4 ? 0 : 8) + 18 * (size_t)o->n_accesses - (of & OF_IPAF ? 8 : 0) +
	       9 * (size_t)o->n_writes + (o->has_inject ? 40 : 0) +
	       (o->action == EMU_ACT_CPU_ON ? 24 : 0);
}

RUN_READER const char *read_outcome(struct trace_cur *c, struct emu_outcome *o,
				    const struct trace_exit *e, unsigned of, bool checked)
{
	o->pc = of & OF_PC4 ? e->pc + 4 : get(c, 8, checked);
	for (unsigned i = 0; i < o->n_accesses; i++) {
		struct emu_access *a = &o->accesses[i];
		unsigned len, fl;

		const char *bad;

		a->ipa = !i && (of & OF_IPAF) ? e->far : get(c, 8, checked);
		a->data = get(c, 8, checked);
		len = (unsigned)get(c, 1, checked);
		fl = (unsigned)get(c, 1, checked);
		if ((bad = bin2_set_access(a, len, fl)))
			return bad;
	}
	for (unsigned i = 0; i < o->n_writes; i++) {
		o->writes[i].reg = (uint8_t)get(c, 1, checked);
		o->writes[i].val = get(c, 8, checked);
		if (o->writes[i].reg > EMU_REG_SP)
			return "outcome: register write to a register above sp";
	}
	if (o->has_inject) {
		o->inject.esr_el1 = get(c, 8, checked);
		o->inject.far_el1 = get(c, 8, checked);
		o->inject.elr_el1 = get(c, 8, checked);
		o->inject.spsr_el1 = get(c, 8, checked);
		o->inject.vector = get(c, 8, checked);
	}
	if (o->action == EMU_ACT_CPU_ON) {
		o->target_mpidr = get(c, 8, checked);
		o->entry = get(c, 8, checked);
		o->context_id = get(c, 8, checked);
	}
	return NULL;
}

static const char *decode_outcome(struct trace_cur *c, struct emu_outcome *o,
				  const struct trace_exit *e)
{
	const char *bad;
	unsigned of, inject;

	/* every member is set below but the arrays past their counts */
	o->target_mpidr = o->entry = o->context_id = 0;
	memset(&o->inject, 0, sizeof(o->inject));
	o->action = (enum emu_action)trace_cur_get(c, 1);
	o->vcpu = (unsigned)trace_cur_get(c, 1);
	o->n_accesses = (unsigned)trace_cur_get(c, 1);
	o->n_writes = (unsigned)trace_cur_get(c, 1);
	o->n_findings = (unsigned)trace_cur_get(c, 1);
	inject = (unsigned)trace_cur_get(c, 1);
	o->has_inject = inject;
	of = (unsigned)trace_cur_get(c, 2);
	if ((bad = bin2_check_outcome_head(o, inject, of, e)))
		return bad;
	if (c->left >= outcome_run_len(o, of))
		bad = read_outcome(c, o, e, of, false);
	else
		bad = read_outcome(c, o, e, of, true);
	if (bad)
		return bad;
	if (!bin2_get_findings(c, o))
		return "outcome: bad finding string";
	return c->bad ? "event record too short" : NULL;
}


const char *bin2_get_page_hash(struct trace_cur *c, struct trace_page_ref *pg)
{
	if (c->left < 32)
		return "event record too short";
	memcpy(pg->hash, c->p, 32);
	c->p += 32;
	c->left -= 32;
	if (pg->ipa & (TRACE_PAGE_SIZE - 1))
		return "page reference not 4 KiB aligned";
	return NULL;
}

bool bin2_get_findings(struct trace_cur *c, struct emu_outcome *o)
{
	for (unsigned i = 0; i < o->n_findings; i++)
		if (!get_str8(c, o->findings[i].kind, sizeof(o->findings[i].kind)) ||
		    !get_str8(c, o->findings[i].detail, sizeof(o->findings[i].detail)))
			return false;
	return true;
}

const char *bin2_fixed_decode(const uint8_t *p, size_t n, struct trace_event *ev,
			      const char **otext, size_t *olen, const char **ktext, size_t *klen)
{
	struct trace_cur c = { p, n, false };
	struct trace_exit *e = &ev->exit;
	unsigned flags, reserved;
	const char *bad;

	trace_event_reset(ev);
	*otext = *ktext = NULL;
	flags = c.left >= EVENT_HEAD ? read_head(&c, ev, &reserved, false)
				     : read_head(&c, ev, &reserved, true);
	if ((bad = bin2_check_head(ev, flags, reserved)))
		return bad;
	if (c.left >= exit_run_len(flags, ev))
		read_exit(&c, ev, flags, false);
	else
		read_exit(&c, ev, flags, true);
	if ((bad = bin2_check_exit(e, flags)))
		return bad;
	for (unsigned i = 0; i < ev->n_pages; i++) {
		ev->pages[i].ipa = trace_cur_get(&c, 8);
		if ((bad = bin2_get_page_hash(&c, &ev->pages[i])))
			return bad;
	}
	if (flags & F_OC) {
		ev->has_oc = true;
		if ((bad = decode_outcome(&c, &ev->oc, e)))
			return bad;
	} else if (flags & F_OJ) {
		*otext = trace_cur_text(&c, olen);
	}
	if (flags & F_KVM)
		*ktext = trace_cur_text(&c, klen);
	if (c.bad)
		return "event record too short";
	if (c.left)
		return "trailing bytes in event record";
	return NULL;
}
