/*
 * KVM backend: VM creation, memory map, ELF loading, vCPU setup
 * (Documentation/virt/kvm/api.rst: KVM_CREATE_VM with the IPA size in the
 * machine type, KVM_SET_USER_MEMORY_REGION, KVM_ARM_PREFERRED_TARGET,
 * KVM_ARM_VCPU_INIT).
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness/kvm/kvmb.h"

/* rc, with the message in vm->err. */
#define fail(vm, rc, ...) kvmb_errf((vm)->err, sizeof((vm)->err), (rc), __VA_ARGS__)

static int add_region(struct kvmb_map *m, const char *name, uint64_t gpa,
		      uint64_t size, enum kvmb_region_kind kind)
{
	struct kvmb_region *r;

	if (m->n >= KVMB_MAX_REGIONS || size == 0 || gpa + size < gpa)
		return -EINVAL;
	if ((gpa | size) & 0xfff)
		return -EINVAL;		/* memslots are page granular */
	for (unsigned i = 0; i < m->n; i++)
		if (gpa < m->r[i].gpa + m->r[i].size && m->r[i].gpa < gpa + size)
			return -EEXIST;
	r = &m->r[m->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->gpa = gpa;
	r->size = size;
	r->kind = kind;
	return 0;
}

int kvmb_map_default(struct kvmb_map *m, unsigned vcpus)
{
	int rc = 0;

	memset(m, 0, sizeof(*m));
	rc |= add_region(m, "rom", 0x0, 0x100000, KVMB_RAM);
	rc |= add_region(m, "ram", 0x04000000, 0x10000, KVMB_RAM);
	rc |= add_region(m, "heap", 0x04010000, 0x10000, KVMB_RAM);
	rc |= add_region(m, "stacks", 0x04020000, (uint64_t)vcpus * 0x10000, KVMB_RAM);
	rc |= add_region(m, "uart0", KVMB_UART0_BASE, KVMB_DEV_SIZE, KVMB_MMIO);
	rc |= add_region(m, "uart1", KVMB_UART1_BASE, KVMB_DEV_SIZE, KVMB_MMIO);
	rc |= add_region(m, "testdev", KVMB_TESTDEV_BASE, KVMB_DEV_SIZE, KVMB_MMIO);
	return rc ? -EINVAL : 0;
}

/*
 * MAP: comma-separated NAME:GPA:SIZE:KIND, KIND one of ram, romem (a
 * read-only memslot: writes exit as MMIO) or mmio (no memslot).
 */
int kvmb_map_parse(struct kvmb_map *m, const char *spec)
{
	char buf[1024], *save = NULL, *tok;

	if (strlen(spec) >= sizeof(buf))
		return -E2BIG;
	memset(m, 0, sizeof(*m));
	strcpy(buf, spec);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char name[16], kind[8];
		unsigned long long gpa, size;
		enum kvmb_region_kind k;
		int n = 0;

		if (sscanf(tok, "%15[^:]:%lli:%lli:%7s%n", name, &gpa, &size, kind, &n) != 4 ||
		    tok[n] != '\0')
			return -EINVAL;
		if (!strcmp(kind, "ram"))
			k = KVMB_RAM;
		else if (!strcmp(kind, "romem"))
			k = KVMB_ROMEM;
		else if (!strcmp(kind, "mmio"))
			k = KVMB_MMIO;
		else
			return -EINVAL;
		if (add_region(m, name, gpa, size, k))
			return -EINVAL;
	}
	return m->n ? 0 : -EINVAL;
}

static int check_ext(struct kvmb_vm *vm, int fd, long cap, const char *name, bool need)
{
	int r = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	if (r <= 0 && need)
		return fail(vm, -ENOTSUP, "kvm: capability %s is not supported by this kernel", name);
	return r < 0 ? 0 : r;
}

