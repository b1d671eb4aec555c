/*
 * Internals shared by the trace reader, writer and the binary variants
 * (harness/trace/reader.c, writer.c, binary.c, bin2*.c, event_json.c,
 * jsonl_scan.c). Not a public interface: users include hvexit/trace.h.
 */
#ifndef HVEXIT_TRACE_INT_H
#define HVEXIT_TRACE_INT_H

#include <stddef.h>
#include <string.h>

#include "hvexit/trace.h"
#include "harness/util/hash64.h"
#include "harness/util/outfile.h"

/* Distinct guest pages by content hash (open addressing, power-of-two
 * capacity). */
struct page_slot {
	uint8_t hash[32];
	uint8_t *data;
};

/* Input: a file descriptor read in chunks, or a caller's buffer. 256 KiB
 * chunks keep the window at 512 KiB for binary blocks of the usual size
 * (it grows for larger ones): a 1 MiB chunk's 2 MiB window cost 380 more
 * page faults and cache lines a binary replay needed for its data (2.5 %
 * of its time). */
#define TRACE_IN_CHUNK   (256u << 10)
#define TRACE_IN_CAP     (4u << 20)

/* Binary format 2 limits (docs/trace-format.md, "Binary variant"). */
#define BIN2_BLOCK_TARGET (128u << 10)	/* a block is flushed past this */
#define BIN2_BLOCK_RAW_MAX (3u << 20)	/* largest raw block accepted */
#define BIN2_REC_MAX      ((1u << 24) - 1)	/* u24 record length */
#define BIN2_INDEX_MAX    65536u	/* footer entries kept */
#define BIN2_LEVELS       32
#define BIN2_MAX_VALUES   128u	/* u32/u64 fields of one event record (at most 93) */

enum trace_in_format { TF_JSONL, TF_BIN1, TF_BIN2 };

struct trace_reader {
	char name[256];
	uint64_t *vseq;		/* per vCPU: last seq + 1 (0: none yet) */
	int fd;			/* -1 for a memory reader */
	bool own_fd;
	char *buf;		/* input window: buf[pos..len) unread */
	size_t pos, len, cap;
	bool in_eof;
	uint64_t base;		/* file offset of buf[0] */
	uint64_t line;		/* JSON Lines: line; binary: record number */
	bool truncated, eof, ended, legacy, interrupted, seeked;
	enum trace_in_format fmt;
	bool bin;		/* a binary variant */
	json_t *header;
	json_t *cur;		/* the current event line (slow path) or kvm object */
	char err[1024];
	struct page_slot *pages;	/* open addressing, cap npages_cap */
	size_t npages, pages_cap;
	unsigned vcpus;		/* header "vcpus" */
	uint64_t events, page_records;
	struct util_hash64 sum;	/* checksum of what precedes the end record */
	char *buf_rec;		/* format 1 binary: the current record */
	size_t rec_cap;
	char *otext;		/* binary: current outcome JSON text */
	json_t *ocur;		/* the JSON of the current event's outcome */
	/* format 2 binary */
	uint8_t *raw;		/* the current block, decompressed */
	size_t raw_len, raw_pos;
	unsigned blk_records, blk_seen;
	uint64_t blk_off;	/* file offset of the current block */
	uint64_t blk_sum;	/* its checksum */
	uint64_t nblocks;
	uint64_t lvl_hash[BIN2_LEVELS];	/* index entries at stride 2^L */
	uint64_t prev_seq;	/* seq of the block's last event ('C' stores the difference) */
	void *dctx;		/* ZSTD_DCtx */
};

struct trace_writer {
	struct outfile of;	/* temporary file renamed on close (harness/util/outfile.h) */
	FILE *f;
	bool failed, bin, interrupted;
	struct page_slot *pages;	/* hashes only (data = dummy marker) */
	size_t npages, pages_cap;
	uint64_t events, page_records;
	struct util_hash64 sum;
	char *line;		/* JSON Lines: formatting buffer */
	size_t line_cap;
	/* format 2 binary */
	uint8_t *raw, *cbuf;
	size_t raw_len, raw_cap, cbuf_cap;
	unsigned blk_records;
	uint64_t off, blk_events0, nblocks;
	struct { uint64_t off, ev; } *idx;
	size_t nidx;
	unsigned stride_log2;
	uint64_t prev_seq;	/* seq of the block's last event */
	void *cctx;		/* ZSTD_CCtx */
};

/* A bounded little-endian reader over one binary record (both binary
 * formats): reading past the end sets bad and yields 0 or NULL. */
struct trace_cur {
	const uint8_t *p;
	size_t left;
	bool bad;
};

/* The next n bytes, known to be there (c->left >= n). */
static inline uint64_t trace_cur_take(struct trace_cur *c, unsigned n)
{
	uint64_t v = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* One load on a little-endian host: n is a constant at every call,
	 * and the byte loop of hvx_get_le cost half of an event's decode. */
	memcpy(&v, c->p, n);
#else
	v = hvx_get_le(c->p, n);
#endif
	c->p += n;
	c->left -= n;
	return v;
}

static inline uint64_t trace_cur_get(struct trace_cur *c, unsigned n)
{
	if (c->left < n) {
		c->bad = true;
		c->left = 0;
		return 0;
	}
	return trace_cur_take(c, n);
}

