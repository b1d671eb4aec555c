/* The binary trace variant: records after an 8-byte magic. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/trace/trace_int.h"
#include "harness/util/base64.h"
#include "harness/util/sha256.h"
#include "hvexit/esr.h"

const char trace_bin1_magic[TRACE_BIN_MAGIC_LEN] = TRACE_BIN1_MAGIC;

/* ---- binary variant, format 1 --------------------------------------------
 * After the 8-byte magic, records: u8 kind ('H' header JSON text, 'P'
 * page: 32-byte SHA-256 + 4096 bytes, 'E' event), u32 little-endian
 * payload length, payload. Event payload, all little-endian:
 *   u64 seq, u32 vcpu, u32 flags, u8 ec, u8 n_mmio, u8 n_pages, u8 0,
 *   u32 regs_mask, then per flag u64 esr, far, hpfar, pc, pstate, u32 insn,
 *   u64 regs[popcount(regs_mask)] (ascending), u64 mmio[n_mmio],
 *   {u64 ipa, u8 sha256[32]} pages[n_pages],
 *   u32 len + outcome JSON text (flag), u32 len + kvm JSON text (flag).
 * docs/trace-format.md, "Binary variant". */
enum {
	BF_ESR = 1u << 0, BF_FAR = 1u << 1, BF_HPFAR = 1u << 2, BF_PC = 1u << 3,
	BF_PSTATE = 1u << 4, BF_INSN = 1u << 5, BF_OUTCOME = 1u << 6, BF_KVM = 1u << 7,
	BF_ALL = (1u << 8) - 1,
};
#define BIN_MAX_RECORD (TRACE_MAX_LINE + 64)

/* Read exactly n bytes: 1, 0 at a clean end (nothing read), -EPIPE when
 * the input ends inside them. */
static int bin_read(struct trace_reader *r, void *dst, size_t n)
{
	int rc;

	if (r->eof)
		return 0;
	rc = trace_in_need(r, n);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		bool none = r->pos == r->len;

		r->pos = r->len;
		return none ? 0 : -EPIPE;
	}
	memcpy(dst, r->buf + r->pos, n);
	r->pos += n;
	return 1;
}

/* Next record into r->buf: 1 with kind/len, 0 end, <0 error (message set). */
static int bin_record(struct trace_reader *r, char *kind, size_t *len)
{
	uint8_t h[5];
	int rc = bin_read(r, h, 5);
	size_t n;

	if (rc == 0)
		return 0;
	r->line++;
	if (rc == -EPIPE)
		goto truncated;
	if (rc < 0) {
		snprintf(r->err, sizeof(r->err), "%s: record %llu: read error", r->name,
			 (unsigned long long)r->line);
		return rc;
	}
	n = (size_t)hvx_get_le(h + 1, 4);
	if (n > BIN_MAX_RECORD) {
		snprintf(r->err, sizeof(r->err), "%s: record %llu: length %zu over the limit",
			 r->name, (unsigned long long)r->line, n);
		return -E2BIG;
	}
	if (n + 1 > r->rec_cap) {
		char *nb = realloc(r->buf_rec, n + 1);

		if (!nb)
			return -ENOMEM;
		r->buf_rec = nb;
		r->rec_cap = n + 1;
	}
	rc = n ? bin_read(r, r->buf_rec, n) : 1;
	if (rc == 0 || rc == -EPIPE)
		goto truncated;
	if (rc < 0)
		return rc;
	r->buf_rec[n] = 0;
	*kind = (char)h[0];
	*len = n;
	return 1;
truncated:
	r->truncated = true;
	r->eof = true;
	snprintf(r->err, sizeof(r->err), "%s: record %llu: truncated last record ignored",
		 r->name, (unsigned long long)r->line);
	return 0;
}

int trace_bin_read_header(struct trace_reader *r, json_t **out)
{
	char kind;
	size_t n;
	json_error_t je;
	int rc = bin_record(r, &kind, &n);

	if (rc <= 0)
		return rc < 0 ? rc : 0;
	if (kind != 'H') {
		snprintf(r->err, sizeof(r->err), "%s: binary trace does not start with a header record",
			 r->name);
		return -EINVAL;
	}
	*out = json_loadb(r->buf_rec, n, JSON_REJECT_DUPLICATES, &je);
	if (!*out || !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		snprintf(r->err, sizeof(r->err), "%s: record 1: header is not a JSON object", r->name);
		return -EINVAL;
	}
	return 1;
}

