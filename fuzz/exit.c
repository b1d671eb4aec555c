/*
 * Fuzz handle_exit: input = exit (ESR, FAR, HPFAR, insn, PC, x0..x3,
 * PSTATE, mmio data) + 64 bytes of guest RAM at the PC page. Fields are
 * memcpy'd from a padded 96-byte header; short input is padded. Checks:
 * no crash, outcome consistent (action valid, counts in range, inject
 * vector = VBAR + a legal offset, resume implies no pending access).
 */
#include <stdlib.h>
#include <string.h>

#include "hvexit/emu_default.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct emu_default *D;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t h[160] = { 0 };
	struct emu_exit e;
	struct emu_outcome o;
	uint64_t f[12];

	if (!D) {
		D = malloc(sizeof(*D));
		if (!D || emu_default_init(D))
			abort();
	}
	memcpy(h, data, size < sizeof(h) ? size : sizeof(h));
	memcpy(f, h, sizeof(f));
	memset(&e, 0, sizeof(e));
	e.esr = f[0];
	e.far = f[1];
	/* Keep most faults near the default map so the deep paths run. */
	e.hpfar = (h[96] & 1) ? f[2] : ((f[2] & 0x3) ? (EMU_DEFAULT_UART0 >> 8) :
					 (UINT64_C(0x09000000) >> 8)) | ((f[2] >> 2 & 7) << 4);
	e.has_insn = h[97] & 1;
	e.insn = (uint32_t)f[3];
	e.has_pc = true;
	e.pc = (h[97] & 2) ? f[4] : EMU_DEFAULT_RAM_BASE + (f[4] & 0xffc);
	e.regs_mask = 0xf;
	memcpy(e.regs, &f[5], 4 * sizeof(uint64_t));
	e.n_mmio_data = h[98] % (EMU_MAX_MMIO_DATA + 1);
	for (unsigned i = 0; i < e.n_mmio_data; i++)
		e.mmio_data[i] = f[9] * (i + 1) ^ f[10];
	unsigned vcpu = h[99] & 1;
	struct emu_vcpu *v = &D->vm.vcpu[vcpu];
	v->pstate = f[11] & 0x3df;
	v->vbar_el1 = f[10] & ~UINT64_C(0x7ff);
	v->power = (h[99] & 6) ? EMU_PWR_ON : (enum emu_power)((h[99] >> 1) % 3);
	D->vm.cfg.unclaimed = h[100] & 1;
	D->vm.cfg.s2fault = h[100] >> 1 & 1;
	if (size > sizeof(h))
		emu_mem_write(&D->vm, EMU_DEFAULT_RAM_BASE, data + sizeof(h),
			      size - sizeof(h) > 4096 ? 4096 : size - sizeof(h));
	if (emu_handle_exit(&D->vm, vcpu, &e, &o) < 0)
		abort();
	if (!emu_action_name(o.action) || o.n_accesses > EMU_MAX_ACCESSES ||
	    o.n_writes > EMU_MAX_WRITES || o.n_findings > EMU_MAX_FINDINGS)
		abort();
	if (o.has_inject) {
		uint64_t off = o.inject.vector - (v->vbar_el1 & ~UINT64_C(0x7ff));
		if (off != 0 && off != 0x200 && off != 0x400 && off != 0x600)
			abort();
	}
	for (unsigned i = 0; i < o.n_accesses; i++)
		if (o.accesses[i].pending && o.action != EMU_ACT_MMIO)
			abort();
	for (unsigned u = 0; u < 2; u++)
		D->uart[u].out_len = 0;
	return 0;
}
