/*
 * The conformance and robustness input spaces of the data-abort entry
 * points, and the feature grid failing cases are clustered on
 * (dabt_space.h, which lists the Arm ARM rules encoded here).
 */
#include <string.h>

#include "harness/util/rng.h"
#include "harness/validate/dabt_space.h"
#include "hvexit/common.h"
#include "hvexit/esr.h"

/* C6.2 (load/store register): what each instruction puts in the
 * syndrome. The AR = 1 forms are the LDAR and STLR family and, for the sign-extending
 * loads, the FEAT_LRCPC2 LDAPURS* loads (acquire, single register). */
const struct dabt_class dabt_classes[DCLS_COUNT] = {
	[DCLS_LDRB]   = { "LDRB",    "LDARB",      1, 0, 0, 0, 0 },
	[DCLS_LDRH]   = { "LDRH",    "LDARH",      1, 0, 1, 0, 0 },
	[DCLS_LDRW]   = { "LDR-W",   "LDAR-W",     1, 0, 2, 0, 0 },
	[DCLS_LDRX]   = { "LDR-X",   "LDAR-X",     1, 0, 3, 0, 1 },
	[DCLS_LDRSBW] = { "LDRSB-W", "LDAPURSB-W", 1, 0, 0, 1, 0 },
	[DCLS_LDRSBX] = { "LDRSB-X", "LDAPURSB-X", 1, 0, 0, 1, 1 },
	[DCLS_LDRSHW] = { "LDRSH-W", "LDAPURSH-W", 1, 0, 1, 1, 0 },
	[DCLS_LDRSHX] = { "LDRSH-X", "LDAPURSH-X", 1, 0, 1, 1, 1 },
	[DCLS_LDRSW]  = { "LDRSW",   "LDAPURSW",   1, 0, 2, 1, 1 },
	[DCLS_STRB]   = { "STRB",    "STLRB",      1, 1, 0, 0, 0 },
	[DCLS_STRH]   = { "STRH",    "STLRH",      1, 1, 1, 0, 0 },
	[DCLS_STRW]   = { "STR-W",   "STLR-W",     1, 1, 2, 0, 0 },
	[DCLS_STRX]   = { "STR-X",   "STLR-X",     1, 1, 3, 0, 1 },
	[DCLS_ISV0_READ]  = { "ISV=0 read",  "ISV=0 read",  0, 0, 0, 0, 0 },
	[DCLS_ISV0_WRITE] = { "ISV=0 write", "ISV=0 write", 0, 1, 0, 0, 0 },
};

/* Translation fault levels 0-3 and -1, Access flag and Permission fault
 * levels 0-3 (D24.2.46 DFSC; level -1 and level 0 AF/Permission exist with
 * FEAT_LPA2). Index >= FSC_PERM_FIRST: Permission faults. */
const uint8_t dabt_fsc[DABT_NFSC] = {
	0x06, 0x07, 0x05, 0x04, 0x2b,	/* Translation, level 2 (the usual MMIO exit) first */
	0x0a, 0x0b, 0x09, 0x08,		/* Access flag */
	0x0e, 0x0f, 0x0d, 0x0c,		/* Permission */
};
#define FSC_PERM_FIRST 9

const uint8_t dabt_axis_len[AX_COUNT] = {
	[AX_CLS] = DCLS_COUNT, [AX_BUS] = 4, [AX_SRT] = 3, [AX_AR] = 2, [AX_ISS2] = 2,
	[AX_FSC] = DABT_NFSC, [AX_S1PTW] = 2,
};
const uint8_t dabt_srt_rep[3] = { 1, 17, 31 };

/* ISS2[6] Overlay: a Permission fault caused by a permission overlay
 * (FEAT_S2POE), reported with a single-register access's syndrome. */
#define ISS2_OVERLAY (UINT64_C(1) << (32 + 6))

static unsigned srt_bucket(unsigned srt)
{
	return srt == 31 ? 2 : srt >= 16 ? 1 : 0;
}

bool dabt_point_possible(const struct dabt_point *p)
{
	const struct dabt_class *c;

	for (unsigned a = 0; a < AX_COUNT; a++)
		if (p->v[a] >= dabt_axis_len[a])
			return false;
	c = &dabt_classes[p->v[AX_CLS]];
	if (c->isv && p->v[AX_S1PTW])
		return false;		/* S1PTW = 1 has no instruction syndrome */
	if (!c->isv && (p->v[AX_SRT] || p->v[AX_AR]))
		return false;		/* ISS[23:14] RES0 */
	if (p->v[AX_ISS2] && p->v[AX_FSC] < FSC_PERM_FIRST)
		return false;		/* Overlay only with a Permission fault */
	if (p->v[AX_BUS] && p->v[AX_CLS] >= DCLS_NLOADS)
		return false;		/* bus data only for loads */
	if (p->v[AX_BUS] >= 2 && dabt_classes[p->v[AX_CLS]].sas == 3)
		return false;		/* nothing above 64 bits: kinds 0 and 1 only */
	return true;
}

