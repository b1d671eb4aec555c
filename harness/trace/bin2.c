/*
 * Binary trace format 2 (docs/trace-format.md, "Binary variant"): the
 * 8-byte magic, then blocks, then an index footer.
 *   block:  u32 "HVB2", u32 compressed length C, u32 raw length R,
 *           u32 records, u64 events before the block,
 *           u64 checksum (util_hash64 of the first 24 bytes and the C
 *           bytes), then C bytes: one zstd frame of R bytes of records.
 *   record: u8 type, u24 payload length, payload. 'H' header JSON (the
 *           first record), 'P' page (SHA-256 + 4096 bytes), 'C' event
 *           (written) or 'E' event (read: earlier writers; bin2_codec.c),
 *           'Z' end: u64 events, u64 pages, u64 checksum,
 *           u8 interrupted (the last record of the last block). The
 *           checksum is util_hash64 of the 8-byte checksums of every
 *           earlier block, then the bytes of the records before 'Z' in
 *           its own block: it covers every record, each byte once.
 *   footer: u32 "HVI2", u32 stride log2, u64 blocks, u64 entries,
 *           {u64 file offset, u64 events before} for blocks 0, s, 2s, ...,
 *           u64 events, u64 checksum of the footer bytes before it,
 *           u64 footer length, "HVXTIDX\n".
 * Readers stream: memory is one input window, one raw block and the
 * distinct pages, whatever the length of the trace.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "harness/trace/bin2_event.h"

const char trace_bin2_magic[TRACE_BIN_MAGIC_LEN] = TRACE_BIN_MAGIC;

#define BLK_MAGIC  UINT32_C(0x32425648)	/* "HVB2" */
#define IDX_MAGIC  UINT32_C(0x32495648)	/* "HVI2" */
#define IDX_TAIL   "HVXTIDX\n"
#define BLK_HDR    32
/* zstd's fastest positive level leaves most literals Huffman-coded; at -1
 * they are stored as they are: a random trace is 11 % larger and
 * decompresses in about 20 % less time. Matches shorter than 7 bytes are
 * not taken: in compact records they are pieces of unrelated values,
 * each a sequence to decode for a byte or two saved (on a random trace
 * 6 % larger blocks, 13 % fewer instructions to decompress them). */
#define ZSTD_LEVEL (-1)
#define ZSTD_MIN_MATCH 7

/* ---- writing ------------------------------------------------------------- */
static int wr(struct trace_writer *w, const void *p, size_t n)
{
	if (w->failed || fwrite(p, 1, n, w->f) != n) {
		w->failed = true;
		return -EIO;
	}
	w->off += n;
	return 0;
}

static void index_add(struct trace_writer *w)
{
	if (w->nblocks & ((UINT64_C(1) << w->stride_log2) - 1))
		return;
	if (w->nidx == BIN2_INDEX_MAX) {
		/* keep every other entry: the stride doubles */
		for (size_t i = 0; i < w->nidx / 2; i++)
			w->idx[i] = w->idx[2 * i];
		w->nidx /= 2;
		w->stride_log2++;
		if (w->nblocks & ((UINT64_C(1) << w->stride_log2) - 1))
			return;
	}
	w->idx[w->nidx].off = w->off;
	w->idx[w->nidx].ev = w->blk_events0;
	w->nidx++;
}

/* Compress and write the current block; last: the one holding 'Z'. */
static int flush_block(struct trace_writer *w, bool last)
{
	uint8_t h[BLK_HDR];
	size_t c;

	if (!w->blk_records || w->failed)
		return w->failed ? -EIO : 0;
	c = ZSTD_compress2(w->cctx, w->cbuf, w->cbuf_cap, w->raw, w->raw_len);
	if (ZSTD_isError(c)) {
		w->failed = true;
		return -EIO;
	}
	hvx_put_le(h, BLK_MAGIC, 4);
	hvx_put_le(h + 4, c, 4);
	hvx_put_le(h + 8, w->raw_len, 4);
	hvx_put_le(h + 12, w->blk_records, 4);
	hvx_put_le(h + 16, w->blk_events0, 8);
	{
		struct util_hash64 s;

		util_hash64_init(&s);
		util_hash64_update(&s, h, 24);
		util_hash64_update(&s, w->cbuf, c);
		hvx_put_le(h + 24, util_hash64_final(&s), 8);
	}
	if (!last)
		util_hash64_update(&w->sum, h + 24, 8);
	index_add(w);
	w->nblocks++;
	if (wr(w, h, BLK_HDR) < 0 || wr(w, w->cbuf, c) < 0)
		return -EIO;
	w->raw_len = 0;
	w->blk_records = 0;
	w->blk_events0 = w->events;
	w->prev_seq = 0;
	return 0;
}

