/*
 * Glue between traces and the exit engine (emu/): builds the VM a trace's
 * header describes and runs one recorded exit through handle_exit, giving
 * the outcome as the JSON object of docs/trace-format.md, "outcome" (the shape `hvexit exit
 * --json` prints). Used by record and replay.
 */
#ifndef HVEXIT_HARNESS_TRACE_ENGINE_H
#define HVEXIT_HARNESS_TRACE_ENGINE_H

#include "hvexit/trace.h"

struct emu_vm;

struct trace_engine;

/* A fresh VM for the header: the VM its "memory" map describes
 * (harness/trace/trace_vm.h), or the default VM (hvexit/emu_default.h)
 * when the map is absent or empty; "vcpus" vCPUs, "config" applied. NULL
 * with a message when the engine is not available or the header is
 * unusable. */
struct trace_engine *trace_engine_new(const json_t *header, char *err, size_t errlen);
/* Run ev through the engine (pages resolved through r when non-NULL).
 * New reference to the outcome object, or NULL with a message. */
json_t *trace_engine_run(struct trace_engine *eng, const struct trace_reader *r,
			 const struct trace_event *ev, char *err, size_t errlen);
/* The same as the engine's struct (no JSON): 0 or -EINVAL with a message. */
int trace_engine_exec(struct trace_engine *eng, const struct trace_reader *r,
		      const struct trace_event *ev, struct emu_outcome *out,
		      char *err, size_t errlen);
void trace_engine_free(struct trace_engine *eng);

/* True when the engine's entry points are linked in. */
bool trace_engine_available(void);
/* The engine's VM (for record: scenario set-up and output checks). */
struct emu_vm *trace_engine_vm(struct trace_engine *eng);
/* The whole default VM (UART output for record's summary); NULL when the
 * VM is the one of a memory map. */
struct emu_default;
struct emu_default *trace_engine_default(struct trace_engine *eng);
/* The device at ipa in words, "uart (pl011) +0x18", or for a device no
 * model claims "virtio0 (no hvexit model \"virtio-mmio\", handed to the
 * VMM) +0x10"; "" when no device region holds ipa. */
void trace_engine_device_at(struct trace_engine *eng, uint64_t ipa, char *buf, size_t len);
/* The specification of the registers of the model that decodes ipa, or
 * NULL when no model does. */
const char *trace_engine_device_ref(struct trace_engine *eng, uint64_t ipa);
/* The i-th device region of the map no model claims, in words (as
 * above, without an offset); false past the last. */
bool trace_engine_unmodelled(struct trace_engine *eng, size_t i, char *buf, size_t len);
/* The exiting vCPU's registers and PC just before the last
 * trace_engine_run, before the event's overrides: what a reproducer of
 * that exit on a fresh VM has to set. */
struct trace_vcpu_regs {
	uint64_t x[31];
	uint64_t pc;
};
const struct trace_vcpu_regs *trace_engine_before(const struct trace_engine *eng);
/* Event -> engine input (ESR required); 0 or -EINVAL with a message.
 * Every member is set but regs outside regs_mask and mmio_data past
 * n_mmio_data, which the engine does not read (hvexit/emu.h): clearing
 * the 300 bytes of them cost as much as a binary event's decode. */
struct emu_exit;
int trace_event_to_exit(const struct trace_event *ev, struct emu_exit *x,
			char *err, size_t errlen);

#endif
