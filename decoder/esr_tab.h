/*
 * Tables shared by the ESR decoders in decoder/ (not a public header):
 * fault status codes per kind and the status-code classes that ISS field
 * conditions test. Both live in decoder/esr_fsc.c.
 */
#ifndef HVEXIT_DECODER_ESR_TAB_H
#define HVEXIT_DECODER_ESR_TAB_H

#include "hvexit/esr.h"

/* Classes of a 6-bit DFSC/IFSC named by the "When ...:" clauses of
 * D24.2.46 (Data Abort LST, SET, WU, PFV, FnV; Instruction Abort SET,
 * FnV; SError fields). */
#define ESR_FSCC_LST 1u	/* (0b00xxxx or 0b10101x) and not 0b0000xx */
#define ESR_FSCC_SEA 2u	/* 0b010000, 0b01001x, 0b0101xx */
#define ESR_FSCC_X10 4u	/* 0b010000 */
#define ESR_FSCC_X11 8u	/* 0b010001 */
#define ESR_FSCC_OF(c) ( \
	((((c) & 0x30) == 0x00 && ((c) & 0x0c) != 0) || ((c) & 0x3e) == 0x2a ? \
		ESR_FSCC_LST : 0u) | \
	((c) == 0x10 || ((c) & 0x3e) == 0x12 || ((c) & 0x3c) == 0x14 ? \
		ESR_FSCC_SEA : 0u) | \
	((c) == 0x10 ? ESR_FSCC_X10 : 0u) | ((c) == 0x11 ? ESR_FSCC_X11 : 0u))
extern const uint8_t esr_fsc_class[64];

/* Static tables indexed by a code: M(0), M(1), ..., M(n - 1). */
#define ESR_REP4(M, b) M(b), M((b) + 1), M((b) + 2), M((b) + 3)
#define ESR_REP16(M, b) ESR_REP4(M, b), ESR_REP4(M, (b) + 4), \
	ESR_REP4(M, (b) + 8), ESR_REP4(M, (b) + 12)
#define ESR_REP64(M, b) ESR_REP16(M, b), ESR_REP16(M, (b) + 16), \
	ESR_REP16(M, (b) + 32), ESR_REP16(M, (b) + 48)

/* One status code: its type, and its level XOR FSC_NO_LEVEL, so that a
 * zeroed slot reads FSC_RESERVED with no level. */
struct esr_fsc_ent {
	uint8_t type;
	int8_t lvx;
};
extern const struct esr_fsc_ent esr_fsc_tab[FSC_KIND_COUNT][64];

static inline struct fsc_info esr_fsc_info(unsigned kind, unsigned code)
{
	struct esr_fsc_ent e = esr_fsc_tab[kind][code & 0x3f];

	return (struct fsc_info){ (enum fsc_type)e.type, e.lvx ^ FSC_NO_LEVEL };
}

#endif
