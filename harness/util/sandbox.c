/* Forked children with resource limits (see sandbox.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/util/sandbox.h"

/* The code fn's result travels as: exit status = RESULT_BASE + result, so
 * that a sanitizer's exit(1) after a report is told apart. */
#define RESULT_BASE 64

static int vm_size_bytes(unsigned long long *out)
{
	unsigned long size;
	long page = sysconf(_SC_PAGESIZE);
	FILE *f = fopen("/proc/self/statm", "r");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "%lu", &size);
	fclose(f);
	if (n != 1 || page <= 0)
		return -EIO;
	*out = (unsigned long long)size * (unsigned long long)page;
	return 0;
}

int sandbox_set_limits(unsigned as_headroom_mb, unsigned cpu_s, unsigned fsize_mb)
{
	int rc = 0;

	if (fsize_mb) {
		struct rlimit fs = { .rlim_cur = (rlim_t)fsize_mb << 20,
				     .rlim_max = (rlim_t)fsize_mb << 20 };

		if (setrlimit(RLIMIT_FSIZE, &fs))
			rc = -errno;
	}
	if (as_headroom_mb) {
		unsigned long long now = 0;
		struct rlimit as;

		if (vm_size_bytes(&now) < 0)
			return -EIO;
		as.rlim_cur = as.rlim_max = (rlim_t)(now + ((unsigned long long)as_headroom_mb << 20));
		if (setrlimit(RLIMIT_AS, &as) && !rc)
			rc = -errno;
	}
	if (cpu_s) {
		struct rusage ru;
		struct rlimit cpu;

		if (getrusage(RUSAGE_SELF, &ru) || getrlimit(RLIMIT_CPU, &cpu))
			return rc ? rc : -errno;
		cpu.rlim_cur = (rlim_t)ru.ru_utime.tv_sec + (rlim_t)ru.ru_stime.tv_sec + 1 + cpu_s;
		if (cpu.rlim_max != RLIM_INFINITY && cpu.rlim_cur > cpu.rlim_max)
			cpu.rlim_cur = cpu.rlim_max;
		if (setrlimit(RLIMIT_CPU, &cpu) && !rc)
			rc = -errno;
	}
	return rc;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void __attribute__((noreturn)) child(int (*fn)(void *), void *arg,
					    const struct sandbox_limits *lim)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGXCPU,
				    SIGXFSZ, SIGPIPE, SIGINT, SIGTERM };
	int rc;

	setpgid(0, 0);
	/* A fault must end the child with its signal, not in an inherited
	 * handler (a sanitizer's would symbolize for a long time). */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	if (!lim->keep_stderr) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDERR_FILENO);
			close(null);
		}
	}
	if (sandbox_set_limits(lim->mem_mb, lim->cpu_s, 0) < 0)
		_exit(1);
	rc = fn(arg);
	fflush(NULL);
	/* _exit: no atexit handlers (a leak checker would report the
	 * library's allocations, which the child never frees). */
	_exit(RESULT_BASE + (rc < 0 ? 0 : rc > 63 ? 63 : rc));
}

int sandbox_run(int (*fn)(void *arg), void *arg, const struct sandbox_limits *lim,
		int *sig)
{
	long long deadline;
	int status = 0;
	pid_t pid, w;

	*sig = 0;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		child(fn, arg, lim);
	setpgid(pid, pid);	/* also in the child: whichever runs first */
	deadline = now_ms() + (long long)(lim->wall_s ? lim->wall_s : 3600) * 1000;
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			kill(-pid, SIGKILL);
			return -ECHILD;
		}
		if (now_ms() >= deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			*sig = SIGKILL;
			return -ETIMEDOUT;
		}
		usleep(2000);
	}
	kill(-pid, SIGKILL);	/* anything the child started */
	if (WIFSIGNALED(status)) {
		*sig = WTERMSIG(status);
		return -ECHILD;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) < RESULT_BASE)
		return -ECHILD;
	return WEXITSTATUS(status) - RESULT_BASE;
}
