/*
 * The replay VM of a trace header's memory map (see trace_vm.h): a table
 * of device models, each with the register window it decodes and how it
 * is attached to the engine's bus.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness/trace/trace_vm.h"
#include "hvexit/emu_default.h"
#include "hvexit/trace.h"

#define MAX_UARTS 8
#define RAM_MAX (UINT64_C(1) << 32)	/* the engine's limit per region */

struct trace_vm {
	struct emu_vm vm;
	struct trace_vm_dev dev[TRACE_VM_MAX_DEVS];
	size_t ndev;
	struct uart_pl011 uart[MAX_UARTS];
	unsigned nuart;
	struct gicd gicd;
	struct gicv3 gicv3;
	bool gicv2_on, gicv3_on, gicv3_dist, gicv3_redist;
	struct { uint8_t *p; size_t len; } ram[EMU_MAX_REGIONS];
	unsigned nram;
};

struct model {
	const char *name;
	const char *ref;		/* the specification of its registers */
	const struct emu_dev_ops *ops;	/* the bus device it registers */
	/* Attach at d->ipa; sets d->modelled. 0 or <0 with err. */
	int (*attach)(struct trace_vm *tv, struct trace_vm_dev *d, char *err, size_t errlen);
};

/* A register window of len bytes must fit the region the map declares. */
static int fits(const struct trace_vm_dev *d, uint64_t len, char *err, size_t errlen)
{
	if (d->size >= len)
		return 0;
	snprintf(err, errlen, "model %s decodes 0x%" PRIx64 " bytes, the region has 0x%" PRIx64,
		 d->model, len, d->size);
	return -EINVAL;
}

/* PL011 UART (its 4 KiB window, DDI0183 3.2). */
static int attach_pl011(struct trace_vm *tv, struct trace_vm_dev *d, char *err, size_t errlen)
{
	struct uart_pl011 *u;

	if (fits(d, UART_PL011_SIZE, err, errlen))
		return -EINVAL;
	if (tv->nuart >= MAX_UARTS) {
		snprintf(err, errlen, "more than %d pl011 devices", MAX_UARTS);
		return -ENOSPC;
	}
	u = &tv->uart[tv->nuart++];
	uart_pl011_reset(u);
	d->modelled = UART_PL011_SIZE;
	return emu_bus_register(&tv->vm.bus, d->ipa, UART_PL011_SIZE, &uart_pl011_ops, u);
}

/* A model a VM has at most once: *flag says it is there; what names it in
 * the error. Marks it and sets d->modelled to len. */
static int claim_once(bool *flag, struct trace_vm_dev *d, uint64_t len, const char *what,
		      char *err, size_t errlen)
{
	if (*flag) {
		snprintf(err, errlen, "a second %s", what);
		return -EINVAL;
	}
	*flag = true;
	d->modelled = len;
	return 0;
}

static int one_gic(struct trace_vm *tv, bool v3, char *err, size_t errlen)
{
	if ((v3 && tv->gicv2_on) || (!v3 && tv->gicv3_on)) {
		snprintf(err, errlen, "a GICv2 and a GICv3 in one VM");
		return -EINVAL;
	}
	return 0;
}

/* GICv2 Distributor (4 KiB, IHI0048B 4.1.2), as the default VM's. */
static int attach_gicv2(struct trace_vm *tv, struct trace_vm_dev *d, char *err, size_t errlen)
{
	if (fits(d, GICD_SIZE, err, errlen) || one_gic(tv, false, err, errlen) ||
	    claim_once(&tv->gicv2_on, d, GICD_SIZE, "gicv2-dist", err, errlen))
		return -EINVAL;
	return emu_gicv2_attach(&tv->vm, &tv->gicd, d->ipa);
}

/* The GICv3 both GICv3 models share: ITLinesNumber 2, one Redistributor
 * per vCPU; the trapped ICC_* registers are its CPU interfaces. */
static int gicv3_up(struct trace_vm *tv, char *err, size_t errlen)
{
	uint64_t mpidr[EMU_MAX_VCPUS];

	if (one_gic(tv, true, err, errlen))
		return -EINVAL;
	if (tv->gicv3_on)
		return 0;
	for (unsigned i = 0; i < tv->vm.nvcpus; i++)
		mpidr[i] = tv->vm.vcpu[i].mpidr;
	if (gicv3_init(&tv->gicv3, 2, tv->vm.nvcpus, mpidr) < 0) {
		snprintf(err, errlen, "cannot set up the GICv3");
		return -EINVAL;
	}
	tv->gicv3_on = true;
	tv->vm.gicv3 = &tv->gicv3;
	return 0;
}

/* GICv3 Distributor (Dist_base, 64 KiB, IHI0069 12.8). */
static int attach_gicv3_dist(struct trace_vm *tv, struct trace_vm_dev *d, char *err,
			     size_t errlen)
{
	if (fits(d, GICV3_DIST_SIZE, err, errlen) || gicv3_up(tv, err, errlen) ||
	    claim_once(&tv->gicv3_dist, d, GICV3_DIST_SIZE, "gicv3-dist", err, errlen))
		return -EINVAL;
	return emu_bus_register(&tv->vm.bus, d->ipa, GICV3_DIST_SIZE, &gicv3_dist_ops, &tv->gicv3);
}

