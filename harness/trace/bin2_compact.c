/*
 * The compact event record 'C' of the binary trace format 2
 * (docs/trace-format.md, "Binary variant"): the fields of the fixed
 * record 'E' (bin2_codec.c), in three parts.
 *   1. The bytes: u16 flags, u8 ec, u8 n_mmio, u8 n_pages, u8 0, u16 vcpu,
 *      u32 regs_mask; with flag OC the outcome's u8 action, u8 vcpu,
 *      u8 n_accesses, u8 n_writes, u8 n_findings, u8 has_inject,
 *      u16 oflags, then per access u8 len, u8 write | pending << 1, then
 *      per register write u8 reg.
 *   2. The values: every u32/u64 field of 'E' after the head, in the
 *      order of 'E' (seq, esr, far, hpfar, pc, pstate, insn, regs, mmio,
 *      page addresses, outcome pc, access ipa/data, write values,
 *      injection, CPU_ON arguments, the lengths of the JSON texts), with
 *      seq replaced by its difference to the seq of the event before it
 *      in the same block (the first: to 0), modulo 2^64. Part 1 gives
 *      their count K. K 4-bit codes, two to a byte (low nibble first; an
 *      odd K leaves the last high nibble 0), then each value's bytes:
 *      code k in 0..8, the value in k little-endian bytes (0: the value
 *      0); code 9, one byte i < its own index, the value is the record's
 *      i-th value.
 *   3. The rest: the pages' SHA-256, the findings (u8 length + kind,
 *      u8 length + detail), the outcome JSON text, the kvm JSON text.
 * The zero bytes and repeats of the values, which zstd would match in
 * many short pieces, are gone before it runs: a random trace's blocks
 * decompress with about half the work, and the decoder reads the values
 * in one loop of one load each.
 */
#include <stdlib.h>
#include <string.h>

#include "harness/trace/bin2_event.h"

/* The values of a record in their order, as the addresses of the fields
 * (the encoder reads them, the decoder fills them); seq, insn and the
 * text lengths go through the members. */
struct slots {
	uint64_t *at[BIN2_MAX_VALUES];
	uint64_t seq, insn, olen, klen;
};

/* At most 2 + 5 + 31 + 16 + 4 + 1 + 16 + 8 + 5 + 3 + 2 = 93 values: the
 * counts and the mask are checked before this runs. */
static unsigned event_slots(struct trace_event *ev, unsigned flags, unsigned of,
			    struct slots *s)
{
	struct trace_exit *e = &ev->exit;
	struct emu_outcome *o = &ev->oc;
	unsigned k = 0;

	s->at[k++] = &s->seq;
	if (flags & F_ESR) s->at[k++] = &e->esr;
	if (flags & F_FAR) s->at[k++] = &e->far;
	if (flags & F_HPFAR) s->at[k++] = &e->hpfar;
	if (flags & F_PC) s->at[k++] = &e->pc;
	if (flags & F_PSTATE) s->at[k++] = &e->pstate;
	if (flags & F_INSN) s->at[k++] = &s->insn;
	for (uint32_t m = e->regs_mask; m; m &= m - 1)
		s->at[k++] = &e->regs[__builtin_ctz(m)];
	for (unsigned i = 0; i < ev->n_mmio; i++)
		s->at[k++] = &ev->mmio_data[i];
	for (unsigned i = 0; i < ev->n_pages; i++)
		s->at[k++] = &ev->pages[i].ipa;
	if (flags & F_OC) {
		if (!(of & OF_PC4))
			s->at[k++] = &o->pc;
		for (unsigned i = 0; i < o->n_accesses; i++) {
			if (i || !(of & OF_IPAF))
				s->at[k++] = &o->accesses[i].ipa;
			s->at[k++] = &o->accesses[i].data;
		}
		for (unsigned i = 0; i < o->n_writes; i++)
			s->at[k++] = &o->writes[i].val;
		if (o->has_inject) {
			s->at[k++] = &o->inject.esr_el1;
			s->at[k++] = &o->inject.far_el1;
			s->at[k++] = &o->inject.elr_el1;
			s->at[k++] = &o->inject.spsr_el1;
			s->at[k++] = &o->inject.vector;
		}
		if (o->action == EMU_ACT_CPU_ON) {
			s->at[k++] = &o->target_mpidr;
			s->at[k++] = &o->entry;
			s->at[k++] = &o->context_id;
		}
	} else if (flags & F_OJ) {
		s->at[k++] = &s->olen;
	}
	if (flags & F_KVM)
		s->at[k++] = &s->klen;
	return k;
}

