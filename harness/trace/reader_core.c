/*
 * What every trace reader (JSON Lines, binary formats 1 and 2) uses: the
 * input window, the pages seen so far, the end record's counts and
 * checksum (trace_int.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/trace/trace_int.h"
#include "harness/util/sha256.h"

/* ---- input window ------------------------------------------------------- */
int trace_in_need(struct trace_reader *r, size_t n)
{
	while (r->len - r->pos < n) {
		ssize_t got;

		if (r->in_eof || r->fd < 0)
			return 0;
		if (n > TRACE_IN_CAP - TRACE_IN_CHUNK)
			return -E2BIG;
		if (r->pos && r->len + TRACE_IN_CHUNK > r->cap) {
			memmove(r->buf, r->buf + r->pos, r->len - r->pos);
			r->base += r->pos;
			r->len -= r->pos;
			r->pos = 0;
		}
		if (r->len + TRACE_IN_CHUNK > r->cap) {
			size_t nc = r->cap ? r->cap * 2 : 2 * TRACE_IN_CHUNK;
			char *nb;

			if (nc > TRACE_IN_CAP)
				nc = TRACE_IN_CAP;
			nb = realloc(r->buf, nc);
			if (!nb)
				return -ENOMEM;
			r->buf = nb;
			r->cap = nc;
		}
		do
			got = read(r->fd, r->buf + r->len, TRACE_IN_CHUNK);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return -EIO;
		if (got == 0)
			r->in_eof = true;
		r->len += (size_t)got;
	}
	return 1;
}

/* ---- pages --------------------------------------------------------------- */
size_t trace_page_slot_of(const struct page_slot *tab, size_t cap, const uint8_t h[32])
{
	size_t i;

	memcpy(&i, h, sizeof(i));
	for (i &= cap - 1;; i = (i + 1) & (cap - 1))
		if (!tab[i].data || !memcmp(tab[i].hash, h, 32))
			return i;
}

int trace_page_reserve(struct page_slot **tab, size_t *cap, size_t n)
{
	size_t nc = *cap ? *cap * 2 : 64;
	struct page_slot *nt;

	if ((n + 1) * 2 <= *cap)
		return 0;
	nt = calloc(nc, sizeof(*nt));
	if (!nt)
		return -ENOMEM;
	for (size_t i = 0; i < *cap; i++)
		if ((*tab)[i].data)
			nt[trace_page_slot_of(nt, nc, (*tab)[i].hash)] = (*tab)[i];
	free(*tab);
	*tab = nt;
	*cap = nc;
	return 0;
}

const uint8_t *trace_reader_page(const struct trace_reader *r, const uint8_t hash[32])
{
	if (!r->pages_cap)
		return NULL;
	return r->pages[trace_page_slot_of(r->pages, r->pages_cap, hash)].data;
}

int trace_reader_add_page_raw(struct trace_reader *r, const uint8_t h[32],
			      const uint8_t *src, const char *where)
{
	uint8_t sum[32], *data;
	size_t slot;

	util_sha256(src, TRACE_PAGE_SIZE, sum);
	if (memcmp(sum, h, 32)) {
		snprintf(r->err, sizeof(r->err), "%s: %s: page data does not match its sha256",
			 r->name, where);
		return -EINVAL;
	}
	if ((r->npages + 1) * 2 > r->pages_cap && r->npages >= TRACE_MAX_PAGES) {
		snprintf(r->err, sizeof(r->err), "%s: %s: more than %u distinct pages",
			 r->name, where, TRACE_MAX_PAGES);
		return -E2BIG;
	}
	if (trace_page_reserve(&r->pages, &r->pages_cap, r->npages) < 0)
		return -ENOMEM;
	slot = trace_page_slot_of(r->pages, r->pages_cap, h);
	if (r->pages[slot].data)
		return 0;	/* the same content twice: harmless */
	data = malloc(TRACE_PAGE_SIZE);
	if (!data)
		return -ENOMEM;
	memcpy(data, src, TRACE_PAGE_SIZE);
	memcpy(r->pages[slot].hash, h, 32);
	r->pages[slot].data = data;
	r->npages++;
	return 0;
}

/* ---- the end record ------------------------------------------------------- */
int trace_reader_check_end(struct trace_reader *r, uint64_t events, uint64_t pages,
			   uint64_t checksum, bool interrupted, const char *where)
{
	uint64_t have = util_hash64_final(&r->sum);

	if (r->legacy) {
		snprintf(r->err, sizeof(r->err), "%s: %s: end record in a format 1 trace",
			 r->name, where);
		return -EINVAL;
	}
	if (r->seeked) {	/* what precedes the seek was not read again */
		if (events != r->events) {
			snprintf(r->err, sizeof(r->err), "%s: %s: the end record counts %llu events, "
				 "the index %llu (corrupt)", r->name, where, (unsigned long long)events,
				 (unsigned long long)r->events);
			return -EINVAL;
		}
	} else if (events != r->events || pages != r->page_records) {
		snprintf(r->err, sizeof(r->err), "%s: %s: the end record counts %llu events and "
			 "%llu pages, the trace has %llu and %llu (records lost or added)", r->name,
			 where, (unsigned long long)events, (unsigned long long)pages,
			 (unsigned long long)r->events, (unsigned long long)r->page_records);
		return -EINVAL;
	}
	if (!r->seeked && checksum != have) {
		snprintf(r->err, sizeof(r->err), "%s: %s: checksum 0x%016llx in the end record, "
			 "0x%016llx over the records before it (corrupt or edited)", r->name, where,
			 (unsigned long long)checksum, (unsigned long long)have);
		return -EINVAL;
	}
	r->ended = true;
	if (interrupted) {
		r->interrupted = r->truncated = true;
		snprintf(r->err, sizeof(r->err), "%s: the writer was interrupted: %llu events "
			 "recorded before it stopped", r->name, (unsigned long long)events);
	}
	return 0;
}

/* {"type":"end","events":N,"pages":P,"checksum":"0x..","interrupted":B} */
