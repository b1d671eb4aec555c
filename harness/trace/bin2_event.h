/*
 * Event records of the binary trace format 2, shared by the fixed ('E',
 * bin2_codec.c) and compact ('C', bin2_compact.c) record types: the flag
 * bits, and the checks and pieces both read and write the same way.
 * Internal to harness/trace/.
 */
#ifndef HVEXIT_TRACE_BIN2_EVENT_H
#define HVEXIT_TRACE_BIN2_EVENT_H

#include "harness/trace/trace_int.h"

enum {
	F_ESR = 1u << 0, F_FAR = 1u << 1, F_HPFAR = 1u << 2, F_PC = 1u << 3,
	F_PSTATE = 1u << 4, F_INSN = 1u << 5, F_OC = 1u << 6, F_OJ = 1u << 7,
	F_KVM = 1u << 8, F_HD = 1u << 9, F_ALL = (1u << 10) - 1,
};
enum { OF_PC4 = 1u << 0, OF_IPAF = 1u << 1, OF_ALL = (1u << 2) - 1 };

/* The flags of an event, and of its outcome struct. */
unsigned bin2_event_flags(const struct trace_event *ev, const char *otext, const char *ktext);
unsigned bin2_outcome_flags(const struct emu_outcome *o, const struct trace_exit *e);

/* The head read (flags, reserved byte, vcpu, EC, counts, mask): NULL and
 * the exit's has_ flags set, or what is wrong. */
static inline const char *bin2_check_head(struct trace_event *ev, unsigned flags,
					  unsigned reserved)
{
	struct trace_exit *e = &ev->exit;

	if (reserved)
		return "reserved byte not zero";
	if (flags & ~F_ALL)
		return "unknown flag bits";
	if ((flags & F_OC) && (flags & F_OJ))
		return "two outcomes";
	if (ev->vcpu >= 4096)
		return "vcpu out of range (0..4095)";
	if (e->ec > 0x3f)
		return "EC above 0x3f";
	if (ev->n_mmio > TRACE_MAX_MMIO || ev->n_pages > TRACE_MAX_PAGEREFS)
		return "too many MMIO values or page references";
	if (e->regs_mask >> TRACE_NREGS)
		return "register mask beyond x30";
	e->has_esr = flags & F_ESR;
	e->has_far = flags & F_FAR;
	e->has_hpfar = flags & (F_HPFAR | F_HD);
	if ((flags & F_HPFAR) && (flags & F_HD))
		return "two HPFAR flags";
	if ((flags & F_HD) && !(flags & F_FAR))
		return "HPFAR derived from an absent FAR";
	e->has_pc = flags & F_PC;
	e->has_pstate = flags & F_PSTATE;
	e->has_insn = flags & F_INSN;
	return NULL;
}

/* The outcome's 8-byte head read into o (inject: the has_inject byte,
 * of: its flags): NULL, or what is wrong. */
static inline const char *bin2_check_outcome_head(const struct emu_outcome *o, unsigned inject,
						  unsigned of, const struct trace_exit *e)
{
	if ((of & ~OF_ALL) || (unsigned)o->action >= EMU_ACT_COUNT || o->vcpu >= EMU_MAX_VCPUS ||
	    o->n_accesses > EMU_MAX_ACCESSES || o->n_writes > EMU_MAX_WRITES ||
	    o->n_findings > EMU_MAX_FINDINGS || inject > 1)
		return "outcome: a count, the action, the vCPU or the flags out of range";
	if (((of & OF_PC4) && !e->has_pc) || ((of & OF_IPAF) && (!e->has_far || !o->n_accesses)))
		return "outcome: refers to an exit field that is absent";
	return NULL;
}

/* An access's len and flags byte into a: NULL, or what is wrong. */
static inline const char *bin2_set_access(struct emu_access *a, unsigned len, unsigned fl)
{
	if (len < 1 || len > 8 || fl > 3)
		return "outcome: access length not 1..8 or unknown access flags";
	a->len = len;
	a->write = fl & 1;
	a->pending = fl >> 1;
	return NULL;
}

/* The exit's values read: NULL, or what is wrong. */
static inline const char *bin2_check_exit(struct trace_exit *e, unsigned flags)
{
	if (flags & F_HD)
		e->hpfar = (e->far >> 12) << 4;
	if (e->has_esr && ((e->esr >> 56) || ((e->esr >> 26) & 0x3f) != e->ec))
		return "ESR has RES0 bits 63:56 set or disagrees with the EC";
	return NULL;
}

/* A page reference's SHA-256 after its address (read): NULL, or what is
 * wrong. */
const char *bin2_get_page_hash(struct trace_cur *c, struct trace_page_ref *pg);
/* Findings: u8 length + kind, u8 length + detail each. */
uint8_t *bin2_put_findings(uint8_t *p, const struct emu_outcome *o, unsigned nf);
bool bin2_get_findings(struct trace_cur *c, struct emu_outcome *o);

/* The two record types: 'E' (fixed widths, bin2_codec.c) and 'C' (coded
 * values, bin2_compact.c, seq stored as the difference to prev_seq, the
 * seq of the block's event before it or 0). Encoders return the payload
 * bytes written at p (room: trace_bin2_event_bound), 0 when out of memory.
 * Decoders read a payload of n bytes: NULL, or what is wrong; the
 * outcome/kvm texts point into p. */
size_t bin2_fixed_encode(uint8_t *p, const struct trace_event *ev, const char *otext,
			 const char *ktext);
const char *bin2_fixed_decode(const uint8_t *p, size_t n, struct trace_event *ev,
			      const char **otext, size_t *olen, const char **ktext, size_t *klen);
size_t bin2_compact_encode(uint8_t *p, uint64_t prev_seq, const struct trace_event *ev,
			   const char *otext, const char *ktext);
const char *bin2_compact_decode(const uint8_t *p, size_t n, uint64_t prev_seq,
				struct trace_event *ev, const char **otext, size_t *olen,
				const char **ktext, size_t *klen);

/* Either type by its letter: the one dispatch of readers and writers. */
static inline size_t trace_bin2_encode_event(uint8_t *p, char type, uint64_t prev_seq,
					     const struct trace_event *ev, const char *otext,
					     const char *ktext)
{
	return type == 'C' ? bin2_compact_encode(p, prev_seq, ev, otext, ktext)
			   : bin2_fixed_encode(p, ev, otext, ktext);
}

static inline const char *trace_bin2_decode_event(const uint8_t *p, size_t n, char type,
						  uint64_t prev_seq, struct trace_event *ev,
						  const char **otext, size_t *olen,
						  const char **ktext, size_t *klen)
{
	return type == 'C' ? bin2_compact_decode(p, n, prev_seq, ev, otext, olen, ktext, klen)
			   : bin2_fixed_decode(p, n, ev, otext, olen, ktext, klen);
}

#endif
