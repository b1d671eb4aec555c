/*
 * Trace benchmark: `hvexit record random --events N` (every event an
 * ISV=1 MMIO access from a real LDR/STR whose word is in the trace) for
 * N = 100 k and 1 M, written directly in both formats (JSON Lines and the
 * binary variant, --binary); then `hvexit replay --jobs 1` of each and
 * `hvexit convert` of the 1 M binary trace to JSON Lines. Per run: wall
 * time, CPU time of the process (user + system, from wait4: what "per
 * core" means on a shared machine) and peak RSS; flat RSS from 100 k to
 * 1 M means the command streams. Each record and replay runs BEST times
 * and keeps its fastest CPU time (as bench_esr keeps its best of 15 and
 * bench_s2 its fastest round): on a shared machine a single run can lose
 * a third of its speed to a neighbour. Files go to build/bench-trace/ and
 * are deleted afterwards. Writes $BENCH_OUT/trace.json. Run from the top of
 * the tree.
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

#define HVEXIT "build/rel/hvexit"
#define BEST 3
#define DIR "build/bench-trace"

struct run {
	double wall, cpu;
	long rss_kb;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

/* Run argv with stdout/stderr to /dev/null; 0 or its exit status. */
static int run(char *const argv[], struct run *m)
{
	double t0 = now_s();
	struct rusage ru;
	int st = 0;
	pid_t p = fork();

	if (p < 0)
		return -1;
	if (p == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(p, &st, 0, &ru) < 0)
		return -1;
	m->wall = now_s() - t0;
	m->cpu = tv(ru.ru_utime) + tv(ru.ru_stime);
	m->rss_kb = ru.ru_maxrss;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* run() BEST times, keeping the fastest CPU time (with its wall time)
 * and the largest peak RSS. */
static int run_best(char *const argv[], struct run *m)
{
	struct run r;

	for (int i = 0; i < BEST; i++) {
		int rc = run(argv, &r);

		if (rc != 0)
			return rc;
		if (!i || r.cpu < m->cpu) {
			long rss = i ? m->rss_kb : 0;

			*m = r;
			m->rss_kb = rss > r.rss_kb ? rss : r.rss_kb;
		} else if (r.rss_kb > m->rss_kb) {
			m->rss_kb = r.rss_kb;
		}
	}
	return 0;
}

static long file_size(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

enum { F_JSONL, F_BIN };
static const char *const fmt_name[2] = { "jsonl", "binary" };

int main(void)
{
	static const unsigned long sizes[2] = { 100000, 1000000 };
	struct run rec[2][2], rep[2][2], conv;
	long bytes[2][2];
	char path[2][2][64], n[32], jpath[512];
	const char *out = getenv("BENCH_OUT");
	FILE *f;

	mkdir("build", 0755);
	mkdir(DIR, 0755);
	for (int s = 0; s < 2; s++) {
		snprintf(n, sizeof(n), "%lu", sizes[s]);
		for (int k = 0; k < 2; k++) {
			char *argv[] = { HVEXIT, "record", "random", "--events", n, "-o", path[s][k],
					 k == F_BIN ? "--binary" : NULL, NULL };
			char *rargv[] = { HVEXIT, "replay", "--quiet", "--jobs", "1", path[s][k], NULL };

			snprintf(path[s][k], sizeof(path[s][k]), DIR "/t%lu.%s", sizes[s],
				 k == F_BIN ? "bin" : "jsonl");
			if (run_best(argv, &rec[s][k]) != 0 || run_best(rargv, &rep[s][k]) != 0) {
				fprintf(stderr, "bench_trace: record/replay of %s failed\n", path[s][k]);
				return 1;
			}
			bytes[s][k] = file_size(path[s][k]);
		}
	}
	{
		char *argv[] = { HVEXIT, "convert", path[1][F_BIN], DIR "/c.jsonl", NULL };

		if (run(argv, &conv) != 0) {
			fprintf(stderr, "bench_trace: convert failed\n");
			return 1;
		}
		unlink(DIR "/c.jsonl");
	}
	printf("trace (hvexit record random / replay --jobs 1 / convert; best of %d; ev/s per CPU second and per wall second)\n", BEST);
	printf("  %-7s %-8s %9s %13s %13s %13s %13s %11s\n", "format", "events", "bytes/ev",
	       "record ev/s", "(wall)", "replay ev/s", "(wall)", "replay RSS");
	for (int s = 0; s < 2; s++)
		for (int k = 0; k < 2; k++)
			printf("  %-7s %-8lu %9.1f %13.0f %13.0f %13.0f %13.0f %8ld KiB\n", fmt_name[k],
			       sizes[s], (double)bytes[s][k] / (double)sizes[s],
			       (double)sizes[s] / rec[s][k].cpu, (double)sizes[s] / rec[s][k].wall,
			       (double)sizes[s] / rep[s][k].cpu, (double)sizes[s] / rep[s][k].wall,
			       rep[s][k].rss_kb);
	printf("  convert 1M binary -> JSON Lines: %.0f ev/s (CPU), %.0f ev/s (wall), %ld KiB peak RSS\n",
	       (double)sizes[1] / conv.cpu, (double)sizes[1] / conv.wall, conv.rss_kb);
	for (int s = 0; s < 2; s++)
		for (int k = 0; k < 2; k++)
			unlink(path[s][k]);
	rmdir(DIR);
	snprintf(jpath, sizeof(jpath), "%s/trace.json", out ? out : ".");
	f = fopen(jpath, "w");
	if (!f)
		return 1;
	fprintf(f, "{");
	for (int k = 0; k < 2; k++) {
		fprintf(f, "\"%s\": {", fmt_name[k]);
		for (int s = 0; s < 2; s++) {
			const char *sz = s ? "1m" : "100k";

			fprintf(f, "%s\"bytes_per_event_%s\": %.2f, \"record_events_per_cpu_s_%s\": %.0f,"
				" \"record_events_per_s_%s\": %.0f, \"replay_events_per_cpu_s_%s\": %.0f,"
				" \"replay_events_per_s_%s\": %.0f, \"replay_max_rss_kb_%s\": %ld,"
				" \"record_max_rss_kb_%s\": %ld",
				s ? ", " : "", sz, (double)bytes[s][k] / (double)sizes[s],
				sz, (double)sizes[s] / rec[s][k].cpu, sz, (double)sizes[s] / rec[s][k].wall,
				sz, (double)sizes[s] / rep[s][k].cpu, sz, (double)sizes[s] / rep[s][k].wall,
				sz, rep[s][k].rss_kb, sz, rec[s][k].rss_kb);
		}
		fprintf(f, "}, ");
	}
	fprintf(f, "\"convert_events_per_cpu_s_1m\": %.0f, \"convert_max_rss_kb_1m\": %ld,"
		" \"goal_binary_replay\": 5000000, \"goal_jsonl_replay\": 1000000,"
		" \"goal_binary_record\": 2000000, \"goal_bytes_per_event\": 32}\n",
		(double)sizes[1] / conv.cpu, conv.rss_kb);
	fclose(f);
	return 0;
}
