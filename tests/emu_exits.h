/*
 * Exits for the exit engine, built from their fields (Arm ARM D24.2.46
 * ESR_EL2): shared by tests/test_emu_exit.c and tests/bench/bench_exit.c.
 */
#ifndef HVEXIT_TESTS_EMU_EXITS_H
#define HVEXIT_TESTS_EMU_EXITS_H

#include <stdbool.h>
#include <stdint.h>

#include "hvexit/emu.h"
#include "hvexit/esr.h"

/* A data abort exit for an ISV=1 access at ipa (DFSC 0x07 translation L3). */
static inline struct emu_exit emu_exit_dabt(uint64_t ipa, unsigned sas, bool sse, unsigned srt,
					    bool sf, bool wnr)
{
	struct esr_dabt d = { .ec = ESR_EC_DABT_LOW, .il = true, .isv = true, .sas = (uint8_t)sas,
			      .sse = sse, .srt = (uint8_t)srt, .sf = sf, .wnr = wnr, .dfsc = 0x07 };
	struct emu_exit e = { 0 };

	e.esr = esr_build_dabt(&d);
	e.far = ipa;		/* MMU off: VA == IPA */
	e.hpfar = (ipa >> 12) << 4;
	return e;
}

/* ISV=0 (no syndrome) at ipa: the engine decodes insn, whose base
 * register is x0 = ipa; data[0..n-1] are the VMM's answers to its reads. */
static inline struct emu_exit emu_exit_isv0(uint64_t ipa, uint32_t insn, const uint64_t *data,
					    unsigned n)
{
	struct emu_exit e = emu_exit_dabt(ipa, 0, false, 0, false, false);

	e.esr &= ~(UINT64_C(1) << 24);	/* ISV [24] */
	e.has_insn = true;
	e.insn = insn;
	e.regs_mask = 1;
	e.regs[0] = ipa;
	e.n_mmio_data = n;
	for (unsigned i = 0; i < n; i++)
		e.mmio_data[i] = data[i];
	return e;
}

/* HVC #0 from AArch64 with x0 = x0 (an SMCCC function ID). */
static inline struct emu_exit emu_exit_hvc(uint64_t x0)
{
	struct emu_exit e = { 0 };

	e.esr = (uint64_t)ESR_EC_HVC64 << 26 | ESR_IL;
	e.regs_mask = 1;
	e.regs[0] = x0;
	return e;
}

#endif
