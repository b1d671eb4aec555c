/* Causes of data-abort findings by probing the feature grid (dabt_cause.h). */
#include <stdio.h>
#include <string.h>

#include "harness/validate/dabt_cause.h"
#include "hvexit/common.h"

static int cell(struct cause_grid *g, const struct dabt_point *p, struct cause_cell **out)
{
	struct cause_cell *c = &g->cell[dabt_point_index(p)];
	int e;

	if (!c->done) {
		e = g->eval(g->ctx, dabt_point_esr(p, dabt_srt_rep[p->v[AX_SRT]]),
			    dabt_point_bus(p), &c->fail);
		if (e < 0)
			return e;
		c->done = 1;
	}
	*out = c;
	return 0;
}

static bool axis_applies(const struct cause_grid *g, const struct dabt_point *p, unsigned a)
{
	bool isv = dabt_classes[p->v[AX_CLS]].isv;

	if (a == AX_S1PTW)
		return !isv;
	if (a == AX_SRT || a == AX_AR)
		return isv;
	if (a == AX_BUS)
		return g->loads_only;
	return true;
}

/* Values v of axis a through p: which are possible, which fail field. */
static int probe_axis(struct cause_grid *g, const struct dabt_point *p, unsigned a,
		      unsigned field, uint32_t *possible, uint32_t *failing)
{
	*possible = *failing = 0;
	for (unsigned v = 0; v < dabt_axis_len[a]; v++) {
		struct dabt_point q = *p;
		struct cause_cell *c;
		int e;

		q.v[a] = (uint8_t)v;
		if (!dabt_point_possible(&q) ||
		    (a == AX_CLS && g->loads_only && v >= DCLS_NLOADS))
			continue;
		e = cell(g, &q, &c);
		if (e < 0)
			return e;
		*possible |= 1u << v;
		if (c->fail >> field & 1)
			*failing |= 1u << v;
	}
	return 0;
}

static void put(char *key, size_t len, const char *s)
{
	size_t n = strlen(key);

	snprintf(key + n, len - n, "%s%s", n ? " " : "", s);
}

/* The text of a decisive axis: its failing values. */
static void axis_text(unsigned a, uint32_t fail, char *key, size_t len)
{
	static const char *const srt[8] = {
		[1] = "SRT<16", [2] = "SRT=16..30", [3] = "SRT!=31", [4] = "SRT=31",
		[5] = "SRT<16|SRT=31", [6] = "SRT>=16",
	};
	char b[200] = "";
	size_t n = 0;

	switch (a) {
	case AX_CLS:
		for (unsigned v = 0; v < DCLS_COUNT; v++)
			if (fail >> v & 1)
				n += (size_t)snprintf(b + n, sizeof(b) - n, "%s%s", n ? "," : "",
						      dabt_classes[v].name);
		break;
	case AX_SRT:
		snprintf(b, sizeof(b), "%s", srt[fail & 7] ? srt[fail & 7] : "SRT=?");
		break;
	case AX_BUS: {
		/* the sign bit of the access set or clear, junk above it */
		static const char *const kind[] = { "signed", "unsigned", "junk",
						    "signed+junk" };

		for (unsigned v = 0; v < 4; v++)
			if (fail >> v & 1)
				n += (size_t)snprintf(b + n, sizeof(b) - n, "%s%s",
						      n ? "," : "data=", kind[v]);
		break;
	}
	case AX_AR:
		snprintf(b, sizeof(b), "AR=%u", fail == 2);
		break;
	case AX_ISS2:
		snprintf(b, sizeof(b), "%s", fail == 2 ? "ISS2!=0" : "ISS2=0");
		break;
	case AX_S1PTW:
		snprintf(b, sizeof(b), "S1PTW=%u", fail == 2);
		break;
	default:
		for (unsigned v = 0; v < DABT_NFSC; v++)
			if (fail >> v & 1)
				n += (size_t)snprintf(b + n, sizeof(b) - n, "%s0x%02x",
						      n ? "," : "DFSC=", dabt_fsc[v]);
		break;
	}
	put(key, len, b);
}

/* Move each axis but the class to its simplest value that still fails. */
static int simplest(struct cause_grid *g, struct dabt_point *p, unsigned field)
{
	for (unsigned a = AX_CLS + 1; a < AX_COUNT; a++) {
		uint32_t possible, failing;
		int e;

		if (!axis_applies(g, p, a))
			continue;
		e = probe_axis(g, p, a, field, &possible, &failing);
		if (e < 0)
			return e;
		for (unsigned v = 0; v < dabt_axis_len[a]; v++)
			if (failing >> v & 1) {
				p->v[a] = (uint8_t)v;
				break;
			}
	}
	return 0;
}

