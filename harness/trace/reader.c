/*
 * Streaming trace reader (JSON Lines; docs/trace-format.md and
 * include/hvexit/trace.h). Every line is parsed on its own; nothing but the
 * current line and the distinct guest pages is held in memory. Binary
 * records are read by binary.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/trace/trace_int.h"
#include "harness/util/infile.h"
#include "harness/util/base64.h"
#include "harness/util/sha256.h"

/* ---- reader -------------------------------------------------------------- */
/* The next line without its newline: 1 with *len and *nl (had '\n'),
 * 0 at the end, -E2BIG when longer than TRACE_MAX_LINE, -EIO. */
static int read_line(struct trace_reader *r, const char **line, size_t *len, bool *nl)
{
	if (r->f) {
		size_t n = 0;
		int c;

		while ((c = getc(r->f)) != EOF) {
			if (c == '\n')
				break;
			if (n + 1 >= r->cap) {
				size_t nc = r->cap ? r->cap * 2 : 4096;
				char *nb;

				if (nc > TRACE_MAX_LINE + 2)
					return -E2BIG;
				nb = realloc(r->buf, nc);
				if (!nb)
					return -ENOMEM;
				r->buf = nb;
				r->cap = nc;
			}
			r->buf[n++] = (char)c;
		}
		if (ferror(r->f))
			return -EIO;
		if (c == EOF && n == 0)
			return 0;
		*line = r->buf;
		*len = n;
		*nl = c == '\n';
		return 1;
	}
	if (r->mem_pos >= r->mem_len)
		return 0;
	const char *s = r->mem + r->mem_pos;
	size_t left = r->mem_len - r->mem_pos;
	const char *e = memchr(s, '\n', left);
	size_t n = e ? (size_t)(e - s) : left;

	if (n > TRACE_MAX_LINE)
		return -E2BIG;
	r->mem_pos += n + (e ? 1 : 0);
	*line = s;
	*len = n;
	*nl = e != NULL;
	return 1;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* Parse the next non-blank line into an object: 1, 0 at end, <0 error. */
static int next_object(struct trace_reader *r, json_t **out)
{
	for (;;) {
		const char *s;
		size_t n;
		bool nl;
		json_error_t je;
		int rc = read_line(r, &s, &n, &nl);

		if (rc == 0)
			return 0;
		r->line++;
		if (rc < 0) {
			snprintf(r->err, sizeof(r->err), "%s:%llu: %s", r->name,
				 (unsigned long long)r->line,
				 rc == -E2BIG ? "line longer than 1 MiB" : "read error");
			return rc;
		}
		if (blank(s, n))
			continue;
		json_t *o = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
		if (!o || !json_is_object(o)) {
			if (!nl) {
				/* A record cut short by a crash: keep the rest. */
				json_decref(o);
				r->truncated = true;
				snprintf(r->err, sizeof(r->err),
					 "%s:%llu: truncated last line (%zu bytes, no newline) ignored",
					 r->name, (unsigned long long)r->line, n);
				return 0;
			}
			if (o)
				snprintf(r->err, sizeof(r->err), "%s:%llu: not a JSON object",
					 r->name, (unsigned long long)r->line);
			else
				snprintf(r->err, sizeof(r->err), "%s:%llu:%d: malformed JSON: %s",
					 r->name, (unsigned long long)r->line, je.column, je.text);
			json_decref(o);
			return -EINVAL;
		}
		*out = o;
		return 1;
	}
}

static int check_header(struct trace_reader *r)
{
	json_t *h = NULL;
	int rc = r->bin ? trace_bin_read_header(r, &h) : next_object(r, &h);
	uint64_t v;
	const char *src;

	if (rc <= 0) {
		if (rc == 0)
			snprintf(r->err, sizeof(r->err), "%s: empty trace (no header %s)%s",
				 r->name, r->bin ? "record" : "line",
				 r->truncated ? ", header truncated" : "");
		return -EINVAL;
	}
	r->header = h;
	if (trace_get_u64(json_object_get(h, "hvexit_trace"), &v) < 0) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: not an hvexit trace (no \"hvexit_trace\" version in the header)",
			 r->name, (unsigned long long)r->line);
		return -EINVAL;
	}
	if (v != TRACE_FORMAT_VERSION) {
		snprintf(r->err, sizeof(r->err), "%s: trace format version %llu not supported (this build reads %d)",
			 r->name, (unsigned long long)v, TRACE_FORMAT_VERSION);
		return -EINVAL;
	}
	src = json_string_value(json_object_get(h, "source"));
	/* Free text naming what wrote the trace (any hypervisor or tool). */
	if (!src || !*src) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: header \"source\" must be a non-empty string",
			 r->name, (unsigned long long)r->line);
		return -EINVAL;
	}
	if (trace_get_u64(json_object_get(h, "vcpus"), &v) < 0 || v < 1 || v > 4096) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: header \"vcpus\" must be 1..4096",
			 r->name, (unsigned long long)r->line);
		return -EINVAL;
	}
	r->vcpus = (unsigned)v;
	return 0;
}


