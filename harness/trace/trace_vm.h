/*
 * The replay VM a trace header's "memory" map describes
 * (docs/trace-format.md, "Memory map and device models"): RAM regions
 * with their r/w/x permissions, and device regions bound to hvexit's
 * device models by their "model" name. A device region without a model,
 * or with a model hvexit does not have, is kept as an unmodelled device:
 * nothing claims its accesses, so the engine hands them to the VMM
 * (action "mmio", reads served from the event's mmio_data), and replay
 * names it in what it reports. Nothing is bound by guessing from a name
 * or an address.
 */
#ifndef HVEXIT_HARNESS_TRACE_VM_H
#define HVEXIT_HARNESS_TRACE_VM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct emu_vm;
struct emu_dev_ops;

#define TRACE_VM_MAX_DEVS 16

/* One device region of the map. */
struct trace_vm_dev {
	char name[48];		/* the map's "name" ("memory[N]" when absent) */
	char model[32];		/* the map's "model" ("" when absent) */
	uint64_t ipa, size;	/* the region as the map declares it */
	uint64_t modelled;	/* bytes from ipa a model decodes (0: unmodelled) */
};

struct trace_vm;

/* Build the VM for a non-empty "memory" array and nvcpus vCPUs (1..8).
 * NULL with a one-line message naming the entry for a map it cannot
 * build (bad entry, overlap, RAM over 4 GiB, two GIC versions, a model
 * whose register window does not fit its region...). */
struct trace_vm *trace_vm_new(const json_t *memory, unsigned nvcpus, char *err,
			      size_t errlen);
void trace_vm_free(struct trace_vm *tv);
struct emu_vm *trace_vm_emu(struct trace_vm *tv);
/* The device regions in map order; *n gets their count. */
const struct trace_vm_dev *trace_vm_devices(const struct trace_vm *tv, size_t *n);
/* The device region holding ipa, or NULL. */
const struct trace_vm_dev *trace_vm_device_at(const struct trace_vm *tv, uint64_t ipa);

/* The "model" name of a device the engine's bus holds (what `hvexit
 * record` and the KVM backend write), or NULL for one no model names. */
const char *trace_vm_model_of(const struct emu_dev_ops *ops);
/* The specification a model's registers follow ("PrimeCell UART (PL011)
 * TRM, DDI0183, 3.3 ..."), or NULL for a name that is no model. */
const char *trace_vm_model_ref(const char *model);
/* The model names, comma separated (for messages). */
const char *trace_vm_model_list(void);

#endif
