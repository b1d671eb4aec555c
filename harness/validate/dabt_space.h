/*
 * The input space of the data-abort entry points (decode_dabt, mmio_load):
 * which syndromes a PE can report for a guest's stage-2 data abort on an
 * A64 load or store (the conformance class), the generators for that
 * class and for the robustness class (anything else), and the grid of
 * decisive features that failing cases are clustered by.
 *
 * The rules encoded here, all from Arm ARM D24.2.46 ESR_EL2, "ISS encoding
 * for an exception from a Data Abort":
 *   - EC 0x24 (Data Abort from a lower Exception level). EC 0x25 is an
 *     abort of EL2 itself or, with FEAT_NV2, a VNCR_EL2 access: never a
 *     guest's access to emulate.
 *   - IL = 1: the instruction is a 32-bit A64 instruction; IL is also 1
 *     for every Data Abort with ISV = 0 (ESR_EL2.IL).
 *   - ISV = 1 only for a stage-2 abort on a load or store of a single
 *     general-purpose register (with or without acquire/release, not
 *     exclusive, no writeback); "a stage 2 abort on a stage 1 translation
 *     table walk does not return a valid instruction syndrome", so S1PTW
 *     = 0 whenever ISV = 1; with FEAT_RAS ISV is 0 for a synchronous
 *     External abort. So ISV = 1 goes with a Translation, Access flag or
 *     Permission fault DFSC at a level that exists (level -1 and level 0
 *     Access flag/Permission with FEAT_LPA2).
 *   - SAS/SSE/SF as the instruction sets them (C6.2): LDRB/LDRH/LDR(W)
 *     have SSE = 0, SF = 0; LDR(X) SAS = 3, SF = 1; LDRSB/LDRSH load Wt or
 *     Xt; LDRSW loads Xt only; stores never sign-extend ("for all other
 *     operations this field is 0") and STRB/STRH take a Wt.
 *   - ISV = 0: ISS[23:14] are RES0; the ISS2 fields used here (Overlay,
 *     ESR[38]) only come with a Permission fault; ESR[63:56] are RES0.
 */
#ifndef HVEXIT_VALIDATE_DABT_SPACE_H
#define HVEXIT_VALIDATE_DABT_SPACE_H

#include <stdbool.h>
#include <stdint.h>

/* Instruction classes: the (WnR, SAS, SSE, SF) an A64 instruction gives. */
enum {
	DCLS_LDRB, DCLS_LDRH, DCLS_LDRW, DCLS_LDRX, DCLS_LDRSBW, DCLS_LDRSBX,
	DCLS_LDRSHW, DCLS_LDRSHX, DCLS_LDRSW,
	DCLS_NLOADS,			/* the loads mmio_load is called with */
	DCLS_STRB = DCLS_NLOADS, DCLS_STRH, DCLS_STRW, DCLS_STRX,
	DCLS_ISV0_READ, DCLS_ISV0_WRITE,	/* no instruction syndrome */
	DCLS_COUNT
};

struct dabt_class {
	const char *name;	/* "LDRSB-W": the mnemonic and the register width */
	const char *ar_name;	/* the same access with AR = 1 ("LDAPURSB-W") */
	uint8_t isv, wnr, sas, sse, sf;
};
extern const struct dabt_class dabt_classes[DCLS_COUNT];

/* The Fault status codes a conformance case uses (DFSC, D24.2.46). */
#define DABT_NFSC 13
extern const uint8_t dabt_fsc[DABT_NFSC];

/* A point of the feature grid: one representative syndrome per point. */
enum { AX_CLS, AX_BUS, AX_SRT, AX_AR, AX_ISS2, AX_FSC, AX_S1PTW, AX_COUNT };
struct dabt_point {
	/* cls, bus data kind (loads), srt bucket, ar, iss2, fsc index, s1ptw;
	 * value 0 of each axis is the simplest */
	uint8_t v[AX_COUNT];
};
/* Values per axis (AX_CLS: DCLS_COUNT; the others small). */
extern const uint8_t dabt_axis_len[AX_COUNT];
/* SRT buckets and their representatives: x0-x15 -> 1, x16-x30 -> 17, 31. */
extern const uint8_t dabt_srt_rep[3];

/* The class of a decoded syndrome's (ISV, WnR, SAS, SSE, SF), or -1
 * when no A64 load or store reports that combination. */
struct esr_dabt;
int dabt_class_of(const struct esr_dabt *d);

/* Is the point a syndrome the PE can report (the rules above)? */
bool dabt_point_possible(const struct dabt_point *p);
/* The syndrome of a point, with register srt (any value in its bucket). */
uint64_t dabt_point_esr(const struct dabt_point *p, unsigned srt);
/* The bus data of a point's kind (AX_BUS): 0 sign bit set, clean; 1 sign
 * bit clear, clean; 2 sign bit clear, junk above the access size; 3 sign
 * bit set, junk above. */
uint64_t dabt_point_bus(const struct dabt_point *p);
/* The point of a conformance syndrome (and bus data, for loads); false
 * when esr is outside the conformance class (the robustness class).
 * *srt: its exact register. */
bool dabt_point_of(uint64_t esr, uint64_t bus, struct dabt_point *p, unsigned *srt);
/* Is esr a conformance input (dabt_point_of without the point)? */
bool dabt_possible(uint64_t esr);
/* Index of a grid point (0 .. dabt_grid_size() - 1). */
unsigned dabt_point_index(const struct dabt_point *p);
unsigned dabt_grid_size(void);

/* Class name of a point (the AR form when AR = 1). */
const char *dabt_point_name(const struct dabt_point *p);

/* Generators. Conformance: a random possible syndrome (loads only when
 * loads_only, for mmio_load). Robustness: anything (any EC, IL = 0, S1PTW
 * with ISV = 1, any DFSC, RES0 bits), weighted towards data aborts. */
uint64_t dabt_gen_possible(uint64_t *rng, bool loads_only);
uint64_t dabt_gen_hostile(uint64_t *rng);
/* Bus data for a load of 1 << sas bytes: sign-bit patterns and junk above
 * the access size. */
uint64_t dabt_gen_bus(uint64_t *rng, unsigned sas);

#endif
