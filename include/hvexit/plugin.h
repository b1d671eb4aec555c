/*
 * hvexit plugin ABI, version 1 -- the interface a hypervisor team
 * implements (in a small shared library wrapping its own code) so that
 * `hvexit validate --plugin LIB.so` can check it, field by field, against
 * the Arm architecture. This header is self-contained (it needs only
 * <stdint.h>) and is meant to be copied into the hypervisor's tree.
 *
 * Rules common to every entry point:
 *   - hvx_plugin_abi() is required; every other symbol is optional and
 *     hvexit validates exactly the ones the library exports.
 *   - Return value: 0 = success, < 0 = the plugin refuses the input (it
 *     would not handle it; e.g. "not a data abort"). Some entry points
 *     define a positive value as well (stated where they do).
 *   - hvexit calls the plugin from one thread, in a child process; a
 *     plugin may keep global state but must not rely on it across calls
 *     (the child is restarted after a crash or a timeout).
 *   - Output structures are zero-filled by hvexit before each call.
 *
 * The expected values ("the reference" below) come from the Arm
 * Architecture Reference Manual for A-profile (Arm ARM, DDI 0487): section
 * numbers are those of the K.a edition. docs/plugins.md has the same text
 * with worked examples.
 */
#ifndef HVEXIT_PLUGIN_H
#define HVEXIT_PLUGIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HVX_PLUGIN_ABI 1

/*
 * What a hypervisor extracts from a data abort ESR_EL2 (Arm ARM D24.2.46
 * ESR_EL2, "ISS encoding for an exception from a Data Abort").
 *
 * hvx_plugin_decode_dabt() reference semantics:
 *   - Conformance inputs are what a PE reports for a guest's stage-2 data
 *     abort on an A64 load/store (docs/plugins.md lists the rules): EC
 *     0x24 (Data Abort from a lower EL) must decode: return 0 and fill the
 *     fields below. When ISV is 0 the plugin may instead refuse (many
 *     hypervisors do not emulate ISV=0 aborts from the syndrome); that is
 *     not a finding.
 *   - EC 0x25 (an abort of EL2 itself, or a VNCR_EL2 access), other ECs
 *     and syndromes no PE reports for a guest are the robustness class
 *     (`hvexit validate --hostile`): any answer, a refusal included, is
 *     fine; only a crash, a hang or a sanitizer report is a finding.
 *   - valid, is_write, s1ptw and dfsc are always compared. len,
 *     sign_extend, rt, sixty_four and acq_rel are compared only when
 *     ISV=1: with ISV=0 ISS[23:14] are RES0 (bit 15 is FnP) and carry no
 *     access information.
 */
struct hvx_dabt {            /* what a hypervisor extracts from a data abort ESR */
	int      valid;          /* ISV, ISS[24]: 1 if ISS[23:14] hold a valid
				  * instruction syndrome. Compared as 0/non-0. */
	unsigned len;            /* access size in bytes: 1, 2, 4, 8 = 1 << SAS,
				  * SAS = ISS[23:22] (00 byte .. 11 doubleword) */
	int      is_write;       /* WnR, ISS[6]: 1 write, 0 read. (For a fault
				  * on a stage 1 walk, S1PTW=1, the architecture
				  * still reports WnR; compare it as a bit.)
				  * Compared as 0/non-0. */
	int      sign_extend;    /* SSE, ISS[21]: 1 if the load sign-extends
				  * (LDRSB/LDRSH/LDRSW). Compared as 0/non-0. */
	unsigned rt;             /* SRT, ISS[20:16], 0..31: the register number
				  * Xt/Wt; 31 is the zero register XZR/WZR
				  * (not SP), report it as 31. */
	int      sixty_four;     /* SF, ISS[15]: 1 if the register is 64-bit
				  * (Xt), 0 if 32-bit (Wt). Compared as 0/non-0. */
	int      acq_rel;        /* AR, ISS[14]: acquire/release semantics.
				  * Compared as 0/non-0. */
	int      s1ptw;          /* S1PTW, ISS[7]: stage 2 fault on a stage 1
				  * table walk. Compared as 0/non-0. */
	unsigned dfsc;           /* DFSC, ISS[5:0], 6 bits, unchanged (the
				  * fault type and level; D24.2.40 DFSC table) */
};

