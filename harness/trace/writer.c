/* Streaming trace writer (JSON Lines, or the binary variant via binary.c). */
#include <time.h>
#include <sys/utsname.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/trace/trace_int.h"
#include "harness/util/base64.h"
#include "harness/util/sha256.h"

/* ---- writer -------------------------------------------------------------- */
static int write_json_line(struct trace_writer *w, const json_t *o)
{
	if (json_dumpf(o, w->f, JSON_COMPACT) < 0 || putc('\n', w->f) == EOF ||
	    fflush(w->f) == EOF) {
		w->failed = true;
		return -EIO;
	}
	return 0;
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

int trace_writer_open_fmt(const char *path, const json_t *header, bool binary,
			  struct trace_writer **out, char *err, size_t errlen)
{
	struct trace_writer *w = calloc(1, sizeof(*w));
	json_t *h;
	int wrc;

	if (!w)
		return -ENOMEM;
	w->bin = binary;
	wrc = outfile_open(&w->out, path);
	if (wrc < 0) {
		trace_seterr(err, errlen, "%s", w->out.err);
		free(w);
		return wrc;
	}
	w->f = w->out.f;
	h = json_deep_copy(header);
	json_object_set_new(h, "hvexit_trace", json_integer(TRACE_FORMAT_VERSION));
	if (binary) {
		char *txt = json_dumps(h, JSON_COMPACT);

		wrc = -EIO;
		if (txt && fwrite(trace_bin_magic, 1, sizeof(trace_bin_magic), w->f) == sizeof(trace_bin_magic))
			wrc = trace_bin_write_record(w, 'H', txt, strlen(txt));
		free(txt);
	} else {
		wrc = write_json_line(w, h);
	}
	if (wrc < 0) {
		trace_seterr(err, errlen, "%s: write failed", path);
		json_decref(h);
		trace_writer_abort(w);
		return -EIO;
	}
	json_decref(h);
	*out = w;
	return 0;
}

int trace_write_event(struct trace_writer *w, const struct trace_event *ev)
{
	if (w->bin)
		return trace_bin_write_event(w, ev);
	json_t *o = trace_event_to_json(ev);
	int rc = write_json_line(w, o);

	json_decref(o);
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
	if ((w->npages + 1) * 2 > w->pages_cap) {
		size_t nc = w->pages_cap ? w->pages_cap * 2 : 64;
		struct page_slot *nt = calloc(nc, sizeof(*nt));

		if (!nt)
			return -ENOMEM;
		for (size_t i = 0; i < w->pages_cap; i++)
			if (w->pages[i].data)
				nt[trace_page_slot_of(nt, nc, w->pages[i].hash)] = w->pages[i];
		free(w->pages);
		w->pages = nt;
		w->pages_cap = nc;
	}
	slot = trace_page_slot_of(w->pages, w->pages_cap, hash);
	if (w->pages[slot].data)
		return 0;
	memcpy(w->pages[slot].hash, hash, 32);
	w->pages[slot].data = &marker;
	w->npages++;
	if (w->bin) {
		uint8_t rec[32 + TRACE_PAGE_SIZE];

		memcpy(rec, hash, 32);
		memcpy(rec + 32, data, TRACE_PAGE_SIZE);
		rc = trace_bin_write_record(w, 'P', rec, sizeof(rec));
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

int trace_writer_close(struct trace_writer *w)
{
	int rc;

	if (!w)
		return 0;
	if (w->failed) {
		trace_writer_abort(w);
		return -EIO;
	}
	rc = outfile_commit(&w->out) < 0 ? -EIO : 0;
	free(w->pages);
	free(w);
	return rc;
}

void trace_writer_abort(struct trace_writer *w)
{
	if (!w)
		return;
	outfile_abort(&w->out);
	free(w->pages);
	free(w);
}