/* Room for a record of up to n payload bytes at w->raw + w->raw_len + 4. */
static int reserve(struct trace_writer *w, size_t n)
{
	if (n > BIN2_REC_MAX || n + 4 > BIN2_BLOCK_RAW_MAX) {
		w->failed = true;
		return -E2BIG;
	}
	if (w->raw_len && w->raw_len + 4 + n > BIN2_BLOCK_TARGET && flush_block(w, false) < 0)
		return -EIO;
	if (w->raw_len + 4 + n > w->raw_cap) {
		size_t nc = w->raw_len + 4 + n > BIN2_BLOCK_TARGET * 2 ? w->raw_len + 4 + n
								       : BIN2_BLOCK_TARGET * 2;
		uint8_t *nr = realloc(w->raw, nc);
		size_t cb = ZSTD_compressBound(nc);
		uint8_t *nb = nr ? realloc(w->cbuf, cb) : NULL;

		if (nr)
			w->raw = nr;
		if (!nr || !nb) {
			w->failed = true;
			return -ENOMEM;
		}
		w->cbuf = nb;
		w->raw_cap = nc;
		w->cbuf_cap = cb;
	}
	return 0;
}

/* Close the record of payload length n at raw + raw_len. */
static void commit(struct trace_writer *w, char type, size_t n)
{
	uint8_t *r = w->raw + w->raw_len;

	r[0] = (uint8_t)type;
	hvx_put_le(r + 1, n, 3);
	w->raw_len += n + 4;
	w->blk_records++;
}

int trace_bin2_writer_start(struct trace_writer *w, const char *header_text)
{
	size_t n = strlen(header_text);

	w->cctx = ZSTD_createCCtx();
	w->idx = malloc(BIN2_INDEX_MAX * sizeof(*w->idx));
	if (!w->cctx || !w->idx ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, ZSTD_LEVEL)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_minMatch, ZSTD_MIN_MATCH)))
		return -ENOMEM;
	if (wr(w, trace_bin2_magic, TRACE_BIN_MAGIC_LEN) < 0 || reserve(w, n) < 0)
		return -EIO;
	memcpy(w->raw + w->raw_len + 4, header_text, n);
	commit(w, 'H', n);
	return 0;
}

int trace_bin2_write_event(struct trace_writer *w, const struct trace_event *ev)
{
	char *ot, *kt;
	size_t jl, bound = trace_bin2_event_bound(ev, &jl, &ot, &kt), n;
	struct trace_event tmp;
	int rc = 0;

	if (!bound)
		rc = -ENOMEM;
	/* A JSON outcome of the documented schema is stored as the struct. */
	if (!rc && !ev->has_oc && ev->outcome) {
		memcpy(&tmp, ev, offsetof(struct trace_event, oc));
		if (trace_outcome_canonical(ev->outcome, &tmp.oc)) {
			tmp.has_oc = true;
			ev = &tmp;
		}
	}
	if (!rc)
		rc = reserve(w, bound);
	if (!rc) {
		n = trace_bin2_encode_event(w->raw + w->raw_len + 4, 'C', w->prev_seq, ev,
					    ev->has_oc ? NULL : ot, kt);
		if (n) {
			commit(w, 'C', n);
			w->prev_seq = ev->seq;
		} else {
			w->failed = true;
			rc = -ENOMEM;
		}
	}
	free(ot);
	free(kt);
	return rc;
}

