/*
 * DFSC/IFSC fault status codes. Arm ARM D24.2.40 ESR_EL2, ISS encoding for
 * a Data Abort, DFSC field (the IFSC field uses the same codes).
 *
 * Checked against (2026-11 review, issue #2):
 *  - Linux arch/arm64/mm/fault.c fault_info[] (RME patch v2 04/43):
 *    0x24-0x27 GPF on walk level 0-3, 0x28 GPF not on walk, 0x29 "level
 *    -1 address size fault", 0x2B "level -1 translation fault", 0x22
 *    "unknown 34" (not an abort code).
 *  - Linux asm/esr.h: ESR_ELx_FSC_MTE 0x11, ESR_ELx_FSC_FAULT_L(n) =
 *    0x2C + n for n < 0 (0x2B level -1, 0x2A level -2),
 *    ESR_ELx_FSC_ADDRSZ_nL(-2) = 0x2C. (Its ADDRSZ_nL(-1) = 0x25 clashes
 *    with fault.c's GPF level 1 at 0x25; fault.c and google
 *    aarch64-esr-decoder both give 0x29 for level -1, which we keep.)
 *  - google/aarch64-esr-decoder src/esr/abort.rs describe_fsc: 0x13 SEA
 *    walk level -1, 0x1B parity walk level -1, 0x23 GPF walk level -1,
 *    0x30 TLB conflict, 0x31 unsupported atomic hardware update, 0x34
 *    IMPDEF (lockdown), 0x35 IMPDEF (unsupported exclusive/atomic); its
 *    is_external_abort_fsc counts 0b01001x (0x12, 0x13) as SEA on walk.
 *  - QEMU target/arm/syndrome.h: syn_breakpoint/syn_watchpoint/syn_swstep
 *    report 0x22, so 0x22 is the debug ISS code (fsc_decode_debug).
 */
#include "hvexit/esr.h"

#define NL FSC_NO_LEVEL
/* Index = 6-bit code. Unlisted slots (type 0 == FSC_ADDRESS_SIZE by
 * default) are marked with a valid flag instead. */
struct fsc_ent { bool valid; uint8_t type; int8_t level; };
static const struct fsc_ent fsc_table[64] = {
	[0x00] = { true, FSC_ADDRESS_SIZE, 0 }, [0x01] = { true, FSC_ADDRESS_SIZE, 1 },
	[0x02] = { true, FSC_ADDRESS_SIZE, 2 }, [0x03] = { true, FSC_ADDRESS_SIZE, 3 },
	[0x04] = { true, FSC_TRANSLATION, 0 }, [0x05] = { true, FSC_TRANSLATION, 1 },
	[0x06] = { true, FSC_TRANSLATION, 2 }, [0x07] = { true, FSC_TRANSLATION, 3 },
	[0x08] = { true, FSC_ACCESS_FLAG, 0 }, [0x09] = { true, FSC_ACCESS_FLAG, 1 },
	[0x0A] = { true, FSC_ACCESS_FLAG, 2 }, [0x0B] = { true, FSC_ACCESS_FLAG, 3 },
	[0x0C] = { true, FSC_PERMISSION, 0 }, [0x0D] = { true, FSC_PERMISSION, 1 },
	[0x0E] = { true, FSC_PERMISSION, 2 }, [0x0F] = { true, FSC_PERMISSION, 3 },
	[0x10] = { true, FSC_SYNC_EXTERNAL, NL },
	[0x11] = { true, FSC_TAG_CHECK, NL },
	[0x12] = { true, FSC_SYNC_EXTERNAL_WALK, -2 },
	[0x13] = { true, FSC_SYNC_EXTERNAL_WALK, -1 },
	[0x14] = { true, FSC_SYNC_EXTERNAL_WALK, 0 }, [0x15] = { true, FSC_SYNC_EXTERNAL_WALK, 1 },
	[0x16] = { true, FSC_SYNC_EXTERNAL_WALK, 2 }, [0x17] = { true, FSC_SYNC_EXTERNAL_WALK, 3 },
	[0x18] = { true, FSC_SYNC_PARITY, NL },
	[0x1B] = { true, FSC_SYNC_PARITY_WALK, -1 },
	[0x1C] = { true, FSC_SYNC_PARITY_WALK, 0 }, [0x1D] = { true, FSC_SYNC_PARITY_WALK, 1 },
	[0x1E] = { true, FSC_SYNC_PARITY_WALK, 2 }, [0x1F] = { true, FSC_SYNC_PARITY_WALK, 3 },
	[0x21] = { true, FSC_ALIGNMENT, NL },
	[0x23] = { true, FSC_GRANULE_PROTECTION_WALK, -1 },
	[0x24] = { true, FSC_GRANULE_PROTECTION_WALK, 0 }, [0x25] = { true, FSC_GRANULE_PROTECTION_WALK, 1 },
	[0x26] = { true, FSC_GRANULE_PROTECTION_WALK, 2 }, [0x27] = { true, FSC_GRANULE_PROTECTION_WALK, 3 },
	[0x28] = { true, FSC_GRANULE_PROTECTION, NL },
	[0x29] = { true, FSC_ADDRESS_SIZE, -1 },
	[0x2A] = { true, FSC_TRANSLATION, -2 },
	[0x2B] = { true, FSC_TRANSLATION, -1 },
	[0x2C] = { true, FSC_ADDRESS_SIZE, -2 },
	[0x30] = { true, FSC_TLB_CONFLICT, NL },
	[0x31] = { true, FSC_UNSUPPORTED_ATOMIC, NL },
	[0x34] = { true, FSC_IMPLEMENTATION_DEFINED, NL },
	[0x35] = { true, FSC_IMPLEMENTATION_DEFINED, NL },
};

