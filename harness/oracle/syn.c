/* hvexit oracle syndromes: not in this revision yet. */
#include <errno.h>
#include <stdio.h>

#include "harness/oracle/oracle.h"

int oracle_syndromes(const struct oracle_opts *o, struct report *r, struct oracle_stats *st,
		     char *err, size_t errlen)
{
	(void)o;
	(void)r;
	(void)st;
	snprintf(err, errlen, "syndromes: not in this revision");
	return -ENOSYS;
}