/* ---- encoding ------------------------------------------------------------ */
static uint8_t *put(uint8_t *p, uint64_t v, unsigned n)
{
	hvx_put_le(p, v, n);
	return p + n;
}

/* Part 2 for the values v[0..k). */
static uint8_t *put_values(uint8_t *p, const uint64_t *v, unsigned k)
{
	uint8_t *code = p;

	memset(code, 0, (k + 1) / 2);
	p += (k + 1) / 2;
	for (unsigned i = 0; i < k; i++) {
		unsigned c = v[i] ? (unsigned)(71 - __builtin_clzll(v[i])) / 8 : 0, j = 0;

		if (c >= 2) {	/* a reference is shorter */
			while (j < i && v[j] != v[i])
				j++;
			if (j < i)
				c = 9;
		}
		code[i / 2] |= (uint8_t)(c << (4 * (i & 1)));
		p = c == 9 ? put(p, j, 1) : put(p, v[i], c);
	}
	return p;
}

/* An event whose counts and mask are in range (what readers and the
 * engine make): the encoder reads it in place. */
static bool in_range(const struct trace_event *ev)
{
	return ev->n_mmio <= TRACE_MAX_MMIO && ev->n_pages <= TRACE_MAX_PAGEREFS &&
	       !(ev->exit.regs_mask >> TRACE_NREGS) &&
	       (!ev->has_oc || (ev->oc.n_accesses <= EMU_MAX_ACCESSES &&
				ev->oc.n_writes <= EMU_MAX_WRITES &&
				ev->oc.n_findings <= EMU_MAX_FINDINGS));
}

/* Part 1 of an outcome. */
static uint8_t *put_outcome_bytes(uint8_t *p, const struct emu_outcome *o, unsigned of)
{
	*p++ = (uint8_t)o->action;
	*p++ = (uint8_t)o->vcpu;
	*p++ = (uint8_t)o->n_accesses;
	*p++ = (uint8_t)o->n_writes;
	*p++ = (uint8_t)o->n_findings;
	*p++ = o->has_inject;
	p = put(p, of, 2);
	for (unsigned i = 0; i < o->n_accesses; i++) {
		*p++ = (uint8_t)o->accesses[i].len;
		*p++ = (uint8_t)(o->accesses[i].write | (unsigned)o->accesses[i].pending << 1);
	}
	for (unsigned i = 0; i < o->n_writes; i++)
		*p++ = o->writes[i].reg;
	return p;
}

size_t bin2_compact_encode(uint8_t *p0, uint64_t prev_seq, const struct trace_event *ev,
			   const char *otext, const char *ktext)
{
	/* the fields are only read; an event with counts out of range is
	 * written as the fixed record would, bounded, from a copy */
	struct trace_event *src = (struct trace_event *)ev, *copy = NULL;
	unsigned flags = bin2_event_flags(ev, otext, ktext), of = 0, k;
	size_t olen = otext ? strlen(otext) : 0, klen = ktext ? strlen(ktext) : 0;
	uint64_t v[BIN2_MAX_VALUES];
	struct slots s;
	uint8_t *p = p0;

	if (!in_range(ev)) {
		if (!(copy = malloc(sizeof(*copy))))
			return 0;
		memcpy(copy, ev, sizeof(*copy));
		copy->n_mmio = ev->n_mmio < TRACE_MAX_MMIO ? ev->n_mmio : TRACE_MAX_MMIO;
		copy->n_pages = ev->n_pages < TRACE_MAX_PAGEREFS ? ev->n_pages : TRACE_MAX_PAGEREFS;
		copy->exit.regs_mask &= (UINT32_C(1) << TRACE_NREGS) - 1;
		if (copy->oc.n_accesses > EMU_MAX_ACCESSES) copy->oc.n_accesses = EMU_MAX_ACCESSES;
		if (copy->oc.n_writes > EMU_MAX_WRITES) copy->oc.n_writes = EMU_MAX_WRITES;
		if (copy->oc.n_findings > EMU_MAX_FINDINGS) copy->oc.n_findings = EMU_MAX_FINDINGS;
		src = copy;
	}
	p = put(p, flags, 2);
	*p++ = (uint8_t)(src->exit.has_esr ? (src->exit.esr >> 26) & 0x3f : src->exit.ec);
	*p++ = (uint8_t)src->n_mmio;
	*p++ = (uint8_t)src->n_pages;
	*p++ = 0;
	p = put(p, src->vcpu, 2);
	p = put(p, src->exit.regs_mask, 4);
	if (flags & F_OC) {
		of = bin2_outcome_flags(&src->oc, &src->exit);
		p = put_outcome_bytes(p, &src->oc, of);
	}
	s.seq = ev->seq - prev_seq;
	s.insn = ev->exit.insn;
	s.olen = olen;
	s.klen = klen;
	k = event_slots(src, flags, of, &s);
	for (unsigned i = 0; i < k; i++)
		v[i] = *s.at[i];
	p = put_values(p, v, k);
	for (unsigned i = 0; i < src->n_pages; i++) {
		memcpy(p, src->pages[i].hash, 32);
		p += 32;
	}
	if (flags & F_OC)
		p = bin2_put_findings(p, &src->oc, src->oc.n_findings);
	if (flags & F_OJ) {
		memcpy(p, otext, olen);
		p += olen;
	}
	if (ktext) {
		memcpy(p, ktext, klen);
		p += klen;
	}
	free(copy);
	return (size_t)(p - p0);
}

