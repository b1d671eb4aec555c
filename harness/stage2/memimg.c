/* Sparse physical memory image (see memimg.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/stage2/memimg.h"
#include "hvexit/common.h"

static struct s2_memseg *find(struct s2_memimg *m, uint64_t pa, size_t len)
{
	for (unsigned i = 0; i < m->n; i++) {
		struct s2_memseg *s = &m->seg[i];
		if (pa >= s->pa && pa - s->pa < s->len && s->len - (pa - s->pa) >= len)
			return s;
	}
	return NULL;
}

/* A segment sharing a byte with [pa, pa + len), NULL if none. */
static const struct s2_memseg *overlapping(const struct s2_memimg *m, uint64_t pa, size_t len)
{
	for (unsigned i = 0; i < m->n; i++)
		if (hvx_overlap(pa, len, m->seg[i].pa, m->seg[i].len))
			return &m->seg[i];
	return NULL;
}

int s2_memimg_add(struct s2_memimg *m, uint64_t pa, const uint8_t *data, size_t len)
{
	if (!m || !len)
		return -EINVAL;
	if (pa + len < pa)
		return -ERANGE;
	if (overlapping(m, pa, len))
		return -EEXIST;
	if (m->n >= S2_MEMIMG_MAX_SEG)
		return -ENOSPC;
	uint8_t *b = calloc(1, len);
	if (!b)
		return -ENOMEM;
	if (data)
		memcpy(b, data, len);
	m->seg[m->n++] = (struct s2_memseg){ .pa = pa, .len = len, .buf = b };
	return 0;
}

int s2_memimg_load(struct s2_memimg *m, const char *path, uint64_t pa)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	long sz = -1;
	if (!fseek(f, 0, SEEK_END))
		sz = ftell(f);
	int rc = sz < 0 || fseek(f, 0, SEEK_SET) ? -EIO : 0;
	if (!rc && sz == 0)
		rc = -ENODATA;
	if (!rc && (unsigned long)sz > S2_MEMIMG_MAX_FILE)
		rc = -EFBIG;
	uint8_t *b = rc ? NULL : malloc((size_t)sz);
	if (!rc && !b)
		rc = -ENOMEM;
	if (!rc && fread(b, 1, (size_t)sz, f) != (size_t)sz)
		rc = -EIO;
	fclose(f);
	if (!rc)
		rc = s2_memimg_add(m, pa, b, (size_t)sz);
	free(b);
	return rc;
}

int s2_memimg_poke64(struct s2_memimg *m, uint64_t pa, uint64_t v)
{
	if (!m || (pa & 7))
		return -EINVAL;
	struct s2_memseg *s = find(m, pa, 8);
	if (!s) {
		uint64_t base = pa & ~(uint64_t)0xffff;
		int rc = s2_memimg_add(m, base, NULL, 0x10000);
		if (rc)
			return rc;
		s = &m->seg[m->n - 1];
	}
	hvx_put_le(s->buf + (pa - s->pa), v, 8);
	return 0;
}

/* The backed, aligned 64-bit word at pa, or NULL. */
static uint8_t *word_at(struct s2_memimg *m, uint64_t pa)
{
	if (!m || (pa & 7))
		return NULL;
	struct s2_memseg *s = find(m, pa, 8);
	return s ? s->buf + (pa - s->pa) : NULL;
}

int s2_memimg_read64(void *ctx, uint64_t pa, uint64_t *v)
{
	const uint8_t *w = word_at(ctx, pa);
	if (!w || !v)
		return -EFAULT;
	*v = hvx_get_le(w, 8);
	return 0;
}

int s2_memimg_cas64(void *ctx, uint64_t pa, uint64_t expect, uint64_t desired,
		    uint64_t *found)
{
	uint8_t *w = word_at(ctx, pa);
	if (!w || !found)
		return -EFAULT;
	*found = hvx_get_le(w, 8);
	if (*found == expect)
		hvx_put_le(w, desired, 8);
	return 0;
}

void s2_memimg_free(struct s2_memimg *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->n; i++)
		free(m->seg[i].buf);
	m->n = 0;
}