int cause_key(struct cause_grid *g, const struct dabt_point *p0, unsigned field,
	      char *key, size_t len, uint64_t *min_esr, uint64_t *min_bus)
{
	struct dabt_point pt = *p0, *p = &pt;
	struct cause_cell *c;
	int e = cell(g, p, &c);

	key[0] = 0;
	if (e < 0)
		return e;
	if (!(c->fail >> field & 1))
		return 0;
	e = simplest(g, p, field);
	if (e < 0)
		return e;
	*min_esr = dabt_point_esr(p, dabt_srt_rep[p->v[AX_SRT]]);
	*min_bus = dabt_point_bus(p);
	for (unsigned a = 0; a < AX_COUNT; a++) {
		uint32_t possible, failing;

		if (!axis_applies(g, p, a))
			continue;
		e = probe_axis(g, p, a, field, &possible, &failing);
		if (e < 0)
			return e;
		if (failing != possible)
			axis_text(a, failing, key, len);
	}
	if (!key[0])
		snprintf(key, len, "any");
	return 1;
}

/* What each decisive feature means (D24.2.46 ESR_EL2, ISS encoding for
 * an exception from a Data Abort, and C6.2 for the instructions). */
static const struct { const char *tag, *note; } feature_notes[] = {
	{ "SRT=31", "SRT=31 names the zero register XZR/WZR, never SP: "
		    "a load to it discards the data, a store from it writes zero" },
	{ "ISS2!=0", "ISS2 (ESR_EL2[55:32]) carries separate information (here "
		     "Overlay, ISS2[6], FEAT_S2POE); it never changes ISS[24:0]" },
	{ "AR=1", "AR=1: the access has acquire/release semantics (LDAR, STLR, "
		  "LDAPUR*); size, sign and register are reported as for LDR/STR" },
	{ "S1PTW=1", "S1PTW=1: a stage 2 fault on a stage 1 walk; ISV is 0 and WnR "
		     "still reports the access, it is not forced to write" },
	{ "DFSC=", "DFSC is the 6-bit fault status code, reported unchanged "
		   "(levels -1 and 0 exist with FEAT_LPA2)" },
};

/* C6.2: what lands in Xt for each class (and the stores). */
static const char *const class_notes[] = {
	"LDRB/LDRH/LDR (32-bit), SSE=0 SF=0: Wt = ZeroExtend(data<8<<SAS-1:0>), bits "
	"above the access size ignored, Xt[63:32] = 0",
	"LDR (64-bit), SAS=3 SF=1: Xt = data<63:0>",
	"LDRSB/LDRSH (32-bit), SSE=1 SF=0: Wt = SignExtend(data, 32), Xt[63:32] = 0",
	"LDRSB/LDRSH/LDRSW (64-bit), SSE=1 SF=1: Xt = SignExtend(data, 64); LDRSW has "
	"no 32-bit form",
	"stores (WnR=1) never sign-extend (SSE=0); STRB/STRH take a Wt",
	"ISV=0: no instruction syndrome, ISS[23:14] RES0; a hypervisor may refuse "
	"to decode such an abort",
};
static const uint8_t class_note_of[DCLS_COUNT] = {
	[DCLS_LDRB] = 0, [DCLS_LDRH] = 0, [DCLS_LDRW] = 0, [DCLS_LDRX] = 1,
	[DCLS_LDRSBW] = 2, [DCLS_LDRSHW] = 2, [DCLS_LDRSBX] = 3, [DCLS_LDRSHX] = 3,
	[DCLS_LDRSW] = 3, [DCLS_STRB] = 4, [DCLS_STRH] = 4, [DCLS_STRW] = 4, [DCLS_STRX] = 4,
	[DCLS_ISV0_READ] = 5, [DCLS_ISV0_WRITE] = 5,
};

/* Bit n set: class_notes[n] applies to a class named in key's first word. */
static unsigned classes_in(const char *key)
{
	char first[160], *save = NULL;
	unsigned notes = 0;

	snprintf(first, sizeof(first), "%s", key);
	first[strcspn(first, " ")] = 0;
	if (!strncmp(key, "ISV=0", 5))
		return 1u << 5;
	for (char *t = strtok_r(first, ",", &save); t; t = strtok_r(NULL, ",", &save))
		for (unsigned c = 0; c < DCLS_COUNT; c++)
			if (!strcmp(t, dabt_classes[c].name))
				notes |= 1u << class_note_of[c];
	return notes;
}

void cause_rule(const char *base, const char *key, char *buf, size_t len)
{
	unsigned cls = classes_in(key);
	size_t n;

	/* a decisive instruction class states the rule for that class; the
	 * field's general rule is shown only when none is */
	n = (size_t)snprintf(buf, len, "%s", cls ? "D24.2.46 ISS SAS/SSE/SF/SRT and C6.2" : base);
	for (unsigned i = 0; i < HVX_ARRAY_SIZE(class_notes) && n < len; i++)
		if (cls >> i & 1)
			n += (size_t)snprintf(buf + n, len - n, "; %s", class_notes[i]);
	for (unsigned i = 0; i < HVX_ARRAY_SIZE(feature_notes) && n < len; i++)
		if (strstr(key, feature_notes[i].tag))
			n += (size_t)snprintf(buf + n, len - n, "; %s", feature_notes[i].note);
}
