/*
 * Stage-2 (and Stage-1 EL1&0) translation model: VTCR_EL2/VTTBR_EL2 decode
 * and validation, the table walk, the fault exactly as the hardware reports
 * it (DFSC/IFSC, level, HPFAR_EL2, FAR low bits, ESR_EL2), and a Stage-2
 * table builder.
 *
 * Pure functions: no allocation, no I/O, no global mutable state. Memory is
 * read only through the caller's s2_read64_fn; the caller owns every buffer.
 *
 * Interface for other modules (the exit engine in emu/ and the plugin
 * validator in harness/):
 *   - s2_build()          build Stage-2 tables for a region list;
 *   - s2_config_init()    check a VTCR_EL2/VTTBR_EL2 pair once;
 *   - s2_walk()           walk an IPA for an access;
 *   - s2_fault_esr(), s2_fault_hpfar()  the ESR_EL2 / HPFAR_EL2 the
 *                         hardware reports for that walk's fault.
 *
 * References (Arm ARM DDI 0487, J.a/K.a numbering):
 *   D24.2.208 VTCR_EL2, D24.2.209 VTTBR_EL2, D24.2.70 HPFAR_EL2,
 *   D24.2.40 ESR_EL2 (DFSC/IFSC), D24.2.180 TCR_EL1, D24.2.189 TTBR0_EL1;
 *   D8.2 "Translation table walk" (start level tables, concatenation),
 *   D8.3 "Translation table descriptor formats" (Stage-2 attribute fields);
 *   pseudocode J1.1.5 AArch64.S2InvalidTxSZ / AArch64.S2InvalidSL /
 *   AArch64.S2InconsistentSL / AArch64.IPAIsOutOfRange / AArch64.S2Walk.
 */
#ifndef HVEXIT_S2_H
#define HVEXIT_S2_H

#include "hvexit/common.h"
#include "hvexit/esr.h"

/* Read the 64-bit little-endian word at physical address pa into *val.
 * Return 0 on success; any non-zero value means "not backed": the walk
 * reports a synchronous external abort on the walk at that level. */
typedef int (*s2_read64_fn)(void *ctx, uint64_t pa, uint64_t *val);

/* Highest number of lookup levels of any walk (-1..3 with LPA2). */
#define S2_MAX_LEVELS 5

/* Implemented features; the model behaves as a PE that has them. */
enum s2_feature {
	S2_FEAT_XNX  = 1u << 0,	/* FEAT_XNX: XN[1:0] in Stage-2 descriptors */
	S2_FEAT_TTST = 1u << 1,	/* FEAT_TTST: small translation tables */
	S2_FEAT_LPA  = 1u << 2,	/* FEAT_LPA: 52-bit PA/IPA with 64K granule */
	S2_FEAT_LPA2 = 1u << 3,	/* FEAT_LPA2: DS=1, 52-bit with 4K/16K */
	S2_FEAT_HAFDBS = 1u << 4, /* FEAT_HAFDBS: HA/HD honoured */
	S2_FEAT_ALL  = 0x1f,
};

/* VTCR_EL2 fields (D24.2.208). Each holds exactly its bit width. */
struct s2_vtcr {
	uint8_t t0sz;	/* [5:0] */
	uint8_t sl0;	/* [7:6] */
	uint8_t irgn0;	/* [9:8] */
	uint8_t orgn0;	/* [11:10] */
	uint8_t sh0;	/* [13:12] */
	uint8_t tg0;	/* [15:14] 00 4K, 01 64K, 10 16K */
	uint8_t ps;	/* [18:16] */
	bool vs;	/* [19] 16-bit VMID */
	bool ha;	/* [21] */
	bool hd;	/* [22] */
	uint8_t hwu;	/* [28:25] HWU59..HWU62 */
	bool nsw;	/* [29] */
	bool nsa;	/* [30] */
	bool ds;	/* [32] FEAT_LPA2 */
	bool sl2;	/* [33] FEAT_LPA2 */
	bool assuredonly; /* [34] */
	bool tl1;	/* [35] */
	bool s2pie;	/* [36] */
	bool s2poe;	/* [37] */
	bool d128;	/* [38] */
	bool gcsh;	/* [40] */
	bool tl0;	/* [41] */
	bool haft;	/* [44] */
	bool hdbss;	/* [45] */
};

/* VTTBR_EL2 fields (D24.2.209). */
struct s2_vttbr {
	uint64_t baddr;	/* table base address (with PA[51:48] from [5:2] if 52-bit) */
	uint16_t vmid;	/* [63:48] (only [55:48] used when VTCR_EL2.VS=0) */
	bool cnp;	/* [0] */
};

