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
 * Minor revisions of ABI 1. They only add optional symbols, so a plugin
 * built against an older header keeps loading and passing: it exports
 * hvx_plugin_abi() == 1 and none of the symbols below, and hvexit treats
 * it as revision 1.0. A plugin announces a revision with
 * hvx_plugin_abi_minor(); hvexit reads the revision's symbols only when
 * the announced revision has them.
 *   1.0  decode_dabt, mmio_load, s2_translate, gicd_*
 *   1.1  hvx_plugin_dabt_fields (fields the decoder does not extract),
 *        hvx_plugin_mmio_load_regs (load completion on the whole register
 *        file), hvx_plugin_emulate (ISV=0: emulate the instruction word)
 */
#define HVX_PLUGIN_ABI_MINOR 1

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
				  * fault type and level; D24.2.46 DFSC table) */
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
 * Reference (Arm ARM D24.2.46 ISS SAS/SSE/SF; C6.2 LDRB/LDRH/LDRSB/
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

/* ---- revision 1.1 ------------------------------------------------------ */

/* Optional: the revision of ABI 1 the plugin implements
 * (HVX_PLUGIN_ABI_MINOR of the header it was built with). Absent = 0. */
int  hvx_plugin_abi_minor(void);

/*
 * Optional (1.1): which fields of struct hvx_dabt the plugin's decoder
 * extracts, as a mask of HVX_DABT_F_* bits. A field the hypervisor does not
 * extract (e.g. no AR helper because it never emulates acquire/release
 * differently) is left out of the mask: hvexit then does not compare it
 * and reports it as "not extracted", not as a finding. Absent = every
 * field. The return value of decode_dabt is always compared.
 */
enum {
	HVX_DABT_F_VALID       = 1u << 0,
	HVX_DABT_F_LEN         = 1u << 1,
	HVX_DABT_F_IS_WRITE    = 1u << 2,
	HVX_DABT_F_SIGN_EXTEND = 1u << 3,
	HVX_DABT_F_RT          = 1u << 4,
	HVX_DABT_F_SIXTY_FOUR  = 1u << 5,
	HVX_DABT_F_ACQ_REL     = 1u << 6,
	HVX_DABT_F_S1PTW       = 1u << 7,
	HVX_DABT_F_DFSC        = 1u << 8,
	HVX_DABT_F_ALL         = (1u << 9) - 1,
};
uint32_t hvx_plugin_dabt_fields(void);

/*
 * The guest's general-purpose register state (the layout of Linux's
 * struct user_pt_regs): x[0..30] = X0..X30, sp = the stack pointer of the
 * exception level that took the abort, pc = the address of the faulting
 * instruction, pstate = SPSR_EL2 as taken (informational: NZCV, EL, nRW).
 * There is no "x31": register number 31 of a load/store transfer register
 * is the zero register.
 */
struct hvx_regs {
	uint64_t x[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
};

/*
 * Optional (1.1): MMIO load completion on the whole register file -- the
 * form most hypervisors have (KVM's kvm_handle_mmio_return() writes
 * vcpu->arch.ctxt.regs). Same domain and reference as
 * hvx_plugin_mmio_load (esr: data abort, ISV=1, WnR=0, an SAS/SSE/SF
 * combination of an A64 load; bus_data: the device's data in bits
 * [8*len-1:0], junk above).
 *   regs  in: the guest's registers at the abort; out: as the
 *         hypervisor leaves them after completing the load.
 * Return 0 when the load was completed (the plugin need not say which
 * register it wrote: hvexit compares the whole file), < 0 to refuse.
 * Reference (D24.2.46 ISS SAS/SSE/SF/SRT, C6.2 LDR*): X[SRT] receives
 * the value hvx_plugin_mmio_load defines, unless SRT = 31 (the zero
 * register: nothing is written); every other X register, SP and PSTATE
 * are unchanged; PC is either unchanged (the hypervisor advances it
 * elsewhere, as KVM does) or advanced by 4 (IL=1: a 32-bit instruction).
 * hvexit fills the file so that the expected write always changes X[SRT].
 * With --hostile it also passes syndromes no guest load produces (as for
 * decode_dabt): refusing those is right; only a crash, a hang or a
 * sanitizer report is a finding.
 */
int  hvx_plugin_mmio_load_regs(uint64_t esr, uint64_t bus_data, struct hvx_regs *regs);

/*
 * Memory/MMIO callback supplied by hvexit to hvx_plugin_emulate: one
 * access of len bytes (1, 2, 4 or 8: one element; a pair instruction is
 * two accesses) at the virtual address addr the instruction computes.
 * is_write = 0: *data receives the little-endian value read; 1: *data
 * holds the value to write in bits [8*len-1:0]. Returns 0, or < 0 when
 * the access is refused (then the plugin must stop and return < 0).
 */
typedef int (*hvx_mmio_fn)(void *ctx, uint64_t addr, unsigned len, int is_write,
			   uint64_t *data);

/*
 * Optional (1.1): emulate the A64 load/store behind a data abort with
 * ISV=0 (D24.2.46: no instruction syndrome, e.g. a pair, a writeback
 * form or a register-offset access), from the instruction word the
 * hypervisor fetched at regs->pc.
 *   insn  the 32-bit A64 instruction word.
 *   regs  in/out: the register file (see struct hvx_regs).
 *   mmio  performs each memory access, in the order the instruction
 *         makes them.
 * Return 0 when emulated, < 0 to refuse (an instruction the hypervisor
 * does not emulate; not a finding), or a refusal from mmio.
 * Reference: hvexit's A64 load/store emulation (decoder/insn_emulate.c,
 * Arm ARM C6.2 pseudocode of each instruction): the accesses in program
 * order (address, size, direction, store data), then the destination
 * registers (sign/zero extension, a W write zeroes [63:32], Rt = 31
 * discarded), base writeback for pre/post-indexed forms (Rn = 31 is SP),
 * and PC + 4. hvexit passes general-purpose loads and stores of the
 * classes a hypervisor meets with ISV=0 (LDR/STR of every size and
 * addressing mode, LDRS*, LDP/STP/LDPSW/LDNP/STNP, LDAR/STLR, LDUR/STUR);
 * no SIMD&FP, exclusive or atomic instructions, no CONSTRAINED
 * UNPREDICTABLE register overlaps. With --hostile it also passes any other
 * 32-bit word: refusing those is right; only a crash, a hang or a
 * sanitizer report is a finding.
 */
int  hvx_plugin_emulate(uint32_t insn, struct hvx_regs *regs, hvx_mmio_fn mmio, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
