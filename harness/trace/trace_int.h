/*
 * Internals shared by the trace reader, writer and the binary variant
 * (harness/trace/reader.c, writer.c, binary.c, event_json.c). Not a public
 * interface: users include hvexit/trace.h.
 */
#ifndef HVEXIT_TRACE_INT_H
#define HVEXIT_TRACE_INT_H

#include "harness/util/outfile.h"
#include "hvexit/trace.h"

/* Distinct guest pages by content hash (open addressing, power-of-two
 * capacity). */
struct page_slot {
	uint8_t hash[32];
	uint8_t *data;
};

struct trace_reader {
	char name[256];
	uint64_t *vseq;		/* per vCPU: last seq + 1 (0: none yet) */
	FILE *f;		/* NULL for a memory reader */
	const char *mem;
	size_t mem_len, mem_pos;
	char *buf;
	size_t cap;
	uint64_t line;
	bool truncated, eof;
	json_t *header;
	json_t *cur;		/* the current event line */
	char err[1024];
	struct page_slot *pages;	/* open addressing, cap npages_cap */
	size_t npages, pages_cap;
	bool bin;		/* binary variant (line = record number) */
	unsigned vcpus;		/* header "vcpus" */
	char *otext;		/* binary: current outcome JSON text */
	json_t *ocur;		/* binary: the parsed outcome of the current event */
};

struct trace_writer {
	struct outfile out;	/* atomic output (harness/util/outfile.h) */
	FILE *f;		/* out.f */
	bool failed, bin;
	struct page_slot *pages;	/* hashes only (data = dummy marker) */
	size_t npages, pages_cap;
};


/* Slot of hash h in tab (cap a power of two): its slot, or the free one
 * where it belongs. */
size_t trace_page_slot_of(const struct page_slot *tab, size_t cap, const uint8_t h[32]);
/* 64 lower-case hex digits of a SHA-256 / their parse (0 or -EINVAL). */
void trace_hash_hex(const uint8_t h[32], char out[65]);
int trace_hash_parse(const char *s, uint8_t h[32]);
/* vsnprintf into err when err and errlen are set. */
void trace_seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* reader.c: check and keep a page record (JSON object with "sha256" and
 * base64 "data"). 0 or negative errno with r->err set. */
int trace_reader_add_page(struct trace_reader *r, const json_t *o);

/* binary.c */
extern const char trace_bin_magic[TRACE_BIN_MAGIC_LEN];
int trace_bin_write_record(struct trace_writer *w, char kind, const void *p, size_t n);
int trace_bin_write_event(struct trace_writer *w, const struct trace_event *ev);
int trace_bin_read_header(struct trace_reader *r, json_t **out);
int trace_bin_next(struct trace_reader *r, struct trace_event *ev);

#endif
