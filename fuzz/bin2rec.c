/*
 * Fuzz target over one event record of the binary trace format 2 (the
 * fixed type 'E', harness/trace/bin2_codec.c, and the compact 'C',
 * bin2_compact.c), past the block checksums that stop mutations of whole
 * traces (fuzz/trace.c) before they reach a record: byte 0 picks the type
 * (even 'E', odd 'C'), bytes 1-8 the seq of the block's event before it
 * (little-endian), the rest is the payload, read from a buffer of exactly
 * its size. Invariants: no crash and no read outside the payload; a
 * payload that decodes is written again, as each type, and reads back as
 * the same event.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/trace/bin2_event.h"
#include "hvexit/outcome_json.h"

/* A decoded record: the event and its texts, NUL-terminated copies. */
struct rec {
	struct trace_event ev;
	char *otext, *ktext;
	size_t olen, klen;
};

static const char *decode(const uint8_t *p, size_t n, char type, uint64_t prev, struct rec *r)
{
	const char *ot, *kt, *bad;

	memset(r, 0, sizeof(*r));
	bad = trace_bin2_decode_event(p, n, type, prev, &r->ev, &ot, &r->olen, &kt, &r->klen);
	if (bad)
		return bad;
	if (ot && (r->otext = malloc(r->olen + 1))) {
		memcpy(r->otext, ot, r->olen);
		r->otext[r->olen] = 0;
	}
	if (kt && (r->ktext = malloc(r->klen + 1))) {
		memcpy(r->ktext, kt, r->klen);
		r->ktext[r->klen] = 0;
	}
	return NULL;
}

static void rec_free(struct rec *r)
{
	free(r->otext);
	free(r->ktext);
}

static bool same_text(const char *a, size_t al, const char *b, size_t bl)
{
	return (!a && !b) || (a && b && al == bl && !memcmp(a, b, al));
}

static bool same_event(const struct rec *x, const struct rec *y)
{
	const struct trace_event *a = &x->ev, *b = &y->ev;
	bool same = a->seq == b->seq && a->vcpu == b->vcpu &&
		    !memcmp(&a->exit, &b->exit, offsetof(struct trace_exit, regs)) &&
		    a->n_mmio == b->n_mmio && a->n_pages == b->n_pages && a->has_oc == b->has_oc &&
		    !memcmp(a->mmio_data, b->mmio_data, a->n_mmio * sizeof(a->mmio_data[0])) &&
		    same_text(x->otext, x->olen, y->otext, y->olen) &&
		    same_text(x->ktext, x->klen, y->ktext, y->klen);

	for (uint32_t m = a->exit.regs_mask; same && m; m &= m - 1)
		same = a->exit.regs[__builtin_ctz(m)] == b->exit.regs[__builtin_ctz(m)];
	for (unsigned i = 0; same && i < a->n_pages; i++)
		same = a->pages[i].ipa == b->pages[i].ipa &&
		       !memcmp(a->pages[i].hash, b->pages[i].hash, 32);
	if (same && a->has_oc) {
		json_t *ja = emu_outcome_to_json(&a->oc), *jb = emu_outcome_to_json(&b->oc);

		same = ja && jb && json_equal(ja, jb);
		json_decref(ja);
		json_decref(jb);
	}
	return same;
}

/* Write r as type and read it back: the same event, or abort. */
static void round_trip(const struct rec *r, char type, uint64_t prev)
{
	size_t jl, n;
	char *ot, *kt;
	size_t cap = trace_bin2_event_bound(&r->ev, &jl, &ot, &kt) + r->olen + r->klen + 8;
	uint8_t *buf = malloc(cap), *exact;
	struct rec back;
	const char *bad;

	free(ot);
	free(kt);
	if (!buf)
		return;
	n = trace_bin2_encode_event(buf, type, prev, &r->ev, r->otext, r->ktext);
	if (!n || n > cap) {
		fprintf(stderr, "bin2rec fuzz: writing a read '%c' record as '%c' gave %zu bytes "
			"(room %zu)\n", r->ev.has_oc ? 'o' : '-', type, n, cap);
		abort();
	}
	exact = malloc(n);
	if (!exact) {
		free(buf);
		return;
	}
	memcpy(exact, buf, n);
	free(buf);
	bad = decode(exact, n, type, prev, &back);
	if (bad || !same_event(r, &back)) {
		fprintf(stderr, "bin2rec fuzz: a '%c' record written from a read event %s\n", type,
			bad ? bad : "reads as another event");
		abort();
	}
	rec_free(&back);
	free(exact);
}

/* A text with a NUL in it cannot be given to the encoder (it takes C
 * strings); JSON text never has one. */
static bool texts_writable(const struct rec *r)
{
	return (!r->otext || strlen(r->otext) == r->olen) &&
	       (!r->ktext || strlen(r->ktext) == r->klen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char type;
	uint64_t prev;
	uint8_t *p;
	struct rec r;

	if (size < 9 || size > (64u << 10))
		return 0;
	type = data[0] & 1 ? 'C' : 'E';
	prev = hvx_get_le(data + 1, 8);
	if (!(p = malloc(size - 9 ? size - 9 : 1)))
		return 0;
	memcpy(p, data + 9, size - 9);
	if (!decode(p, size - 9, type, prev, &r) && texts_writable(&r)) {
		round_trip(&r, 'E', 0);
		round_trip(&r, 'C', prev);
	}
	rec_free(&r);
	free(p);
	return 0;
}