/* Consume the binary magic if the input starts with it. A FILE that is
 * not binary is rewound (files and stdin pipes both allow one ungetc, so
 * only the first byte is peeked; a '{' can never start the magic). */
static void detect_binary(struct trace_reader *r)
{
	if (r->f) {
		int c = getc(r->f);
		char m[TRACE_BIN_MAGIC_LEN];

		if (c == EOF)
			return;
		if (c != trace_bin_magic[0]) {
			ungetc(c, r->f);
			return;
		}
		m[0] = (char)c;
		if (fread(m + 1, 1, sizeof(m) - 1, r->f) == sizeof(m) - 1 &&
		    !memcmp(m, trace_bin_magic, sizeof(m))) {
			r->bin = true;
			return;
		}
		r->bin = true;	/* starts like the magic but is not: fail as binary */
		r->truncated = false;
		r->eof = true;
		return;
	}
	if (r->mem_len >= sizeof(trace_bin_magic) && !memcmp(r->mem, trace_bin_magic, sizeof(trace_bin_magic))) {
		r->bin = true;
		r->mem_pos = sizeof(trace_bin_magic);
	}
}

static struct trace_reader *reader_new(const char *name)
{
	struct trace_reader *r = calloc(1, sizeof(*r));

	if (r)
		snprintf(r->name, sizeof(r->name), "%s", name);
	return r;
}

int trace_reader_open(const char *path, struct trace_reader **out, char *err, size_t errlen)
{
	struct trace_reader *r = reader_new(path);

	if (!r)
		return -ENOMEM;
	/* Regular files and streams only: a FIFO with no writer or a device
	 * would block or never end (harness/util/infile.h). */
	if (infile_check(path, err, errlen) < 0) {
		free(r);
		return -EINVAL;
	}
	r->f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!r->f) {
		int e = errno;

		trace_seterr(err, errlen, "%s: %s", path, strerror(e));
		free(r);
		return -e;
	}
	detect_binary(r);
	if (check_header(r) < 0) {
		trace_seterr(err, errlen, "%s", r->err);
		trace_reader_close(r);
		return -EINVAL;
	}
	*out = r;
	return 0;
}

int trace_reader_open_mem(const void *data, size_t len, const char *name,
			  struct trace_reader **out, char *err, size_t errlen)
{
	struct trace_reader *r = reader_new(name);

	if (!r)
		return -ENOMEM;
	r->mem = data;
	r->mem_len = len;
	detect_binary(r);
	if (check_header(r) < 0) {
		trace_seterr(err, errlen, "%s", r->err);
		trace_reader_close(r);
		return -EINVAL;
	}
	*out = r;
	return 0;
}

void trace_reader_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->f && r->f != stdin)
		fclose(r->f);
	free(r->buf);
	free(r->vseq);
	json_decref(r->header);
	json_decref(r->cur);
	free(r->otext);
	json_decref(r->ocur);
	for (size_t i = 0; i < r->pages_cap; i++)
		free(r->pages[i].data);
	free(r->pages);
	free(r);
}

const json_t *trace_reader_header(const struct trace_reader *r) { return r->header; }
const char *trace_reader_error(const struct trace_reader *r) { return r->err; }
bool trace_reader_truncated(const struct trace_reader *r) { return r->truncated; }
uint64_t trace_reader_line(const struct trace_reader *r) { return r->line; }
const char *trace_reader_name(const struct trace_reader *r) { return r->name; }

const char *trace_reader_source(const struct trace_reader *r)
{
	return json_string_value(json_object_get(r->header, "source"));
}

unsigned trace_reader_vcpus(const struct trace_reader *r)
{
	uint64_t v = 0;

	trace_get_u64(json_object_get(r->header, "vcpus"), &v);
	return (unsigned)v;
}

size_t trace_page_slot_of(const struct page_slot *tab, size_t cap, const uint8_t h[32])
{
	size_t i;

	memcpy(&i, h, sizeof(i));
	for (i &= cap - 1;; i = (i + 1) & (cap - 1))
		if (!tab[i].data || !memcmp(tab[i].hash, h, 32))
			return i;
}

const uint8_t *trace_reader_page(const struct trace_reader *r, const uint8_t hash[32])
{
	if (!r->pages_cap)
		return NULL;
	return r->pages[trace_page_slot_of(r->pages, r->pages_cap, hash)].data;
}

