/*
 * Trace replay benchmark: replayed exits/s of `hvexit replay` on traces of
 * 100 k and 1 M events made by `hvexit record random --events N` (into
 * build/bench-trace/, deleted afterwards), JSON Lines and the binary
 * variant (`hvexit convert`), the reader's own parse rate, and the replay
 * process's peak RSS for both sizes (flat memory = the reader streams). Without the exit engine in the build it falls back to
 * traces of imported-style KVM events (written with the trace writer),
 * which replay through the KVM consistency checks only.
 * Writes $BENCH_OUT/trace.json. Run from the top of the tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "hvexit/trace.h"

#define HVEXIT "build/rel/hvexit"
#define DIR "build/bench-trace"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run argv; wall seconds, peak RSS (KiB), exit status. */
static int run(char *const argv[], double *secs, long *maxrss_kb)
{
	double t0 = now_s();
	struct rusage ru;
	int st = 0;
	pid_t p = fork();

	if (p < 0)
		return -1;
	if (p == 0) {
		int devnull = open("/dev/null", 1);

		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(p, &st, 0, &ru) < 0)
		return -1;
	*secs = now_s() - t0;
	*maxrss_kb = ru.ru_maxrss;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Fallback trace: n DABT exits with KVM's MMIO report, as an import
 * would produce (ESR 0x93810047: ISV=1, SAS=2, SRT=1, WnR=1). */
static int write_kvm_trace(const char *path, unsigned long n)
{
	json_t *hdr = trace_header_new("ftrace", 2);
	struct trace_writer *w;
	struct trace_event ev;
	char err[256];

	if (trace_writer_open(path, hdr, &w, err, sizeof(err)) < 0) {
		json_decref(hdr);
		return -1;
	}
	json_decref(hdr);
	for (unsigned long i = 0; i < n; i++) {
		uint64_t ipa = 0x10000000 + (i % 1024) * 4;

		memset(&ev, 0, sizeof(ev));
		ev.seq = i;
		ev.vcpu = i & 1;
		ev.exit.esr = 0x93810047;
		ev.exit.has_esr = true;
		ev.exit.ec = 0x24;
		ev.exit.far = ipa;
		ev.exit.has_far = true;
		ev.exit.hpfar = (ipa >> 12) << 4;
		ev.exit.has_hpfar = true;
		ev.exit.pc = 0x40000098;
		ev.exit.has_pc = true;
		ev.kvm = json_pack("{s:s,s:[{s:s,s:i,s:o,s:s}]}", "ec", "0x24", "mmio", "op", "write",
				   "len", 4, "gpa", trace_hex(ipa), "val", "0x43");
		trace_write_event(w, &ev);
		json_decref(ev.kvm);
	}
	return trace_writer_close(w);
}

static double parse_rate(const char *path, unsigned long *events)
{
	struct trace_reader *r;
	struct trace_event ev;
	char err[256];
	double t0 = now_s();

	*events = 0;
	if (trace_reader_open(path, &r, err, sizeof(err)) < 0)
		return 0;
	while (trace_next(r, &ev) > 0)
		(*events)++;
	trace_reader_close(r);
	return (double)*events / (now_s() - t0);
}

static long file_size(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

int main(void)
{
	static const unsigned long sizes[2] = { 100000, 1000000 };
	static const char *names[2] = { DIR "/t100k.jsonl", DIR "/t1m.jsonl" };
	static const char *bnames[2] = { DIR "/t100k.bin", DIR "/t1m.bin" };
	double bin_s[2] = { 0 };
	long bin_rss[2] = { 0 }, bin_bytes[2] = { 0 };
	double rec_s[2] = { 0 }, rep_s[2] = { 0 }, prate = 0;
	long rss[2] = { 0 }, bytes[2] = { 0 }, rec_rss;
	unsigned long parsed = 0;
	bool engine = true;
	const char *out = getenv("BENCH_OUT");
	char path[512];
	FILE *f;

	mkdir("build", 0755);
	mkdir(DIR, 0755);
	for (int i = 0; i < 2; i++) {
		char n[32];
		char *rec[] = { HVEXIT, "record", "random", "--events", n, "-o", (char *)names[i], NULL };

		snprintf(n, sizeof(n), "%lu", sizes[i]);
		if (engine && run(rec, &rec_s[i], &rec_rss) != 0)
			engine = false;
		if (!engine) {
			double t0 = now_s();

			if (write_kvm_trace(names[i], sizes[i]) < 0) {
				fprintf(stderr, "bench_trace: cannot write %s\n", names[i]);
				return 1;
			}
			rec_s[i] = now_s() - t0;
		}
		bytes[i] = file_size(names[i]);
		char *rep[] = { HVEXIT, "replay", "--quiet", (char *)names[i], NULL };
		int st = run(rep, &rep_s[i], &rss[i]);
		if (st != 0) {
			fprintf(stderr, "bench_trace: replay of %s exited %d\n", names[i], st);
			return 1;
		}
		char *conv[] = { HVEXIT, "convert", (char *)names[i], (char *)bnames[i], "--to", "bin", NULL };
		char *brep[] = { HVEXIT, "replay", "--quiet", (char *)bnames[i], NULL };
		double cs;
		long crss;
		if (run(conv, &cs, &crss) != 0 || run(brep, &bin_s[i], &bin_rss[i]) != 0) {
			fprintf(stderr, "bench_trace: binary conversion/replay of %s failed\n", names[i]);
			return 1;
		}
		bin_bytes[i] = file_size(bnames[i]);
	}
	prate = parse_rate(names[1], &parsed);
	printf("trace replay (%s)\n",
	       engine ? "through the exit engine" : "engine absent: KVM consistency checks only");
	printf("  %-6s %-10s %12s %14s %12s\n", "format", "events", "bytes", "replay ev/s", "max RSS KiB");
	for (int i = 0; i < 2; i++) {
		printf("  %-6s %-10lu %12ld %14.0f %12ld\n", "jsonl", sizes[i], bytes[i],
		       (double)sizes[i] / rep_s[i], rss[i]);
		printf("  %-6s %-10lu %12ld %14.0f %12ld\n", "binary", sizes[i], bin_bytes[i],
		       (double)sizes[i] / bin_s[i], bin_rss[i]);
	}
	printf("  record: %.0f events/s (1M, JSON Lines)\n", (double)sizes[1] / rec_s[1]);
	printf("  reader only (parse, no engine): %.0f events/s over %lu events\n", prate, parsed);
	for (int i = 0; i < 2; i++) {
		unlink(names[i]);
		unlink(bnames[i]);
	}
	rmdir(DIR);
	snprintf(path, sizeof(path), "%s/trace.json", out ? out : ".");
	f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(f, "{\"engine\": %s,\n"
		" \"binary\": {\"bytes_1m\": %ld, \"replay_events_per_sec_100k\": %.0f, \"max_rss_kb_100k\": %ld,"
		" \"replay_events_per_sec_1m\": %.0f, \"max_rss_kb_1m\": %ld},\n"
		" \"jsonl_events_100k\": %lu, \"bytes_100k\": %ld, \"replay_events_per_sec_100k\": %.0f, \"max_rss_kb_100k\": %ld,\n"
		" \"events_1m\": %lu, \"bytes_1m\": %ld, \"replay_events_per_sec_1m\": %.0f, \"max_rss_kb_1m\": %ld,\n"
		" \"record_events_per_sec_1m\": %.0f, \"parse_events_per_sec\": %.0f}\n",
		engine ? "true" : "false", bin_bytes[1], (double)sizes[0] / bin_s[0], bin_rss[0],
		(double)sizes[1] / bin_s[1], bin_rss[1], sizes[0], bytes[0], (double)sizes[0] / rep_s[0], rss[0],
		sizes[1], bytes[1], (double)sizes[1] / rep_s[1], rss[1],
		(double)sizes[1] / rec_s[1], prate);
	fclose(f);
	return 0;
}
