/*
 * Streaming trace reader (JSON Lines; docs/trace-format.md and
 * include/hvexit/trace.h). Input is read in large chunks into one window;
 * every line is parsed on its own (event lines by the tokenizer of
 * jsonl_scan.c, anything else by jansson), so nothing but the current
 * window and the distinct guest pages is held in memory. Binary records
 * are read by binary.c (format 1) and bin2.c (format 2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/trace/trace_int.h"
#include "harness/util/infile.h"
#include "harness/util/base64.h"
#include "harness/util/sha256.h"
#include "hvexit/outcome_json.h"

/* The next line without its newline: 1 with *len and *nl (had '\n'),
 * 0 at the end, -E2BIG when longer than TRACE_MAX_LINE, -EIO. */
static int read_line(struct trace_reader *r, const char **line, size_t *len, bool *nl)
{
	size_t scanned = 0;

	for (;;) {
		const char *s = r->buf + r->pos + scanned;
		size_t avail = r->len - r->pos - scanned;
		const char *e = memchr(s, '\n', avail);
		int rc;

		if (e) {
			*len = (size_t)(e - (r->buf + r->pos));
			if (*len > TRACE_MAX_LINE)
				return -E2BIG;
			*line = r->buf + r->pos;
			*nl = true;
			r->pos += *len + 1;
			return 1;
		}
		scanned += avail;
		if (scanned > TRACE_MAX_LINE)
			return -E2BIG;
		rc = trace_in_need(r, scanned + 1);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			if (scanned == 0)
				return 0;
			*line = r->buf + r->pos;
			*len = scanned;
			*nl = false;
			r->pos += scanned;
			return 1;
		}
	}
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

static int line_error(struct trace_reader *r, int rc)
{
	snprintf(r->err, sizeof(r->err), "%s:%llu: %s", r->name, (unsigned long long)r->line,
		 rc == -E2BIG ? "line longer than 1 MiB" : "read error");
	return rc;
}

/* Parse a line into an object: 1, 0 = a cut-short last line (ends the
 * trace, truncated), <0 error. */
static int parse_object(struct trace_reader *r, const char *s, size_t n, bool nl, json_t **out)
{
	json_error_t je;
	json_t *o = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);

	if (o && json_is_object(o)) {
		*out = o;
		return 1;
	}
	json_decref(o);
	if (!nl) {
		r->truncated = true;
		r->eof = true;
		snprintf(r->err, sizeof(r->err),
			 "%s:%llu: truncated last line (%zu bytes, no newline): %llu events read",
			 r->name, (unsigned long long)r->line, n, (unsigned long long)r->events);
		return 0;
	}
	if (o)
		snprintf(r->err, sizeof(r->err), "%s:%llu: not a JSON object", r->name,
			 (unsigned long long)r->line);
	else
		snprintf(r->err, sizeof(r->err), "%s:%llu:%d: malformed JSON: %s", r->name,
			 (unsigned long long)r->line, je.column, je.text);
	return -EINVAL;
}

