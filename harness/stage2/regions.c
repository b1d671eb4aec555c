/* Region-list parser (see regions.h). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "harness/util/num.h"
#include "harness/stage2/regions.h"

static int parse_flags(const char *s, unsigned *f)
{
	*f = 0;
	for (; *s; s++) {
		switch (tolower((unsigned char)*s)) {
		case 'r': *f |= S2_R; break;
		case 'w': *f |= S2_W; break;
		case 'x': *f |= S2_X; break;
		case 'd': *f |= S2_DEV; break;
		case '-': break;
		default: return -EINVAL;
		}
	}
	return 0;
}

static int parse_line(char *l, struct s2_region *r, const char **err)
{
	char *tok[5];
	int n = 0;

	for (char *save = NULL, *t = strtok_r(l, " \t\r", &save); t;
	     t = strtok_r(NULL, " \t\r", &save)) {
		if (n == 5)
			break;
		tok[n++] = t;
	}
	if (n == 0)
		return 0;
	if (n != 4) {
		*err = "want 4 fields: ipa pa size flags";
		return -EINVAL;
	}
	if (num_parse_u64(tok[0], &r->ipa) || num_parse_u64(tok[1], &r->pa) ||
	    num_parse_u64(tok[2], &r->size)) {
		*err = "bad number";
		return -EINVAL;
	}
	if (parse_flags(tok[3], &r->flags)) {
		*err = "bad flags (want letters r w x d or -)";
		return -EINVAL;
	}
	return 1;
}

int s2_regions_parse(const char *text, struct s2_region *out, size_t max,
		     unsigned *line, const char **err)
{
	size_t n = 0;
	char buf[512];

	*line = 0;
	while (text && *text) {
		const char *eol = strchr(text, '\n');
		size_t len = eol ? (size_t)(eol - text) : strlen(text);
		(*line)++;
		if (len >= sizeof(buf)) {
			*err = "line too long";
			return -EINVAL;
		}
		memcpy(buf, text, len);
		buf[len] = 0;
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = 0;
		struct s2_region r;
		int rc = parse_line(buf, &r, err);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			if (n == max) {
				*err = "too many regions";
				return -E2BIG;
			}
			out[n++] = r;
		}
		text = eol ? eol + 1 : text + len;
	}
	return (int)n;
}
