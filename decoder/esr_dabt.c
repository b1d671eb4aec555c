/*
 * Data Abort ISS/ISS2 build and decode.
 * Arm ARM D24.2.40 ESR_EL2, "ISS encoding for an exception from a Data
 * Abort" and "ISS2 encoding for an exception from a Data Abort".
 */
#include "hvexit/esr.h"

/* ISS bit positions (D24.2.40). */
#define DABT_ISV	24
#define DABT_SAS_HI	23
#define DABT_SAS_LO	22
#define DABT_SSE	21
#define DABT_SRT_HI	20
#define DABT_SRT_LO	16
#define DABT_SF		15	/* FnP when ISV == 0 */
#define DABT_AR		14
#define DABT_VNCR	13
#define DABT_SET_HI	12
#define DABT_SET_LO	11
#define DABT_FNV	10
#define DABT_EA		9
#define DABT_CM		8
#define DABT_S1PTW	7
#define DABT_WNR	6
#define DABT_DFSC_HI	5
/* ISS2 bit positions, relative to ESR bit 32. */
#define DABT2_HDBSSF	11
#define DABT2_TND	10
#define DABT2_TAGACCESS	9
#define DABT2_GCS	8
#define DABT2_ASSURING	7
#define DABT2_OVERLAY	6
#define DABT2_DIRTYBIT	5
#define DABT2_XS_HI	4

static bool is_dabt_ec(unsigned ec)
{
	return ec == ESR_EC_DABT_LOW || ec == ESR_EC_DABT_CUR;
}

uint64_t esr_build_dabt(const struct esr_dabt *d)
{
	uint64_t iss = 0, iss2 = 0;

	iss |= hvx_field(d->isv, DABT_ISV, DABT_ISV);
	if (d->isv)
		iss |= hvx_field(d->sas, DABT_SAS_HI, DABT_SAS_LO);
	if (d->isv) {	/* SAS..AR exist only with a valid syndrome */
		iss |= hvx_field(d->sse, DABT_SSE, DABT_SSE);
		iss |= hvx_field(d->srt, DABT_SRT_HI, DABT_SRT_LO);
	}
	iss |= hvx_field(d->isv ? d->sf : d->fnp, DABT_SF, DABT_SF);
	if (d->isv)
		iss |= hvx_field(d->ar, DABT_AR, DABT_AR);
	else
		iss |= hvx_field(d->toplevel, 21, 21) | hvx_field(d->wu, 17, 16) |
		       hvx_field(d->pfv, 14, 14);
	iss |= hvx_field(d->vncr, DABT_VNCR, DABT_VNCR);
	iss |= hvx_field(d->set, DABT_SET_HI, DABT_SET_LO);
	iss |= hvx_field(d->fnv, DABT_FNV, DABT_FNV);
	iss |= hvx_field(d->ea, DABT_EA, DABT_EA);
	iss |= hvx_field(d->cm, DABT_CM, DABT_CM);
	iss |= hvx_field(d->s1ptw, DABT_S1PTW, DABT_S1PTW);
	iss |= hvx_field(d->wnr, DABT_WNR, DABT_WNR);
	iss |= hvx_field(d->dfsc, DABT_DFSC_HI, 0);

	iss2 |= hvx_field(d->hdbssf, DABT2_HDBSSF, DABT2_HDBSSF);
	iss2 |= hvx_field(d->tnd, DABT2_TND, DABT2_TND);
	iss2 |= hvx_field(d->tagaccess, DABT2_TAGACCESS, DABT2_TAGACCESS);
	iss2 |= hvx_field(d->gcs, DABT2_GCS, DABT2_GCS);
	iss2 |= hvx_field(d->assuringonly, DABT2_ASSURING, DABT2_ASSURING);
	iss2 |= hvx_field(d->overlay, DABT2_OVERLAY, DABT2_OVERLAY);
	iss2 |= hvx_field(d->dirtybit, DABT2_DIRTYBIT, DABT2_DIRTYBIT);
	iss2 |= hvx_field(d->xs, DABT2_XS_HI, 0);

	return iss2 << 32 | hvx_field(d->ec, 31, 26) |
	       (d->il ? ESR_IL : 0) | iss;
}

int esr_decode_dabt(uint64_t esr, struct esr_dabt *out)
{
	unsigned ec = esr_ec(esr);
	uint64_t iss = esr_iss(esr), iss2 = esr_iss2(esr);

	if (!is_dabt_ec(ec))
		return -EINVAL;
	*out = (struct esr_dabt){
		.ec = (uint8_t)ec,
		.il = esr_il(esr),
		.isv = hvx_bit(iss, DABT_ISV),
		.sas = (uint8_t)hvx_bits(iss, DABT_SAS_HI, DABT_SAS_LO),
		.sse = hvx_bit(iss, DABT_SSE),
		.srt = (uint8_t)hvx_bits(iss, DABT_SRT_HI, DABT_SRT_LO),
		.ar = hvx_bit(iss, DABT_AR),
		.vncr = hvx_bit(iss, DABT_VNCR),
		.set = (uint8_t)hvx_bits(iss, DABT_SET_HI, DABT_SET_LO),
		.fnv = hvx_bit(iss, DABT_FNV),
		.ea = hvx_bit(iss, DABT_EA),
		.cm = hvx_bit(iss, DABT_CM),
		.s1ptw = hvx_bit(iss, DABT_S1PTW),
		.wnr = hvx_bit(iss, DABT_WNR),
		.dfsc = (uint8_t)hvx_bits(iss, DABT_DFSC_HI, 0),
		.hdbssf = (uint8_t)hvx_bit(iss2, DABT2_HDBSSF),
		.tnd = (uint8_t)hvx_bit(iss2, DABT2_TND),
		.tagaccess = (uint8_t)hvx_bit(iss2, DABT2_TAGACCESS),
		.gcs = (uint8_t)hvx_bit(iss2, DABT2_GCS),
		.assuringonly = (uint8_t)hvx_bit(iss2, DABT2_ASSURING),
		.overlay = (uint8_t)hvx_bit(iss2, DABT2_OVERLAY),
		.dirtybit = (uint8_t)hvx_bit(iss2, DABT2_DIRTYBIT),
		.xs = (uint8_t)hvx_bits(iss2, DABT2_XS_HI, 0),
	};
	/* Bit 15 is SF when the syndrome is valid, FnP otherwise. */
	if (out->isv) {
		out->sf = hvx_bit(iss, DABT_SF);
	} else {
		/* ISV=0: [23:14] are not SAS..AR (D24.2.40; google
		 * aarch64-esr-decoder abort.rs): TopLevel, WU, FnP, PFV. */
		out->fnp = hvx_bit(iss, DABT_SF);
		out->toplevel = hvx_bit(iss, 21);
		out->wu = (uint8_t)hvx_bits(iss, 17, 16);
		out->pfv = hvx_bit(iss, 14);
		out->sas = 0;
		out->sse = false;
		out->srt = 0;
		out->ar = false;
	}
	return 0;
}
