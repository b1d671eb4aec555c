/*
 * hvexit import --ftrace FILE [-o OUT]
 *
 * Turns ftrace text (tracefs trace / trace_pipe, or `trace-cmd report`)
 * holding arm64 KVM events into an hvexit trace with source "ftrace".
 * Unknown events are counted and skipped. The input is read twice (first
 * to count the vCPUs the header names), so a stream (stdin, a pipe) is
 * spooled to a temporary file. --trace-dat reads trace-cmd's binary file
 * through libtracecmd in a sandboxed child (harness/trace/tracedat.c),
 * which turns it into the same text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/cli/opts.h"
#include "harness/trace/tracedat.h"
#include "harness/util/infile.h"
#include "harness/util/outfile.h"
#include "hvexit/common.h"
#include "hvexit/ftrace.h"

/* Longest text line accepted (an ftrace event line is well under 4 KiB). */
#define IMPORT_MAX_LINE (1u << 20)

/* Feed every line of f to im: 0, or <0 with a message in err. */
static int feed(FILE *f, const char *in, struct ftrace_import *im, char *err, size_t errlen)
{
	char *line = malloc(IMPORT_MAX_LINE + 2);
	unsigned long no = 0;
	int rc = 0;

	if (!line) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	while (fgets(line, IMPORT_MAX_LINE + 2, f)) {
		size_t n = strlen(line);

		no++;
		if (n > IMPORT_MAX_LINE && line[n - 1] != '\n') {
			snprintf(err, errlen, "%s:%lu: line longer than %u bytes (not ftrace text?)", in,
				 no, IMPORT_MAX_LINE);
			rc = -EFBIG;
			break;
		}
		rc = ftrace_import_line(im, line);
		if (rc == -E2BIG) {
			snprintf(err, errlen, "%s:%lu: more than %u vCPU threads (KVM's arm64 limit)",
				 in, no, FTRACE_MAX_VCPUS);
			break;
		}
		if (rc < 0) {
			snprintf(err, errlen, "write failed");
			break;
		}
	}
	if (!rc && ferror(f)) {
		snprintf(err, errlen, "%s: read error", in);
		rc = -EIO;
	}
	free(line);
	return rc;
}

static void print_unknown(const char *name, unsigned long n, void *arg)
{
	(void)arg;
	fprintf(stderr, "  skipped %lu unknown/unattached '%s' events\n", n, name);
}

/* The input as seekable ftrace text: the file itself, a spooled copy of a
 * stream, or the text of a trace.dat. */
static int open_text(const char *in, bool is_dat, FILE **out, char *err, size_t errlen)
{
	FILE *dat = NULL, *text;
	char path[64];
	const char *p = in;
	int rc;

	if (!is_dat)
		return infile_open(in, INFILE_REWIND, out, err, errlen);
	rc = infile_check(in, err, errlen);
	if (rc < 0)
		return rc;
	if (rc == 1) {	/* a stream: the parser reads a spooled copy */
		rc = infile_open(in, INFILE_REWIND, &dat, err, errlen);
		if (rc < 0)
			return rc;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(dat));
		p = path;
	}
	text = tmpfile();
	if (!text) {
		snprintf(err, errlen, "cannot create a temporary file: %s", strerror(errno));
		rc = -EIO;
	} else {
		rc = tracedat_to_text(p, text, err, errlen);
	}
	if (dat)
		fclose(dat);
	if (rc < 0 && p != in) {	/* name the input, not the copy */
		char *at = strstr(err, p);

		if (at) {
			char rest[512];

			snprintf(rest, sizeof(rest), "%s", at + strlen(p));
			snprintf(err, errlen, "%s%s", in, rest);
		}
	}
	if (rc < 0 && text)
		fclose(text);
	if (rc == 0)
		*out = text;
	return rc;
}

