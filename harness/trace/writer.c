/*
 * Streaming trace writer: JSON Lines, or the binary variant (bin2.c).
 * Output goes through harness/util/outfile (temporary file, renamed into
 * place by trace_writer_close), so a trace appears whole or not at all;
 * close writes the end record (event and page counts, checksum of every
 * byte before it) first.
 */
#include <time.h>
#include <sys/utsname.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/trace/trace_int.h"
#include "harness/util/base64.h"
#include "harness/util/sha256.h"

/* ---- writer -------------------------------------------------------------- */
static int put_bytes(struct trace_writer *w, const char *s, size_t n)
{
	if (w->failed || fwrite(s, 1, n, w->f) != n) {
		w->failed = true;
		return -EIO;
	}
	util_hash64_update(&w->sum, s, n);
	return 0;
}

static int write_json_line(struct trace_writer *w, const json_t *o)
{
	char *t = json_dumps(o, JSON_COMPACT);
	int rc;

	if (!t) {
		w->failed = true;
		return -ENOMEM;
	}
	rc = put_bytes(w, t, strlen(t));
	free(t);
	return rc < 0 ? rc : put_bytes(w, "\n", 1);
}

json_t *trace_header_new(const char *source, unsigned vcpus)
{
	json_t *h = json_object();
	struct utsname u;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	json_object_set_new(h, "hvexit_trace", json_integer(TRACE_FORMAT_VERSION));
	json_object_set_new(h, "source", json_string(source));
	if (uname(&u) == 0) {
		json_object_set_new(h, "host", json_string(u.nodename));
		char k[200];
		snprintf(k, sizeof(k), "%s %s %s", u.sysname, u.release, u.machine);
		json_object_set_new(h, "kernel", json_string(k));
	}
	json_object_set_new(h, "vcpus", json_integer(vcpus));
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(h, "created", json_string(when));
	return h;
}

int trace_writer_open(const char *path, const json_t *header,
		      struct trace_writer **out, char *err, size_t errlen)
{
	return trace_writer_open_fmt(path, header, false, out, err, errlen);
}

static void writer_free(struct trace_writer *w);
static void writer_free(struct trace_writer *w)
{
	trace_bin2_writer_free(w);
	free(w->pages);
	free(w->line);
	free(w);
}

int trace_writer_open_fmt(const char *path, const json_t *header, bool binary,
			  struct trace_writer **out, char *err, size_t errlen)
{
	struct trace_writer *w = calloc(1, sizeof(*w));
	json_t *h;
	char *txt;
	int wrc;

	if (!w)
		return -ENOMEM;
	w->bin = binary;
	util_hash64_init(&w->sum);
	/* a FIFO or a device is written in place by outfile, never renamed over */
	if (outfile_open(&w->of, path) < 0) {
		trace_seterr(err, errlen, "%s", w->of.err);
		free(w);
		return -EIO;
	}
	w->f = w->of.f;
	if (w->f != stdout && w->of.tmp[0])
		setvbuf(w->f, NULL, _IOFBF, 1u << 18);
	h = json_deep_copy(header);
	json_object_set_new(h, "hvexit_trace", json_integer(TRACE_FORMAT_VERSION));
	txt = h ? json_dumps(h, JSON_COMPACT) : NULL;
	json_decref(h);
	if (!txt)
		wrc = -ENOMEM;
	else if (binary)
		wrc = trace_bin2_writer_start(w, txt);
	else if ((wrc = put_bytes(w, txt, strlen(txt))) == 0)
		wrc = put_bytes(w, "\n", 1);
	free(txt);
	if (wrc < 0) {
		trace_seterr(err, errlen, "%s: write failed", path);
		trace_writer_abort(w);
		return -EIO;
	}
	*out = w;
	return 0;
}

int trace_write_event(struct trace_writer *w, const struct trace_event *ev)
{
	size_t n;
	int rc;

	if (w->bin)
		rc = trace_bin2_write_event(w, ev);
	else if ((n = trace_jsonl_format_event(ev, &w->line, &w->line_cap)) > 0)
		rc = put_bytes(w, w->line, n);
	else {
		json_t *o = trace_event_to_json(ev);

		rc = o ? write_json_line(w, o) : -ENOMEM;
		json_decref(o);
	}
	if (rc == 0)
		w->events++;
	return rc;
}

int trace_write_page(struct trace_writer *w, const uint8_t data[TRACE_PAGE_SIZE],
		     uint8_t hash[32])
{
	static uint8_t marker;
	char hx[65], *b64;
	size_t slot;
	int rc;

	util_sha256(data, TRACE_PAGE_SIZE, hash);
	if (trace_page_reserve(&w->pages, &w->pages_cap, w->npages) < 0)
		return -ENOMEM;
	slot = trace_page_slot_of(w->pages, w->pages_cap, hash);
	if (w->pages[slot].data)
		return 0;
	memcpy(w->pages[slot].hash, hash, 32);
	w->pages[slot].data = &marker;
	w->npages++;
	w->page_records++;
	if (w->bin) {
		rc = trace_bin2_write_page(w, hash, data);
		return rc < 0 ? rc : 1;
	}
	b64 = malloc(TRACE_PAGE_SIZE / 3 * 4 + 8);
	if (!b64)
		return -ENOMEM;
	util_b64_encode(data, TRACE_PAGE_SIZE, b64);
	trace_hash_hex(hash, hx);
	json_t *o = json_pack("{s:s,s:s,s:s}", "type", "page", "sha256", hx, "data", b64);
	rc = write_json_line(w, o);
	json_decref(o);
	free(b64);
	return rc < 0 ? rc : 1;
}

void trace_writer_set_interrupted(struct trace_writer *w)
{
	w->interrupted = true;
}

uint64_t trace_writer_events(const struct trace_writer *w)
{
	return w->events;
}

/* {"type":"end","events":N,"pages":P,"checksum":"0x..","interrupted":B} */
static int write_jsonl_end(struct trace_writer *w)
{
	char line[200];
	int n = snprintf(line, sizeof(line),
			 "{\"type\":\"end\",\"events\":%" PRIu64 ",\"pages\":%" PRIu64
			 ",\"checksum\":\"0x%016" PRIx64 "\",\"interrupted\":%s}\n",
			 w->events, w->page_records, util_hash64_final(&w->sum),
			 w->interrupted ? "true" : "false");

	if (w->failed || fwrite(line, 1, (size_t)n, w->f) != (size_t)n) {
		w->failed = true;
		return -EIO;
	}
	return 0;
}

void trace_writer_abort(struct trace_writer *w)
{
	if (!w)
		return;
	outfile_abort(&w->of);
	writer_free(w);
}

int trace_writer_close(struct trace_writer *w)
{
	int rc;

	if (!w)
		return 0;
	if (w->bin)
		trace_bin2_writer_finish(w);
	else
		write_jsonl_end(w);
	if (w->failed) {
		outfile_abort(&w->of);
		rc = -EIO;
	} else {
		rc = outfile_commit(&w->of) < 0 ? -EIO : 0;
	}
	writer_free(w);
	return rc;
}

