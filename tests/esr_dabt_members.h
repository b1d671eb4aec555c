/*
 * The members of struct esr_dabt with the Data Abort field each holds
 * (Arm ARM D24.2.46: ISS bits [31:0] as ESR bits, ISS2 as ESR bits 32 +
 * ISS2 bit), for tests that compare the fast path with the field maps.
 */
#ifndef HVEXIT_TESTS_ESR_DABT_MEMBERS_H
#define HVEXIT_TESTS_ESR_DABT_MEMBERS_H

#include "hvexit/esr.h"

struct dabt_member {
	const char *name;	/* field name in the generic decoder */
	unsigned hi, lo;
	unsigned (*get)(const struct esr_dabt *d);
};

#define DABT_GET(m) \
	static unsigned dabt_get_##m(const struct esr_dabt *d) { return d->m; }
DABT_GET(dfsc) DABT_GET(wnr) DABT_GET(s1ptw) DABT_GET(cm) DABT_GET(ea)
DABT_GET(fnv) DABT_GET(set) DABT_GET(vncr) DABT_GET(ar) DABT_GET(sf)
DABT_GET(srt) DABT_GET(sse) DABT_GET(sas) DABT_GET(isv) DABT_GET(lst)
DABT_GET(pfv) DABT_GET(fnp) DABT_GET(wu) DABT_GET(toplevel) DABT_GET(xs)
DABT_GET(dirtybit) DABT_GET(overlay) DABT_GET(assuringonly) DABT_GET(gcs)
DABT_GET(tagaccess) DABT_GET(tnd) DABT_GET(hdbssf)
#undef DABT_GET

#define DABT_M(n, h, l) { #n, h, l, dabt_get_##n }
static const struct dabt_member dabt_members[] = {
	DABT_M(isv, 24, 24), DABT_M(sas, 23, 22), DABT_M(sse, 21, 21),
	DABT_M(toplevel, 21, 21), DABT_M(srt, 20, 16), DABT_M(wu, 17, 16),
	DABT_M(sf, 15, 15), DABT_M(fnp, 15, 15), DABT_M(ar, 14, 14),
	DABT_M(pfv, 14, 14), DABT_M(vncr, 13, 13), DABT_M(lst, 12, 11),
	DABT_M(set, 12, 11), DABT_M(fnv, 10, 10), DABT_M(ea, 9, 9),
	DABT_M(cm, 8, 8), DABT_M(s1ptw, 7, 7), DABT_M(wnr, 6, 6),
	DABT_M(dfsc, 5, 0), DABT_M(hdbssf, 43, 43), DABT_M(tnd, 42, 42),
	DABT_M(tagaccess, 41, 41), DABT_M(gcs, 40, 40),
	{ "assuredonly", 39, 39, dabt_get_assuringonly },
	DABT_M(overlay, 38, 38), DABT_M(dirtybit, 37, 37), DABT_M(xs, 36, 32),
};
#undef DABT_M

#endif
