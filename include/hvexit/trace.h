/*
 * hvexit exit traces: streaming reader and writer for the JSON Lines format
 * described in docs/trace-format.md.
 *
 * A trace is one header line, then one record per line: "exit" events and
 * "page" records (guest memory pages, content-addressed by SHA-256, written
 * once and referenced by events), then an "end" record with the event
 * count and a checksum of everything before it. The reader parses event
 * lines with a streaming tokenizer (harness/trace/jsonl_scan.c; jansson
 * for the header and rare shapes), so memory stays flat however long the
 * trace is; only the distinct pages are kept. The binary variant (format
 * 2) is zstd-compressed blocks of fixed-layout records with an index
 * footer (harness/trace/bin2*.c). Format 1 (no end record) is still read.
 *
 * Return convention (common.h): negative errno on error, 0 or a positive
 * count on success. On error trace_reader_error() holds a one-line message
 * naming the file and line.
 */
#ifndef HVEXIT_TRACE_H
#define HVEXIT_TRACE_H

#include <stdio.h>
#include <jansson.h>

#include "hvexit/common.h"
#include "hvexit/emu.h"

/* Written by this build; format 1 (no end record) is still read. */
#define TRACE_FORMAT_VERSION 2
#define TRACE_FORMAT_LEGACY  1
#define TRACE_MAX_LINE       (1u << 20)	/* longest accepted line, bytes */
#define TRACE_MAX_MMIO       16	/* VMM-supplied read values per event */
#define TRACE_MAX_PAGEREFS   4	/* guest pages referenced per event */
#define TRACE_PAGE_SIZE      4096u
#define TRACE_MAX_PAGES      65536u	/* distinct pages per trace */
#define TRACE_NREGS          31	/* x0..x30 */

/* What an exit carries (docs/trace-format.md, "exit"). */
/* regs[n] means something only where regs_mask has bit n; mmio_data and
 * pages past n_mmio / n_pages are unspecified in events a reader fills. */
struct trace_exit {
	uint64_t esr, far, hpfar, pc, pstate;
	uint32_t insn;
	unsigned ec;		/* EC; equals esr[31:26] when has_esr */
	bool has_esr, has_far, has_hpfar, has_pc, has_pstate, has_insn;
	uint32_t regs_mask;	/* bit n: regs[n] (xn) present */
	uint64_t regs[TRACE_NREGS];
};

struct trace_page_ref {
	uint64_t ipa;		/* page-aligned guest physical address */
	uint8_t hash[32];	/* SHA-256 of the 4096 bytes */
};

/* One "exit" record. Pointers are owned by the reader (valid until the next
 * trace_next call) or, for events built by the caller, by the caller. */
struct trace_event {
	uint64_t seq;
	unsigned vcpu;
	uint64_t line;		/* 1-based line in the file (reader only) */
	struct trace_exit exit;
	unsigned n_mmio;
	uint64_t mmio_data[TRACE_MAX_MMIO];
	unsigned n_pages;
	struct trace_page_ref pages[TRACE_MAX_PAGEREFS];
	json_t *kvm;		/* what KVM reported (imported traces) or NULL */
	/* The recorded outcome, in one of three forms: has_oc (the engine's
	 * struct; what the tokenizer and the binary format give for outcomes
	 * of the documented schema), outcome (a JSON object) or outcome_text
	 * (JSON text of a binary trace). trace_event_load_outcome() makes
	 * outcome available for any of them. */
	json_t *outcome;
	const char *outcome_text;
	size_t outcome_len;
	bool has_oc;
	struct emu_outcome oc;	/* last: readers clear only what precedes it */
};

/* ---- reading ------------------------------------------------------------ */
struct trace_reader;

/* Open PATH ("-" = stdin) and read the header line. 0 and *out, or a
 * negative errno with a message in err (size errlen). */
int trace_reader_open(const char *path, struct trace_reader **out,
		      char *err, size_t errlen);
/* Same over a caller-owned memory buffer (fuzzing); data must stay valid
 * while the reader lives. */
int trace_reader_open_mem(const void *data, size_t len, const char *name,
			  struct trace_reader **out, char *err, size_t errlen);
void trace_reader_close(struct trace_reader *r);

/* The header object (owned by the reader). */
const json_t *trace_reader_header(const struct trace_reader *r);
const char *trace_reader_source(const struct trace_reader *r);
unsigned trace_reader_vcpus(const struct trace_reader *r);
const char *trace_reader_name(const struct trace_reader *r);

