/*
 * hvexit convert IN OUT [--to jsonl|bin]
 *
 * Lossless conversion between the JSON Lines trace format and its binary
 * variant (docs/trace-format.md): the header, every page and every event
 * (exit, MMIO data, page references, outcome, KVM observations) are
 * carried over; converting back gives the same records. The default
 * target is the other format than IN's.
 */
#include <stdio.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/util/outfile.h"
#include "hvexit/trace.h"

int cmd_convert(int argc, char **argv)
{
	const char *in = NULL, *out = NULL, *to = NULL;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_event ev;
	char err[1100];
	unsigned long n = 0, pages = 0;
	bool bin;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: hvexit convert IN OUT [--to jsonl|bin]\n");
			return 0;
		} else if (!strcmp(argv[i], "--to") && i + 1 < argc) {
			to = argv[++i];
			if (strcmp(to, "jsonl") && strcmp(to, "bin"))
				return cli_error("convert", "--to must be jsonl or bin, not '%s'", to);
		} else if (!in && (argv[i][0] != '-' || !argv[i][1])) {
			in = argv[i];
		} else if (!out && (argv[i][0] != '-' || !argv[i][1])) {
			out = argv[i];
		} else {
			return cli_error("convert", "unexpected argument '%s' (usage: hvexit convert IN OUT [--to jsonl|bin])", argv[i]);
		}
	}
	if (!in || !out)
		return cli_error("convert", "need IN and OUT (usage: hvexit convert IN OUT [--to jsonl|bin])");
	if (outfile_same_file(in, out))
		return cli_error("convert", "%s and %s are the same file: the output would replace its input", in, out);
	if (trace_reader_open(in, &r, err, sizeof(err)) < 0)
		return cli_error("convert", "%s", err);
	bin = to ? !strcmp(to, "bin") : !trace_reader_binary(r);
	if (trace_writer_open_fmt(out, trace_reader_header(r), bin, &w, err, sizeof(err)) < 0) {
		trace_reader_close(r);
		return cli_error("convert", "%s", err);
	}
	while ((rc = trace_next(r, &ev)) > 0) {
		/* Pages first, in reference order (content-addressed: once). */
		for (unsigned i = 0; i < ev.n_pages; i++) {
			uint8_t h[32];
			int pr = trace_write_page(w, trace_reader_page(r, ev.pages[i].hash), h);

			if (pr < 0)
				rc = pr;
			pages += pr > 0;
		}
		if (rc < 0 || trace_event_load_outcome(r, &ev) < 0 || trace_write_event(w, &ev) < 0) {
			rc = -EIO;
			break;
		}
		n++;
	}
	if (rc < 0 && !*trace_reader_error(r))
		snprintf(err, sizeof(err), "%s: write failed", out);
	else if (rc < 0)
		snprintf(err, sizeof(err), "%s", trace_reader_error(r));
	if (trace_reader_truncated(r))
		fprintf(stderr, "hvexit convert: warning: %s\n", trace_reader_error(r));
	trace_reader_close(r);
	if (rc < 0)
		trace_writer_abort(w);	/* OUT keeps its previous content */
	else if (trace_writer_close(w) < 0) {
		rc = -EIO;
		snprintf(err, sizeof(err), "%s: write failed", out);
	}
	if (rc < 0)
		return cli_error("convert", "%s", err);
	fprintf(stderr, "convert: %s -> %s (%s): %lu events, %lu pages\n", in, out,
		bin ? "binary" : "JSON Lines", n, pages);
	return 0;
}