static int check_header(struct trace_reader *r)
{
	json_t *h = NULL;
	uint64_t v;
	const char *src;
	int rc;

	if (r->fmt == TF_BIN2) {
		rc = trace_bin2_read_header(r, &h);
	} else if (r->fmt == TF_BIN1) {
		rc = trace_bin_read_header(r, &h);
	} else {
		const char *s;
		size_t n;
		bool nl;

		do {
			rc = read_line(r, &s, &n, &nl);
			if (rc > 0) {
				r->line++;
				util_hash64_update(&r->sum, s, n + nl);
			}
		} while (rc > 0 && blank(s, n));
		if (rc < 0)
			return line_error(r, rc);
		if (rc > 0)
			rc = parse_object(r, s, n, nl, &h);
	}
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
	if (v != TRACE_FORMAT_VERSION && v != TRACE_FORMAT_LEGACY) {
		snprintf(r->err, sizeof(r->err), "%s: trace format version %llu not supported (this build reads %d and %d)",
			 r->name, (unsigned long long)v, TRACE_FORMAT_LEGACY, TRACE_FORMAT_VERSION);
		return -EINVAL;
	}
	if (r->bin && (v == TRACE_FORMAT_VERSION) != (r->fmt == TF_BIN2)) {
		snprintf(r->err, sizeof(r->err), "%s: binary format %d with a header of version %llu",
			 r->name, r->fmt == TF_BIN2 ? 2 : 1, (unsigned long long)v);
		return -EINVAL;
	}
	r->legacy = v == TRACE_FORMAT_LEGACY;
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

/* Consume a binary magic if the input starts with one. */
static void detect_binary(struct trace_reader *r)
{
	if (trace_in_need(r, TRACE_BIN_MAGIC_LEN) <= 0)
		return;
	if (!memcmp(r->buf + r->pos, trace_bin2_magic, TRACE_BIN_MAGIC_LEN))
		r->fmt = TF_BIN2;
	else if (!memcmp(r->buf + r->pos, trace_bin1_magic, TRACE_BIN_MAGIC_LEN))
		r->fmt = TF_BIN1;
	else
		return;
	r->bin = true;
	r->pos += TRACE_BIN_MAGIC_LEN;
}

static struct trace_reader *reader_new(const char *name)
{
	struct trace_reader *r = calloc(1, sizeof(*r));

	if (r) {
		snprintf(r->name, sizeof(r->name), "%s", name);
		r->fd = -1;
		util_hash64_init(&r->sum);
	}
	return r;
}

static int reader_start(struct trace_reader *r, struct trace_reader **out, char *err,
			size_t errlen)
{
	detect_binary(r);
	if (check_header(r) < 0) {
		trace_seterr(err, errlen, "%s", r->err);
		trace_reader_close(r);
		return -EINVAL;
	}
	*out = r;
	return 0;
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
	if (strcmp(path, "-")) {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		r->own_fd = true;
	} else {
		r->fd = STDIN_FILENO;
	}
	if (r->fd < 0) {
		int e = errno;

		trace_seterr(err, errlen, "%s: %s", path, strerror(e));
		free(r);
		return -e;
	}
	return reader_start(r, out, err, errlen);
}

int trace_reader_open_mem(const void *data, size_t len, const char *name,
			  struct trace_reader **out, char *err, size_t errlen)
{
	struct trace_reader *r = reader_new(name);

	if (!r)
		return -ENOMEM;
	r->buf = (char *)data;	/* read only: fd < 0 never refills it */
	r->len = len;
	r->in_eof = true;
	return reader_start(r, out, err, errlen);
}

void trace_reader_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	if (r->fd >= 0)
		free(r->buf);
	free(r->buf_rec);
	free(r->vseq);
	json_decref(r->header);
	json_decref(r->cur);
	free(r->otext);
	json_decref(r->ocur);
	trace_bin2_reader_free(r);
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
bool trace_reader_legacy(const struct trace_reader *r) { return r->legacy; }
uint64_t trace_reader_events(const struct trace_reader *r) { return r->events; }
bool trace_reader_binary(const struct trace_reader *r) { return r->bin; }

uint64_t trace_reader_offset(const struct trace_reader *r) { return r->base + r->pos; }

int trace_reader_total(struct trace_reader *r, uint64_t *events)
{
	return r->fmt == TF_BIN2 ? trace_bin2_total(r, events) : -ENOTSUP;
}

int trace_reader_seek_event(struct trace_reader *r, uint64_t k)
{
	if (r->fmt != TF_BIN2)
		return -ENOTSUP;
	free(r->vseq);	/* seq order restarts where the reader lands */
	r->vseq = NULL;
	return trace_bin2_seek_event(r, k);
}

const char *trace_reader_source(const struct trace_reader *r)
{
	return json_string_value(json_object_get(r->header, "source"));
}

unsigned trace_reader_vcpus(const struct trace_reader *r)
{
	return r->vcpus;
}

int trace_reader_add_page(struct trace_reader *r, const json_t *o)
{
	const char *hs = json_string_value(json_object_get(o, "sha256"));
	const json_t *d = json_object_get(o, "data");
	uint8_t h[32], data[TRACE_PAGE_SIZE];
	char where[32];

	if (trace_hash_parse(hs, h) < 0 || !json_is_string(d)) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: page record needs a 64-digit \"sha256\" and base64 \"data\"",
			 r->name, (unsigned long long)r->line);
		return -EINVAL;
	}
	if (util_b64_decode(json_string_value(d), json_string_length(d), data, TRACE_PAGE_SIZE) < 0) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: page \"data\" is not base64 of exactly %u bytes",
			 r->name, (unsigned long long)r->line, TRACE_PAGE_SIZE);
		return -EINVAL;
	}
	snprintf(where, sizeof(where), "line %llu", (unsigned long long)r->line);
	return trace_reader_add_page_raw(r, h, data, where);
}

static int jsonl_end(struct trace_reader *r, const json_t *o)
{
	uint64_t ev, pg, sum;
	const json_t *in = json_object_get(o, "interrupted");
	const char *cs = json_string_value(json_object_get(o, "checksum"));
	char where[32];

	snprintf(where, sizeof(where), "line %llu", (unsigned long long)r->line);
	if (trace_get_u64(json_object_get(o, "events"), &ev) < 0 ||
	    trace_get_u64(json_object_get(o, "pages"), &pg) < 0 ||
	    !cs || strncmp(cs, "0x", 2) || trace_get_u64(json_object_get(o, "checksum"), &sum) < 0 ||
	    !json_is_boolean(in) || json_object_size(o) != 5) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: end record needs \"events\", \"pages\", "
			 "a 0x \"checksum\" and a boolean \"interrupted\", nothing else", r->name,
			 (unsigned long long)r->line);
		return -EINVAL;
	}
	return trace_reader_check_end(r, ev, pg, sum, json_is_true(in), where);
}

