/*
 * The tab-separated data files of the tests (the .tsv files under corpus/vectors
 * and tests/vectors): one row a line, '#' comment lines and blank lines
 * skipped. Needs cmocka.h.
 */
#ifndef HVEXIT_TESTS_TSV_H
#define HVEXIT_TESTS_TSV_H

#include <stdio.h>
#include <string.h>

#define TSV_MAX_FIELDS 16

/* One row: its nf fields (NUL-terminated, in a buffer valid for the
 * call), its line number in the file, and the caller's argument. */
typedef void tsv_row_fn(char **f, int line, void *arg);

/* Hands every row of path, which must have exactly nf fields, to row;
 * returns the number of rows. A missing file or a bad row fails the test. */
static inline unsigned tsv_for_each(const char *path, int nf, tsv_row_fn *row, void *arg)
{
	FILE *fp = fopen(path, "r");
	char line[2048];
	int lineno = 0;
	unsigned rows = 0;

	assert_non_null(fp);
	assert_true(nf <= TSV_MAX_FIELDS);
	while (fgets(line, sizeof(line), fp)) {
		char *f[TSV_MAX_FIELDS], *sv = NULL;
		int n = 0;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_non_null(strchr(line, '\n'));	/* not cut */
		line[strcspn(line, "\n")] = '\0';
		for (char *t = strtok_r(line, "\t", &sv); t && n < nf; t = strtok_r(NULL, "\t", &sv))
			f[n++] = t;
		if (n != nf)
			fail_msg("%s:%d: %d fields, want %d", path, lineno, n, nf);
		row(f, lineno, arg);
		rows++;
	}
	fclose(fp);
	return rows;
}

#endif