/*
 * Stage-2 descriptor reader supplied by hvexit to s2_translate: reads the
 * 64-bit little-endian descriptor at physical address pa (8-byte
 * aligned). Returns 0, or < 0 if pa is not backed by any memory.
 */
typedef int (*hvx_read64_fn)(void *ctx, uint64_t pa, uint64_t *val); /* 0, or <0 if pa is not backed */

/* Access type for s2_translate. */
enum { HVX_ACC_READ = 0, HVX_ACC_WRITE = 1, HVX_ACC_EXEC = 2 };

/* Stage-2 outcome (hvx_s2_result.fault), Arm ARM D8 "The AArch64 Virtual
 * Memory System Architecture" fault types, as DFSC/IFSC report them. */
enum { HVX_S2_OK = 0, HVX_S2_TRANSLATION, HVX_S2_ACCESS_FLAG, HVX_S2_PERMISSION,
       HVX_S2_ADDRESS_SIZE, HVX_S2_EXTERNAL };

/*
 * Result of hvx_plugin_s2_translate():
 *   fault  HVX_S2_OK, or the fault type. HVX_S2_EXTERNAL = synchronous
 *          external abort on the walk (a descriptor read the hvx_read64_fn
 *          refused).
 *   level  the lookup level of the final descriptor (OK) or the level at
 *          which the fault was detected (faults), as the DFSC encodes it.
 *   pa     OK only: the output address (block/page base | IPA offset).
 *   s2ap   OK only: S2AP, descriptor bits [7:6] (D8, stage 2 access
 *          permissions: 00 none, 01 read, 10 write, 11 read/write).
 *   xn     OK only: XN[1:0], descriptor bits [54:53] (FEAT_XNX).
 * Fields not listed for a result are not compared.
 */
struct hvx_s2_result { int fault; int level; uint64_t pa; unsigned s2ap; unsigned xn; };

int  hvx_plugin_abi(void);  /* required: returns HVX_PLUGIN_ABI */

/* Optional; hvexit validates whichever are exported. 0 = success, <0 = the plugin refuses the input. */

/* Decode a data abort ESR_EL2 into *out (semantics: struct hvx_dabt). */
int  hvx_plugin_decode_dabt(uint64_t esr, struct hvx_dabt *out);

/*
 * MMIO load completion: the 64-bit value that lands in register Xt after
 * the hypervisor emulated the load a data abort describes.
 *   esr       a data abort with ISV=1 and WnR=0 (hvexit only calls with
 *             such syndromes, built from an A64 load: SSE/SF/SAS
 *             combinations an LDR/LDRB/LDRH/LDRSB/LDRSH/LDRSW/LDAR*
 *             instruction produces).
 *   bus_data  the device's read data in bits [8*len-1:0] (little-endian
 *             value); bits above 8*len are junk the plugin must ignore.
 *   rt_value  out: the value of the whole 64-bit register Xt.
 * Reference (Arm ARM D24.2.40 ISS SAS/SSE/SF; C6.2 LDRB/LDRH/LDRSB/
 * LDRSH/LDRSW/LDR: "X[t, regsize] = data" with SignExtend/ZeroExtend):
 *   data = bus_data & mask(8 << SAS)
 *   SSE=1, SF=1: sign-extend data to 64 bits
 *   SSE=1, SF=0: sign-extend data to 32 bits, bits [63:32] = 0
 *   SSE=0:       zero-extend (for SF=0 the value is then truncated to 32
 *                bits; bits [63:32] of Xt become 0 on a Wt write)
 * Return 0 when Xt receives *rt_value. When SRT = 31 the destination is
 * the zero register and nothing is written: the plugin must return
 * HVX_MMIO_NO_WRITE (1); *rt_value is then ignored. Returning 0 for
 * SRT=31 (i.e. "writing x31") is a finding; so is returning 1 otherwise.
 */
