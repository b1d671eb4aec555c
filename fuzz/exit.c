/*
 * Fuzz handle_exit: input = exit (ESR, FAR, HPFAR, insn, PC, x0..x3,
 * PSTATE, mmio data) + 64 bytes of guest RAM at the PC page. h[100] bit 2
 * selects a VM with a real Stage-2 table (LAZY RAM at 0x80000000, R-only
 * RAM at 0x90000000; h[101] pre-maps one LAZY page). Fields are
 * memcpy'd from a padded 96-byte header; short input is padded. Checks:
 * no crash, outcome consistent (action valid, counts in range, inject
 * vector = VBAR + a legal offset, resume implies no pending access).
 */
#include <stdlib.h>
#include <string.h>

#include "hvexit/emu_default.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct emu_default *D;	/* flat map */
static struct emu_default *S;	/* real Stage-2 table, LAZY and R-only RAM */

#define LAZY_BASE UINT64_C(0x80000000)
#define LAZY_SIZE UINT64_C(0x10000)
#define RO_BASE   UINT64_C(0x90000000)

static struct emu_default *make_vm(bool s2)
{
	struct emu_default *d = malloc(sizeof(*d));

	if (!d || emu_default_init(d))
		abort();
	if (s2 && (emu_vm_add_region(&d->vm, LAZY_BASE, LAZY_SIZE,
				     EMU_MEM_R | EMU_MEM_W | EMU_MEM_LAZY, NULL) ||
		   emu_vm_add_region(&d->vm, RO_BASE, 0x2000, EMU_MEM_R, NULL) ||
		   emu_vm_s2_enable(&d->vm)))
		abort();
	return d;
}

/* Fault IPAs near the interesting places: a device, nothing, LAZY RAM,
 * R-only RAM, RAM. */
static const uint64_t s2_bases[5] = {
	EMU_DEFAULT_UART0, UINT64_C(0x09000000), LAZY_BASE, RO_BASE, EMU_DEFAULT_RAM_BASE,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t h[160] = { 0 };
	struct emu_exit e;
	struct emu_outcome o;
	uint64_t f[12];

	if (!D) {
		D = make_vm(false);
		S = make_vm(true);
	}
	memcpy(h, data, size < sizeof(h) ? size : sizeof(h));
	bool s2 = h[100] & 4;
	struct emu_default *M = s2 ? S : D;
	memcpy(f, h, sizeof(f));
	memset(&e, 0, sizeof(e));
	e.esr = f[0];
	e.far = f[1];
	/* Keep most faults near the default map so the deep paths run. */
	if (s2)
		e.hpfar = (h[96] & 1) ? f[2] : (s2_bases[(f[2] & 7) % 5] >> 8) |
						((f[2] >> 3 & 15) << 4);
	else
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
	struct emu_vcpu *v = &M->vm.vcpu[vcpu];
	v->pstate = f[11] & 0x3df;
	v->vbar_el1 = f[10] & ~UINT64_C(0x7ff);
	v->power = (h[99] & 6) ? EMU_PWR_ON : (enum emu_power)((h[99] >> 1) % 3);
	M->vm.cfg.unclaimed = h[100] & 1;
	M->vm.cfg.s2fault = h[100] >> 1 & 1;
	if (s2) {	/* every input starts with no LAZY page mapped */
		struct emu_region *lz = emu_vm_region(&M->vm, LAZY_BASE, 1);
		memset(lz->mapped, 0, LAZY_SIZE / EMU_PAGE_SIZE);
		if (h[101] & 1)
			emu_vm_map_page(&M->vm, LAZY_BASE + (h[101] >> 1 & 15) * EMU_PAGE_SIZE);
		if (emu_vm_s2_rebuild(&M->vm))
			abort();
	}
	if (size > sizeof(h))
		emu_mem_write(&M->vm, EMU_DEFAULT_RAM_BASE, data + sizeof(h),
			      size - sizeof(h) > 4096 ? 4096 : size - sizeof(h));
	if (emu_handle_exit(&M->vm, vcpu, &e, &o) < 0)
		abort();
	/* Stage-2 invariant: an abort on LAZY RAM that resumes the guest
	 * leaves that page mapped, so the retried access translates. */
	unsigned ec = (unsigned)(e.esr >> 26 & 0x3f);
	uint64_t ipa = hvx_bits(e.hpfar, 43, 4) << 12 | (e.far & 0xfff);
	if (s2 && o.action == EMU_ACT_RESUME && !(e.esr >> 56) &&
	    (ec == 0x20 || ec == 0x24) && ipa >= LAZY_BASE && ipa < LAZY_BASE + LAZY_SIZE) {
		struct s2_result r;
		if (emu_vm_s2_walk(&M->vm, ipa, S2_ACC_READ, &r) || r.fault != S2_OK ||
		    r.pa != ipa)
			abort();
	}
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
		M->uart[u].out_len = 0;
	return 0;
}