int trace_reader_add_page(struct trace_reader *r, const json_t *o)
{
	const char *hs = json_string_value(json_object_get(o, "sha256"));
	const json_t *d = json_object_get(o, "data");
	uint8_t h[32], sum[32], *data;
	size_t slot;

	if (trace_hash_parse(hs, h) < 0 || !json_is_string(d)) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: page record needs a 64-digit \"sha256\" and base64 \"data\"",
			 r->name, (unsigned long long)r->line);
		return -EINVAL;
	}
	data = malloc(TRACE_PAGE_SIZE);
	if (!data)
		return -ENOMEM;
	if (util_b64_decode(json_string_value(d), json_string_length(d), data, TRACE_PAGE_SIZE) < 0) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: page \"data\" is not base64 of exactly %u bytes",
			 r->name, (unsigned long long)r->line, TRACE_PAGE_SIZE);
		free(data);
		return -EINVAL;
	}
	util_sha256(data, TRACE_PAGE_SIZE, sum);
	if (memcmp(sum, h, 32)) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: page data does not match its sha256",
			 r->name, (unsigned long long)r->line);
		free(data);
		return -EINVAL;
	}
	if ((r->npages + 1) * 2 > r->pages_cap) {
		size_t nc = r->pages_cap ? r->pages_cap * 2 : 64;
		struct page_slot *nt;

		if (r->npages >= TRACE_MAX_PAGES) {
			snprintf(r->err, sizeof(r->err), "%s:%llu: more than %u distinct pages",
				 r->name, (unsigned long long)r->line, TRACE_MAX_PAGES);
			free(data);
			return -E2BIG;
		}
		nt = calloc(nc, sizeof(*nt));
		if (!nt) {
			free(data);
			return -ENOMEM;
		}
		for (size_t i = 0; i < r->pages_cap; i++)
			if (r->pages[i].data)
				nt[trace_page_slot_of(nt, nc, r->pages[i].hash)] = r->pages[i];
		free(r->pages);
		r->pages = nt;
		r->pages_cap = nc;
	}
	slot = trace_page_slot_of(r->pages, r->pages_cap, h);
	if (r->pages[slot].data) {
		free(data);	/* the same content twice: harmless */
		return 0;
	}
	memcpy(r->pages[slot].hash, h, 32);
	r->pages[slot].data = data;
	r->npages++;
	return 0;
}

static int next_event(struct trace_reader *r, struct trace_event *ev);

/* Every event's vCPU must be one the header declares (docs: 0..vcpus-1). */
/* Sequence numbers increase per vCPU (docs/trace-format.md: unique, in
 * the order the exits started): a repeated or reordered event is an
 * error, not a second copy replayed. */
static int check_seq(struct trace_reader *r, const struct trace_event *ev)
{
	if (!r->vseq && !(r->vseq = calloc(r->vcpus, sizeof(*r->vseq))))
		return -ENOMEM;
	if (r->vseq[ev->vcpu] && ev->seq < r->vseq[ev->vcpu]) {
		snprintf(r->err, sizeof(r->err),
			 "%s:%llu: seq %llu on vCPU %u does not follow seq %llu (seq must increase per vCPU)",
			 r->name, (unsigned long long)ev->line, (unsigned long long)ev->seq, ev->vcpu,
			 (unsigned long long)(r->vseq[ev->vcpu] - 1));
		return -EINVAL;
	}
	r->vseq[ev->vcpu] = ev->seq + 1 ? ev->seq + 1 : UINT64_MAX;
	return 1;
}

int trace_next(struct trace_reader *r, struct trace_event *ev)
{
	int rc = next_event(r, ev);

	if (rc > 0 && ev->vcpu >= r->vcpus) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: \"vcpu\" %u but the header declares %u vCPUs",
			 r->name, (unsigned long long)ev->line, ev->vcpu, r->vcpus);
		return -EINVAL;
	}
	return rc > 0 ? check_seq(r, ev) : rc;
}

static int next_event(struct trace_reader *r, struct trace_event *ev)
{
	json_decref(r->cur);
	r->cur = NULL;
	json_decref(r->ocur);
	r->ocur = NULL;
	if (r->bin)
		return trace_bin_next(r, ev);
	for (;;) {
		json_t *o = NULL;
		const char *type;
		char msg[200];
		int rc = next_object(r, &o);

		if (rc <= 0)
			return rc;
		type = json_string_value(json_object_get(o, "type"));
		if (!type) {
			snprintf(r->err, sizeof(r->err), "%s:%llu: record without a \"type\"",
				 r->name, (unsigned long long)r->line);
			json_decref(o);
			return -EINVAL;
		}
		if (!strcmp(type, "page")) {
			rc = trace_reader_add_page(r, o);
			json_decref(o);
			if (rc < 0)
				return rc;
			continue;
		}
		if (strcmp(type, "exit")) {
			json_decref(o);	/* unknown record types: forward compatible */
			continue;
		}
		if (trace_event_from_json(o, ev, msg, sizeof(msg)) < 0) {
			snprintf(r->err, sizeof(r->err), "%s:%llu: %s", r->name,
				 (unsigned long long)r->line, msg);
			json_decref(o);
			return -EINVAL;
		}
		for (unsigned i = 0; i < ev->n_pages; i++) {
			if (!trace_reader_page(r, ev->pages[i].hash)) {
				snprintf(r->err, sizeof(r->err), "%s:%llu: page reference to a page not written before it",
					 r->name, (unsigned long long)r->line);
				json_decref(o);
				return -EINVAL;
			}
		}
		ev->line = r->line;
		r->cur = o;
		return 1;
	}
}