int kvmb_vm_create(struct kvmb_vm *vm, const struct kvmb_opts *opt, const struct kvmb_map *map)
{
	uint64_t top = 0;
	int api, ipa_max;
	unsigned long type;

	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = vm->vm_fd = vm->vgic_fd = -1;
	vm->opt = *opt;
	vm->map = *map;
	pthread_mutex_init(&vm->lock, NULL);
	for (unsigned i = 0; i < KVMB_MAX_VCPUS; i++)
		vm->vcpu[i].fd = -1;
	if (opt->vcpus == 0 || opt->vcpus > KVMB_MAX_VCPUS)
		return fail(vm, -EINVAL, "kvm: --vcpus must be 1..%d", KVMB_MAX_VCPUS);
	if (kvmb_dev_init(vm) < 0)
		return fail(vm, -ENOMEM, "kvm: cannot set up the exit engine's devices");

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return fail(vm, -ENOTSUP, "kvm: cannot open /dev/kvm: %s", strerror(errno));
	api = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION)
		return fail(vm, -ENOTSUP, "kvm: API version %d, need %d", api, KVM_API_VERSION);
	if (check_ext(vm, vm->kvm_fd, KVM_CAP_USER_MEMORY, "USER_MEMORY", true) < 0 ||
	    check_ext(vm, vm->kvm_fd, KVM_CAP_ONE_REG, "ONE_REG", true) < 0 ||
	    check_ext(vm, vm->kvm_fd, KVM_CAP_ARM_PSCI_0_2, "ARM_PSCI_0_2", true) < 0)
		return -ENOTSUP;

	/* The IPA size the map needs (KVM_VM_TYPE_ARM_IPA_SIZE, api.rst 4.2). */
	for (unsigned i = 0; i < map->n; i++)
		if (map->r[i].gpa + map->r[i].size > top)
			top = map->r[i].gpa + map->r[i].size;
	vm->ipa_bits = 32;
	while (vm->ipa_bits < 52 && (UINT64_C(1) << vm->ipa_bits) < top)
		vm->ipa_bits++;
	ipa_max = check_ext(vm, vm->kvm_fd, KVM_CAP_ARM_VM_IPA_SIZE, "ARM_VM_IPA_SIZE", false);
	type = 0;	/* 0 = the default 40-bit IPA */
	if (vm->ipa_bits > 40) {
		if (ipa_max < (int)vm->ipa_bits)
			return fail(vm, -ENOTSUP, "kvm: map needs a %u-bit IPA, kernel allows %d",
				    vm->ipa_bits, ipa_max);
		type = KVM_VM_TYPE_ARM_IPA_SIZE(vm->ipa_bits);
	}
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, type);
	if (vm->vm_fd < 0)
		return fail(vm, -errno, "kvm: KVM_CREATE_VM: %s", strerror(errno));
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size < (int)sizeof(struct kvm_run))
		return fail(vm, -EINVAL, "kvm: KVM_GET_VCPU_MMAP_SIZE too small (%d)", vm->run_size);

	/* ISV=0 data aborts to userspace (api.rst 7.19 KVM_CAP_ARM_NISV_TO_USER) */
	if (check_ext(vm, vm->vm_fd, KVM_CAP_ARM_NISV_TO_USER, "ARM_NISV_TO_USER", false) > 0) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };

		if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) < 0)
			return fail(vm, -errno, "kvm: enabling ARM_NISV_TO_USER: %s", strerror(errno));
	}

	for (unsigned i = 0, slot = 0; i < vm->map.n; i++) {
		struct kvmb_region *r = &vm->map.r[i];
		struct kvm_userspace_memory_region mr;
		void *p;

		if (r->kind == KVMB_MMIO)
			continue;
		if (r->kind == KVMB_ROMEM &&
		    check_ext(vm, vm->vm_fd, KVM_CAP_READONLY_MEM, "READONLY_MEM", true) < 0)
			return -ENOTSUP;
		p = mmap(NULL, r->size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return fail(vm, -ENOMEM, "kvm: cannot map %s (%llu bytes)", r->name,
				    (unsigned long long)r->size);
		r->host = p;
		mr = (struct kvm_userspace_memory_region){
			.slot = slot++, .guest_phys_addr = r->gpa, .memory_size = r->size,
			.userspace_addr = (uintptr_t)p,
			.flags = r->kind == KVMB_ROMEM ? KVM_MEM_READONLY : 0,
		};
		if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &mr) < 0)
			return fail(vm, -errno, "kvm: memslot %s at 0x%llx: %s", r->name,
				    (unsigned long long)r->gpa, strerror(errno));
	}
	return 0;
}