/* ---- events ---------------------------------------------------------------- */
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
	int rc;

	json_decref(r->cur);
	r->cur = NULL;
	json_decref(r->ocur);
	r->ocur = NULL;
	if (r->eof)
		return 0;
	rc = r->fmt == TF_BIN2 ? trace_bin2_next(r, ev) :
	     r->fmt == TF_BIN1 ? trace_bin_next(r, ev) : next_event(r, ev);
	if (rc > 0 && ev->vcpu >= r->vcpus) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: \"vcpu\" %u but the header declares %u vCPUs",
			 r->name, (unsigned long long)ev->line, ev->vcpu, r->vcpus);
		return -EINVAL;
	}
	return rc > 0 ? check_seq(r, ev) : rc;
}

/* A format 2 JSON Lines trace ended: with its end record, or truncated. */
static int jsonl_eof(struct trace_reader *r)
{
	r->eof = true;
	if (!r->legacy && !r->ended && !r->truncated) {
		r->truncated = true;
		snprintf(r->err, sizeof(r->err), "%s:%llu: no end record: the trace is truncated "
			 "after %llu events", r->name, (unsigned long long)r->line,
			 (unsigned long long)r->events);
	}
	return 0;
}

/* A line jansson parsed: page, end, exit of an unusual shape, or wrong. */
static int slow_record(struct trace_reader *r, json_t *o, struct trace_event *ev)
{
	const char *type = json_string_value(json_object_get(o, "type"));
	char msg[200];
	int rc;

	if (!type) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: record without a \"type\"",
			 r->name, (unsigned long long)r->line);
		return -EINVAL;
	}
	if (!strcmp(type, "page")) {
		rc = trace_reader_add_page(r, o);
		r->page_records += rc == 0;
		return rc;
	}
	if (!strcmp(type, "end"))
		return jsonl_end(r, o);
	if (strcmp(type, "exit")) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: unknown record type \"%.40s\"",
			 r->name, (unsigned long long)r->line, type);
		return -EINVAL;
	}
	if (trace_event_from_json(o, ev, msg, sizeof(msg)) < 0) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: %s", r->name,
			 (unsigned long long)r->line, msg);
		return -EINVAL;
	}
	r->cur = json_incref(o);
	return 1;
}

static int next_event(struct trace_reader *r, struct trace_event *ev)
{
	for (;;) {
		const char *s;
		size_t n;
		bool nl;
		json_t *o = NULL;
		int rc = read_line(r, &s, &n, &nl);

		if (rc == 0)
			return jsonl_eof(r);
		r->line++;
		if (rc < 0)
			return line_error(r, rc);
		if (r->ended) {
			if (blank(s, n))
				continue;
			snprintf(r->err, sizeof(r->err), "%s:%llu: records after the end record",
				 r->name, (unsigned long long)r->line);
			return -EINVAL;
		}
		if (blank(s, n)) {
			util_hash64_update(&r->sum, s, n + nl);
			continue;
		}
		rc = nl ? trace_jsonl_scan_event(s, n, ev) : 0;
		if (rc == 0) {
			rc = parse_object(r, s, n, nl, &o);
			if (rc == 0)
				return jsonl_eof(r);
			if (rc > 0) {
				rc = slow_record(r, o, ev);
				json_decref(o);
			}
			if (rc < 0)
				return rc;
			if (r->ended)
				continue;	/* the end record is not in its own checksum */
		}
		util_hash64_update(&r->sum, s, n + nl);
		if (rc == 0)
			continue;
		for (unsigned i = 0; i < ev->n_pages; i++) {
			if (!trace_reader_page(r, ev->pages[i].hash)) {
				snprintf(r->err, sizeof(r->err), "%s:%llu: page reference to a page not written before it",
					 r->name, (unsigned long long)r->line);
				return -EINVAL;
			}
		}
		ev->line = r->line;
		r->events++;
		return 1;
	}
}

/* ---- the outcome as JSON ---------------------------------------------------- */
int trace_event_load_outcome(struct trace_reader *r, struct trace_event *ev)
{
	json_t *o;

	if (ev->outcome)
		return 0;
	if (ev->has_oc) {
		o = emu_outcome_to_json(&ev->oc);
		if (!o)
			return -ENOMEM;
	} else if (ev->outcome_text) {
		o = json_loadb(ev->outcome_text, ev->outcome_len, JSON_REJECT_DUPLICATES, NULL);
		if (!json_is_object(o)) {
			json_decref(o);
			snprintf(r->err, sizeof(r->err), "%s: record %llu: outcome is not a JSON object",
				 r->name, (unsigned long long)ev->line);
			return -EINVAL;
		}
	} else {
		return 0;
	}
	json_decref(r->ocur);
	r->ocur = o;	/* lives until the next trace_next */
	ev->outcome = o;
	return 0;
}
