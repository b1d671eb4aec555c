/* Plugin child limits and sanitizer report recognition (see plugin_guard.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include "harness/util/sandbox.h"
#include "harness/validate/plugin_guard.h"

/* Pages of address space and resident memory from /proc/PID/statm. */
static int statm(pid_t pid, unsigned long *size, unsigned long *rss)
{
	char path[64];
	FILE *f;
	int n;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%ld/statm", (long)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/statm");
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fscanf(f, "%lu %lu", size, rss);
	fclose(f);
	return n == 2 ? 0 : -EIO;
}

int plugin_guard_child_limits(void)
{
	return sandbox_set_limits(PLUGIN_AS_HEADROOM_MB, 0, PLUGIN_FSIZE_MB);
}

void plugin_guard_case_cpu(unsigned cpu_s)
{
	(void)sandbox_set_limits(0, cpu_s, 0);
}

long plugin_guard_rss_kb(pid_t pid)
{
	unsigned long size, rss;
	long page = sysconf(_SC_PAGESIZE);

	if (page <= 0 || statm(pid, &size, &rss))
		return -1;
	return (long)(rss * (unsigned long)(page / 1024));
}

static bool has_prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && !memcmp(s, p, n);
}

/* s[0..len) starts with one of the sanitizer names and "Sanitizer:". */
static bool sanitizer_name(const char *s, size_t len)
{
	static const char *const names[] = {
		"AddressSanitizer:", "LeakSanitizer:", "MemorySanitizer:",
		"ThreadSanitizer:", "HWAddressSanitizer:",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (has_prefix(s, len, names[i]))
			return true;
	return false;
}

/* "==PID==ERROR: XSanitizer:" or "==PID==WARNING: XSanitizer:". */
static bool pid_banner(const char *s, size_t len)
{
	size_t i = 2;

	if (!has_prefix(s, len, "=="))
		return false;
	while (i < len && isdigit((unsigned char)s[i]))
		i++;
	if (i == 2 || !has_prefix(s + i, len - i, "=="))
		return false;
	i += 2;
	if (has_prefix(s + i, len - i, "ERROR: "))
		i += 7;
	else if (has_prefix(s + i, len - i, "WARNING: "))
		i += 9;
	else
		return false;
	return sanitizer_name(s + i, len - i);
}

/* UBSan: "FILE:LINE:COL: runtime error: " (":COL" is absent without
 * column information, and FILE:LINE is "<unknown>" without debug info). */
static bool ubsan_line(const char *s, size_t len)
{
	static const char tag[] = ": runtime error: ";
	size_t n = sizeof(tag) - 1;

	for (size_t at = 1; at + n <= len; at++) {
		size_t j = at, colons = 0;

		if (memcmp(s + at, tag, n))
			continue;
		/* Walk back over ":COL" and ":LINE". */
		while (colons < 2) {
			size_t d = 0;

			while (j > 0 && isdigit((unsigned char)s[j - 1])) {
				j--;
				d++;
			}
			if (!d || j == 0 || s[j - 1] != ':')
				break;
			j--;
			colons++;
		}
		if (colons >= 1 && j > 0)
			return true;
		if (at == 9 && has_prefix(s, len, "<unknown>"))
			return true;
	}
	return false;
}

bool plugin_guard_sanitizer_line(const char *line, size_t len)
{
	return pid_banner(line, len) || has_prefix(line, len, "WARNING: ThreadSanitizer:") ||
	       ubsan_line(line, len);
}

/* Append text to diag, "; "-separated. */
static void diag_add(char *diag, size_t dlen, const char *what, const char *text)
{
	size_t used = strlen(diag);

	if (used + 1 < dlen)
		snprintf(diag + used, dlen - used, "%s%s%s", used ? "; " : "", what, text);
}

int plugin_guard_scan(int fd, char *diag, size_t dlen)
{
	char chunk[4096], line[512], tail[400];
	size_t ll = 0, tl = 0;
	char banner[sizeof(line)] = "";
	off_t off = 0;
	ssize_t n;

	while ((n = pread(fd, chunk, sizeof(chunk), off)) > 0) {
		off += n;
		for (ssize_t i = 0; i < n; i++) {
			char c = chunk[i];

			if (tl == sizeof(tail) - 1) {
				memmove(tail, tail + 1, tl - 1);
				tl--;
			}
			tail[tl++] = c == '\n' ? ' ' : c;
			if (c != '\n' && ll < sizeof(line) - 1) {
				line[ll++] = c;
				continue;
			}
			if (c != '\n')
				continue;	/* the rest of a long line */
			if (!banner[0] && plugin_guard_sanitizer_line(line, ll))
				snprintf(banner, sizeof(banner), "%.*s", (int)ll, line);
			ll = 0;
		}
	}
	if (ll && !banner[0] && plugin_guard_sanitizer_line(line, ll))
		snprintf(banner, sizeof(banner), "%.*s", (int)ll, line);
	if (off > 0 && ftruncate(fd, 0) < 0)
		(void)0;	/* a stale excerpt at worst */
	while (tl && tail[tl - 1] == ' ')
		tl--;
	tail[tl] = 0;
	if (diag && dlen && banner[0])
		diag_add(diag, dlen, "sanitizer: ", banner);
	if (diag && dlen && tl)
		diag_add(diag, dlen, "stderr: ", tail);
	return banner[0] != 0;
}
