/*
 * Fault status codes. Arm ARM D24.2.46 ESR_EL2: the DFSC table of the
 * "ISS encoding for an exception from a Data Abort", the IFSC table of the
 * "ISS encoding for an exception from an Instruction Abort", the IFSC/DFSC
 * of the Breakpoint/Vector Catch, Software Step and Watchpoint encodings
 * (0b100010 only) and the DFSC of the "ISS encoding for an SError
 * exception" (0b000000, 0b010001). tests/test_esr_layout.c checks every
 * code of every table against the Markdown Arm ARM.
 */
#include "decoder/esr_tab.h"

/* The level as stored (esr_tab.h); NL: no level. */
#define L(n) (int8_t)((n) ^ FSC_NO_LEVEL)
#define NL 0
#define E(t, lvx) { FSC_##t, lvx }

/* The codes an Instruction Abort shares with a Data Abort. The IFSC table
 * has no 0x11 (Tag Check), 0x21 (Alignment), 0x34/0x35 (IMPLEMENTATION
 * DEFINED): those are reserved for an Instruction Abort. */
#define ABORT_CODES \
	[0x00] = E(ADDRESS_SIZE, L(0)), [0x01] = E(ADDRESS_SIZE, L(1)), \
	[0x02] = E(ADDRESS_SIZE, L(2)), [0x03] = E(ADDRESS_SIZE, L(3)), \
	[0x04] = E(TRANSLATION, L(0)), [0x05] = E(TRANSLATION, L(1)), \
	[0x06] = E(TRANSLATION, L(2)), [0x07] = E(TRANSLATION, L(3)), \
	[0x08] = E(ACCESS_FLAG, L(0)), [0x09] = E(ACCESS_FLAG, L(1)), \
	[0x0A] = E(ACCESS_FLAG, L(2)), [0x0B] = E(ACCESS_FLAG, L(3)), \
	[0x0C] = E(PERMISSION, L(0)), [0x0D] = E(PERMISSION, L(1)), \
	[0x0E] = E(PERMISSION, L(2)), [0x0F] = E(PERMISSION, L(3)), \
	[0x10] = E(SYNC_EXTERNAL, NL), \
	[0x12] = E(SYNC_EXTERNAL_WALK, L(-2)), [0x13] = E(SYNC_EXTERNAL_WALK, L(-1)), \
	[0x14] = E(SYNC_EXTERNAL_WALK, L(0)), [0x15] = E(SYNC_EXTERNAL_WALK, L(1)), \
	[0x16] = E(SYNC_EXTERNAL_WALK, L(2)), [0x17] = E(SYNC_EXTERNAL_WALK, L(3)), \
	[0x18] = E(SYNC_PARITY, NL), \
	[0x1B] = E(SYNC_PARITY_WALK, L(-1)), [0x1C] = E(SYNC_PARITY_WALK, L(0)), \
	[0x1D] = E(SYNC_PARITY_WALK, L(1)), [0x1E] = E(SYNC_PARITY_WALK, L(2)), \
	[0x1F] = E(SYNC_PARITY_WALK, L(3)), \
	[0x22] = E(GRANULE_PROTECTION_WALK, L(-2)), \
	[0x23] = E(GRANULE_PROTECTION_WALK, L(-1)), \
	[0x24] = E(GRANULE_PROTECTION_WALK, L(0)), \
	[0x25] = E(GRANULE_PROTECTION_WALK, L(1)), \
	[0x26] = E(GRANULE_PROTECTION_WALK, L(2)), \
	[0x27] = E(GRANULE_PROTECTION_WALK, L(3)), \
	[0x28] = E(GRANULE_PROTECTION, NL), \
	[0x29] = E(ADDRESS_SIZE, L(-1)), [0x2A] = E(TRANSLATION, L(-2)), \
	[0x2B] = E(TRANSLATION, L(-1)), [0x2C] = E(ADDRESS_SIZE, L(-2)), \
	[0x30] = E(TLB_CONFLICT, NL), [0x31] = E(UNSUPPORTED_ATOMIC, NL)