uint64_t dabt_point_bus(const struct dabt_point *p)
{
	unsigned bits = 8u << dabt_classes[p->v[AX_CLS]].sas;
	uint64_t top = UINT64_C(1) << (bits - 1);
	uint64_t above = bits == 64 ? 0 : ~UINT64_C(0) << bits;

	if (p->v[AX_CLS] >= DCLS_NLOADS)
		return 0;
	/* junk above the access size: a pattern, so that a plugin that keeps
	 * it or reads the wrong width cannot come out right by chance */
	switch (p->v[AX_BUS]) {
	case 0: return top;
	case 1: return top - 1;
	case 2: return (top - 1) | (above & UINT64_C(0xa5a5a5a5a5a5a5a5));
	default: return top | (above & UINT64_C(0x5a5a5a5a5a5a5a5a));
	}
}

static unsigned bus_kind(unsigned sas, uint64_t bus)
{
	unsigned bits = 8u << sas;
	bool sign = bus >> (bits - 1) & 1, junk = bits < 64 && bus >> bits;

	return junk ? (sign ? 3 : 2) : (sign ? 0 : 1);
}

uint64_t dabt_point_esr(const struct dabt_point *p, unsigned srt)
{
	const struct dabt_class *c = &dabt_classes[p->v[AX_CLS]];
	struct esr_dabt d = { 0 };

	d.ec = ESR_EC_DABT_LOW;
	d.il = 1;
	d.isv = c->isv;
	d.wnr = c->wnr;
	d.dfsc = dabt_fsc[p->v[AX_FSC]];
	d.s1ptw = p->v[AX_S1PTW];
	if (c->isv) {
		d.sas = c->sas;
		d.sse = c->sse;
		d.sf = c->sf;
		d.srt = srt & 31;
		d.ar = p->v[AX_AR];
	}
	return esr_build_dabt(&d) | (p->v[AX_ISS2] ? ISS2_OVERLAY : 0);
}

static int fsc_index(unsigned dfsc)
{
	for (unsigned i = 0; i < DABT_NFSC; i++)
		if (dabt_fsc[i] == dfsc)
			return (int)i;
	return -1;
}

int dabt_class_of(const struct esr_dabt *d)
{
	for (int cls = 0; cls < DCLS_COUNT; cls++) {
		const struct dabt_class *c = &dabt_classes[cls];

		if (c->isv == d->isv && c->wnr == d->wnr &&
		    (!c->isv || (c->sas == d->sas && c->sse == d->sse && c->sf == d->sf)))
			return cls;
	}
	return -1;
}

bool dabt_point_of(uint64_t esr, uint64_t bus, struct dabt_point *p, unsigned *srt)
{
	struct esr_dabt d;
	int fi, cls;

	if (esr_decode_dabt(esr, &d) < 0 || d.ec != ESR_EC_DABT_LOW)
		return false;
	fi = fsc_index(d.dfsc);
	cls = dabt_class_of(&d);
	if (fi < 0 || cls < 0)
		return false;
	memset(p, 0, sizeof(*p));
	p->v[AX_CLS] = (uint8_t)cls;
	p->v[AX_FSC] = (uint8_t)fi;
	p->v[AX_S1PTW] = d.s1ptw;
	p->v[AX_ISS2] = (esr & ISS2_OVERLAY) != 0;
	if (d.isv) {
		p->v[AX_SRT] = (uint8_t)srt_bucket(d.srt);
		p->v[AX_AR] = d.ar;
	}
	if (cls < DCLS_NLOADS)
		p->v[AX_BUS] = (uint8_t)bus_kind(d.sas, bus);
	*srt = d.isv ? d.srt : 0;
	/* everything else (IL, CM, EA, FnV, ISS2, RES0 bits) as the point has it */
	return dabt_point_possible(p) && dabt_point_esr(p, *srt) == esr;
}

bool dabt_possible(uint64_t esr)
{
	struct dabt_point p;
	unsigned srt;

	return dabt_point_of(esr, 0, &p, &srt);
}

unsigned dabt_point_index(const struct dabt_point *p)
{
	unsigned idx = 0;

	for (unsigned a = 0; a < AX_COUNT; a++)
		idx = idx * dabt_axis_len[a] + p->v[a];
	return idx;
}

