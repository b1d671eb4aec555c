/*
 * trace-cmd's binary trace.dat, read with Debian's libtracecmd /
 * libtraceevent. The libraries are loaded with dlopen() so the build needs
 * no extra link flags: a host without them gets a clear error. Each record
 * is printed the way `trace-cmd report` prints it ("comm-pid [cpu] ts:
 * event: info", info from the event's own print format stored in the
 * file) and handed to the ftrace text importer, so both inputs share one
 * parser.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "harness/trace/tracedat.h"

struct tracecmd_input;

struct tcmd {
	void *lib;
	struct tracecmd_input *(*open)(const char *file, int flags);
	void (*close)(struct tracecmd_input *h);
	struct tep_handle *(*get_tep)(struct tracecmd_input *h);
	int (*iterate)(struct tracecmd_input *h, void *cpus, int cpu_size,
		       int (*cb)(struct tracecmd_input *, struct tep_record *, int, void *),
		       void *data);
	void (*print_event)(struct tep_handle *tep, struct trace_seq *s,
			    struct tep_record *record, const char *fmt, ...);
	void (*seq_init)(struct trace_seq *s);
	void (*seq_destroy)(struct trace_seq *s);
	void (*seq_reset)(struct trace_seq *s);
	void (*seq_terminate)(struct trace_seq *s);
};

struct iter {
	struct tcmd *t;
	struct tep_handle *tep;
	struct ftrace_import *im;
	struct trace_seq seq;
	int rc;
};

static int load(struct tcmd *t, char *err, size_t errlen)
{
	static const char *names[] = { "libtracecmd.so.1", "libtracecmd.so" };
	struct { void **slot; const char *sym; } syms[] = {
		{ (void **)&t->open, "tracecmd_open" },
		{ (void **)&t->close, "tracecmd_close" },
		{ (void **)&t->get_tep, "tracecmd_get_tep" },
		{ (void **)&t->iterate, "tracecmd_iterate_events" },
		{ (void **)&t->print_event, "tep_print_event" },
		{ (void **)&t->seq_init, "trace_seq_init" },
		{ (void **)&t->seq_destroy, "trace_seq_destroy" },
		{ (void **)&t->seq_reset, "trace_seq_reset" },
		{ (void **)&t->seq_terminate, "trace_seq_terminate" },
	};

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !t->lib; i++)
		t->lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (!t->lib) {
		snprintf(err, errlen, "libtracecmd is not installed (Debian libtracecmd1; ci/install-deps.sh)");
		return -ENOENT;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		*syms[i].slot = dlsym(t->lib, syms[i].sym);
		if (!*syms[i].slot) {
			snprintf(err, errlen, "libtracecmd lacks %s (version too old?)", syms[i].sym);
			dlclose(t->lib);
			return -ENOENT;
		}
	}
	return 0;
}

static int on_record(struct tracecmd_input *h, struct tep_record *rec, int cpu, void *arg)
{
	struct iter *it = arg;

	(void)h;
	(void)cpu;
	it->t->seq_reset(&it->seq);
	it->t->print_event(it->tep, &it->seq, rec, "%s-%d [%03d] %6.1000d: %s: %s",
			   TEP_PRINT_COMM, TEP_PRINT_PID, TEP_PRINT_CPU, TEP_PRINT_TIME,
			   TEP_PRINT_NAME, TEP_PRINT_INFO);
	it->t->seq_terminate(&it->seq);
	if (it->seq.buffer && ftrace_import_line(it->im, it->seq.buffer) < 0) {
		it->rc = -EIO;
		return 1;	/* stop */
	}
	return 0;
}

int tracedat_feed(const char *path, struct ftrace_import *im, char *err, size_t errlen)
{
	struct tcmd t;
	struct tracecmd_input *h;
	struct iter it = { .t = &t, .im = im };
	int rc = load(&t, err, errlen);

	if (rc < 0)
		return rc;
	h = t.open(path, 0);
	if (!h) {
		snprintf(err, errlen, "%s: not a readable trace-cmd trace.dat", path);
		dlclose(t.lib);
		return -EINVAL;
	}
	it.tep = t.get_tep(h);
	t.seq_init(&it.seq);
	if (!it.tep || t.iterate(h, NULL, 0, on_record, &it) < 0) {
		snprintf(err, errlen, "%s: cannot iterate the trace.dat events", path);
		it.rc = -EINVAL;
	} else if (it.rc < 0) {
		snprintf(err, errlen, "write failed");
	}
	t.seq_destroy(&it.seq);
	t.close(h);
	dlclose(t.lib);
	return it.rc;
}