int s2_vtcr_decode(uint64_t vtcr, struct s2_vtcr *out);
uint64_t s2_vtcr_encode(const struct s2_vtcr *v);

/* The checked, derived configuration of one Stage-2 regime. */
struct s2_config {
	struct s2_vtcr vtcr;
	struct s2_vttbr vttbr;
	unsigned features;	/* enum s2_feature */
	bool fwb;		/* HCR_EL2.FWB */
	unsigned granule_bits;	/* 12, 14 or 16 */
	unsigned stride;	/* granule_bits - 3 */
	unsigned ia_bits;	/* 64 - T0SZ */
	unsigned oa_bits;	/* effective PS */
	int start_level;	/* -1..3 */
	unsigned root_tables;	/* concatenated root tables, 1..16 */
	unsigned root_index_bits; /* IPA bits resolved by the root */
	uint64_t root;		/* root table PA (VTTBR BADDR) */
	bool lpa52;		/* 52-bit descriptor address format in use */
};

/* Check VTCR/VTTBR and derive the walk parameters. pa_range_bits is the
 * implemented PA size (ID_AA64MMFR0_EL1.PARange: 32..52). Returns 0, or
 * -EINVAL with *rule (if non-NULL) pointing to a static message that cites
 * the Arm ARM rule the combination breaks. */
int s2_config_init(uint64_t vtcr, uint64_t vttbr, unsigned features,
		   unsigned pa_range_bits, bool fwb, struct s2_config *cfg,
		   const char **rule);

enum s2_access { S2_ACC_READ, S2_ACC_WRITE, S2_ACC_EXEC };

/* Fault kinds the walk produces (a subset of enum fsc_type). */
enum s2_fault {
	S2_OK = 0,
	S2_FAULT_TRANSLATION,
	S2_FAULT_ACCESS_FLAG,
	S2_FAULT_PERMISSION,
	S2_FAULT_ADDRESS_SIZE,
	S2_FAULT_SYNC_EXT_WALK,
};

/* JSON names: "translation", "access_flag", "permission", "address_size",
 * "sync_external_walk" ("ok" for S2_OK). */
const char *s2_fault_name(enum s2_fault f);
enum fsc_type s2_fault_fsc_type(enum s2_fault f);

/* DFSC/IFSC code of a fault at a level (D24.2.40 DFSC table); -EINVAL if
 * the architecture has no code for the pair. Own table so the s2 module
 * does not depend on fsc_encode(). */
int s2_fsc_code(enum s2_fault f, int level);

struct s2_trace_step {
	int level;
	unsigned index;
	uint64_t desc_pa;
	uint64_t desc;
};

struct s2_result {
	enum s2_fault fault;	/* S2_OK on success */
	int level;		/* level of the final descriptor or of the fault */
	uint8_t fsc;		/* DFSC/IFSC when faulting */
	uint64_t ipa;
	/* success: */
	uint64_t pa;
	uint64_t size;		/* bytes of the block or page */
	uint8_t s2ap;		/* [7:6]: bit0 read, bit1 write */
	uint8_t xn;		/* XN[1:0] (bit 53 is 0 without FEAT_XNX) */
	uint8_t memattr;	/* [5:2] */
	uint8_t sh;		/* [9:8] (VTCR.SH0 when DS=1) */
	bool af, dbm, contig;
	bool writable;		/* write allowed (S2AP[1] or DBM with HD) */
	/* trace of the descriptors read, in order */
	unsigned steps;
	struct s2_trace_step trace[S2_MAX_LEVELS];
};

/* Walk ipa for an access. el0 selects the EL0 column of XN[1:0] for an
 * instruction fetch. Returns 0 when a result (success or fault) is in *out,
 * -EINVAL for bad arguments. Reads at most S2_MAX_LEVELS descriptors. */
int s2_walk(const struct s2_config *cfg, uint64_t ipa, enum s2_access acc,
	    bool el0, s2_read64_fn rd, void *ctx, struct s2_result *out);

/* Whether a block descriptor is valid at level (D8.3; level 3 holds
 * pages only). */
bool s2_block_allowed(const struct s2_config *cfg, int level);

/* HPFAR_EL2 for a fault at ipa (D24.2.70: FIPA [43:4] = IPA[51:12]). */
uint64_t s2_fault_hpfar(uint64_t ipa);

/* What the faulting access was, for building ESR_EL2. For a data access
 * with a valid instruction syndrome set iss->isv and its fields (sas, sse,
 * srt, sf, ar, il); other fields of iss are ignored. iss may be NULL. */
