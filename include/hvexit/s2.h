/*
 * Stage-2 (and Stage-1 EL1&0) translation model: VTCR_EL2/VTTBR_EL2 decode
 * and validation, the table walk, the fault exactly as the hardware reports
 * it (DFSC/IFSC, level, HPFAR_EL2, FAR low bits, ESR_EL2), and a Stage-2
 * table builder.
 *
 * Pure functions: no allocation, no I/O, no global mutable state. Memory is
 * read only through the caller's s2_read64_fn; the caller owns every buffer.
 * Hardware updates of descriptors (FEAT_HAFDBS: Access flag, dirty state)
 * are always reported in the result (struct s2_update); they reach memory
 * only if the caller passes a compare-and-swap callback (struct s2_mem).
 *
 * The PE the model stands for is described by a feature set (enum
 * s2_feature, parsed from "hafdbs,lpa2,..." by s2_features_parse()); a
 * control bit of a feature the set lacks behaves as RES0.
 *
 * Interface for other modules (the exit engine in emu/ and the plugin
 * validator in harness/):
 *   - s2_build()          build Stage-2 tables for a region list;
 *   - s2_config_init()    check a VTCR_EL2/VTTBR_EL2 pair once;
 *   - s2_walk()           walk an IPA for an access (s2_walk_mem() with
 *                         a write-back callback for hardware updates or
 *                         the trace of the descriptors read);
 *   - s2_fault_esr(), s2_fault_hpfar()  the ESR_EL2 / HPFAR_EL2 the
 *                         hardware reports for that walk's fault.
 *
 * References (Arm ARM DDI 0487 M.a.a numbering):
 *   D24.2.224 VTCR_EL2, D24.2.225 VTTBR_EL2, D24.2.76 HPFAR_EL2,
 *   D24.2.46 ESR_EL2 (DFSC/IFSC, ISS2), D24.2.194 TCR_EL1, D24.2.209
 *   TTBR0_EL1, D24.2.175 SCTLR_EL1, D24.2.166 S2PIR_EL2, D24.2.167
 *   S2POR_EL1;
 *   D8.1.9/D8.1.10 input and IPA size configuration,
 *   D8.2 "Translation process" (start level tables, concatenation),
 *   D8.3 "Translation table descriptor formats", D8.4 "Memory access
 *   control" (Direct/Indirect/Overlay permissions, PAN, WXN),
 *   D8.5 "Hardware updates to the translation tables";
 *   pseudocode J1.1.4 AArch64.S2Translate / AArch64.S2Walk /
 *   AArch64.NSS2TTWParams / AArch64.S2TxSZFaults / AArch64.S2InvalidSL /
 *   AArch64.S2InconsistentSL / AArch64.IPAIsOutOfRange /
 *   AArch64.S2CheckPermissions / AArch64.S1DirectBasePermissions.
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

/* Implemented features; the model behaves as a PE that has them. CLI
 * names in brackets (s2_features_parse). */
enum s2_feature {
	S2_FEAT_XNX  = 1u << 0,	/* [xnx] FEAT_XNX: XN[1:0] in Stage-2 descriptors */
	S2_FEAT_TTST = 1u << 1,	/* [ttst] FEAT_TTST: small translation tables */
	S2_FEAT_LPA  = 1u << 2,	/* [lpa] FEAT_LPA: 52-bit PA/IPA with 64K granule */
	S2_FEAT_LPA2 = 1u << 3,	/* [lpa2] FEAT_LPA2: VTCR_EL2.DS, 52-bit with 4K/16K */
	S2_FEAT_HAFDBS = 1u << 4, /* [hafdbs] FEAT_HAFDBS: VTCR_EL2.HA/HD, TCR_EL1.HA/HD */
	S2_FEAT_S2PIE = 1u << 5, /* [s2pie] FEAT_S2PIE: VTCR_EL2.S2PIE, S2PIR_EL2 */
	S2_FEAT_S2POE = 1u << 6, /* [s2poe] FEAT_S2POE: VTCR_EL2.S2POE, S2POR_EL1 */
	S2_FEAT_PAN  = 1u << 7,	/* [pan] FEAT_PAN: PSTATE.PAN at Stage 1 */
	S2_FEAT_WXN  = 1u << 8,	/* [wxn] SCTLR_EL1.WXN honoured at Stage 1 */
	S2_FEAT_ALL  = 0x1ff,
};