/* A text of a 4-byte length and its bytes (not NUL-terminated). */
static inline const char *trace_cur_text(struct trace_cur *c, size_t *n)
{
	const char *t;

	*n = (size_t)trace_cur_get(c, 4);
	if (c->bad || c->left < *n) {
		c->bad = true;
		return NULL;
	}
	t = (const char *)c->p;
	c->p += *n;
	c->left -= *n;
	return t;
}

/* Clear an event for a reader, but for the arrays whose valid part the
 * counts and the mask say (regs, mmio_data, pages) and the outcome struct
 * (valid when has_oc): a per-event clear of ~1.3 KiB costs more than the
 * rest of a binary event's decode. */
static inline void trace_event_reset(struct trace_event *ev)
{
	struct trace_exit *e = &ev->exit;

	memset(e, 0, offsetof(struct trace_exit, regs));
	ev->seq = 0;
	ev->vcpu = 0;
	ev->line = 0;
	ev->n_mmio = ev->n_pages = 0;
	ev->kvm = ev->outcome = NULL;
	ev->outcome_text = NULL;
	ev->outcome_len = 0;
	ev->has_oc = false;
}

/* Slot of hash h in tab (cap a power of two): its slot, or the free one
 * where it belongs. */
size_t trace_page_slot_of(const struct page_slot *tab, size_t cap, const uint8_t h[32]);
/* Room for one more page beside n: doubles *tab (from 64 slots) when it
 * would be more than half full. 0 or -ENOMEM. */
int trace_page_reserve(struct page_slot **tab, size_t *cap, size_t n);
/* 64 lower-case hex digits of a SHA-256 / their parse (0 or -EINVAL). */
void trace_hash_hex(const uint8_t h[32], char out[65]);
int trace_hash_parse(const char *s, uint8_t h[32]);
/* vsnprintf into err when err and errlen are set. */
void trace_seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* reader.c: keep a page (checks data against its SHA-256). 0 or negative
 * errno with r->err set (where names the record). */
int trace_reader_add_page_raw(struct trace_reader *r, const uint8_t hash[32],
			      const uint8_t *data, const char *where);
/* reader.c: check and keep a JSON page record ("sha256", base64 "data"). */
int trace_reader_add_page(struct trace_reader *r, const json_t *o);
/* reader.c: at least n unread bytes at r->buf + r->pos (reading more as
 * needed): 1, 0 when the input ends first, -EIO. */
int trace_in_need(struct trace_reader *r, size_t n);
/* reader.c: the end record's counts and checksum against what was read;
 * 0 or -EINVAL with r->err set. */
int trace_reader_check_end(struct trace_reader *r, uint64_t events, uint64_t pages,
			   uint64_t checksum, bool interrupted, const char *where);
/* The outcome JSON of the current event, owned by the reader. */
int trace_reader_outcome_json(struct trace_reader *r, struct trace_event *ev);

/* binary.c: format 1 binary (read only) */
extern const char trace_bin1_magic[TRACE_BIN_MAGIC_LEN];
int trace_bin_read_header(struct trace_reader *r, json_t **out);
int trace_bin_next(struct trace_reader *r, struct trace_event *ev);

/* bin2.c: format 2 binary blocks */
extern const char trace_bin2_magic[TRACE_BIN_MAGIC_LEN];
int trace_bin2_writer_start(struct trace_writer *w, const char *header_text);
int trace_bin2_write_event(struct trace_writer *w, const struct trace_event *ev);
int trace_bin2_write_page(struct trace_writer *w, const uint8_t hash[32],
			  const uint8_t data[TRACE_PAGE_SIZE]);
int trace_bin2_writer_finish(struct trace_writer *w);
void trace_bin2_writer_free(struct trace_writer *w);
int trace_bin2_read_header(struct trace_reader *r, json_t **out);
int trace_bin2_next(struct trace_reader *r, struct trace_event *ev);
void trace_bin2_reader_free(struct trace_reader *r);
int trace_bin2_seek_event(struct trace_reader *r, uint64_t k);
/* The event count of the index footer (regular files): 0, or -ESPIPE,
 * -EINVAL. */
int trace_bin2_total(struct trace_reader *r, uint64_t *events);

/* bin2_codec.c: the bound of an event record of either type (0: out of
 * memory); it sets the JSON texts the encoders take (free them). The
 * encoders and decoders of the two record types: harness/trace/bin2_event.h. */
size_t trace_bin2_event_bound(const struct trace_event *ev, size_t *json_len,
			      char **otext, char **ktext);
/* An outcome JSON object as the engine's struct, when converting back
 * gives the same JSON (so nothing is lost); false otherwise. */
bool trace_outcome_canonical(const json_t *o, struct emu_outcome *out);

/* jsonl_scan.c: the event schema without a DOM. 1 = an "exit" record
 * fully read into *ev, 0 = not handled here (the line goes to jansson). */
int trace_jsonl_scan_event(const char *s, size_t n, struct trace_event *ev);
/* jsonl_scan.c: append the event's JSON line (with '\n') to *buf; the
 * length, or 0 when it needs the general writer (kvm, JSON outcome). */
size_t trace_jsonl_format_event(const struct trace_event *ev, char **buf, size_t *cap);

#endif
