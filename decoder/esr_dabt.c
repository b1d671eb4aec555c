/*
 * Data Abort ISS/ISS2 build and decode: the hot path of every MMIO exit.
 * Arm ARM D24.2.46 ESR_EL2, "ISS encoding for an exception from a Data
 * Abort" and "ISS2 encoding for an exception from a Data Abort".
 *
 * struct esr_dabt keeps every field at its ESR bit position (esr.h), so a
 * decode is three masked copies: the masks keep the fields that apply to
 * the value and clear the rest, which the Arm ARM makes RES0.
 */
#include "decoder/esr_tab.h"

/* struct esr_dabt.w_lo: ESR [31:0] with the fields of an ISV=1 syndrome. */
#define LO_ALWAYS	(UINT32_C(0xfc000000) |	/* EC [31:26] */	\
			 UINT32_C(1) << 25 |	/* IL */		\
			 UINT32_C(1) << 24 |	/* ISV */		\
			 UINT32_C(1) << 13 |	/* VNCR */		\
			 UINT32_C(0x3ff))	/* EA [9] .. DFSC [5:0] */
#define LO_ISV1		UINT32_C(0x00ffc000)	/* SAS, SSE, SRT, SF, AR [23:14] */
#define LO_SET		UINT32_C(0x00001800)	/* SET [12:11] */
#define LO_FNV		UINT32_C(0x00000400)	/* FnV [10] */
/* w_alt: the fields that share bits with the ones above. */
#define ALT_LST		UINT32_C(0x00001800)	/* LST [12:11] */
#define ALT_ISV0	(UINT32_C(1) << 21 | UINT32_C(1) << 15)	/* TopLevel, FnP */
#define ALT_ISV0_SEA	(UINT32_C(3) << 16 | UINT32_C(1) << 14)	/* WU, PFV */
/* w_iss2: HDBSSF [11] .. Xs [4:0]; ISS2 [23:12] are RES0. */
#define ISS2_DEFINED	UINT32_C(0x00000fff)

/* Which bits of ESR [31:0] apply, by ISV and DFSC: keep[ISV << 6 | DFSC]. */
struct dabt_keep { uint32_t lo, alt; };
#define KEEP_LO(isv, cls) (LO_ALWAYS | ((isv) ? LO_ISV1 : 0) | \
	((cls) & ESR_FSCC_SEA ? LO_SET : 0) | ((cls) & ESR_FSCC_X10 ? LO_FNV : 0))
#define KEEP_ALT(isv, cls) (((cls) & ESR_FSCC_LST ? ALT_LST : 0) | \
	((isv) ? 0 : ALT_ISV0) | (!(isv) && ((cls) & ESR_FSCC_SEA) ? ALT_ISV0_SEA : 0))
#define KEEP(i) { KEEP_LO((i) >> 6, ESR_FSCC_OF((i) & 63)), \
		  KEEP_ALT((i) >> 6, ESR_FSCC_OF((i) & 63)) }
static const struct dabt_keep keep_tab[128] = { ESR_REP64(KEEP, 0), ESR_REP64(KEEP, 64) };

static inline const struct dabt_keep *dabt_keep(uint32_t lo)
{
	return &keep_tab[(lo >> 18 & 0x40) | (lo & 0x3f)];
}

static bool is_dabt_ec(unsigned ec)
{
	return ec == ESR_EC_DABT_LOW || ec == ESR_EC_DABT_CUR;
}

uint64_t esr_build_dabt(const struct esr_dabt *d)
{
	const struct dabt_keep *k = dabt_keep(d->w_lo);

	return (uint64_t)(d->w_iss2 & ISS2_DEFINED) << 32 |
	       (d->w_lo & k->lo) | (d->w_alt & k->alt);
}

int esr_decode_dabt(uint64_t esr, struct esr_dabt *out)
{
	uint32_t lo = (uint32_t)esr;
	const struct dabt_keep *k;

	if (!is_dabt_ec(lo >> 26))
		return -EINVAL;
	k = dabt_keep(lo);
	out->w_lo = lo & k->lo;
	out->w_alt = lo & k->alt;
	out->w_iss2 = (uint32_t)(esr >> 32) & ISS2_DEFINED;
	return 0;
}