/* GICv3 Redistributor region: one RD_base + SGI_base frame pair (128 KiB,
 * IHI0069 12.10) per vCPU, vCPU n's at ipa + n * 128 KiB; what lies
 * beyond the last vCPU's frames is left to the VMM. */
static int attach_gicv3_redist(struct trace_vm *tv, struct trace_vm_dev *d, char *err,
			       size_t errlen)
{
	uint64_t len = (uint64_t)tv->vm.nvcpus * GICV3_REDIST_SIZE;
	int rc = 0;

	if (fits(d, len, err, errlen) || gicv3_up(tv, err, errlen) ||
	    claim_once(&tv->gicv3_redist, d, len, "gicv3-redist region", err, errlen))
		return -EINVAL;
	for (unsigned i = 0; !rc && i < tv->vm.nvcpus; i++)
		rc = emu_bus_register(&tv->vm.bus, d->ipa + i * GICV3_REDIST_SIZE,
				      GICV3_REDIST_SIZE, &gicv3_redist_ops, &tv->gicv3.rd[i]);
	return rc;
}

static const struct model models[] = {
	{ "pl011", "PrimeCell UART (PL011) TRM, DDI0183, 3.3 Register descriptions",
	  &uart_pl011_ops, attach_pl011 },
	{ "gicv2-dist", "GICv2 Architecture Specification, IHI0048B, 4.3 Distributor register "
	  "descriptions", &gicd_ops, attach_gicv2 },
	{ "gicv3-dist", "GICv3/v4 Architecture Specification, IHI0069, 12.9 The GIC "
	  "Distributor register descriptions", &gicv3_dist_ops, attach_gicv3_dist },
	{ "gicv3-redist", "GICv3/v4 Architecture Specification, IHI0069, 12.11 The GIC "
	  "Redistributor register descriptions", &gicv3_redist_ops, attach_gicv3_redist },
};

const char *trace_vm_model_of(const struct emu_dev_ops *ops)
{
	for (size_t i = 0; i < HVX_ARRAY_SIZE(models); i++)
		if (models[i].ops == ops)
			return models[i].name;
	return NULL;
}

const char *trace_vm_model_ref(const char *model)
{
	for (size_t i = 0; i < HVX_ARRAY_SIZE(models); i++)
		if (!strcmp(models[i].name, model))
			return models[i].ref;
	return NULL;
}

const char *trace_vm_model_list(void)
{
	return "pl011, gicv2-dist, gicv3-dist, gicv3-redist";
}

static const struct model *model_find(const char *name)
{
	for (size_t i = 0; i < HVX_ARRAY_SIZE(models); i++)
		if (!strcmp(models[i].name, name))
			return &models[i];
	return NULL;
}

/* "r", "rw", "rwx", "rx", ... -> EMU_MEM_* (0 for anything else). */
static unsigned ram_flags(const char *s)
{
	unsigned f = 0;

	for (; *s; s++) {
		unsigned b = *s == 'r' ? EMU_MEM_R : *s == 'w' ? EMU_MEM_W : *s == 'x' ? EMU_MEM_X : 0;

		if (!b || (f & b))
			return 0;
		f |= b;
	}
	return f;
}

/* RAM the engine reads and writes through: anonymous memory reserved
 * lazily, so a large guest RAM costs only the pages a trace touches. */
static int add_ram(struct trace_vm *tv, uint64_t ipa, uint64_t size, unsigned flags)
{
	void *p;
	int rc;

	if (size > RAM_MAX)
		return -E2BIG;
	p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	rc = emu_vm_add_region(&tv->vm, ipa, size, flags, p);
	if (rc) {
		munmap(p, (size_t)size);
		return rc;
	}
	tv->ram[tv->nram].p = p;
	tv->ram[tv->nram++].len = (size_t)size;
	return 0;
}

static const char *region_error(int rc)
{
	switch (rc) {
	case -EEXIST: return "overlaps an earlier region";
	case -ENOSPC: return "too many regions";
	case -E2BIG: return "RAM region larger than 4 GiB";
	case -ENOMEM: return "out of memory";
	default: return "base and size must be 4 KiB aligned and not wrap";
	}
}

static bool overlaps(const struct trace_vm *tv, uint64_t ipa, uint64_t size)
{
	for (size_t i = 0; i < tv->vm.nregions; i++)
		if (ipa < tv->vm.region[i].ipa + tv->vm.region[i].size &&
		    tv->vm.region[i].ipa < ipa + size)
			return true;
	for (size_t i = 0; i < tv->ndev; i++)
		if (ipa < tv->dev[i].ipa + tv->dev[i].size && tv->dev[i].ipa < ipa + size)
			return true;
	return false;
}