/* Load every PT_LOAD segment of an AArch64 ELF64 into the memslots. */
int kvmb_load_elf(struct kvmb_vm *vm, const char *path)
{
	int fd, rc = 0;
	Elf *e = NULL;
	GElf_Ehdr eh;
	size_t nph, fsize = 0;
	char *raw;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(vm, -EINVAL, "kvm: libelf initialisation failed");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(vm, -errno, "kvm: cannot open guest '%s': %s", path, strerror(errno));
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		rc = fail(vm, -EINVAL, "kvm: '%s' is not an ELF file", path);
		goto out;
	}
	raw = elf_rawfile(e, &fsize);
	if (!raw || gelf_getclass(e) != ELFCLASS64 || eh.e_machine != EM_AARCH64) {
		rc = fail(vm, -EINVAL, "kvm: '%s' is not an AArch64 ELF64 image", path);
		goto out;
	}
	if (elf_getphdrnum(e, &nph) != 0 || nph == 0) {
		rc = fail(vm, -EINVAL, "kvm: '%s' has no program headers", path);
		goto out;
	}
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		uint8_t *dst;

		if (!gelf_getphdr(e, (int)i, &ph)) {
			rc = fail(vm, -EINVAL, "kvm: '%s': bad program header %zu", path, i);
			goto out;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > fsize ||
		    ph.p_filesz > fsize - ph.p_offset) {
			rc = fail(vm, -EINVAL, "kvm: '%s': segment %zu lies outside the file (truncated?)",
				  path, i);
			goto out;
		}
		dst = kvmb_gpa_ptr(vm, ph.p_paddr, ph.p_memsz);
		if (!dst) {
			rc = fail(vm, -ERANGE, "kvm: '%s': segment %zu [0x%llx, +0x%llx) is not inside one RAM region of the map",
				  path, i, (unsigned long long)ph.p_paddr, (unsigned long long)ph.p_memsz);
			goto out;
		}
		memcpy(dst, raw + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
	}
	if (!kvmb_gpa_ptr(vm, eh.e_entry, 4)) {
		rc = fail(vm, -ERANGE, "kvm: '%s': entry 0x%llx is not in guest RAM", path,
			  (unsigned long long)eh.e_entry);
		goto out;
	}
	vm->entry = eh.e_entry;
out:
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}

#define CORE_REG(field) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (offsetof(struct kvm_regs, field) / sizeof(uint32_t)))

int kvmb_vcpus_init(struct kvmb_vm *vm)
{
	struct kvm_vcpu_init init;

	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return fail(vm, -errno, "kvm: KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
	for (unsigned i = 0; i < vm->opt.vcpus; i++) {
		struct kvmb_vcpu *v = &vm->vcpu[i];
		struct kvm_vcpu_init vi = init;
		uint64_t mpidr;

		v->vm = vm;
		v->id = i;
		v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)i);
		if (v->fd < 0)
			return fail(vm, -errno, "kvm: KVM_CREATE_VCPU %u: %s", i, strerror(errno));
		v->run = mmap(NULL, (size_t)vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
		if (v->run == MAP_FAILED) {
			v->run = NULL;
			return fail(vm, -errno, "kvm: mmap of vCPU %u: %s", i, strerror(errno));
		}
		vi.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
		if (i > 0 && vm->opt.secondaries_off)
			vi.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
		if (ioctl(v->fd, KVM_ARM_VCPU_INIT, &vi) < 0)
			return fail(vm, -errno, "kvm: KVM_ARM_VCPU_INIT %u: %s", i, strerror(errno));
		if (kvmb_set_reg(v, CORE_REG(regs.pc), vm->entry) < 0)
			return fail(vm, -errno, "kvm: setting PC of vCPU %u: %s", i, strerror(errno));
		/* MPIDR_EL1 (op0 3, op1 0, CRn 0, CRm 0, op2 5): KVM derives
		 * Aff0 from the vCPU id; guests pick their stack from it. */
		if (kvmb_get_reg(v, ARM64_SYS_REG(3, 0, 0, 0, 5), &mpidr) == 0 &&
		    (mpidr & 0xff) != i && !vm->opt.quiet)
			fprintf(stderr, "kvm: note: vCPU %u has MPIDR_EL1 0x%llx (Aff0 != vCPU id)\n",
				i, (unsigned long long)mpidr);
	}
	return 0;
}

