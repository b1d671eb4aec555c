/*
 * DFSC/IFSC fault status codes. Arm ARM D24.2.40 ESR_EL2, ISS encoding for
 * a Data Abort, DFSC field (the IFSC field uses the same codes).
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
	[0x22] = { true, FSC_DEBUG, NL },
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
	[FSC_DEBUG] = "debug",
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

int fsc_encode(enum fsc_type type, int level)
{
	if (type == FSC_RESERVED || type == FSC_IMPLEMENTATION_DEFINED)
		return -EINVAL;	/* several codes; no single encoding */
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