#define HVX_MMIO_NO_WRITE 1
int  hvx_plugin_mmio_load(uint64_t esr, uint64_t bus_data, uint64_t *rt_value); /* 64-bit value that lands in the register */

/*
 * Stage-2 translation of ipa for an access (HVX_ACC_*), with the tables
 * described by VTCR_EL2 (D24.2 VTCR_EL2: T0SZ [5:0], SL0 [7:6], TG0 [15:14],
 * PS [18:16]) and VTTBR_EL2 (D24.2 VTTBR_EL2: BADDR [47:1], VMID [63:48]);
 * descriptors are read through read(ctx, pa, &val). Reference: the Arm
 * ARM chapter D8 stage 2 translation (translation table walk,
 * descriptor formats, stage 2 access permissions S2AP, Access flag) as hvexit's decoder/ walker implements it.
 * The reference PE implements FEAT_XNX and no other optional translation
 * feature (no LPA/LPA2, no hardware AF/dirty update), PARange 48 bits.
 * HVX_ACC_EXEC is an instruction fetch from EL1: it faults when XN[1:0]
 * is 01 or 10. Read needs S2AP[0], write S2AP[1]. An IPA with bits set
 * above 64-T0SZ is a Translation fault at level 0 (AArch64.IPAIsOutOfRange).
 * Return 0 with *out filled (a fault is a successful translation with
 * out->fault != HVX_S2_OK), or < 0 if the plugin refuses the VTCR
 * configuration (not a finding when the configuration is one the plugin
 * documents as unsupported).
 */
int  hvx_plugin_s2_translate(uint64_t vtcr, uint64_t vttbr, uint64_t ipa, int access,
                             hvx_read64_fn read, void *ctx, struct hvx_s2_result *out);

/*
 * GICv2 distributor emulation (Arm IHI 0048B, GIC Architecture
 * Specification v2, 4.3 Distributor register descriptions).
 *   gicd_new: a distributor for nr_irqs interrupt IDs (a multiple of 32,
 *     32..1020, TYPER.ITLinesNumber = nr_irqs/32 - 1) and one CPU
 *     interface; hyp_owned_bitmap (nr_irqs bits, bit i = byte i/8 bit
 *     i%8; the plugin copies it) marks the interrupts the hypervisor owns:
 *     guest writes never change any per-IRQ field of an owned interrupt
 *     (enable, pending, active, priority, target, config, group). NULL on
 *     failure.
 *   gicd_read / gicd_write: a guest access of len bytes (1 or 4; 4.3.x
 *     gives the widths each register allows) at offset from the
 *     distributor base. 0 = done; < 0 = the access faults (the hypervisor
 *     would inject an abort): e.g. a byte access to a word-only register.
 *   Reference: hvexit's emu/gicd.c (one CPU interface), compared on
 *     SPI fields and TYPER.ITLinesNumber (IMPLEMENTATION DEFINED parts:
 *     SGI/PPI state, CTLR, targets, low priority bits are not compared).
 *   Architectural points checked: ITARGETSR0-7 (SGI/PPI targets) and
 *     ICFGR0 (SGI config) are read-only; ISENABLER/ICENABLER, ISPENDR/
 *     ICPENDR, ISACTIVER/ICACTIVER write-1-to-set/clear pairs;
 *     IPRIORITYR and ITARGETSR byte-accessible; owned IRQs untouched.
 *   gicd_free: release everything gicd_new allocated.
 */
void *hvx_plugin_gicd_new(unsigned nr_irqs, const uint8_t *hyp_owned_bitmap);
int  hvx_plugin_gicd_read(void *gicd, uint32_t offset, unsigned len, uint32_t *val);
int  hvx_plugin_gicd_write(void *gicd, uint32_t offset, unsigned len, uint32_t val);
void hvx_plugin_gicd_free(void *gicd);

#ifdef __cplusplus
}
#endif

#endif