/*
 * In-kernel vGIC (api.rst 4.80 KVM_CREATE_DEVICE, devices/arm-vgic.rst and
 * arm-vgic-v3.rst) at the QEMU virt addresses, initialised after every
 * vCPU exists. vgic 2: GICv2 distributor + CPU interface; vgic 3: GICv3
 * distributor + one redistributor frame pair per vCPU. -ENOTSUP when the
 * host cannot provide it (no vGICv2 on a GICv3 without compatibility).
 */
int kvmb_vgic_init(struct kvmb_vm *vm)
{
	struct kvm_create_device cd = { 0 };
	uint64_t a0 = KVMB_GICD_BASE, a1;
	struct kvm_device_attr at0 = { .group = KVM_DEV_ARM_VGIC_GRP_ADDR, .addr = (uintptr_t)&a0 };
	struct kvm_device_attr at1 = { .group = KVM_DEV_ARM_VGIC_GRP_ADDR, .addr = (uintptr_t)&a1 };
	struct kvm_device_attr a_init = { .group = KVM_DEV_ARM_VGIC_GRP_CTRL,
		.attr = KVM_DEV_ARM_VGIC_CTRL_INIT };

	if (vm->opt.vgic == 2) {
		cd.type = KVM_DEV_TYPE_ARM_VGIC_V2;
		at0.attr = KVM_VGIC_V2_ADDR_TYPE_DIST;
		at1.attr = KVM_VGIC_V2_ADDR_TYPE_CPU;
		a1 = KVMB_GICC_BASE;
	} else if (vm->opt.vgic == 3) {
		cd.type = KVM_DEV_TYPE_ARM_VGIC_V3;
		at0.attr = KVM_VGIC_V3_ADDR_TYPE_DIST;
		at1.attr = KVM_VGIC_V3_ADDR_TYPE_REDIST;
		a1 = KVMB_GICR_BASE;
	} else {
		return 0;
	}
	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &cd) < 0)
		return fail(vm, -ENOTSUP, "kvm: no in-kernel vGICv%u on this host (KVM_CREATE_DEVICE: %s)",
			    vm->opt.vgic, strerror(errno));
	vm->vgic_fd = (int)cd.fd;
	if (ioctl(vm->vgic_fd, KVM_SET_DEVICE_ATTR, &at0) < 0 ||
	    ioctl(vm->vgic_fd, KVM_SET_DEVICE_ATTR, &at1) < 0)
		return fail(vm, -errno, "kvm: vGICv%u addresses: %s", vm->opt.vgic, strerror(errno));
	if (ioctl(vm->vgic_fd, KVM_SET_DEVICE_ATTR, &a_init) < 0)
		return fail(vm, -errno, "kvm: vGICv%u init: %s", vm->opt.vgic, strerror(errno));
	return 0;
}

void kvmb_vm_destroy(struct kvmb_vm *vm)
{
	if (vm->vgic_fd >= 0)
		close(vm->vgic_fd);
	for (unsigned i = 0; i < KVMB_MAX_VCPUS; i++) {
		if (vm->vcpu[i].run)
			munmap(vm->vcpu[i].run, (size_t)vm->run_size);
		if (vm->vcpu[i].fd >= 0)
			close(vm->vcpu[i].fd);
	}
	for (unsigned i = 0; i < vm->map.n; i++)
		if (vm->map.r[i].host)
			munmap(vm->map.r[i].host, vm->map.r[i].size);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	free(vm->rec);
	kvmb_dev_destroy(vm);
	pthread_mutex_destroy(&vm->lock);
}