/* Parse a comma-separated list of feature names ("hafdbs,lpa2", "all",
 * "none"; case-sensitive, no spaces) into *set. Returns 0, or -EINVAL with
 * *bad_off (if non-NULL) the offset in list of the first unknown name.
 * Pure: list is not modified. */
int s2_features_parse(const char *list, unsigned *set, size_t *bad_off);

/* Write the names of the features in set as a comma list into buf (always
 * NUL-terminated when len > 0). Returns the length the full list needs
 * (like snprintf), "none" for the empty set. */
int s2_features_format(unsigned set, char *buf, size_t len);

/* VTCR_EL2 fields (D24.2.224). Each holds exactly its bit width. */
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

/* VTTBR_EL2 fields (D24.2.225). */
struct s2_vttbr {
	uint64_t baddr;	/* table base address (with PA[51:48] from [5:2] if 52-bit) */
	uint16_t vmid;	/* [63:48] (only [55:48] used when VTCR_EL2.VS=0) */
	bool cnp;	/* [0] */
};

int s2_vtcr_decode(uint64_t vtcr, struct s2_vtcr *out);
uint64_t s2_vtcr_encode(const struct s2_vtcr *v);

/* Descriptor output-address formats (D8.3.1 "52-bit output address"). */
enum s2_oa_format {
	S2_OA_48,	/* OA[47:lo] in [47:lo] */
	S2_OA_52_DS,	/* Effective DS=1: OA[51:50] in [9:8], OA[49:48] in [49:48] */
	S2_OA_52_64K,	/* 64KB with a 52-bit PA: OA[51:48] in [15:12] */
};

/* The checked, derived configuration of one Stage-2 regime: also the
 * prepared walk context (every per-level constant is computed here once,
 * so s2_walk() does no per-call setup). Build it only with
 * s2_config_init(); afterwards the caller may set s2pir/s2por. */
struct s2_config {
	struct s2_vtcr vtcr;
	struct s2_vttbr vttbr;
	unsigned features;	/* enum s2_feature */
	bool fwb;		/* HCR_EL2.FWB */
	unsigned pa_range_bits;	/* implemented PA size (AArch64.PAMax) */
	unsigned granule_bits;	/* 12, 14 or 16 */
	unsigned stride;	/* granule_bits - 3 */
	unsigned ia_bits;	/* 64 - T0SZ */
	unsigned oa_bits;	/* effective PS (AArch64.PhysicalAddressSize) */
	int start_level;	/* -1..3 */
	unsigned root_tables;	/* concatenated root tables, 1..16 */
	unsigned root_index_bits; /* IPA bits resolved by the root */
	uint64_t root;		/* root table PA (VTTBR BADDR) */
	/* Effective controls (pseudocode AArch64.NSS2TTWParams): a field
	 * whose feature is not in `features` is 0. */
	bool ds, ha, hd, s2pie, s2poe;
	enum s2_oa_format oa_format;
	/* Set when every access takes a Stage-2 level 0 Translation fault
	 * because of the configuration itself (T0SZ outside its range, SL0
	 * reserved or inconsistent with T0SZ: D8.1.10, D8.2.8.2; pseudocode
	 * AArch64.S2Translate); names the rule. NULL for a walkable regime. */
	const char *fault_rule;
	/* Walk inputs, 0 after s2_config_init(): S2PIR_EL2 (D24.2.166), used
	 * when s2pie; S2POR_EL1 (D24.2.167), used when s2poe. */
	uint64_t s2pir, s2por;
	/* Prepared constants, index [level + 1] for levels -1..3. */
	uint8_t shift[S2_MAX_LEVELS];	/* lowest IPA bit a level resolves */
	uint8_t leaf_ok;		/* bit level+1: block/page allowed */
	uint64_t index_masks[S2_MAX_LEVELS]; /* index bits (root: root_index_bits) */
	uint64_t table_mask;		/* next-table address bits, S2_OA_48 */
	uint64_t oa_high;		/* OA bits at or above oa_bits */
	uint8_t xn_mask;		/* XN[1:0] bits: 0b11 with FEAT_XNX, else 0b10 */
	/* The regime needs none of the 52-bit descriptor formats, DS,
	 * hardware updates (HA) or S2PIE, and its root is 8-byte aligned
	 * inside PS: a walk over flat memory without a trace takes the
	 * plain path (decoder/s2_walk.c walk_plain). */
	bool plain;
};