int trace_bin2_write_page(struct trace_writer *w, const uint8_t hash[32],
			  const uint8_t data[TRACE_PAGE_SIZE])
{
	if (reserve(w, 32 + TRACE_PAGE_SIZE) < 0)
		return -EIO;
	memcpy(w->raw + w->raw_len + 4, hash, 32);
	memcpy(w->raw + w->raw_len + 4 + 32, data, TRACE_PAGE_SIZE);
	commit(w, 'P', 32 + TRACE_PAGE_SIZE);
	return 0;
}

int trace_bin2_writer_finish(struct trace_writer *w)
{
	uint8_t *p, t[8];
	struct util_hash64 s;
	size_t flen;

	if (w->failed || reserve(w, 25) < 0)
		return -EIO;
	util_hash64_update(&w->sum, w->raw, w->raw_len);
	p = w->raw + w->raw_len + 4;
	hvx_put_le(p, w->events, 8);
	hvx_put_le(p + 8, w->page_records, 8);
	hvx_put_le(p + 16, util_hash64_final(&w->sum), 8);
	p[24] = w->interrupted;
	commit(w, 'Z', 25);
	if (flush_block(w, true) < 0)
		return -EIO;
	/* the footer, hashed as it is written */
	util_hash64_init(&s);
#define FPUT(v, n) do { hvx_put_le(t, (v), (n)); util_hash64_update(&s, t, (n)); \
			if (wr(w, t, (n)) < 0) return -EIO; } while (0)
	FPUT(IDX_MAGIC, 4);
	FPUT(w->stride_log2, 4);
	FPUT(w->nblocks, 8);
	FPUT(w->nidx, 8);
	for (size_t i = 0; i < w->nidx; i++) {
		FPUT(w->idx[i].off, 8);
		FPUT(w->idx[i].ev, 8);
	}
	FPUT(w->events, 8);
#undef FPUT
	flen = 4 + 4 + 8 + 8 + 16 * w->nidx + 8 + 8 + 8 + 8;
	hvx_put_le(t, util_hash64_final(&s), 8);
	if (wr(w, t, 8) < 0)
		return -EIO;
	hvx_put_le(t, flen, 8);
	if (wr(w, t, 8) < 0 || wr(w, IDX_TAIL, 8) < 0)
		return -EIO;
	return 0;
}

void trace_bin2_writer_free(struct trace_writer *w)
{
	ZSTD_freeCCtx(w->cctx);
	free(w->raw);
	free(w->cbuf);
	free(w->idx);
}