/* ---- decoding ------------------------------------------------------------ */
/* Bytes 0..8 of a little-endian load kept by code 0..8. */
static const uint64_t code_mask[9] = {
	0, 0xff, 0xffff, 0xffffff, 0xffffffff, UINT64_C(0xffffffffff),
	UINT64_C(0xffffffffffff), UINT64_C(0xffffffffffffff), ~UINT64_C(0),
};

static const char too_short[] = "event record too short";
static const char bad_code[] = "bad value code or reference";

/* A loaded 8-byte word as the little-endian value it holds. */
static inline uint64_t le64(uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap64(v);
#else
	return v;
#endif
}

/* The cd bytes at p[at], fewer than 8 of len left: one load of the 8
 * bytes that end the record (it has at least 8 before p + len: its
 * 12-byte head precedes part 2). */
static inline uint64_t tail_bytes(const uint8_t *p, size_t len, size_t at, unsigned cd)
{
	uint64_t v;

	if (!cd)
		return 0;
	memcpy(&v, p + len - 8, 8);
	return le64(v) >> (8 * (8 - (len - at))) & code_mask[cd];
}

/* One value of code cd at p[*at] (len bytes there) into slot i: NULL, or
 * what is wrong. */
static inline __attribute__((always_inline)) const char *
get_value(const uint8_t *p, size_t len, size_t *at, unsigned cd, unsigned i,
	  const struct slots *s)
{
	uint64_t v;

	if (__builtin_expect(cd <= 8 && *at + 8 <= len, 1)) {
		memcpy(&v, p + *at, 8);	/* one load: 8 bytes are there */
		v = le64(v);
		*at += cd;
		*s->at[i] = v & code_mask[cd];
		return NULL;
	}
	if (cd <= 8) {
		if (len - *at < cd)
			return too_short;
		v = tail_bytes(p, len, *at, cd);
		*at += cd;
	} else if (cd == 9) {
		if (*at == len)
			return too_short;
		if (p[*at] >= i)
			return bad_code;
		v = *s->at[p[(*at)++]];
	} else {
		return bad_code;
	}
	*s->at[i] = v;
	return NULL;
}

/* Part 2 into the k slots: NULL, or what is wrong. */
static const char *get_values(struct trace_cur *c, const struct slots *s, unsigned k)
{
	const uint8_t *code = c->p, *p;
	size_t nc = (k + 1) / 2, len, at = 0;
	const char *bad = NULL;
	unsigned i;

	if (c->left < nc)
		return too_short;
	if ((k & 1) && code[k / 2] >> 4)
		return "unused code nibble not zero";
	p = code + nc;
	len = c->left - nc;
	for (i = 0; i + 1 < k && !bad; i += 2) {
		unsigned two = code[i / 2];

		if (!(bad = get_value(p, len, &at, two & 15, i, s)))
			bad = get_value(p, len, &at, two >> 4, i + 1, s);
	}
	if (!bad && i < k)
		bad = get_value(p, len, &at, code[i / 2] & 15, i, s);
	c->p = p + at;
	c->left = len - at;
	return bad;
}