unsigned dabt_grid_size(void)
{
	unsigned n = 1;

	for (unsigned a = 0; a < AX_COUNT; a++)
		n *= dabt_axis_len[a];
	return n;
}

const char *dabt_point_name(const struct dabt_point *p)
{
	const struct dabt_class *c = &dabt_classes[p->v[AX_CLS] % DCLS_COUNT];

	return p->v[AX_AR] ? c->ar_name : c->name;
}

uint64_t dabt_gen_possible(uint64_t *s, bool loads_only)
{
	struct dabt_point p = { 0 };
	unsigned srt, cls;

	if (loads_only)
		cls = (unsigned)util_rng_below(s, DCLS_NLOADS);
	else if (util_rng_below(s, 100) < 85)
		cls = (unsigned)util_rng_below(s, DCLS_ISV0_READ);
	else
		cls = DCLS_ISV0_READ + (unsigned)util_rng_below(s, 2);
	p.v[AX_CLS] = (uint8_t)cls;
	p.v[AX_FSC] = (uint8_t)util_rng_below(s, DABT_NFSC);
	if (p.v[AX_FSC] >= FSC_PERM_FIRST)
		p.v[AX_ISS2] = util_rng_below(s, 4) == 0;
	if (!dabt_classes[cls].isv) {
		p.v[AX_S1PTW] = util_rng_below(s, 4) == 0;
		return dabt_point_esr(&p, 0);
	}
	srt = util_rng_below(s, 8) ? (unsigned)util_rng_below(s, 31) : 31;
	p.v[AX_SRT] = (uint8_t)srt_bucket(srt);
	p.v[AX_AR] = util_rng_below(s, 4) == 0;
	return dabt_point_esr(&p, srt);
}

uint64_t dabt_gen_hostile(uint64_t *s)
{
	unsigned kind = (unsigned)util_rng_below(s, 20);
	struct esr_dabt d = { 0 };
	uint64_t r = util_rng_next(s);

	if (kind < 2)
		return r;				/* anything */
	if (kind < 4)					/* another EC */
		return (r & ~hvx_mask(31, 26) & ~hvx_mask(63, 56)) |
		       hvx_field(util_rng_below(s, 64), 31, 26);
	d.ec = util_rng_below(s, 2) ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;
	d.il = util_rng_below(s, 8) != 0;
	d.isv = kind >= 7;
	d.sas = (uint8_t)util_rng_below(s, 4);
	d.sse = util_rng_below(s, 2);
	d.srt = (uint8_t)(util_rng_below(s, 8) ? util_rng_below(s, 32) : 31);
	d.sf = util_rng_below(s, 2);
	d.fnp = util_rng_below(s, 2);
	d.ar = util_rng_below(s, 4) == 0;
	d.vncr = util_rng_below(s, 8) == 0;
	d.set = (uint8_t)(util_rng_below(s, 8) ? 0 : util_rng_below(s, 4));
	d.fnv = util_rng_below(s, 8) == 0;
	d.ea = util_rng_below(s, 8) == 0;
	d.cm = util_rng_below(s, 8) == 0;
	d.s1ptw = util_rng_below(s, 4) == 0;
	d.wnr = util_rng_below(s, 2);
	d.dfsc = (uint8_t)util_rng_below(s, 64);
	if (util_rng_below(s, 4) == 0) {
		d.tnd = (uint8_t)util_rng_below(s, 2);
		d.tagaccess = (uint8_t)util_rng_below(s, 2);
		d.gcs = (uint8_t)util_rng_below(s, 2);
		d.assuringonly = (uint8_t)util_rng_below(s, 2);
		d.overlay = (uint8_t)util_rng_below(s, 2);
		d.dirtybit = (uint8_t)util_rng_below(s, 2);
		d.xs = (uint8_t)util_rng_below(s, 32);
	}
	return esr_build_dabt(&d);
}

uint64_t dabt_gen_bus(uint64_t *s, unsigned sas)
{
	unsigned bits = 8u << (sas & 3);
	uint64_t v = util_rng_next(s);
	uint64_t top = UINT64_C(1) << (bits - 1);

	switch (util_rng_below(s, 6)) {
	case 0: v |= top; break;			/* sign bit set */
	case 1: v &= ~top; break;			/* sign bit clear */
	case 2: v = top; break;				/* 0x80.. */
	case 3: v = top - 1; break;			/* 0x7f.. */
	case 4: v = ~UINT64_C(0); break;
	default: break;
	}
	if (bits < 64 && util_rng_below(s, 2))		/* clean high bits */
		v &= (UINT64_C(1) << bits) - 1;
	return v;
}