static int bin_event(struct trace_reader *r, size_t n, struct trace_event *ev)
{
	struct trace_cur c = { (const uint8_t *)r->buf_rec, n, false };
	struct trace_exit *e = &ev->exit;
	unsigned flags;
	const char *bad = NULL;

	memset(ev, 0, sizeof(*ev));
	ev->seq = trace_cur_get(&c, 8);
	ev->vcpu = (unsigned)trace_cur_get(&c, 4);
	flags = (unsigned)trace_cur_get(&c, 4);
	e->ec = (unsigned)trace_cur_get(&c, 1);
	ev->n_mmio = (unsigned)trace_cur_get(&c, 1);
	ev->n_pages = (unsigned)trace_cur_get(&c, 1);
	trace_cur_get(&c, 1);
	e->regs_mask = (uint32_t)trace_cur_get(&c, 4);
	if (flags & ~BF_ALL)
		bad = "unknown flag bits";
	else if (ev->vcpu >= 4096)
		bad = "vcpu out of range (0..4095)";
	else if (e->ec > 0x3f)
		bad = "EC above 0x3f";
	else if (ev->n_mmio > TRACE_MAX_MMIO || ev->n_pages > TRACE_MAX_PAGEREFS)
		bad = "too many MMIO values or page references";
	else if (e->regs_mask >> TRACE_NREGS)
		bad = "register mask beyond x30";
	if (bad)
		goto fail;
	e->has_esr = flags & BF_ESR;
	e->has_far = flags & BF_FAR;
	e->has_hpfar = flags & BF_HPFAR;
	e->has_pc = flags & BF_PC;
	e->has_pstate = flags & BF_PSTATE;
	e->has_insn = flags & BF_INSN;
	if (e->has_esr) e->esr = trace_cur_get(&c, 8);
	if (e->has_far) e->far = trace_cur_get(&c, 8);
	if (e->has_hpfar) e->hpfar = trace_cur_get(&c, 8);
	if (e->has_pc) e->pc = trace_cur_get(&c, 8);
	if (e->has_pstate) e->pstate = trace_cur_get(&c, 8);
	if (e->has_insn) e->insn = (uint32_t)trace_cur_get(&c, 4);
	if (e->has_esr && ((e->esr >> 56) || esr_ec(e->esr) != e->ec)) {
		bad = "ESR has RES0 bits 63:56 set or disagrees with the EC";
		goto fail;
	}
	for (unsigned i = 0; i < TRACE_NREGS; i++)
		if (e->regs_mask & (UINT32_C(1) << i))
			e->regs[i] = trace_cur_get(&c, 8);
	for (unsigned i = 0; i < ev->n_mmio; i++)
		ev->mmio_data[i] = trace_cur_get(&c, 8);
	for (unsigned i = 0; i < ev->n_pages; i++) {
		ev->pages[i].ipa = trace_cur_get(&c, 8);
		if (c.left >= 32)
			memcpy(ev->pages[i].hash, c.p, 32);
		trace_cur_get(&c, 8); trace_cur_get(&c, 8); trace_cur_get(&c, 8); trace_cur_get(&c, 8);
		if (ev->pages[i].ipa & (TRACE_PAGE_SIZE - 1)) {
			bad = "page reference not 4 KiB aligned";
			goto fail;
		}
		if (!c.bad && !trace_reader_page(r, ev->pages[i].hash)) {
			bad = "page reference to a page not written before it";
			goto fail;
		}
	}
	if (flags & BF_OUTCOME) {
		size_t on;
		const char *t = trace_cur_text(&c, &on);

		if (t) {
			free(r->otext);
			r->otext = malloc(on + 1);
			if (!r->otext)
				return -ENOMEM;
			memcpy(r->otext, t, on);
			r->otext[on] = 0;
			ev->outcome_text = r->otext;
			ev->outcome_len = on;
		}
	}
	if (flags & BF_KVM) {
		size_t kn;
		const char *t = trace_cur_text(&c, &kn);

		if (t) {
			r->cur = json_loadb(t, kn, JSON_REJECT_DUPLICATES, NULL);
			if (!json_is_object(r->cur)) {
				bad = "kvm is not a JSON object";
				goto fail;
			}
			ev->kvm = r->cur;
		}
	}
	if (c.bad || c.left) {
		bad = c.bad ? "event record too short" : "trailing bytes in event record";
		goto fail;
	}
	ev->line = r->line;
	r->events++;
	return 1;
fail:
	snprintf(r->err, sizeof(r->err), "%s: record %llu: %s", r->name,
		 (unsigned long long)r->line, bad);
	return -EINVAL;
}

static int bin_page(struct trace_reader *r, size_t n)
{
	char where[40];

	if (n != 32 + TRACE_PAGE_SIZE) {
		snprintf(r->err, sizeof(r->err), "%s: record %llu: page record of %zu bytes (want %u)",
			 r->name, (unsigned long long)r->line, n, 32 + TRACE_PAGE_SIZE);
		return -EINVAL;
	}
	snprintf(where, sizeof(where), "record %llu", (unsigned long long)r->line);
	return trace_reader_add_page_raw(r, (const uint8_t *)r->buf_rec,
					 (const uint8_t *)r->buf_rec + 32, where);
}

int trace_bin_next(struct trace_reader *r, struct trace_event *ev)
{
	for (;;) {
		char kind;
		size_t n;
		int rc = bin_record(r, &kind, &n);

		if (rc <= 0)
			return rc;
		if (kind == 'E')
			return bin_event(r, n, ev);
		if (kind == 'P') {
			rc = bin_page(r, n);
			if (rc < 0)
				return rc;
			continue;
		}
		if (kind == 'H') {
			snprintf(r->err, sizeof(r->err), "%s: record %llu: second header record",
				 r->name, (unsigned long long)r->line);
			return -EINVAL;
		}
		snprintf(r->err, sizeof(r->err), "%s: record %llu: unknown record kind 0x%02x (corrupt)",
			 r->name, (unsigned long long)r->line, (unsigned)(uint8_t)kind);
		return -EINVAL;
	}
}