/* Next exit event into *ev (page records are absorbed on the way). Returns
 * 1 with an event, 0 at the end, negative errno on a malformed or corrupt
 * record, an unknown record type, or a checksum or count that disagrees
 * with the end record (message from trace_reader_error, naming the line or
 * the byte offset). A trace of format 2 that ends without its end record
 * (or whose end record says the writer was interrupted) ends with 0 and
 * trace_reader_truncated() true, the message saying how many events were
 * read. */
int trace_next(struct trace_reader *r, struct trace_event *ev);
const char *trace_reader_error(const struct trace_reader *r);
bool trace_reader_truncated(const struct trace_reader *r);
uint64_t trace_reader_line(const struct trace_reader *r);
/* Format 1 trace: it has no end record, so completeness is unknown. */
bool trace_reader_legacy(const struct trace_reader *r);
/* Events returned so far. */
uint64_t trace_reader_events(const struct trace_reader *r);
/* Input bytes consumed so far (of the file, compressed for binary). */
uint64_t trace_reader_offset(const struct trace_reader *r);
/* The number of events a binary format 2 file says it holds (its index
 * footer, read without moving the stream): 0, -ENOTSUP (another format),
 * -ESPIPE (not a regular file), -EINVAL (no readable footer). */
int trace_reader_total(struct trace_reader *r, uint64_t *events);

/* The 4096 bytes of a page seen earlier in the trace, or NULL. */
const uint8_t *trace_reader_page(const struct trace_reader *r,
				 const uint8_t hash[32]);

/* Make ev->outcome the recorded outcome as JSON (from has_oc or
 * outcome_text; owned by the reader, valid until the next trace_next).
 * 0 or -EINVAL. */
int trace_event_load_outcome(struct trace_reader *r, struct trace_event *ev);
bool trace_reader_binary(const struct trace_reader *r);
/* Binary format 2 files: jump to event k (0-based) through the index
 * footer, so the next trace_next returns it. The blocks before it are not
 * read: pages written there are unknown (references to them are errors)
 * and the end record's checksum is not checked (its count is). 0,
 * -ENOTSUP (not format 2 binary), -ESPIPE (not a regular file), -ERANGE
 * (k past the end), -EINVAL (corrupt index; message in trace_reader_error). */
int trace_reader_seek_event(struct trace_reader *r, uint64_t k);

/* ---- writing ------------------------------------------------------------ */
struct trace_writer;

/* The binary variant (docs/trace-format.md): this magic, then blocks.
 * Format 1 files (records without blocks) start with TRACE_BIN1_MAGIC. */
#define TRACE_BIN_MAGIC     "HVXTB\x02\r\n"
#define TRACE_BIN1_MAGIC    "HVXTB\x01\r\n"
#define TRACE_BIN_MAGIC_LEN 8
/* Like trace_writer_open, in the binary variant when binary is true. */
int trace_writer_open_fmt(const char *path, const json_t *header, bool binary,
			  struct trace_writer **out, char *err, size_t errlen);

/* Create PATH ("-" = stdout). The header object is written at once (a
 * "hvexit_trace" version key is added); the writer borrows nothing. */
int trace_writer_open(const char *path, const json_t *header,
		      struct trace_writer **out, char *err, size_t errlen);
/* Append an event and flush it. Pages in ev->pages must have been written
 * with trace_write_page first. */
int trace_write_event(struct trace_writer *w, const struct trace_event *ev);
/* Write a page record unless one with the same content was written
 * already; fills hash. 1 written, 0 already present, <0 error. */
int trace_write_page(struct trace_writer *w, const uint8_t data[TRACE_PAGE_SIZE],
		     uint8_t hash[32]);
/* Mark the trace as cut short (a signal stopped the writer): the end
 * record says so, and readers report the trace as incomplete. */
void trace_writer_set_interrupted(struct trace_writer *w);
/* Events written so far. */
uint64_t trace_writer_events(const struct trace_writer *w);
/* Drop everything written: the target keeps its previous content. */
void trace_writer_abort(struct trace_writer *w);
/* Write the end record, flush and close; 0 or -EIO if any write failed. */
int trace_writer_close(struct trace_writer *w);

/* ---- helpers shared with the commands ----------------------------------- */
/* Event <-> JSON object (new reference / 0 or -EINVAL with a message). */
json_t *trace_event_to_json(const struct trace_event *ev);
int trace_event_from_json(const json_t *o, struct trace_event *ev,
			  char *err, size_t errlen);
