/*
 * trace-cmd's binary trace.dat, read with Debian's libtracecmd /
 * libtraceevent. The libraries are loaded with dlopen() so the build needs
 * no extra link flags: a host without them gets a clear error. Each record
 * is printed the way `trace-cmd report` prints it ("comm-pid [cpu] ts:
 * event: info", info from the event's own print format stored in the
 * file) for the ftrace text importer, so both inputs share one parser.
 *
 * The library is not hardened against corrupt files (crashes, huge
 * allocations and overflows in it on mutated inputs), so it only ever runs
 * in a forked child with memory and CPU limits (harness/util/sandbox.h);
 * the child writes the text to a temporary file and exits without
 * cleaning up.
 */
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <traceevent/event-parse.h>

#include "harness/trace/tracedat.h"
#include "harness/util/sandbox.h"

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
	FILE *out;
	struct trace_seq seq;
	int rc;
};

/* What the child reports (its exit code). */
enum dat_result { DAT_OK, DAT_NOLIB, DAT_NOTDAT, DAT_ITER, DAT_WRITE };

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
	if (it->seq.buffer && fprintf(it->out, "%s\n", it->seq.buffer) < 0) {
		it->rc = DAT_WRITE;
		return 1;	/* stop */
	}
	return 0;
}

struct job {
	const char *path;
	FILE *out;
};

/* In the sandboxed child: the whole file, as report text, into out. */
static int parse_child(void *arg)
{
	struct job *j = arg;
	struct tcmd t;
	struct tracecmd_input *h;
	struct iter it = { .t = &t, .out = j->out };
	char err[200];

	if (load(&t, err, sizeof(err)) < 0)
		return DAT_NOLIB;
	h = t.open(j->path, 0);
	if (!h)
		return DAT_NOTDAT;
	it.tep = t.get_tep(h);
	t.seq_init(&it.seq);
	if (!it.tep || t.iterate(h, NULL, 0, on_record, &it) < 0)
		it.rc = DAT_ITER;
	if (fflush(j->out) == EOF && !it.rc)
		it.rc = DAT_WRITE;
	/* No cleanup: the process ends here, and closing a corrupt input
	 * is one of the places the library faults. */
	return it.rc;
}

int tracedat_to_text(const char *path, FILE *out, char *err, size_t errlen)
{
	struct job j = { .path = path, .out = out };
	struct stat st;
	struct sandbox_limits lim = { .mem_mb = TRACEDAT_MEM_MB };
	unsigned mib;
	int sig, rc;

	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -ENOENT;
	}
	mib = (unsigned)((unsigned long long)st.st_size >> 20);
	lim.cpu_s = TRACEDAT_CPU_S + mib;
	lim.wall_s = 2 * lim.cpu_s + 10;
	rc = sandbox_run(parse_child, &j, &lim, &sig);
	if (fseek(out, 0, SEEK_SET) < 0 && rc >= 0)
		rc = DAT_WRITE;
	switch (rc) {
	case DAT_OK:
		return 0;
	case DAT_NOLIB:
		snprintf(err, errlen, "libtracecmd is not installed (Debian libtracecmd1; ci/install-deps.sh)");
		return -ENOENT;
	case DAT_NOTDAT:
		snprintf(err, errlen, "%s: not a readable trace-cmd trace.dat", path);
		return -EINVAL;
	case DAT_ITER:
		snprintf(err, errlen, "%s: not a readable trace.dat (cannot iterate its events)", path);
		return -EINVAL;
	case DAT_WRITE:
		snprintf(err, errlen, "%s: cannot write the decoded events to a temporary file", path);
		return -EIO;
	case -ETIMEDOUT:
		snprintf(err, errlen, "%s: not a readable trace.dat (the parser ran past %u s; stopped)",
			 path, lim.wall_s);
		return -EINVAL;
	case -ECHILD:
		snprintf(err, errlen, "%s: not a readable trace.dat (the trace.dat parser %s%s)", path,
			 sig ? "died: " : "failed", sig ? strsignal(sig) : "");
		return -EINVAL;
	default:
		snprintf(err, errlen, "%s: cannot run the trace.dat parser: %s", path, strerror(-rc));
		return rc < 0 ? rc : -EIO;
	}
}
