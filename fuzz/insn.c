/*
 * Differential fuzz target: own A64 load/store decoder vs Capstone 4.
 * Input: 4 bytes instruction word (little-endian) + 8 bytes ESR; short
 * input is zero-padded. Aborts on an own-vs-Capstone disagreement that is
 * not explained by a named Capstone 4 limitation (harness/xcheck/xcheck_cause.c), and on
 * broken decoder/emulator invariants. The ESR bytes seed the register file
 * for a bounded emulation run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/insn.h"
#include "hvexit/xcheck.h"

#define WIN 0x10000u
static uint8_t win[WIN];

static int f_read(void *ctx, uint64_t a, unsigned size, uint8_t *buf)
{
	(void)ctx;
	if (size == 0 || size > 64)
		abort();	/* the contract says 1..64 */
	if (a >= WIN || WIN - a < size)
		return -EFAULT;
	memcpy(buf, win + a, size);
	return 0;
}

static int f_write(void *ctx, uint64_t a, unsigned size, const uint8_t *buf)
{
	(void)ctx;
	if (size == 0 || size > 64)
		abort();
	if (a >= WIN || WIN - a < size)
		return -EFAULT;
	memcpy(win + a, buf, size);
	return 0;
}

/* Own decoder vs Capstone: every disagreement has a named cause. */
static void check_sweep(uint32_t w)
{
	struct xcheck_cmp c;

	if (xcheck_sweep_word(w, &c) == 0 && c.verdict == XV_UNEXPLAINED) {
		fprintf(stderr, "unexplained own/capstone disagreement on 0x%08x (%s)\n", w, c.field);
		abort();
	}
}

static void check_decode(uint32_t w)
{
	struct insn d;
	int rc = insn_decode(w, &d);

	if (rc == 0 && (!d.mnemonic || d.cls == INSN_C_NONE || d.nbytes > 64 || d.nregs > 8))
		abort();
	if (rc == 0 && d.isv_possible && (d.simd || d.pair || d.exclusive || d.atomic ||
					   (d.writeback && d.cls != INSN_C_LS64)))
		abort();	/* D24.2.46: these never report ISV=1 */
}

/* A bounded emulation run with registers from the ESR bytes, pointing
 * into the window. */
static void check_emulate(uint32_t w, uint64_t esr)
{
	struct insn_regs r, before;
	struct insn_bus bus = { f_read, f_write, NULL };
	int rc;

	memset(&r, 0, sizeof(r));
	for (unsigned i = 0; i < 31; i++)
		r.x[i] = (esr >> (i % 48)) & 0xffff;
	r.sp = esr & 0xfff0;
	r.pc = (esr >> 16) & 0xfffc;
	before = r;
	rc = insn_emulate(w, &r, &bus);
	if (rc != 0 && memcmp(&r, &before, sizeof(r)) != 0)
		abort();	/* on error *regs must be unchanged */
	if (rc == 0 && r.pc != before.pc + 4)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t in[12] = { 0 };
	uint64_t esr;

	memcpy(in, data, size < sizeof(in) ? size : sizeof(in));
	memcpy(&esr, in + 4, 8);
	const uint32_t w = (uint32_t)hvx_get_le(in, 4);
	check_sweep(w);
	check_decode(w);
	check_emulate(w, esr);
	return 0;
}
