/*
 * Plain replay driver for the fuzz targets: feeds every file named on the
 * command line (directories are read one level deep, in name order) to
 * LLVMFuzzerTestOneInput once. Built with ASan+UBSan for `make check`, so a
 * corpus or regression input that crashes fails the suite. With no
 * arguments it reads one input from stdin.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#undef MAX_INPUT	/* <limits.h> (POSIX) defines it as 255 */
#define MAX_INPUT (16u << 20)

/* Read the whole stream into a buffer that grows by doubling (a 16 MiB
 * buffer per input made ASan map and zero 16 MiB for every corpus file),
 * then hand the target an exactly-sized copy so ASan sees overreads. */
static int run_stream(FILE *f, const char *name)
{
	size_t cap = 64u << 10, n = 0;
	uint8_t *buf = malloc(cap), *exact;

	for (;;) {
		if (!buf) {
			fprintf(stderr, "driver: out of memory\n");
			return -1;
		}
		n += fread(buf + n, 1, cap - n, f);
		if (ferror(f)) {
			fprintf(stderr, "driver: %s: read error\n", name);
			free(buf);
			return -1;
		}
		if (n < cap || n > MAX_INPUT)
			break;	/* end of stream, or too long */
		uint8_t *bigger = realloc(buf, cap * 2);
		if (!bigger)
			free(buf);
		buf = bigger;
		cap *= 2;
	}
	if (n > MAX_INPUT) {
		fprintf(stderr, "driver: %s: larger than %u bytes\n", name, MAX_INPUT);
		free(buf);
		return -1;
	}
	exact = malloc(n ? n : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	int rc;

	if (!f) {
		fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = run_stream(f, path);
	fclose(f);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, unsigned long *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "driver: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof(*names));
			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
		}
		names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (!names[n]) {
			rc = -1;
			break;
		}
		sprintf(names[n], "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(names[i]) < 0)
				rc = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned long count = 0;
	int rc = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
		if (run_stream(stdin, "<stdin>") < 0)
			return 1;
		printf("driver: replayed 1 input\n");
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "driver: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &count) < 0)
				rc = 1;
		} else if (run_file(argv[i]) < 0) {
			rc = 1;
		} else {
			count++;
		}
	}
	printf("driver: replayed %lu inputs\n", count);
	return rc;
}