/* ---- reading ------------------------------------------------------------- */
static int fail(struct trace_reader *r, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct trace_reader *r, int rc, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, sizeof(r->err), "%s: ", r->name);

	va_start(ap, fmt);
	vsnprintf(r->err + n, sizeof(r->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return rc;
}

static int truncated(struct trace_reader *r, const char *what)
{
	r->truncated = true;
	r->eof = true;
	snprintf(r->err, sizeof(r->err), "%s: truncated at byte %llu (%s): %llu events read",
		 r->name, (unsigned long long)(r->base + r->len), what,
		 (unsigned long long)r->events);
	return 0;
}

static void index_seen(struct trace_reader *r, uint64_t off, uint64_t ev0)
{
	uint8_t e[16];

	hvx_put_le(e, off, 8);
	hvx_put_le(e + 8, ev0, 8);
	for (unsigned l = 0; l < BIN2_LEVELS; l++) {
		if (r->nblocks & ((UINT64_C(1) << l) - 1))
			break;
		r->lvl_hash[l] = util_hash64(e, 16) ^ (r->lvl_hash[l] * UINT64_C(0x100000001b3));
	}
}

/* The footer after the last block; then the input must end. */
static int read_footer(struct trace_reader *r)
{
	uint64_t at = r->base + r->pos, nb, ne, h = 0, want;
	unsigned stride;
	struct util_hash64 s;
	const uint8_t *p;
	int rc;

	if ((rc = trace_in_need(r, 24)) <= 0)
		return rc < 0 ? rc : truncated(r, "inside the index footer");
	p = (const uint8_t *)r->buf + r->pos;
	stride = (unsigned)hvx_get_le(p + 4, 4);
	nb = hvx_get_le(p + 8, 8);
	ne = hvx_get_le(p + 16, 8);
	util_hash64_init(&s);
	util_hash64_update(&s, p, 24);
	r->pos += 24;
	if (stride >= BIN2_LEVELS || nb != r->nblocks || ne > BIN2_INDEX_MAX ||
	    ne != (nb + (UINT64_C(1) << stride) - 1) >> stride)
		return fail(r, -EINVAL, "index footer at byte %llu: %llu blocks / %llu entries, "
			    "the file has %llu blocks (corrupt)", (unsigned long long)at,
			    (unsigned long long)nb, (unsigned long long)ne,
			    (unsigned long long)r->nblocks);
	for (uint64_t i = 0; i < ne; i++) {
		if ((rc = trace_in_need(r, 16)) <= 0)
			return rc < 0 ? rc : truncated(r, "inside the index footer");
		p = (const uint8_t *)r->buf + r->pos;
		util_hash64_update(&s, p, 16);
		h = util_hash64(p, 16) ^ (h * UINT64_C(0x100000001b3));
		r->pos += 16;
	}
	if ((rc = trace_in_need(r, 32)) <= 0)
		return rc < 0 ? rc : truncated(r, "inside the index footer");
	p = (const uint8_t *)r->buf + r->pos;
	util_hash64_update(&s, p, 8);
	want = hvx_get_le(p + 8, 8);
	if (h != r->lvl_hash[stride] || hvx_get_le(p, 8) != r->events ||
	    want != util_hash64_final(&s) || hvx_get_le(p + 16, 8) != r->base + r->pos + 32 - at ||
	    memcmp(p + 24, IDX_TAIL, 8))
		return fail(r, -EINVAL, "index footer at byte %llu does not match the blocks "
			    "(corrupt)", (unsigned long long)at);
	r->pos += 32;
	if ((rc = trace_in_need(r, 1)) != 0)
		return rc < 0 ? rc : fail(r, -EINVAL, "data after the index footer at byte %llu",
					  (unsigned long long)(r->base + r->pos));
	r->eof = true;
	return 0;
}

/* Read, check and decompress the next block: 1, 0 end (footer read or
 * truncated), <0 error. */
static int next_block(struct trace_reader *r)
{
	const uint8_t *p;
	uint32_t magic, c, raw, nrec;
	uint64_t ev0, sum;
	size_t got;
	int rc;

	if ((rc = trace_in_need(r, 4)) <= 0)
		return rc < 0 ? rc : truncated(r, r->ended ? "no index footer" : "no end record");
	p = (const uint8_t *)r->buf + r->pos;
	magic = (uint32_t)hvx_get_le(p, 4);
	r->blk_off = r->base + r->pos;
	if (magic == IDX_MAGIC && r->ended) {
		if (!r->seeked)
			return read_footer(r);
		r->eof = true;	/* the footer was read to seek */
		return 0;
	}
	if (magic != BLK_MAGIC || r->ended)
		return fail(r, -EINVAL, "byte %llu: %s", (unsigned long long)r->blk_off,
			    r->ended ? "block after the end record" : "not a block (corrupt)");
	if ((rc = trace_in_need(r, BLK_HDR)) <= 0)
		return rc < 0 ? rc : truncated(r, "inside a block header");
	p = (const uint8_t *)r->buf + r->pos;
	c = (uint32_t)hvx_get_le(p + 4, 4);
	raw = (uint32_t)hvx_get_le(p + 8, 4);
	nrec = (uint32_t)hvx_get_le(p + 12, 4);
	ev0 = hvx_get_le(p + 16, 8);
	sum = hvx_get_le(p + 24, 8);
	if (raw > BIN2_BLOCK_RAW_MAX || c > ZSTD_compressBound(BIN2_BLOCK_RAW_MAX) || !nrec)
		return fail(r, -EINVAL, "block at byte %llu: sizes out of range (corrupt)",
			    (unsigned long long)r->blk_off);
	if ((rc = trace_in_need(r, BLK_HDR + (size_t)c)) <= 0)
		return rc < 0 ? rc : truncated(r, "inside a block");
	p = (const uint8_t *)r->buf + r->pos;
	{
		struct util_hash64 s;

		util_hash64_init(&s);
		util_hash64_update(&s, p, 24);
		util_hash64_update(&s, p + BLK_HDR, c);
		if (util_hash64_final(&s) != sum)
			return fail(r, -EINVAL, "block at byte %llu: checksum mismatch (corrupt)",
				    (unsigned long long)r->blk_off);
	}
	if (r->seeked && !r->nblocks)
		r->events = ev0;	/* the first block after a seek sets the count */
	if (ev0 != r->events)
		return fail(r, -EINVAL, "block at byte %llu: says %llu events precede it, %llu did",
			    (unsigned long long)r->blk_off, (unsigned long long)ev0,
			    (unsigned long long)r->events);
	if (!r->raw && !(r->raw = malloc(BIN2_BLOCK_RAW_MAX)))
		return -ENOMEM;
	if (!r->dctx && !(r->dctx = ZSTD_createDCtx()))
		return -ENOMEM;
	got = ZSTD_decompressDCtx(r->dctx, r->raw, BIN2_BLOCK_RAW_MAX, p + BLK_HDR, c);
	if (ZSTD_isError(got) || got != raw)
		return fail(r, -EINVAL, "block at byte %llu: does not decompress to %u bytes",
			    (unsigned long long)r->blk_off, raw);
	if (r->nblocks) {
		uint8_t t[8];

		hvx_put_le(t, r->blk_sum, 8);
		util_hash64_update(&r->sum, t, 8);	/* the block before this one */
	}
	r->blk_sum = sum;
	index_seen(r, r->blk_off, ev0);
	r->nblocks++;
	r->pos += BLK_HDR + c;
	r->raw_len = raw;
	r->raw_pos = 0;
	r->prev_seq = 0;
	r->blk_records = nrec;
	r->blk_seen = 0;
	return 1;
}

/* Blocks read until one has a record left (or the input ends): 1, 0 end,
 * <0 error. */
static int refill(struct trace_reader *r)
{
	int rc;

	while (r->raw_pos >= r->raw_len) {
		if (r->blk_seen != r->blk_records)
			return fail(r, -EINVAL, "block at byte %llu: %u records, header says %u",
				    (unsigned long long)r->blk_off, r->blk_seen, r->blk_records);
		if (r->eof)
			return 0;
		if ((rc = next_block(r)) <= 0)
			return rc;
	}
	return 1;
}

/* The next record of the current block (reading blocks as needed): 1 with
 * type/payload/length, 0 end, <0 error. Inline: it runs once per event. */
static inline __attribute__((always_inline)) int
next_record(struct trace_reader *r, char *type, const uint8_t **pl, size_t *n)
{
	const uint8_t *p;
	int rc;

	*type = 0;
	*pl = NULL;
	*n = 0;
	if (r->raw_pos >= r->raw_len && (rc = refill(r)) <= 0)
		return rc;
	p = r->raw + r->raw_pos;
	if (r->raw_len - r->raw_pos < 4 ||
	    (*n = (size_t)hvx_get_le(p + 1, 3)) > r->raw_len - r->raw_pos - 4)
		return fail(r, -EINVAL, "block at byte %llu, record at raw offset %zu: length "
			    "runs past the block (corrupt)", (unsigned long long)r->blk_off,
			    r->raw_pos);
	*type = (char)p[0];
	*pl = p + 4;
	r->line++;
	r->blk_seen++;
	if (*type == 'Z')
		util_hash64_update(&r->sum, r->raw, r->raw_pos);	/* this block's records */
	r->raw_pos += *n + 4;
	return 1;
}

#define REC_FAIL(r, ...) fail(r, -EINVAL, "block at byte %llu, record %llu: " __VA_ARGS__)

int trace_bin2_read_header(struct trace_reader *r, json_t **out)
{
	char type;
	const uint8_t *p;
	size_t n;
	int rc = next_record(r, &type, &p, &n);

	if (rc <= 0)
		return rc;
	if (type != 'H')
		return fail(r, -EINVAL, "binary trace does not start with a header record");
	*out = json_loadb((const char *)p, n, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return fail(r, -EINVAL, "record 1: header is not a JSON object");
	}
	return 1;
}

static int bin2_event(struct trace_reader *r, char type, const uint8_t *p, size_t n,
		      struct trace_event *ev)
{
	const char *ot, *kt, *bad;
	size_t ol = 0, kl = 0;
	unsigned long long at = (unsigned long long)r->blk_off, rec = (unsigned long long)r->line;

	bad = trace_bin2_decode_event(p, n, type, r->prev_seq, ev, &ot, &ol, &kt, &kl);
	if (bad)
		return REC_FAIL(r, "%s", at, rec, bad);
	r->prev_seq = ev->seq;
	for (unsigned i = 0; i < ev->n_pages; i++)
		if (!trace_reader_page(r, ev->pages[i].hash))
			return REC_FAIL(r, "page reference to a page not written before it", at, rec);
	if (ot) {
		free(r->otext);
		if (!(r->otext = malloc(ol + 1)))
			return -ENOMEM;
		memcpy(r->otext, ot, ol);
		r->otext[ol] = 0;
		ev->outcome_text = r->otext;
		ev->outcome_len = ol;
	}
	if (kt) {
		r->cur = json_loadb(kt, kl, JSON_REJECT_DUPLICATES, NULL);
		if (!json_is_object(r->cur))
			return REC_FAIL(r, "kvm is not a JSON object", at, rec);
		ev->kvm = r->cur;
	}
	ev->line = r->line;
	r->events++;
	return 1;
}

int trace_bin2_next(struct trace_reader *r, struct trace_event *ev)
{
	for (;;) {
		char type;
		const uint8_t *p;
		size_t n;
		int rc = next_record(r, &type, &p, &n);
		unsigned long long at = (unsigned long long)r->blk_off,
				   rec = (unsigned long long)r->line;
		char where[80];

		if (rc <= 0)
			return rc;
		if (r->ended)
			return REC_FAIL(r, "record after the end record", at, rec);
		switch (type) {
		case 'C':
		case 'E':
			return bin2_event(r, type, p, n, ev);
		case 'P':
			if (n != 32 + TRACE_PAGE_SIZE)
				return REC_FAIL(r, "page record of %zu bytes (want %u)", at, rec, n,
						32 + TRACE_PAGE_SIZE);
			snprintf(where, sizeof(where), "block at byte %llu, record %llu", at, rec);
			if ((rc = trace_reader_add_page_raw(r, p, p + 32, where)) < 0)
				return rc;
			r->page_records++;
			continue;
		case 'Z':
			if (n != 25 || p[24] > 1)
				return REC_FAIL(r, "end record of %zu bytes (want 25)", at, rec, n);
			snprintf(where, sizeof(where), "block at byte %llu, record %llu", at, rec);
			rc = trace_reader_check_end(r, hvx_get_le(p, 8), hvx_get_le(p + 8, 8),
						    hvx_get_le(p + 16, 8), p[24], where);
			if (rc < 0)
				return rc;
			if (r->raw_pos != r->raw_len)
				return REC_FAIL(r, "records after the end record", at, rec);
			r->ended = true;
			continue;
		case 'H':
			return REC_FAIL(r, "second header record", at, rec);
		default:
			return REC_FAIL(r, "unknown record type 0x%02x (corrupt)", at, rec,
					(unsigned)(uint8_t)type);
		}
	}
}

void trace_bin2_reader_free(struct trace_reader *r)
{
	ZSTD_freeDCtx(r->dctx);
	free(r->raw);
}

/* ---- seeking by the index ------------------------------------------------- */
static int pread_all(int fd, void *dst, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = pread(fd, (char *)dst + got, n - got, (off_t)(off + got));

		if (k <= 0)
			return -EIO;
		got += (size_t)k;
	}
	return 0;
}