/* n bytes of text at the cursor. */
static const char *get_text(struct trace_cur *c, uint64_t n)
{
	const char *t = (const char *)c->p;

	if (c->left < n) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	c->left -= n;
	return t;
}

/* Part 1 of an outcome: NULL, or what is wrong. */
static const char *get_outcome_bytes(struct trace_cur *c, struct emu_outcome *o,
				     const struct trace_exit *e, unsigned *of)
{
	const char *bad;
	unsigned inject;

	if (c->left < 8)
		return "event record too short";
	o->target_mpidr = o->entry = o->context_id = 0;
	memset(&o->inject, 0, sizeof(o->inject));
	o->action = (enum emu_action)c->p[0];
	o->vcpu = c->p[1];
	o->n_accesses = c->p[2];
	o->n_writes = c->p[3];
	o->n_findings = c->p[4];
	inject = c->p[5];
	o->has_inject = inject;
	c->p += 6;
	c->left -= 6;
	*of = (unsigned)trace_cur_take(c, 2);
	if ((bad = bin2_check_outcome_head(o, inject, *of, e)))
		return bad;
	if (c->left < 2 * (size_t)o->n_accesses + o->n_writes)
		return "event record too short";
	for (unsigned i = 0; i < o->n_accesses; i++, c->p += 2)
		if ((bad = bin2_set_access(&o->accesses[i], c->p[0], c->p[1])))
			return bad;
	for (unsigned i = 0; i < o->n_writes; i++, c->p++) {
		o->writes[i].reg = *c->p;
		if (*c->p > EMU_REG_SP)
			return "outcome: register write to a register above sp";
	}
	c->left -= 2 * (size_t)o->n_accesses + o->n_writes;
	return NULL;
}

const char *bin2_compact_decode(const uint8_t *p, size_t n, uint64_t prev_seq,
				struct trace_event *ev, const char **otext, size_t *olen,
				const char **ktext, size_t *klen)
{
	struct trace_cur c = { p, n, false };
	struct trace_exit *e = &ev->exit;
	struct emu_outcome *o = &ev->oc;
	unsigned flags, reserved, of = 0;
	const char *bad;
	struct slots s;

	trace_event_reset(ev);
	*otext = *ktext = NULL;
	s.seq = s.insn = s.olen = s.klen = 0;
	if (n < 12)
		return "event record too short";
	flags = (unsigned)trace_cur_take(&c, 2);
	e->ec = (unsigned)trace_cur_take(&c, 1);
	ev->n_mmio = (unsigned)trace_cur_take(&c, 1);
	ev->n_pages = (unsigned)trace_cur_take(&c, 1);
	reserved = (unsigned)trace_cur_take(&c, 1);
	ev->vcpu = (unsigned)trace_cur_take(&c, 2);
	e->regs_mask = (uint32_t)trace_cur_take(&c, 4);
	if ((bad = bin2_check_head(ev, flags, reserved)))
		return bad;
	if (flags & F_OC) {
		ev->has_oc = true;
		if ((bad = get_outcome_bytes(&c, o, e, &of)))
			return bad;
	}
	if ((bad = get_values(&c, &s, event_slots(ev, flags, of, &s))))
		return bad;
	ev->seq = prev_seq + s.seq;
	if (s.insn >> 32 || s.olen >> 32 || s.klen >> 32)
		return bad_code;
	e->insn = (uint32_t)s.insn;
	if ((bad = bin2_check_exit(e, flags)))
		return bad;
	if (flags & F_OC) {
		if (of & OF_PC4)
			o->pc = e->pc + 4;
		if (of & OF_IPAF)
			o->accesses[0].ipa = e->far;
	}
	for (unsigned i = 0; i < ev->n_pages; i++)
		if ((bad = bin2_get_page_hash(&c, &ev->pages[i])))
			return bad;
	if ((flags & F_OC) && !bin2_get_findings(&c, o))
		return "outcome: bad finding string";
	if (flags & F_OJ) {
		*olen = (size_t)s.olen;
		*otext = get_text(&c, s.olen);
	}
	if (flags & F_KVM) {
		*klen = (size_t)s.klen;
		*ktext = get_text(&c, s.klen);
	}
	if (c.bad)
		return "event record too short";
	if (c.left)
		return "trailing bytes in event record";
	return NULL;
}