static const char *const fsc_names[] = {
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
	[FSC_RESERVED] = "reserved", [FSC_TAG_CHECK] = "tag_check",
	[FSC_DEBUG] = "debug", [FSC_UNCATEGORIZED] = "uncategorized",
	[FSC_ASYNC_SERROR] = "async_serror",
};

int fsc_decode(unsigned code, struct fsc_info *out)
{
	if (code > 0x3f)
		return -EINVAL;
	if (!fsc_table[code].valid) {
		*out = (struct fsc_info){ FSC_RESERVED, FSC_NO_LEVEL };
		return 0;
	}
	*out = (struct fsc_info){ (enum fsc_type)fsc_table[code].type,
				  fsc_table[code].level };
	return 0;
}

/* D24.2.40, ISS encodings for Breakpoint/Vector Catch, Software Step and
 * Watchpoint exceptions: IFSC/DFSC 0b100010 "Debug exception". */
int fsc_decode_debug(unsigned code, struct fsc_info *out)
{
	if (code > 0x3f)
		return -EINVAL;
	*out = (struct fsc_info){ code == 0x22 ? FSC_DEBUG : FSC_RESERVED,
				  FSC_NO_LEVEL };
	return 0;
}

/* D24.2.40, ISS encoding for an SError exception, DFSC: 0b000000
 * uncategorized, 0b010001 asynchronous SError interrupt (Linux
 * ESR_ELx_FSC_SERROR 0x11; google aarch64-esr-decoder serror.rs). */
int fsc_decode_serror(unsigned code, struct fsc_info *out)
{
	if (code > 0x3f)
		return -EINVAL;
	*out = (struct fsc_info){ code == 0 ? FSC_UNCATEGORIZED :
				  code == 0x11 ? FSC_ASYNC_SERROR : FSC_RESERVED,
				  FSC_NO_LEVEL };
	return 0;
}

int fsc_encode(enum fsc_type type, int level)
{
	if (type == FSC_RESERVED || type == FSC_IMPLEMENTATION_DEFINED)
		return -EINVAL;	/* several codes; no single encoding */
	if (level == FSC_NO_LEVEL && type == FSC_DEBUG)
		return 0x22;
	if (level == FSC_NO_LEVEL && type == FSC_UNCATEGORIZED)
		return 0x00;
	if (level == FSC_NO_LEVEL && type == FSC_ASYNC_SERROR)
		return 0x11;
	for (unsigned c = 0; c < HVX_ARRAY_SIZE(fsc_table); c++)
		if (fsc_table[c].valid && fsc_table[c].type == (uint8_t)type &&
		    fsc_table[c].level == level)
			return (int)c;
	return -EINVAL;
}

const char *fsc_type_name(enum fsc_type type)
{
	if ((unsigned)type >= HVX_ARRAY_SIZE(fsc_names) || !fsc_names[type])
		return "reserved";
	return fsc_names[type];
}
