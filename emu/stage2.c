/*
 * The VM's optional real Stage-2 translation: tables emitted by the
 * Stage-2 builder (decoder/s2_build.c) from the region list and walked by
 * s2_walk(), identity-mapped (PA = IPA). Map-on-demand (LAZY RAM)
 * adds a LAZY page and rebuilds, so the next walk of that IPA succeeds.
 * Descriptor formats: Arm ARM D8.3; VTCR_EL2: D24.2.224.
 */
#include <stdlib.h>
#include <string.h>

#include "hvexit/emu.h"

#define S2_TABLES_MIN  ((size_t)64 << 10)
#define S2_TABLES_MAX  ((size_t)64 << 20)

static unsigned s2_flags(unsigned f)
{
	return (f & EMU_MEM_R ? S2_R : 0) | (f & EMU_MEM_W ? S2_W : 0) |
	       (f & EMU_MEM_X ? S2_X : 0);
}

/* Region list -> builder regions: RAM regions whole, LAZY regions as runs
 * of mapped pages, DEVICE regions left out (their accesses must trap).
 * Returns the count written (out may be NULL to count only). */
static size_t collect(const struct emu_vm *vm, struct s2_region *out)
{
	size_t n = 0;

	for (size_t i = 0; i < vm->nregions; i++) {
		const struct emu_region *r = &vm->region[i];
		unsigned fl = s2_flags(r->flags);

		if (r->flags & EMU_MEM_DEVICE)
			continue;
		if (!(r->flags & EMU_MEM_LAZY)) {
			if (out)
				out[n] = (struct s2_region){ r->ipa, r->ipa, r->size, fl };
			n++;
			continue;
		}
		uint64_t pages = r->size / EMU_PAGE_SIZE;
		for (uint64_t p = 0; p < pages;) {
			if (!r->mapped[p]) {
				p++;
				continue;
			}
			uint64_t q = p;
			while (q < pages && r->mapped[q])
				q++;
			if (out)
				out[n] = (struct s2_region){ r->ipa + p * EMU_PAGE_SIZE,
							     r->ipa + p * EMU_PAGE_SIZE,
							     (q - p) * EMU_PAGE_SIZE, fl };
			n++;
			p = q;
		}
	}
	return n;
}

int emu_vm_s2_rebuild(struct emu_vm *vm)
{
	struct emu_stage2 *s = &vm->s2;
	struct s2_build_out bo;
	const char *err = NULL;
	size_t n = collect(vm, NULL);
	struct s2_region *reg = calloc(n ? n : 1, sizeof(*reg));
	int rc;

	if (!reg)
		return -ENOMEM;
	collect(vm, reg);
	for (;;) {
		if (!s->tables) {
			s->len = s->len ? s->len : S2_TABLES_MIN;
			s->tables = malloc(s->len);
			if (!s->tables) {
				s->len = 0;
				rc = -ENOMEM;
				break;
			}
		}
		rc = s2_build(&s->cfg, reg, n, s->tables, s->len, EMU_S2_TABLE_PA, &bo, &err);
		if (rc != -ENOSPC || s->len >= S2_TABLES_MAX)
			break;
		free(s->tables);	/* grow and retry */
		s->tables = NULL;
		s->len *= 2;
	}
	free(reg);
	if (rc) {
		s->used = 0;	/* nothing mapped: every walk faults */
		return rc;
	}
	s->used = bo.used;
	s->builds++;
	return 0;
}

int emu_vm_s2_enable(struct emu_vm *vm)
{
	const char *rule = NULL;
	int rc;

	if (!vm)
		return -EINVAL;
	rc = s2_config_init(EMU_S2_VTCR, EMU_S2_TABLE_PA, S2_FEAT_ALL, 48, false,
			    &vm->s2.cfg, &rule);
	if (rc)
		return rc;
	rc = emu_vm_s2_rebuild(vm);
	vm->s2.on = rc == 0;
	return rc;
}

int emu_vm_s2_walk(const struct emu_vm *vm, uint64_t ipa, enum s2_access acc,
		   struct s2_result *r)
{
	struct s2_flatmem m;

	if (!vm || !vm->s2.on)
		return -ENODEV;
	m = (struct s2_flatmem){ vm->s2.tables, vm->s2.used, EMU_S2_TABLE_PA };
	return s2_walk(&vm->s2.cfg, ipa, acc, false, s2_flat_read64, &m, r);
}