/* Output or next-table address held in descriptor d, bits [47:lo] plus
 * the 52-bit extensions of cfg->oa_format (D8.3; pseudocode
 * AArch64.S2LeafBase / AArch64.NextTableBase). */
static inline uint64_t s2_desc_oa(const struct s2_config *c, uint64_t d, unsigned lo)
{
	switch (c->oa_format) {
	case S2_OA_52_DS:
		return (d & hvx_mask(49, lo)) | (hvx_bits(d, 9, 8) << 50);
	case S2_OA_52_64K:
		return (d & hvx_mask(47, lo)) | (hvx_bits(d, 15, 12) << 48);
	default:
		return d & hvx_mask(47, lo);
	}
}

/* Check VTCR/VTTBR and derive the walk parameters. pa_range_bits is the
 * implemented PA size (ID_AA64MMFR0_EL1.PARange: 32..52). Returns
 *   0        a walkable regime;
 *   1        accepted, but the architecture gives a Stage-2 level 0
 *            Translation fault for every access (cfg->fault_rule and *rule
 *            say which rule): s2_walk() reports that fault, s2_build()
 *            refuses the configuration;
 *   -EINVAL  an encoding the model does not represent (reserved TG0/PS,
 *            FEAT_D128, CONSTRAINED UNPREDICTABLE VTTBR_EL2 RES0 bits),
 *            with *rule naming the Arm ARM rule.
 * *rule (if non-NULL) points to a static message. */
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

/* DFSC/IFSC code of a fault at a level (D24.2.46 DFSC table); -EINVAL if
 * the architecture has no code for the pair. Own table so the s2 module
 * does not depend on fsc_encode(). */
int s2_fsc_code(enum s2_fault f, int level);

struct s2_trace_step {
	int level;
	unsigned index;
	uint64_t desc_pa;
	uint64_t desc;
};

/* A hardware update of a descriptor (D8.5; pseudocode AArch64.S2Translate
 * MemSwapTableDesc): the walk sets AF (VTCR_EL2.HA) and/or bit [7] (S2AP[1]
 * with a DBM=1 descriptor, or the Dirty bit with S2PIE, VTCR_EL2.HD). */
struct s2_update {
	bool valid;		/* an update was due */
	bool written;		/* it was written through s2_mem.cas64 */
	uint64_t desc_pa;
	uint64_t old_desc, new_desc;
};

/* Compare-and-swap the 64-bit descriptor at pa: if it holds expect, store
 * desired. *found gets the value seen. Return 0 on success (swap done iff
 * *found == expect), non-zero when the write is not backed (reported as a
 * synchronous external abort on the walk or hardware update). */
typedef int (*s2_cas64_fn)(void *ctx, uint64_t pa, uint64_t expect,
			   uint64_t desired, uint64_t *found);

/* Guest-physical memory as the walk sees it. cas64 may be NULL: updates
 * are then reported in the result but not written. trace asks for the
 * descriptors read in out->trace (out->steps is always set). */
struct s2_mem {
	s2_read64_fn read64;
	s2_cas64_fn cas64;
	void *ctx;
	bool trace;
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
	uint8_t perm;		/* S2PIE: S2BasePerm (S2PIR_EL2 nibble) */
	uint8_t operm;		/* S2POE: S2OverlayPerm (S2POR_EL1 nibble) */
	/* Permission fault causes reported in ESR_EL2.ISS2 (D24.2.46). */
	bool overlay;		/* ISS2.Overlay: denied by S2POR_EL1 */
	bool dirtybit;		/* ISS2.DirtyBit: S2PIE write to a clean page */
	struct s2_update upd;	/* hardware update of the final descriptor */
	/* Descriptors read (steps, always set), in order: trace[0..steps)
	 * when the caller asked for it (struct s2_mem trace), else unset. */
	unsigned steps;
	struct s2_trace_step trace[S2_MAX_LEVELS];
};

