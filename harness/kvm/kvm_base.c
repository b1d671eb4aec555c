/*
 * KVM backend, what every other part uses: vCPU registers, guest memory
 * by address, the findings and exit records a run keeps, the end names.
 */
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "harness/kvm/kvmb.h"

int kvmb_get_reg(struct kvmb_vcpu *v, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)val };

	return ioctl(v->fd, KVM_GET_ONE_REG, &r) < 0 ? -errno : 0;
}

int kvmb_set_reg(struct kvmb_vcpu *v, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	return ioctl(v->fd, KVM_SET_ONE_REG, &r) < 0 ? -errno : 0;
}

static struct kvmb_finding *finding_slot(struct kvmb_vm *vm, const char *what)
{
	struct kvmb_finding *f;

	if (vm->nfind >= KVMB_MAX_FINDINGS) {
		vm->nfind_dropped++;
		return NULL;
	}
	f = &vm->find[vm->nfind++];
	memset(f, 0, sizeof(*f));
	snprintf(f->what, sizeof(f->what), "%s", what);
	return f;
}

int kvmb_errf(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc;
}

void kvmb_finding(struct kvmb_vm *vm, const char *what, const char *fmt, ...)
{
	struct kvmb_finding *f = finding_slot(vm, what);
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
}

void kvmb_finding_val(struct kvmb_vm *vm, const char *what, const char *cluster,
		      uint64_t expected, uint64_t observed, const char *fmt, ...)
{
	struct kvmb_finding *f = finding_slot(vm, what);
	va_list ap;

	if (!f)
		return;
	snprintf(f->cluster, sizeof(f->cluster), "%s", cluster);
	f->has_values = true;
	f->expected = expected;
	f->observed = observed;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
}

void kvmb_record(struct kvmb_vm *vm, const struct kvmb_exit_rec *r)
{
	if (vm->nrec == vm->caprec) {
		size_t cap = vm->caprec ? vm->caprec * 2 : 1024;
		struct kvmb_exit_rec *n;

		if (cap > (size_t)1 << 20)
			return;
		n = realloc(vm->rec, cap * sizeof(*n));
		if (!n)
			return;
		vm->rec = n;
		vm->caprec = cap;
	}
	vm->rec[vm->nrec++] = *r;
}

const char *kvmb_end_name(enum kvmb_end e)
{
	static const char *const names[] = {
		[KVMB_END_NONE] = "none", [KVMB_END_SHUTDOWN] = "shutdown",
		[KVMB_END_RESET] = "reset", [KVMB_END_SUSPEND] = "suspend",
		[KVMB_END_TIMEOUT] = "timeout", [KVMB_END_ERROR] = "error",
		[KVMB_END_CRASH] = "crash",
	};
	return (unsigned)e < HVX_ARRAY_SIZE(names) ? names[e] : "?";
}

uint8_t *kvmb_gpa_ptr(struct kvmb_vm *vm, uint64_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < vm->map.n; i++) {
		struct kvmb_region *r = &vm->map.r[i];

		if (!r->host || gpa < r->gpa || len > r->size || gpa - r->gpa > r->size - len)
			continue;
		return r->host + (gpa - r->gpa);
	}
	return NULL;
}
