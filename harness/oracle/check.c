/* Comparing probe records with expectations (check.h). */
#include <inttypes.h>
#include <string.h>

#include "harness/oracle/check.h"
#include "hvexit/esr.h"

uint64_t oracle_esr_hvc(unsigned imm)
{
	return esr_build_imm16(ESR_EC_HVC64, (uint16_t)imm);
}

static bool diff(struct oracle_diff *d, const char *field, uint64_t e, uint64_t o)
{
	*d = (struct oracle_diff){ field, e, o, -1 };
	return false;
}

static bool cmp_run(const struct oracle_expect_run *e, const struct oracle_rec *o,
		    struct oracle_diff *d);
static bool cmp_at(const struct oracle_expect_at *e, const struct oracle_rec *o,
		   struct oracle_diff *d);

/* The fault status code the probe reported in a record, -1 if none. */
static int obs_fsc(const struct oracle_rec *o)
{
	unsigned ec = (unsigned)hvx_bits(o->esr, 31, 26);

	if (o->tag == 'A')
		return o->esr ? (int)(o->esr & 0x3f) : (o->par & 1) ? (int)hvx_bits(o->par, 6, 1) : -1;
	if (o->tag == 'R' && (ec == ESR_EC_DABT_LOW || ec == ESR_EC_IABT_LOW))
		return (int)(o->esr & 0x3f);
	return -1;
}

/* DFSC/IFSC [5:0] is compared on its own so that a wrong fault kind or
 * level is one cluster, the rest of the ISS another. */
bool oracle_cmp_run(const struct oracle_expect_run *e, const struct oracle_rec *o,
		    struct oracle_diff *d)
{
	bool same = cmp_run(e, o, d);

	d->obs_fsc = obs_fsc(o);
	return same;
}

bool oracle_cmp_at(const struct oracle_expect_at *e, const struct oracle_rec *o,
		   struct oracle_diff *d)
{
	bool same = cmp_at(e, o, d);

	d->obs_fsc = obs_fsc(o);
	return same;
}

static bool cmp_run(const struct oracle_expect_run *e, const struct oracle_rec *o,
		    struct oracle_diff *d)
{
	if (o->tag != 'R')
		return diff(d, "record", 'R', (uint64_t)(unsigned char)o->tag);
	if (o->vec != 0x400)
		return diff(d, "run.vector", 0x400, o->vec);
	if (hvx_bits(e->esr, 31, 26) != hvx_bits(o->esr, 31, 26))
		return diff(d, "run.esr.ec", e->esr, o->esr);
	if (e->abort && (e->esr & 0x3f) != (o->esr & 0x3f))
		return diff(d, "run.esr.fsc", e->esr, o->esr);
	if (e->esr != o->esr)
		return diff(d, "run.esr.iss", e->esr, o->esr);
	if (e->abort && e->far_valid && e->far != o->far)
		return diff(d, "run.far", e->far, o->far);
	if (e->abort && e->hpfar_valid && e->hpfar != o->hpfar)
		return diff(d, "run.hpfar", e->hpfar, o->hpfar);
	if (e->elr != o->elr)
		return diff(d, "run.elr", e->elr, o->elr);
	return true;
}

static bool cmp_at(const struct oracle_expect_at *e, const struct oracle_rec *o,
		   struct oracle_diff *d)
{
	if (o->tag != 'A')
		return diff(d, "record", 'A', (uint64_t)(unsigned char)o->tag);
	if (e->exception || o->esr) {
		if (e->esr != o->esr)
			return diff(d, "at.esr", e->esr, o->esr);
		if (e->far != o->far)
			return diff(d, "at.far", e->far, o->far);
		return true;
	}
	bool f = o->par & 1;
	if (f != e->fault)
		return diff(d, "at.par.f", e->fault ? (uint64_t)e->fst << 1 | 1 : e->pa,
			    o->par);
	if (f) {
		/* FST [6:1], S [9] = 1 for a Stage-2 fault, PTW [8] = 0. */
		uint64_t want = (uint64_t)e->fst << 1 | 1u << 9 | 1;
		uint64_t got = o->par & (hvx_mask(6, 1) | 1u << 9 | 1u << 8 | 1);
		if (want != got)
			return diff(d, "at.par.fst", want, o->par);
		return true;
	}
	if ((o->par & hvx_mask(51, 12)) != (e->pa & hvx_mask(51, 12)))
		return diff(d, "at.par.pa", e->pa, o->par);
	return true;
}

void oracle_rec_text(const struct oracle_rec *o, char *buf, size_t len)
{
	uint16_t imm;

	if (o->tag == 'A' && o->esr) {
		snprintf(buf, len, "AT took a Data Abort: ESR_EL2 0x%" PRIx64 " FAR_EL2 0x%" PRIx64,
			 o->esr, o->far);
	} else if (o->tag == 'A') {
		snprintf(buf, len, "PAR_EL1 0x%" PRIx64, o->par);
	} else if (o->tag != 'R') {
		snprintf(buf, len, "no record");
	} else if (hvx_bits(o->esr, 31, 26) == ESR_EC_HVC64 && !esr_decode_imm16(o->esr, &imm) &&
		   imm == ORC_HVC_EL1EXC) {
		snprintf(buf, len, "EL1 took an exception: ESR_EL1 0x%" PRIx64 " FAR_EL1 0x%"
			 PRIx64, o->x0, o->x1);
	} else {
		snprintf(buf, len, "vector 0x%" PRIx64 " ESR_EL2 0x%" PRIx64 " FAR_EL2 0x%" PRIx64
			 " HPFAR_EL2 0x%" PRIx64 " ELR_EL2 0x%" PRIx64, o->vec, o->esr, o->far,
			 o->hpfar, o->elr);
	}
}
