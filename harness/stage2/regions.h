/*
 * Region-list parser for `hvexit s2 build` and tests: one region per line,
 * "ipa pa size flags" (numbers 0x-hex or decimal; flags any of r w x d,
 * '-' for none), '#' starts a comment.
 */
#ifndef HVEXIT_HARNESS_REGIONS_H
#define HVEXIT_HARNESS_REGIONS_H

#include <stddef.h>

#include "hvexit/s2.h"

/* Parse text into out[0..max). Returns the region count, or a negative
 * errno with *line (1-based) and *err describing the first bad line. */
int s2_regions_parse(const char *text, struct s2_region *out, size_t max,
		     unsigned *line, const char **err);

#endif