/* The index footer of a regular file, read without moving the stream:
 * its offset, entries and event count. NULL, or what is wrong (*rc). */
static const char *footer_find(struct trace_reader *r, uint64_t *at, uint64_t *ne,
			       uint64_t *total, int *rc)
{
	uint8_t t[24];
	struct stat st;
	uint64_t flen;

	*rc = -EINVAL;
	if (r->fd < 0 || fstat(r->fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 64) {
		*rc = -ESPIPE;
		return "seeking needs a regular file";
	}
	if (pread_all(r->fd, t, 16, (uint64_t)st.st_size - 16) < 0 || memcmp(t + 8, IDX_TAIL, 8))
		return "no index footer at the end of the file";
	flen = hvx_get_le(t, 8);
	if (flen < 56 || flen > (uint64_t)st.st_size - TRACE_BIN_MAGIC_LEN)
		return "index footer length out of range (corrupt)";
	*at = (uint64_t)st.st_size - flen;
	if (pread_all(r->fd, t, 24, *at) < 0 || hvx_get_le(t, 4) != IDX_MAGIC)
		return "index footer (corrupt)";
	*ne = hvx_get_le(t + 16, 8);
	if (flen != 56 + 16 * *ne || pread_all(r->fd, t, 8, *at + 24 + 16 * *ne) < 0)
		return "index footer (corrupt)";
	*total = hvx_get_le(t, 8);
	*rc = 0;
	return NULL;
}

int trace_bin2_total(struct trace_reader *r, uint64_t *events)
{
	uint64_t at, ne;
	int rc;

	footer_find(r, &at, &ne, events, &rc);
	return rc;
}

int trace_bin2_seek_event(struct trace_reader *r, uint64_t k)
{
	uint8_t e[16];
	uint64_t at = 0, ne, best_off = 0, best_ev = 0, total;
	struct trace_event ev;
	int frc;
	const char *bad = footer_find(r, &at, &ne, &total, &frc);

	if (bad && at)
		return fail(r, frc, "index footer at byte %llu (corrupt)", (unsigned long long)at);
	if (bad)
		return fail(r, frc, "%s", bad);
	if (k >= total)
		return fail(r, -ERANGE, "event %llu: the trace has %llu", (unsigned long long)k,
			    (unsigned long long)total);
	for (uint64_t i = 0; i < ne; i++) {	/* entries ascend: the last one <= k */
		if (pread_all(r->fd, e, 16, at + 24 + 16 * i) < 0)
			return -EIO;
		if (hvx_get_le(e + 8, 8) > k)
			break;
		best_off = hvx_get_le(e, 8);
		best_ev = hvx_get_le(e + 8, 8);
	}
	if (best_off < TRACE_BIN_MAGIC_LEN || lseek(r->fd, (off_t)best_off, SEEK_SET) < 0)
		return fail(r, -EINVAL, "index entry points outside the file (corrupt)");
	/* Start over at that block; what precedes it is not checked again. */
	r->base = best_off;
	r->pos = r->len = 0;
	r->in_eof = r->eof = r->ended = r->truncated = false;
	r->raw_len = r->raw_pos = 0;
	r->blk_records = r->blk_seen = 0;
	r->events = best_ev;
	r->nblocks = 0;
	r->seeked = true;
	if (best_off == TRACE_BIN_MAGIC_LEN) {	/* the first block starts with 'H' */
		char type;
		const uint8_t *p;
		size_t n;
		int rc = next_record(r, &type, &p, &n);

		if (rc <= 0 || type != 'H')
			return rc < 0 ? rc : fail(r, -EINVAL, "first block without its header record");
	}
	while (r->events < k) {
		int rc = trace_bin2_next(r, &ev);

		if (rc <= 0)
			return rc < 0 ? rc : fail(r, -EINVAL, "event %llu not found", (unsigned long long)k);
	}
	return 0;
}
