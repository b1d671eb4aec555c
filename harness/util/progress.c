/* The progress meter of progress.h. */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/util/progress.h"
#include "harness/util/clock.h"

bool progress_wanted(bool forced, bool quiet)
{
	return forced || (!quiet && isatty(STDERR_FILENO));
}

void progress_init(struct progress *p, const char *cmd, const char *unit, bool on)
{
	memset(p, 0, sizeof(*p));
	p->out = stderr;
	p->on = on;
	p->tty = on && isatty(fileno(stderr));
	p->cmd = cmd;
	p->unit = unit;
	p->t0 = util_now_s();
}

void progress_start(struct progress *p, const char *label, double total,
		    uint64_t count_total)
{
	snprintf(p->label, sizeof(p->label), "%s%s", label ? label : "", label ? " " : "");
	p->total = total;
	p->count_total = count_total;
	p->t0 = util_now_s();
	p->last = 0;
	p->drawn = false;
	p->count0 = 0;
	p->work0 = 0;
}

/* "950", "12.3 k", "4.56 M" */
static void human(char *buf, size_t len, double v)
{
	if (v >= 1e6)
		snprintf(buf, len, "%.2f M", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, len, "%.1f k", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
}

/* "0.42 s", "42 s", "3 min 05 s", "2 h 10 min" */
static void duration(char *buf, size_t len, double s)
{
	unsigned long t = (unsigned long)(s + 0.5);

	if (s < 10)
		snprintf(buf, len, "%.2f s", s);
	else if (t < 100)
		snprintf(buf, len, "%lu s", t);
	else if (t < 3600)
		snprintf(buf, len, "%lu min %02lu s", t / 60, t % 60);
	else
		snprintf(buf, len, "%lu h %02lu min", t / 3600, t / 60 % 60);
}

/* The line without its ending: count, rate, fraction and time left. */
static void line(const struct progress *p, uint64_t count, double work, double dt)
{
	char rate[32], eta[32];
	double r = dt > 0 ? (double)(count - p->count0) / dt : 0;

	human(rate, sizeof(rate), r);
	fprintf(p->out, "%s: %s%llu", p->cmd, p->label, (unsigned long long)count);
	if (p->count_total)
		fprintf(p->out, "/%llu", (unsigned long long)p->count_total);
	fprintf(p->out, " %s, %s %s/s", p->unit, rate, p->unit);
	if (p->total > 0 && work > p->work0) {
		double left = work < p->total ? p->total - work : 0;

		duration(eta, sizeof(eta), dt * left / (work - p->work0));
		fprintf(p->out, ", ETA %s (%.0f%% done)", eta, 100 * (1 - left / p->total));
	}
	if (p->note[0])
		fprintf(p->out, ", %s", p->note);
}

void progress_update(struct progress *p, uint64_t count, double work)
{
	double t, every;

	if (!p->on || count <= p->count0)
		return;
	t = util_now_s();
	every = p->tty ? PROGRESS_TTY_EVERY : PROGRESS_LOG_EVERY;
	if (p->drawn && t - p->last < every)
		return;
	if (p->tty)
		fputc('\r', p->out);
	line(p, count, work, t - p->t0);
	fputs(p->tty ? "\033[K" : "\n", p->out);
	fflush(p->out);
	p->last = t;
	p->drawn = true;
}

void progress_end(struct progress *p, uint64_t count)
{
	char rate[32], took[32];
	double dt = util_now_s() - p->t0;

	if (!p->on)
		return;
	human(rate, sizeof(rate), dt > 0 ? (double)(count - p->count0) / dt : 0);
	duration(took, sizeof(took), dt);
	fprintf(p->out, "%s%s: %s%llu %s in %s, %s %s/s", p->tty ? "\r" : "", p->cmd, p->label,
		(unsigned long long)count, p->unit, took, rate, p->unit);
	if (p->note[0])
		fprintf(p->out, ", %s", p->note);
	fputs(p->tty ? "\033[K\n" : "\n", p->out);
	fflush(p->out);
	p->drawn = false;
}