/* Unlisted slots are zero: FSC_RESERVED, no level. */
const struct esr_fsc_ent esr_fsc_tab[FSC_KIND_COUNT][64] = {
	[FSC_KIND_DABT] = {
		ABORT_CODES,
		[0x11] = E(TAG_CHECK, NL), [0x21] = E(ALIGNMENT, NL),
		[0x34] = E(IMPLEMENTATION_DEFINED, NL),	/* Lockdown */
		[0x35] = E(IMPLEMENTATION_DEFINED, NL),	/* unsupported exclusive/atomic */
	},
	[FSC_KIND_IABT] = { ABORT_CODES },
	[FSC_KIND_DEBUG] = { [0x22] = E(DEBUG, NL) },
	[FSC_KIND_SERROR] = { [0x00] = E(UNCATEGORIZED, NL), [0x11] = E(ASYNC_SERROR, NL) },
};

/* ESR_FSCC_* of each code (esr_tab.h): LST is "(DFSC IN {0b00xxxx} || DFSC
 * IN {0b10101x}) && !(DFSC IN {0b0000xx})", a synchronous External abort
 * "DFSC == 0b010000 || DFSC IN {0b01001x} || DFSC IN {0b0101xx}". */
#define CLASS(c) (uint8_t)ESR_FSCC_OF(c)
const uint8_t esr_fsc_class[64] = { ESR_REP64(CLASS, 0) };

static const char *const fsc_names[] = {
	[FSC_RESERVED] = "reserved",
	[FSC_ADDRESS_SIZE] = "address_size", [FSC_TRANSLATION] = "translation",
	[FSC_ACCESS_FLAG] = "access_flag", [FSC_PERMISSION] = "permission",
	[FSC_SYNC_EXTERNAL] = "sync_external",
	[FSC_SYNC_EXTERNAL_WALK] = "sync_external_walk",
	[FSC_SYNC_PARITY] = "sync_parity", [FSC_SYNC_PARITY_WALK] = "sync_parity_walk",
	[FSC_ALIGNMENT] = "alignment", [FSC_GRANULE_PROTECTION] = "granule_protection",
	[FSC_GRANULE_PROTECTION_WALK] = "granule_protection_walk",
	[FSC_TLB_CONFLICT] = "tlb_conflict",
	[FSC_UNSUPPORTED_ATOMIC] = "unsupported_atomic",
	[FSC_IMPLEMENTATION_DEFINED] = "implementation_defined",
	[FSC_TAG_CHECK] = "tag_check", [FSC_DEBUG] = "debug",
	[FSC_UNCATEGORIZED] = "uncategorized", [FSC_ASYNC_SERROR] = "async_serror",
};

int fsc_decode_kind(enum fsc_kind kind, unsigned code, struct fsc_info *out)
{
	if (code > 0x3f || (unsigned)kind >= FSC_KIND_COUNT)
		return -EINVAL;
	*out = esr_fsc_info(kind, code);
	return 0;
}

int fsc_decode(unsigned code, struct fsc_info *out)
{
	return fsc_decode_kind(FSC_KIND_DABT, code, out);
}

int fsc_encode(enum fsc_type type, int level)
{
	static const enum fsc_kind order[] = { FSC_KIND_DABT, FSC_KIND_DEBUG,
					       FSC_KIND_SERROR };

	if (type == FSC_RESERVED || type == FSC_IMPLEMENTATION_DEFINED)
		return -EINVAL;	/* no code, or several */
	for (unsigned k = 0; k < HVX_ARRAY_SIZE(order); k++)
		for (unsigned c = 0; c < 64; c++) {
			struct fsc_info fi = esr_fsc_info(order[k], c);

			if (fi.type == type && fi.level == level)
				return (int)c;
		}
	return -EINVAL;
}

const char *fsc_type_name(enum fsc_type type)
{
	if ((unsigned)type >= HVX_ARRAY_SIZE(fsc_names) || !fsc_names[type])
		return "reserved";
	return fsc_names[type];
}
