/* VM model: vCPUs, memory regions, bounds-checked guest RAM access. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/emu.h"

/* PSTATE/SPSR M[3:0] = 0b0101 EL1h, DAIF = 0b1111 (C5.2.18 SPSR_EL2). */
#define PSTATE_EL1H_DAIF UINT64_C(0x3c5)

int emu_vm_init(struct emu_vm *vm, unsigned nvcpus)
{
	if (!vm || nvcpus < 1 || nvcpus > EMU_MAX_VCPUS)
		return -EINVAL;
	memset(vm, 0, sizeof(*vm));
	vm->cfg.hvc_custom_fn = 10;	/* the custom hypercall of the default VM: HVC #0 with x0 = 10 */
	vm->nvcpus = nvcpus;
	for (unsigned i = 0; i < nvcpus; i++) {
		struct emu_vcpu *v = &vm->vcpu[i];
		v->id = i;
		/* MPIDR_EL1 (D24.2.138): bit 31 RES1, Aff0 = the vCPU number. */
		v->mpidr = UINT64_C(0x80000000) | i;
		v->pstate = PSTATE_EL1H_DAIF;
		v->power = i == 0 ? EMU_PWR_ON : EMU_PWR_OFF;
	}
	return 0;
}

void emu_vm_destroy(struct emu_vm *vm)
{
	if (!vm)
		return;
	for (size_t i = 0; i < vm->nregions; i++) {
		if (vm->region[i].owned)
			free(vm->region[i].host);
		free(vm->region[i].mapped);
	}
	vm->nregions = 0;
	free(vm->s2.tables);
	vm->s2 = (struct emu_stage2){ 0 };
}

int emu_vm_add_region(struct emu_vm *vm, uint64_t ipa, uint64_t size,
		      unsigned flags, uint8_t *host)
{
	struct emu_region *r;

	if (!vm || size == 0 || ipa + size <= ipa ||
	    (ipa | size) & (EMU_PAGE_SIZE - 1) || flags & ~UINT32_C(0x1f))
		return -EINVAL;
	if ((flags & EMU_MEM_DEVICE) && (host || (flags & EMU_MEM_LAZY)))
		return -EINVAL;
	if (size > (UINT64_C(1) << 32))	/* keep host allocations sane */
		return -EINVAL;
	for (size_t i = 0; i < vm->nregions; i++)
		if (hvx_overlap(ipa, size, vm->region[i].ipa, vm->region[i].size))
			return -EEXIST;
	if (vm->nregions >= EMU_MAX_REGIONS)
		return -ENOSPC;
	r = &vm->region[vm->nregions];
	memset(r, 0, sizeof(*r));
	r->ipa = ipa;
	r->size = size;
	r->flags = flags;
	if (!(flags & EMU_MEM_DEVICE)) {
		if (!host) {
			host = calloc(1, (size_t)size);
			if (!host)
				return -ENOMEM;
			r->owned = true;
		}
		r->host = host;
		if (flags & EMU_MEM_LAZY) {
			r->mapped = calloc(1, (size_t)(size / EMU_PAGE_SIZE));
			if (!r->mapped) {
				if (r->owned)
					free(host);
				return -ENOMEM;
			}
		}
	}
	vm->nregions++;
	if (vm->s2.on) {
		int rc = emu_vm_s2_rebuild(vm);
		if (rc) {	/* the tables cannot describe it: undo */
			vm->nregions--;
			if (r->owned)
				free(r->host);
			free(r->mapped);
			memset(r, 0, sizeof(*r));
			emu_vm_s2_rebuild(vm);
			return rc;
		}
	}
	return 0;
}

struct emu_region *emu_vm_region(struct emu_vm *vm, uint64_t ipa, uint64_t size)
{
	if (size == 0 || ipa + size < ipa)
		return NULL;
	for (size_t i = 0; i < vm->nregions; i++) {
		struct emu_region *r = &vm->region[i];
		if (ipa >= r->ipa && ipa - r->ipa < r->size && size <= r->size - (ipa - r->ipa))
			return r;
	}
	return NULL;
}

/* Map-on-demand: mark a LAZY page mapped and, with Stage-2 on, rebuild
 * the tables so the next walk of it succeeds. */
int emu_vm_map_page(struct emu_vm *vm, uint64_t ipa)
{
	struct emu_region *r = emu_vm_region(vm, ipa, 1);

	if (!r || !(r->flags & EMU_MEM_LAZY) || !r->mapped)
		return -EINVAL;
	uint8_t *m = &r->mapped[(ipa - r->ipa) / EMU_PAGE_SIZE];
	uint8_t was = *m;
	int rc;

	*m = 1;
	if (!vm->s2.on || was)
		return 0;
	rc = emu_vm_s2_rebuild(vm);
	if (rc) {	/* keep the map and the tables in agreement */
		*m = 0;
		emu_vm_s2_rebuild(vm);
	}
	return rc;
}

static uint8_t *ram_ptr(struct emu_vm *vm, uint64_t ipa, size_t size)
{
	struct emu_region *r = emu_vm_region(vm, ipa, size);

	if (!r || !r->host)
		return NULL;
	return r->host + (ipa - r->ipa);
}

int emu_mem_read(struct emu_vm *vm, uint64_t ipa, void *buf, size_t size)
{
	uint8_t *p = ram_ptr(vm, ipa, size);

	if (!p)
		return -EFAULT;
	memcpy(buf, p, size);
	return 0;
}

int emu_mem_write(struct emu_vm *vm, uint64_t ipa, const void *buf, size_t size)
{
	uint8_t *p = ram_ptr(vm, ipa, size);

	if (!p)
		return -EFAULT;
	memcpy(p, buf, size);
	return 0;
}

static const char *const action_names[EMU_ACT_COUNT] = {
	[EMU_ACT_RESUME] = "resume",
	[EMU_ACT_MMIO] = "mmio",
	[EMU_ACT_INJECT] = "inject",
	[EMU_ACT_SHUTDOWN] = "shutdown",
	[EMU_ACT_RESET] = "reset",
	[EMU_ACT_WFI] = "wfi",
	[EMU_ACT_CPU_ON] = "cpu_on",
	[EMU_ACT_UNHANDLED] = "unhandled",
};

const char *emu_action_name(enum emu_action a)
{
	if ((unsigned)a >= EMU_ACT_COUNT)
		return NULL;
	return action_names[a];
}

int emu_action_parse(const char *s, enum emu_action *out)
{
	for (unsigned i = 0; s && i < EMU_ACT_COUNT; i++)
		if (!strcmp(s, action_names[i])) {
			*out = (enum emu_action)i;
			return 0;
		}
	return -EINVAL;
}

void emu_outcome_finding(struct emu_outcome *out, const char *kind, const char *fmt, ...)
{
	va_list ap;
	struct emu_finding *f;

	if (out->n_findings >= EMU_MAX_FINDINGS)
		return;
	f = &out->findings[out->n_findings++];
	snprintf(f->kind, sizeof(f->kind), "%s", kind);
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
}