static int import_any(const char *in, bool is_dat, const char *out, bool quiet)
{
	FILE *f;
	struct ftrace_import *im;
	struct trace_writer *w = NULL;
	struct ftrace_stats st;
	unsigned vcpus;
	char err[1024];
	json_t *hdr;
	int rc;

	if (outfile_same_file(in, out))
		return cli_error("import", "-o %s is the input itself: the output would replace it", out);
	if (open_text(in, is_dat, &f, err, sizeof(err)) < 0)
		return cli_error("import", "%s", err);
	/* Pass 1: count the vCPUs (tasks with a TRAP kvm_exit). */
	im = ftrace_import_new(NULL);
	if (!im || feed(f, in, im, err, sizeof(err)) < 0) {
		ftrace_import_free(im);
		fclose(f);
		return cli_error("import", "%s", im ? err : "out of memory");
	}
	vcpus = ftrace_import_vcpus(im);
	ftrace_import_free(im);
	if (vcpus == 0) {
		fclose(f);
		return cli_error("import", "%s: no TRAP kvm_exit events found (is it ftrace text with the kvm events enabled?)", in);
	}
	hdr = trace_header_new("ftrace", vcpus);
	json_object_set_new(hdr, "imported_from", json_string(in));
	json_object_del(hdr, "host");	/* the capture's host is unknown */
	json_object_del(hdr, "kernel");
	json_object_set_new(hdr, "memory", json_array());
	rc = trace_writer_open(out, hdr, &w, err, sizeof(err));
	json_decref(hdr);
	if (rc < 0) {
		fclose(f);
		return cli_error("import", "%s", err);
	}
	im = ftrace_import_new(w);
	if (!im) {
		fclose(f);
		trace_writer_abort(w);
		return cli_error("import", "out of memory");
	}
	rc = fseek(f, 0, SEEK_SET) < 0 ? -EIO : feed(f, in, im, err, sizeof(err));
	if (rc == -EIO && !err[0])
		snprintf(err, sizeof(err), "%s: cannot read it again", in);
	if (rc == 0 && ftrace_import_finish(im) < 0) {
		rc = -EIO;
		snprintf(err, sizeof(err), "%s: write failed", out);
	}
	ftrace_import_stats(im, &st);
	fclose(f);
	if (rc < 0) {
		trace_writer_abort(w);	/* OUT keeps its previous content */
	} else if (trace_writer_close(w) < 0) {
		rc = -EIO;
		snprintf(err, sizeof(err), "%s: write failed", out);
	}
	if (rc < 0) {
		ftrace_import_free(im);
		return cli_error("import", "%s", err);
	}
	if (!quiet) {
		fprintf(stderr, "import: %s: %lu lines, %lu exits on %u vCPUs, %lu KVM events used, "
			"%lu non-trap exits, %lu unknown events skipped, %lu malformed, %lu other lines\n",
			in, st.lines, st.exits, vcpus, st.used, st.non_trap, st.unknown,
			st.malformed, st.other);
		ftrace_import_unknown(im, print_unknown, NULL);
	}
	ftrace_import_free(im);
	return 0;
}

int cmd_import(int argc, char **argv)
{
	const char *ftrace = NULL, *dat = NULL, *out = "-";
	bool quiet = false;
	char **ops = calloc((size_t)argc + 1, sizeof(*ops));
	int nops, rc;
	const struct cli_opt opts[] = {
		OPT_STR("--ftrace", &ftrace, "FILE",
			"ftrace text: tracefs trace, trace_pipe or `trace-cmd report` ('-' = stdin)"),
		OPT_STR("--trace-dat", &dat, "FILE", "trace-cmd's binary trace.dat ('-' = stdin)"),
		OPT_STR("-o", &out, "OUT", "the hvexit trace (default: stdout)"),
		OPT_FLAG("--quiet", &quiet, "no summary on stderr"),
	};
	const struct cli_cmd cmd = {
		.name = "import", .synopsis = "--ftrace FILE | --trace-dat FILE [-o OUT] [--quiet]",
		.about = "Events used: kvm_exit, kvm_guest_fault, kvm_mmio, kvm_userspace_exit,\n"
			 "kvm_hvc_arm64, kvm_handle_sys_reg, kvm_sys_access, kvm_wfx_arm64; others\n"
			 "are counted and skipped.",
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts), .max_operands = 0,
	};

	if (!ops)
		return cli_error("import", "out of memory");
	rc = cli_parse(&cmd, argc, argv, ops, &nops);
	if (!rc && nops) {
		cli_usage(&cmd, stderr);
		rc = cli_error("import", "unexpected argument '%s'", ops[0]);
	}
	free(ops);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (!!ftrace + !!dat != 1) {
		cli_usage(&cmd, stderr);
		return cli_error("import", "give exactly one of --ftrace FILE or --trace-dat FILE");
	}
	return dat ? import_any(dat, true, out, quiet) : import_any(ftrace, false, out, quiet);
}