static int add_device(struct trace_vm *tv, const json_t *e, const char *name, uint64_t ipa,
		      uint64_t size, char *err, size_t errlen)
{
	const json_t *m = json_object_get(e, "model");
	struct trace_vm_dev *d;
	const struct model *mo;

	if (m && !json_is_string(m)) {
		snprintf(err, errlen, "\"model\" is not a string");
		return -EINVAL;
	}
	if (tv->ndev >= TRACE_VM_MAX_DEVS) {
		snprintf(err, errlen, "more than %d device regions", TRACE_VM_MAX_DEVS);
		return -ENOSPC;
	}
	if (overlaps(tv, ipa, size)) {
		snprintf(err, errlen, "overlaps an earlier region");
		return -EEXIST;
	}
	d = &tv->dev[tv->ndev++];
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->model, sizeof(d->model), "%s", m ? json_string_value(m) : "");
	d->ipa = ipa;
	d->size = size;
	mo = model_find(d->model);
	if (!mo)
		return 0;	/* unmodelled: the VMM's */
	if (mo->attach(tv, d, err, errlen) < 0) {
		if (!*err)
			snprintf(err, errlen, "cannot attach model %s", d->model);
		return -EINVAL;
	}
	return 0;
}

static int add_entry(struct trace_vm *tv, size_t idx, const json_t *e, char *err,
		     size_t errlen)
{
	const json_t *jn = json_object_get(e, "name"), *jf = json_object_get(e, "flags");
	char name[48], why[200] = "";
	uint64_t ipa, size;
	int rc;

	if (jn && json_is_string(jn))
		snprintf(name, sizeof(name), "%s", json_string_value(jn));
	else
		snprintf(name, sizeof(name), "memory[%zu]", idx);
	if (!json_is_object(e) || trace_get_u64(json_object_get(e, "ipa"), &ipa) < 0 ||
	    trace_get_u64(json_object_get(e, "size"), &size) < 0 || !json_is_string(jf)) {
		snprintf(err, errlen, "header memory[%zu]: needs \"ipa\" and \"size\" (hex) and "
			 "\"flags\" (string)", idx);
		return -EINVAL;
	}
	if (size == 0 || ipa + size < ipa) {
		snprintf(err, errlen, "header memory[%zu] '%s': empty or wrapping region", idx, name);
		return -EINVAL;
	}
	if (!strcmp(json_string_value(jf), "device")) {
		rc = add_device(tv, e, name, ipa, size, why, sizeof(why));
	} else {
		unsigned fl = ram_flags(json_string_value(jf));

		if (!fl) {
			snprintf(err, errlen, "header memory[%zu] '%s': flags \"%s\" are neither "
				 "\"device\" nor r/w/x letters", idx, name, json_string_value(jf));
			return -EINVAL;
		}
		if (json_object_get(e, "model")) {
			snprintf(err, errlen, "header memory[%zu] '%s': a \"model\" on RAM", idx, name);
			return -EINVAL;
		}
		rc = overlaps(tv, ipa, size) ? -EEXIST : add_ram(tv, ipa, size, fl);
		if (rc)
			snprintf(why, sizeof(why), "%s", region_error(rc));
	}
	if (rc) {
		snprintf(err, errlen, "header memory[%zu] '%s' at 0x%" PRIx64 ": %s", idx, name,
			 ipa, *why ? why : region_error(rc));
		return -EINVAL;
	}
	return 0;
}

struct trace_vm *trace_vm_new(const json_t *memory, unsigned nvcpus, char *err,
			      size_t errlen)
{
	struct trace_vm *tv;
	size_t i;
	const json_t *e;

	if (!json_is_array(memory)) {
		snprintf(err, errlen, "header \"memory\" is not an array");
		return NULL;
	}
	if (nvcpus < 1 || nvcpus > EMU_MAX_VCPUS) {
		snprintf(err, errlen, "trace has %u vCPUs, the replay VM 1..%d", nvcpus,
			 EMU_MAX_VCPUS);
		return NULL;
	}
	tv = calloc(1, sizeof(*tv));
	if (!tv) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	emu_vm_init(&tv->vm, nvcpus);
	json_array_foreach(memory, i, e) {
		if (add_entry(tv, i, e, err, errlen) < 0) {
			trace_vm_free(tv);
			return NULL;
		}
	}
	return tv;
}

void trace_vm_free(struct trace_vm *tv)
{
	if (!tv)
		return;
	emu_vm_destroy(&tv->vm);
	for (unsigned i = 0; i < tv->nram; i++)
		munmap(tv->ram[i].p, tv->ram[i].len);
	free(tv);
}

struct emu_vm *trace_vm_emu(struct trace_vm *tv)
{
	return &tv->vm;
}

const struct trace_vm_dev *trace_vm_devices(const struct trace_vm *tv, size_t *n)
{
	*n = tv->ndev;
	return tv->dev;
}

const struct trace_vm_dev *trace_vm_device_at(const struct trace_vm *tv, uint64_t ipa)
{
	for (size_t i = 0; i < tv->ndev; i++)
		if (ipa >= tv->dev[i].ipa && ipa - tv->dev[i].ipa < tv->dev[i].size)
			return &tv->dev[i];
	return NULL;
}
