/*
 * A sparse physical-memory image for the Stage-1/Stage-2 walkers: a few
 * segments, each a heap buffer at a physical address. Used by `hvexit walk`,
 * the scenario runner and tests. The image owns its buffers (free with
 * s2_memimg_free).
 */
#ifndef HVEXIT_HARNESS_MEMIMG_H
#define HVEXIT_HARNESS_MEMIMG_H

#include <stddef.h>
#include <stdint.h>

#define S2_MEMIMG_MAX_SEG 64
#define S2_MEMIMG_MAX_FILE (256u << 20)

struct s2_memseg {
	uint64_t pa;
	size_t len;
	uint8_t *buf;
};

struct s2_memimg {
	struct s2_memseg seg[S2_MEMIMG_MAX_SEG];
	unsigned n;
};

/* Copy len bytes to a new segment at pa. 0, -EEXIST (overlaps a segment),
 * -ENOSPC (too many segments), -ERANGE (wraps), -ENOMEM. */
int s2_memimg_add(struct s2_memimg *m, uint64_t pa, const uint8_t *data, size_t len);
/* Load a whole raw file at pa: 0 or a negative errno (-ENOENT, -EFBIG...). */
int s2_memimg_load(struct s2_memimg *m, const char *path, uint64_t pa);
/* Store a little-endian word; creates a zeroed 64KiB segment if pa is not
 * backed yet. */
int s2_memimg_poke64(struct s2_memimg *m, uint64_t pa, uint64_t v);
/* s2_read64_fn over the image (ctx = struct s2_memimg *). */
int s2_memimg_read64(void *ctx, uint64_t pa, uint64_t *v);
/* s2_cas64_fn over the image: compare-and-swap a backed word. */
int s2_memimg_cas64(void *ctx, uint64_t pa, uint64_t expect, uint64_t desired,
		    uint64_t *found);
void s2_memimg_free(struct s2_memimg *m);

#endif
