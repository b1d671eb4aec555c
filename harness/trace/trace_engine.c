/*
 * Glue between traces and the exit engine (see trace_engine.h): the
 * default VM of hvexit/emu_default.h, one trace event -> struct emu_exit ->
 * emu_handle_exit() -> outcome JSON (harness/outcome_json.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/trace/trace_engine.h"
#include "hvexit/emu.h"
#include "hvexit/emu_default.h"
#include "hvexit/outcome_json.h"

struct trace_engine {
	struct emu_default *d;
};

bool trace_engine_available(void)
{
	return true;	/* the engine is part of every build now */
}

/* Header "config" keys applied to the VM (written by hvexit record). */
static int apply_config(struct emu_vm *vm, const json_t *cfg, char *err, size_t errlen)
{
	uint64_t v;
	const json_t *j;

	if (!cfg)
		return 0;
	if (!json_is_object(cfg)) {
		snprintf(err, errlen, "header \"config\" is not an object");
		return -EINVAL;
	}
	if ((j = json_object_get(cfg, "hvc_custom_fn"))) {
		if (trace_get_u64(j, &v) < 0) {
			snprintf(err, errlen, "header config.hvc_custom_fn is not a number");
			return -EINVAL;
		}
		vm->cfg.hvc_custom_fn = v;
	}
	return 0;
}

struct trace_engine *trace_engine_new(const json_t *header, char *err, size_t errlen)
{
	struct trace_engine *eng;
	uint64_t nv = 0;

	if (!trace_engine_available()) {
		snprintf(err, errlen, "the exit engine is not in this build");
		return NULL;
	}
	trace_get_u64(json_object_get(header, "vcpus"), &nv);
	eng = calloc(1, sizeof(*eng));
	if (eng)
		eng->d = calloc(1, sizeof(*eng->d));
	if (!eng || !eng->d || emu_default_init(eng->d) < 0) {
		snprintf(err, errlen, "out of memory");
		if (eng)
			free(eng->d);
		free(eng);
		return NULL;
	}
	if (nv < 1 || nv > eng->d->vm.nvcpus) {
		snprintf(err, errlen, "trace has %llu vCPUs, the default VM %u",
			 (unsigned long long)nv, eng->d->vm.nvcpus);
		trace_engine_free(eng);
		return NULL;
	}
	if (apply_config(&eng->d->vm, json_object_get(header, "config"), err, errlen) < 0) {
		trace_engine_free(eng);
		return NULL;
	}
	/* Every vCPU runs from the start, as the VMM of seed 000 starts them. */
	for (unsigned i = 0; i < eng->d->vm.nvcpus; i++)
		eng->d->vm.vcpu[i].power = EMU_PWR_ON;
	return eng;
}

struct emu_vm *trace_engine_vm(struct trace_engine *eng)
{
	return &eng->d->vm;
}

struct emu_default *trace_engine_default(struct trace_engine *eng)
{
	return eng->d;
}

int trace_event_to_exit(const struct trace_event *ev, struct emu_exit *x,
			char *err, size_t errlen)
{
	memset(x, 0, sizeof(*x));
	if (!ev->exit.has_esr) {
		snprintf(err, errlen, "exit has no ESR (only EC 0x%x): nothing to run", ev->exit.ec);
		return -EINVAL;
	}
	if (ev->n_mmio > EMU_MAX_MMIO_DATA) {
		snprintf(err, errlen, "%u MMIO data values, the engine takes %d", ev->n_mmio,
			 EMU_MAX_MMIO_DATA);
		return -EINVAL;
	}
	x->esr = ev->exit.esr;
	x->far = ev->exit.far;
	x->hpfar = ev->exit.hpfar;
	x->has_insn = ev->exit.has_insn;
	x->insn = ev->exit.insn;
	x->has_pc = ev->exit.has_pc;
	x->pc = ev->exit.pc;
	x->regs_mask = ev->exit.regs_mask & ((UINT32_C(1) << 31) - 1);
	memcpy(x->regs, ev->exit.regs, sizeof(x->regs));
	x->n_mmio_data = ev->n_mmio;
	memcpy(x->mmio_data, ev->mmio_data, ev->n_mmio * sizeof(ev->mmio_data[0]));
	return 0;
}

int trace_engine_exec(struct trace_engine *eng, const struct trace_reader *r,
		      const struct trace_event *ev, struct emu_outcome *out,
		      char *err, size_t errlen)
{
	struct emu_exit x;
	struct emu_vm *vm = &eng->d->vm;

	if (ev->vcpu >= vm->nvcpus) {
		snprintf(err, errlen, "vcpu %u out of range (VM has %u)", ev->vcpu, vm->nvcpus);
		return -EINVAL;
	}
	if (trace_event_to_exit(ev, &x, err, errlen) < 0)
		return -EINVAL;
	for (unsigned i = 0; i < ev->n_pages && r; i++) {
		const uint8_t *p = trace_reader_page(r, ev->pages[i].hash);

		if (!p || emu_mem_write(vm, ev->pages[i].ipa, p, TRACE_PAGE_SIZE) < 0) {
			snprintf(err, errlen, "page at IPA 0x%llx is not in the VM's RAM",
				 (unsigned long long)ev->pages[i].ipa);
			return -EINVAL;
		}
	}
	if (emu_handle_exit(vm, ev->vcpu, &x, out) < 0) {
		snprintf(err, errlen, "the engine rejected the exit");
		return -EINVAL;
	}
	return 0;
}

json_t *trace_engine_run(struct trace_engine *eng, const struct trace_reader *r,
			 const struct trace_event *ev, char *err, size_t errlen)
{
	struct emu_outcome out;

	if (trace_engine_exec(eng, r, ev, &out, err, errlen) < 0)
		return NULL;
	return emu_outcome_to_json(&out);
}

void trace_engine_free(struct trace_engine *eng)
{
	if (!eng)
		return;
	if (eng->d) {
		emu_default_destroy(eng->d);
		free(eng->d);
	}
	free(eng);
}
