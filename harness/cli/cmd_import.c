/*
 * hvexit import --ftrace FILE [-o OUT]
 *
 * Turns ftrace text (tracefs trace / trace_pipe, or `trace-cmd report`)
 * holding arm64 KVM events into an hvexit trace with source "ftrace".
 * Unknown events are counted and skipped. The input is read twice (first
 * to count the vCPUs the header names), so stdin is spooled to a
 * temporary file. --trace-dat reads trace-cmd's binary file through
 * libtracecmd (harness/tracedat.c) into the same importer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/trace/tracedat.h"
#include "hvexit/ftrace.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hvexit import --ftrace FILE [-o OUT] [--quiet]\n"
		"       hvexit import --trace-dat FILE [-o OUT]\n"
		"  FILE: text from /sys/kernel/tracing/trace, trace_pipe or\n"
		"  `trace-cmd report` ('-' = stdin). Events used: kvm_exit,\n"
		"  kvm_guest_fault, kvm_mmio, kvm_userspace_exit, kvm_hvc_arm64,\n"
		"  kvm_handle_sys_reg, kvm_sys_access, kvm_wfx_arm64; others are\n"
		"  counted and skipped. OUT defaults to stdout.\n");
}

/* Feed every line of f to im; 0 or -EIO. */
static int feed(FILE *f, struct ftrace_import *im)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	while ((n = getline(&line, &cap, f)) >= 0) {
		if (ftrace_import_line(im, line) < 0) {
			rc = -EIO;
			break;
		}
	}
	if (ferror(f))
		rc = -EIO;
	free(line);
	return rc;
}

static void print_unknown(const char *name, unsigned long n, void *arg)
{
	(void)arg;
	fprintf(stderr, "  skipped %lu unknown/unattached '%s' events\n", n, name);
}

/* Copy stdin to a temporary file so it can be read twice. */
static FILE *spool_stdin(void)
{
	FILE *t = tmpfile();
	char buf[65536];
	size_t n;

	if (!t)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (fwrite(buf, 1, n, t) != n) {
			fclose(t);
			return NULL;
		}
	rewind(t);
	return t;
}

/* One pass over the input into im: 0, or <0 with a message in err. */
struct source {
	FILE *f;		/* text input */
	const char *dat;	/* trace.dat path */
};

static int pass(struct source *src, const char *in, struct ftrace_import *im,
		char *err, size_t errlen)
{
	if (src->dat)
		return tracedat_feed(src->dat, im, err, errlen);
	rewind(src->f);
	if (feed(src->f, im) < 0) {
		snprintf(err, errlen, "%s: read error", in);
		return -EIO;
	}
	return 0;
}

static int import_any(const char *in, bool is_dat, const char *out, bool quiet)
{
	struct source src = { 0 };
	FILE *f = NULL;
	struct ftrace_import *im;
	struct trace_writer *w = NULL;
	struct ftrace_stats st;
	unsigned vcpus;
	char err[512];
	json_t *hdr;
	int rc;

	if (is_dat) {
		src.dat = in;
	} else {
		f = strcmp(in, "-") ? fopen(in, "r") : spool_stdin();
		if (!f)
			return cli_error("import", "%s: cannot read: %s", in, strerror(errno));
		src.f = f;
	}
	/* Pass 1: count the vCPUs (tasks with a TRAP kvm_exit). */
	im = ftrace_import_new(NULL);
	if (!im || pass(&src, in, im, err, sizeof(err)) < 0) {
		ftrace_import_free(im);
		if (f)
			fclose(f);
		return cli_error("import", "%s", im ? err : "out of memory");
	}
	vcpus = ftrace_import_vcpus(im);
	ftrace_import_free(im);
	if (vcpus == 0) {
		if (f)
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
		if (f)
			fclose(f);
		return cli_error("import", "%s", err);
	}
	im = ftrace_import_new(w);
	if (!im) {
		if (f)
			fclose(f);
		trace_writer_close(w);
		return cli_error("import", "out of memory");
	}
	rc = pass(&src, in, im, err, sizeof(err));
	if (rc == 0 && ftrace_import_finish(im) < 0) {
		rc = -EIO;
		snprintf(err, sizeof(err), "%s: write failed", out);
	}
	ftrace_import_stats(im, &st);
	if (f)
		fclose(f);
	if (trace_writer_close(w) < 0 && rc == 0) {
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

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--ftrace") && i + 1 < argc) {
			ftrace = argv[++i];
		} else if (!strcmp(argv[i], "--trace-dat") && i + 1 < argc) {
			dat = argv[++i];
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--quiet")) {
			quiet = true;
		} else {
			usage(stderr);
			return cli_error("import", "unexpected argument '%s'", argv[i]);
		}
	}
	if (!!ftrace + !!dat != 1) {
		usage(stderr);
		return cli_error("import", "give exactly one of --ftrace FILE or --trace-dat FILE");
	}
	return dat ? import_any(dat, true, out, quiet) : import_any(ftrace, false, out, quiet);
}
