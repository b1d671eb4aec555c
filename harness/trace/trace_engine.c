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
#include "harness/trace/trace_vm.h"
#include "hvexit/emu.h"
#include "hvexit/emu_default.h"
#include "hvexit/outcome_json.h"

struct trace_engine {
	struct emu_default *d;	/* no memory map in the header: the default VM */
	struct trace_vm *tv;	/* else the VM of the header's map */
	struct emu_vm *vm;	/* the one of the two in use */
	struct trace_vcpu_regs before;	/* the exiting vCPU before the last run */
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

/* The default VM of hvexit/emu_default.h (2 vCPUs). */
static int default_vm(struct trace_engine *eng, uint64_t nv, char *err, size_t errlen)
{
	eng->d = calloc(1, sizeof(*eng->d));
	if (!eng->d || emu_default_init(eng->d) < 0) {
		free(eng->d);
		eng->d = NULL;
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	eng->vm = &eng->d->vm;
	if (nv < 1 || nv > eng->vm->nvcpus) {
		snprintf(err, errlen, "trace has %llu vCPUs, the default VM %u (a trace with a "
			 "\"memory\" map may have up to %d)", (unsigned long long)nv,
			 eng->vm->nvcpus, EMU_MAX_VCPUS);
		return -EINVAL;
	}
	return 0;
}

struct trace_engine *trace_engine_new(const json_t *header, char *err, size_t errlen)
{
	struct trace_engine *eng;
	const json_t *mem = json_object_get(header, "memory");
	uint64_t nv = 0;
	int rc;

	if (!trace_engine_available()) {
		snprintf(err, errlen, "the exit engine is not in this build");
		return NULL;
	}
	trace_get_u64(json_object_get(header, "vcpus"), &nv);
	eng = calloc(1, sizeof(*eng));
	if (!eng) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* An absent or empty map (an import knows none): the default VM. */
	if (!mem || (json_is_array(mem) && json_array_size(mem) == 0)) {
		rc = default_vm(eng, nv, err, errlen);
	} else {
		eng->tv = trace_vm_new(mem, nv > EMU_MAX_VCPUS ? EMU_MAX_VCPUS + 1 : (unsigned)nv,
				       err, errlen);
		eng->vm = eng->tv ? trace_vm_emu(eng->tv) : NULL;
		rc = eng->tv ? 0 : -EINVAL;
	}
	if (rc < 0 || apply_config(eng->vm, json_object_get(header, "config"), err, errlen) < 0) {
		trace_engine_free(eng);
		return NULL;
	}
	/* Every vCPU runs from the start, as the default VMM starts them. */
	for (unsigned i = 0; i < eng->vm->nvcpus; i++)
		eng->vm->vcpu[i].power = EMU_PWR_ON;
	return eng;
}

struct emu_vm *trace_engine_vm(struct trace_engine *eng)
{
	return eng->vm;
}

struct emu_default *trace_engine_default(struct trace_engine *eng)
{
	return eng->d;
}

static void dev_words(const struct trace_vm_dev *d, char *buf, size_t len)
{
	if (!d->modelled)
		snprintf(buf, len, "%s at 0x%llx (no hvexit model%s%s%s, handed to the VMM)", d->name,
			 (unsigned long long)d->ipa, *d->model ? " \"" : "", d->model,
			 *d->model ? "\"" : "");
	else
		snprintf(buf, len, "%s at 0x%llx (%s)", d->name, (unsigned long long)d->ipa, d->model);
}

void trace_engine_device_at(struct trace_engine *eng, uint64_t ipa, char *buf, size_t len)
{
	const struct emu_bus_dev *b;
	const struct trace_vm_dev *d;
	char w[200];

	buf[0] = '\0';
	if (eng->tv && (d = trace_vm_device_at(eng->tv, ipa))) {
		dev_words(d, w, sizeof(w));
		if (d->modelled && ipa - d->ipa >= d->modelled)
			snprintf(buf, len, "%s +0x%llx, beyond the model's 0x%llx bytes", w,
				 (unsigned long long)(ipa - d->ipa), (unsigned long long)d->modelled);
		else
			snprintf(buf, len, "%s +0x%llx", w, (unsigned long long)(ipa - d->ipa));
	} else if (!eng->tv && (b = emu_bus_find(&eng->vm->bus, ipa, 1))) {
		const char *m = trace_vm_model_of(b->ops);

		snprintf(buf, len, "%s at 0x%llx (%s) +0x%llx", b->ops ? b->ops->name : "device",
			 (unsigned long long)b->base, m ? m : "?", (unsigned long long)(ipa - b->base));
	}
}

const struct trace_vcpu_regs *trace_engine_before(const struct trace_engine *eng)
{
	return &eng->before;
}

const char *trace_engine_device_ref(struct trace_engine *eng, uint64_t ipa)
{
	const struct trace_vm_dev *d;
	const struct emu_bus_dev *b;

	if (eng->tv)
		return (d = trace_vm_device_at(eng->tv, ipa)) && d->modelled && ipa - d->ipa < d->modelled
			? trace_vm_model_ref(d->model) : NULL;
	b = emu_bus_find(&eng->vm->bus, ipa, 1);
	return b && trace_vm_model_of(b->ops) ? trace_vm_model_ref(trace_vm_model_of(b->ops)) : NULL;
}

bool trace_engine_unmodelled(struct trace_engine *eng, size_t i, char *buf, size_t len)
{
	const struct trace_vm_dev *d;
	size_t n = 0, k = 0;

	if (!eng->tv)
		return false;
	d = trace_vm_devices(eng->tv, &n);
	for (size_t j = 0; j < n; j++)
		if (!d[j].modelled && k++ == i) {
			dev_words(&d[j], buf, len);
			return true;
		}
	return false;
}

int trace_event_to_exit(const struct trace_event *ev, struct emu_exit *x,
			char *err, size_t errlen)
{
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
	for (uint32_t m = x->regs_mask; m; m &= m - 1)
		x->regs[__builtin_ctz(m)] = ev->exit.regs[__builtin_ctz(m)];
	x->n_mmio_data = ev->n_mmio;
	for (unsigned i = 0; i < ev->n_mmio; i++)
		x->mmio_data[i] = ev->mmio_data[i];
	return 0;
}

int trace_engine_exec(struct trace_engine *eng, const struct trace_reader *r,
		      const struct trace_event *ev, struct emu_outcome *out,
		      char *err, size_t errlen)
{
	struct emu_exit x;
	struct emu_vm *vm = eng->vm;

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
	/* the registers only: a copy of the whole vCPU was 4 % of a replay */
	memcpy(eng->before.x, vm->vcpu[ev->vcpu].x, sizeof(eng->before.x));
	eng->before.pc = vm->vcpu[ev->vcpu].pc;
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
	trace_vm_free(eng->tv);
	free(eng);
}