/* Walk ipa for an access (pseudocode AArch64.S2Translate). el0 selects the
 * EL0 execute permission for an instruction fetch. Returns 0 when a result
 * (success or fault) is in *out, -EINVAL for bad arguments, -EAGAIN if the
 * descriptor kept changing under a hardware update (more than
 * S2_MAX_RESTARTS restarts). Reads at most S2_MAX_LEVELS descriptors per
 * attempt, each through mem->read64 (inline for s2_flat_read64). Fields
 * of *out that do not apply (pa... on a fault, trace past steps or
 * without mem->trace) are 0 or unset as documented above. */
int s2_walk_mem(const struct s2_config *cfg, uint64_t ipa, enum s2_access acc,
		bool el0, const struct s2_mem *mem, struct s2_result *out);
#define S2_MAX_RESTARTS 3

/* s2_walk_mem() with a read-only memory and no trace: hardware updates
 * are reported in out->upd, never written; out->trace is unset. */
int s2_walk(const struct s2_config *cfg, uint64_t ipa, enum s2_access acc,
	    bool el0, s2_read64_fn rd, void *ctx, struct s2_result *out);

/* Whether two walk results agree in every field documented above (all of
 * them, whether or not they apply) and, with trace, in trace[0..steps). */
bool s2_result_same(const struct s2_result *a, const struct s2_result *b, bool trace);

/* Stage-2 memory type of a descriptor's MemAttr[3:0] (D8.6 "Stage 2
 * memory type and Cacheability attributes"): without FWB, [3:2]=00 is
 * Device ([1:0] nGnRnE/nGnRE/nGRE/GRE) else Normal outer [3:2], inner
 * [1:0]; with HCR_EL2.FWB, [2]=0 Device ([1:0]), 0b101 Normal NC, 0b110
 * Normal WB (forced), 0b111 "use Stage-1 attributes", 0b100 reserved
 * (MemAttr[3] ignored). Static string, e.g. "device-nGnRE",
 * "normal-oWB-iWB", "fwb-normal-WB", "fwb-stage1". */
const char *s2_memattr_name(uint8_t memattr, bool fwb);

/* Whether a block descriptor is valid at level (D8.3; level 3 holds
 * pages only). */
bool s2_block_allowed(const struct s2_config *cfg, int level);

/* HPFAR_EL2 for a fault at ipa (D24.2.76: FIPA [43:4] = IPA[51:12]). */
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
 * S1PTW, ISV and the ISS fields, ISS2 Overlay/DirtyBit (D24.2.46). 0 if r
 * is not a fault. */
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

/* Stage-1 inputs besides the tables: the EL1&0 regime's registers and
 * PSTATE.PAN (used with S2_FEAT_PAN), SCTLR_EL1.WXN (bit 19, used with
 * S2_FEAT_WXN); the feature set is the Stage-2 config's. */
struct s1_regs {
	uint64_t tcr, ttbr0, ttbr1;
	uint64_t sctlr;		/* SCTLR_EL1 (D24.2.175) */
	bool pan;		/* PSTATE.PAN */
};

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
	/* Every Stage-2 hardware update made on the way (table reads and the
	 * final access), in order. */
	unsigned nupd;
	struct s2_update upd[S2_MAX_LEVELS + 1];
};

/* Two-stage walk of va (EL1&0 regime, HCR_EL2.VM=1): every Stage-1 table
 * address is itself translated by Stage 2 as a read. Returns 0 with the
 * result in *out, -EINVAL on a bad argument or an unsupported TCR (with
 * *rule set), -EAGAIN as s2_walk_mem(). */
int s1_walk(const struct s1_regs *regs, const struct s2_config *s2,
	    uint64_t va, enum s2_access acc, bool el0,
	    const struct s2_mem *mem, struct s1_result *out, const char **rule);

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
 * 0b1111 Normal Write-Back (FWB=0 encoding), SH 0b11 (Normal), AF 1.
 * s2_build() leaves SH out when the configuration's DS is 1: those bits
 * are OA[51:50] then. */
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
 * ctx is a struct s2_flatmem. Reads outside [base, base+len) or not
 * 8-byte aligned fail. The walk recognises this callback and reads the
 * buffer inline with the same checks (no call per level). */
struct s2_flatmem {
	const uint8_t *buf;
	size_t len;
	uint64_t base;
};
int s2_flat_read64(void *ctx, uint64_t pa, uint64_t *val);

#endif