/* "0x..." string for a 64-bit value (new reference). */
json_t *trace_hex(uint64_t v);
/* A "0x..." string or a non-negative integer; 0 or -EINVAL. */
int trace_get_u64(const json_t *v, uint64_t *out);
/* Header with the common keys filled (source, vcpus, created, host,
 * kernel from uname); the caller adds "memory" and anything else. */
json_t *trace_header_new(const char *source, unsigned vcpus);

/* ---- checks (harness/trace/trace_check.c) ------------------------------------ */
/* One difference between what the architecture (or the engine) expects and
 * what the trace recorded. kind: "outcome" (engine vs recorded outcome),
 * "kvm" (KVM's reported event vs the decoded syndrome) or "xcheck" (an
 * ISV=1 syndrome vs the instruction at PC, trace_check_xcheck). */
struct trace_diff {
	const char *kind;
	char field[64];
	char expected[96];
	char recorded[96];
	/* kind "xcheck" only (xcheck is true): the ISS field's value, the
	 * value each decoder implies (-1: that decoder cannot tell) and the
	 * instruction word checked. */
	bool xcheck;
	int iss, own, capstone;
	uint32_t insn;
};
typedef void (*trace_diff_fn)(void *arg, const struct trace_diff *d);

/* Check what KVM reported in ev->kvm against the decoded ESR: MMIO length,
 * direction and address vs the Data Abort ISS, the EC of kvm_exit vs the
 * ESR, HVC and sysreg events vs their ISS, WFx vs its ISS, PCs. Calls fn
 * per difference; returns the number of differences. */
int trace_check_kvm(const struct trace_event *ev, trace_diff_fn fn, void *arg);
/* Automatic cross-check of ISV=1 data aborts (harness/xcheck/xcheck.c).
 * Counters over the events given to trace_check_xcheck(). */
struct trace_xcheck_stats {
	unsigned long isv1;		/* ISV=1 data aborts (EC 0x24/0x25) seen */
	unsigned long checked;		/* of them, with a known A64 instruction word */
	unsigned long consistent;	/* every ISS field matches the instruction */
	unsigned long inconsistent;	/* at least one field disagrees (reported) */
	unsigned long unknown_insn;	/* neither decoder knows the word */
	unsigned long no_insn;		/* ISV=1 without a usable instruction word */
};
/* The A64 instruction word at ev's PC: the event's "insn" when present,
 * else the 4 bytes at PC in a page the event references (pages resolved
 * through r; PC taken as an IPA, as the exit engine does with the MMU
 * off). False when unknown, or when PSTATE says the guest is AArch32
 * (nRW, bit 4) or ESR IL=0 (a 16-bit T32 instruction). */
bool trace_event_insn(const struct trace_reader *r, const struct trace_event *ev,
		      uint32_t *insn);
/* If ev is a data abort (EC 0x24/0x25) with ISV=1, cross-check its ISS
 * (SAS, SSE, SRT, SF, AR, WnR, ISV itself) against the instruction word
 * (trace_event_insn) with xcheck_dabt(), count it in *st and call fn once
 * per disagreeing field with kind "xcheck", field "xcheck.<ISS field>",
 * expected = the implied value with the deciding decoders and the word,
 * recorded = the ISS value. Returns the number of differences (0 also
 * when not applicable), or -ENODEV when Capstone cannot be opened. */
int trace_check_xcheck(const struct trace_reader *r, const struct trace_event *ev,
		       struct trace_xcheck_stats *st, trace_diff_fn fn, void *arg);
/* A hint, nothing else: start loading what trace_check_xcheck will look up
 * for ev (its verdict of an earlier identical pair), so a caller that has
 * other work for the event first (the engine) overlaps the two. */
void trace_check_xcheck_prefetch(const struct trace_event *ev);
/* Field-by-field comparison of two JSON values; path names the root
 * ("outcome"). Objects compare by key (a key missing on one side is a
 * difference), arrays by index, numbers/strings/bools by value. Returns
 * the number of differences. */
int trace_json_diff(const json_t *expected, const json_t *recorded,
		    const char *path, const char *kind, trace_diff_fn fn, void *arg);
/* One-line description of the exit ("EC 0x24 DABT_LOW ISV=1 SAS=2 ..."). */
void trace_describe_exit(const struct trace_exit *e, char *buf, size_t len);
/* Stable 16-hex-digit fingerprint of a difference for baselines: hash of
 * kind, field, EC, ESR and both values (no sequence number, no file). */
void trace_diff_fingerprint(const struct trace_diff *d, const struct trace_exit *e,
			    char out[17]);


#endif