struct s2_access_info {
	enum s2_access acc;
	bool s1ptw;		/* the fault is on a Stage-1 table walk */
	const struct esr_dabt *iss;
};

/* ESR_EL2 of the Stage-2 fault in r (r->fault != S2_OK): EC 0x24 (data
 * abort from a lower EL) or 0x20 (instruction abort), DFSC/IFSC, WnR,
 * S1PTW, ISV and the ISS fields (D24.2.40). 0 if r is not a fault. */
uint64_t s2_fault_esr(const struct s2_result *r, const struct s2_access_info *ai);

/* ---- Stage-1 EL1&0 ------------------------------------------------------ */

struct s1_tcr {
	uint8_t t0sz, t1sz;	/* [5:0], [21:16] */
	bool epd0, epd1;	/* [7], [23] */
	uint8_t tg0;		/* [15:14] 00 4K, 01 64K, 10 16K */
	uint8_t tg1;		/* [31:30] 01 16K, 10 4K, 11 64K */
	uint8_t ips;		/* [34:32] */
	bool a1;		/* [22] */
	bool tbi0, tbi1;	/* [37], [38] */
	bool ha, hd;		/* [39], [40] */
	bool ds;		/* [59] */
};
int s1_tcr_decode(uint64_t tcr, struct s1_tcr *out);

struct s1_result {
	/* Stage-1 outcome */
	enum s2_fault fault;	/* Stage-1 fault (S2_OK if none) */
	int level;
	uint8_t fsc;
	uint64_t va, ipa;	/* ipa: output of Stage 1 */
	uint64_t size;
	uint8_t ap;		/* AP[2:1] */
	bool uxn, pxn, af;
	uint8_t attrindx;
	unsigned steps;
	struct s2_trace_step trace[S2_MAX_LEVELS];
	/* Stage-2 outcome: of the failing S1 table access (s1ptw) or of the
	 * final IPA. */
	bool s1ptw;
	struct s2_result s2;
};

/* Two-stage walk of va (EL1&0 regime, HCR_EL2.VM=1): every Stage-1 table
 * address is itself translated by Stage 2 as a read. Returns 0 with the
 * result in *out, -EINVAL on a bad argument or an unsupported TCR (with
 * *rule set). */
int s1_walk(uint64_t tcr, uint64_t ttbr0, uint64_t ttbr1,
	    const struct s2_config *s2, uint64_t va, enum s2_access acc,
	    bool el0, s2_read64_fn rd, void *ctx, struct s1_result *out,
	    const char **rule);

/* ---- table builder ------------------------------------------------------ */

enum s2_region_flag {
	S2_R = 1u << 0, S2_W = 1u << 1, S2_X = 1u << 2, S2_DEV = 1u << 3,
};
struct s2_region {
	uint64_t ipa, pa, size;
	unsigned flags;		/* enum s2_region_flag */
};

/* Descriptor attributes the builder writes for a region (D8.3): S2AP from
 * R/W, XN = 0b00 if X else 0b10, MemAttr 0b0001 Device-nGnRE with DEV else
 * 0b1111 Normal Write-Back (FWB=0 encoding), SH 0b11 (Normal), AF 1. */
uint64_t s2_build_attrs(unsigned flags);

struct s2_build_out {
	uint64_t root;		/* root table PA = VTTBR_EL2.BADDR */
	size_t used;		/* bytes of buf used (granule multiple) */
	unsigned tables;	/* tables emitted, root counted once */
	unsigned blocks, pages;	/* leaf descriptors written */
	size_t bad_region;	/* index of the region an error names */
};

/* Emit Stage-2 tables for regions into buf (buflen bytes, representing
 * physical memory at base_pa; zeroed here). The root is at base_pa, which
 * must be aligned to the root table size. Uses the largest block each
 * position's alignment and remaining size allow. Returns 0, -EINVAL
 * (misaligned/empty/outside IA or PS, *err says which), -EEXIST (overlap),
 * -ENOSPC (out of buffer). */
int s2_build(const struct s2_config *cfg, const struct s2_region *reg,
	     size_t nreg, uint8_t *buf, size_t buflen, uint64_t base_pa,
	     struct s2_build_out *out, const char **err);

/* A read callback over one flat buffer at base (little-endian words):
 * ctx is a struct s2_flatmem. Reads outside [base, base+len) fail. */
struct s2_flatmem {
	const uint8_t *buf;
	size_t len;
	uint64_t base;
};
int s2_flat_read64(void *ctx, uint64_t pa, uint64_t *val);

#endif
