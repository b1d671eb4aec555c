/*
 * The best of several measuring processes. On this kind of machine a whole
 * process runs at one of two speeds, about 1.5-1.7x apart (bench_exit:
 * 18-24 or 35-39 M ISV=1 exits/s; bench_esr's full decode falls more than
 * its inline loop, so even a ratio inside one process moves), and the
 * speed holds for the life of the process: repeating a loop inside it does
 * not find the other. bench_trace keeps the fastest of its replay
 * processes; the other benchmarks measure in BENCH_PROCESSES children and
 * keep each rate's highest, so every row compares like with like.
 */
#ifndef HVEXIT_BENCH_BEST_OF_H
#define HVEXIT_BENCH_BEST_OF_H

#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

#define BENCH_PROCESSES 3
#define BENCH_MAX_RATES 16

/* measure(arg, rate) fills rate[0..n) (higher is better) in a child
 * process; rate[i] becomes the highest of BENCH_PROCESSES children.
 * 0, or -1 with a message when a child fails. */
static inline int bench_best_of(void (*measure)(void *arg, double *rate), void *arg,
				double *rate, size_t n)
{
	if (n > BENCH_MAX_RATES)
		return -1;
	for (size_t i = 0; i < n; i++)
		rate[i] = 0;
	fflush(NULL);
	for (int k = 0; k < BENCH_PROCESSES; k++) {
		double c[BENCH_MAX_RATES];
		size_t len = n * sizeof(double);
		int fd[2], st;
		pid_t p;

		if (pipe(fd) < 0 || (p = fork()) < 0) {
			perror("bench: fork");
			return -1;
		}
		if (p == 0) {
			close(fd[0]);
			measure(arg, c);
			_exit(write(fd[1], c, len) == (ssize_t)len ? 0 : 1);
		}
		close(fd[1]);
		if (read(fd[0], c, len) != (ssize_t)len || waitpid(p, &st, 0) < 0 ||
		    !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "bench: measuring process %d failed\n", k);
			close(fd[0]);
			return -1;
		}
		close(fd[0]);
		for (size_t i = 0; i < n; i++)
			if (c[i] > rate[i])
				rate[i] = c[i];
	}
	return 0;
}

#endif
