/*
 * hvexit convert IN OUT [--to jsonl|bin] [--allow-truncated]
 *
 * Lossless conversion between the JSON Lines trace format and its binary
 * variant (docs/trace-format.md): the header, every page and every event
 * (exit, MMIO data, page references, outcome, KVM observations) are
 * carried over; converting back gives the same records. The default
 * target is the other format than IN's. Both stream: memory stays flat.
 * OUT appears whole or not at all (harness/util/outfile) and may not be
 * IN. An input without its end record is refused (exit 2) unless
 * --allow-truncated, which converts the events before the cut and marks
 * OUT as interrupted (exit 1). SIGINT/SIGTERM end OUT after the current
 * event with an end record marked interrupted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/cli/opts.h"
#include "harness/util/outfile.h"
#include "hvexit/trace.h"

/* Copy every page the event references (content-addressed: once), then
 * the event. 0 or <0. */
static int copy_event(struct trace_reader *r, struct trace_writer *w, struct trace_event *ev,
		      unsigned long *pages)
{
	for (unsigned i = 0; i < ev->n_pages; i++) {
		uint8_t h[32];
		int pr = trace_write_page(w, trace_reader_page(r, ev->pages[i].hash), h);

		if (pr < 0)
			return pr;
		*pages += pr > 0;
	}
	/* JSON text of a binary outcome outside the struct schema -> object */
	if (!ev->has_oc && ev->outcome_text && trace_event_load_outcome(r, ev) < 0)
		return -EINVAL;
	return trace_write_event(w, ev);
}

int cmd_convert(int argc, char **argv)
{
	const char *in, *out, *to = NULL;
	bool allow_trunc = false, bin, trunc;
	char *ops[3] = { 0 };
	const struct cli_opt opts[] = {
		OPT_STR("--to", &to, "jsonl|bin", "target format (default: the other one)"),
		OPT_FLAG("--allow-truncated", &allow_trunc,
			 "convert what a truncated input holds (exit 1, OUT marked interrupted)"),
	};
	const struct cli_cmd cmd = {
		.name = "convert", .synopsis = "IN OUT [options]",
		.about = "Converts a trace between JSON Lines and the binary variant, losslessly.",
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts), .min_operands = 2, .max_operands = 2,
	};
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_event ev;
	char err[1100];
	unsigned long n = 0, pages = 0;
	int rc, nops = 0, sig;

	rc = cli_parse(&cmd, argc, argv, ops, &nops);
	if (rc)
		return rc == 1 ? 0 : 2;
	in = ops[0];
	out = ops[1];
	if (to && strcmp(to, "jsonl") && strcmp(to, "bin"))
		return cli_error("convert", "--to must be jsonl or bin, not '%s'", to);
	if (strcmp(in, "-") && strcmp(out, "-") && outfile_same_file(in, out))
		return cli_error("convert", "%s and %s are the same file: the output would destroy "
				 "the input", in, out);
	if (trace_reader_open(in, &r, err, sizeof(err)) < 0)
		return cli_error("convert", "%s", err);
	bin = to ? !strcmp(to, "bin") : !trace_reader_binary(r);
	if (trace_writer_open_fmt(out, trace_reader_header(r), bin, &w, err, sizeof(err)) < 0) {
		trace_reader_close(r);
		return cli_error("convert", "%s", err);
	}
	cli_catch_stop();
	while (!(sig = cli_stop_signal()) && (rc = trace_next(r, &ev)) > 0) {
		rc = copy_event(r, w, &ev, &pages);
		if (rc < 0)
			break;
		n++;
	}
	if (rc < 0 && !*trace_reader_error(r))
		snprintf(err, sizeof(err), "%s: write failed", out);
	else if (rc < 0)
		snprintf(err, sizeof(err), "%s", trace_reader_error(r));
	trunc = rc >= 0 && !sig && trace_reader_truncated(r);
	if (trunc && !allow_trunc) {
		rc = -EPIPE;
		snprintf(err, sizeof(err), "%s (nothing written; --allow-truncated converts "
			 "the %lu events read)", trace_reader_error(r), n);
	} else if (trunc) {
		fprintf(stderr, "hvexit convert: warning: %s; %s is marked interrupted\n",
			trace_reader_error(r), out);
	}
	trace_reader_close(r);
	if (rc < 0) {
		trace_writer_abort(w);	/* OUT keeps its old content */
		return cli_error("convert", "%s", err);
	}
	if (sig || trunc)
		trace_writer_set_interrupted(w);
	if (trace_writer_close(w) < 0)
		return cli_error("convert", "%s: write failed", out);
	fprintf(stderr, "convert: %s -> %s (%s): %lu events, %lu pages%s\n", in, out,
		bin ? "binary" : "JSON Lines", n, pages, sig ? ", stopped by a signal" : "");
	return sig ? 128 + sig : trunc ? 1 : 0;
}
