/*
 * Memory map of the differential fuzzing guest (guests/fuzz.S) and of
 * `hvexit kvm fuzz`, which generates the code the guest runs. Plain
 * #defines: included by the guest's assembly and by the host.
 *
 *   ROM    guest image: entry, batch_end, exception vectors (RAM memslot)
 *   CODE   one batch of generated steps, their input registers and the
 *          register reports the steps write (RAM memslot)
 *   RAM    the plain-RAM target window and the exception record
 *   DEV    the fuzz device: MMIO, no memslot, so every access exits
 *   CTL    control writes: +0 batch finished, +8 exception recorded
 */
#ifndef HVEXIT_GUEST_FUZZ_MAP_H
#define HVEXIT_GUEST_FUZZ_MAP_H

#define FZ_ROM_BASE    0x00000000
#define FZ_ROM_SIZE    0x00010000
#define FZ_BATCH_END   0x00000100	/* fixed offset of batch_end in the image */
#define FZ_VECTORS     0x00000800	/* VBAR_EL1 (2 KiB aligned) */

#define FZ_CODE_BASE   0x04000000
#define FZ_CODE_SIZE   0x00400000
#define FZ_IN_OFF      0x00100000	/* per-step input registers */
#define FZ_REP_OFF     0x00280000	/* per-step register reports */
#define FZ_STEP_DATA   0x300		/* bytes per step: x0-x30, sp, v0-v31 */

#define FZ_RAM_BASE    0x05000000
#define FZ_RAM_SIZE    0x00010000
#define FZ_WIN_SIZE    0x00001000	/* RAM target window at FZ_RAM_BASE */
#define FZ_EXC_REC     0x05008000	/* ESR_EL1, FAR_EL1, ELR_EL1, vector, resume PC */

#define FZ_DEV_BASE    0x10020000
#define FZ_DEV_SIZE    0x00001000
#define FZ_DEV_SEQ     0x00000800	/* read-sequence window offset */
#define FZ_CTL_BASE    0x10030000
#define FZ_CTL_SIZE    0x00001000

#endif
