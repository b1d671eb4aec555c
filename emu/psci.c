/*
 * PSCI 1.1 over SMCCC (Arm DEN0022 5.1 function IDs, 5.2.2 return codes;
 * DEN0028 SMCCC: unknown function -> NOT_SUPPORTED (-1) in W0/X0).
 */
#include "hvexit/psci.h"

#define SMCCC_VERSION      UINT32_C(0x80000000)
#define SMCCC_ARCH_FEATURES UINT32_C(0x80000001)
#define PSCI_FN_MIGRATE    UINT32_C(0x84000005)
#define PSCI_FN64_CPU_SUSPEND UINT32_C(0xC4000001)
/* MPIDR affinity fields Aff3 [39:32], Aff2..Aff0 [23:0] (D24.2.138 MPIDR_EL1). */
#define MPIDR_AFF_MASK     UINT64_C(0xff00ffffff)
#define PSTATE_EL1H_DAIF   UINT64_C(0x3c5)

static void ret(struct emu_vcpu *v, struct emu_outcome *out, int64_t val)
{
	v->x[0] = (uint64_t)val;
	if (out->n_writes < EMU_MAX_WRITES)
		out->writes[out->n_writes++] = (struct emu_regwrite){ 0, (uint64_t)val };
}

static struct emu_vcpu *by_mpidr(struct emu_vm *vm, uint64_t mpidr)
{
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if ((vm->vcpu[i].mpidr & MPIDR_AFF_MASK) == (mpidr & MPIDR_AFF_MASK) &&
		    !(mpidr & ~(MPIDR_AFF_MASK | UINT64_C(0xc0000000))))
			return &vm->vcpu[i];
	return NULL;
}

static bool entry_valid(struct emu_vm *vm, uint64_t entry)
{
	struct emu_region *r = emu_vm_region(vm, entry, 4);
	return r && (r->flags & EMU_MEM_X) && !(entry & 3);
}

static bool implemented(uint32_t fid)
{
	switch (fid) {
	case PSCI_0_2_FN_VERSION: case PSCI_0_2_FN_CPU_SUSPEND: case PSCI_FN64_CPU_SUSPEND:
	case PSCI_0_2_FN_CPU_OFF: case PSCI_0_2_FN_CPU_ON: case PSCI_0_2_FN64_CPU_ON:
	case PSCI_0_2_FN_AFFINITY_INFO: case PSCI_0_2_FN64_AFFINITY_INFO:
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE: case PSCI_0_2_FN_SYSTEM_OFF:
	case PSCI_0_2_FN_SYSTEM_RESET: case PSCI_1_0_FN_FEATURES: case SMCCC_VERSION:
		return true;
	default:
		return false;
	}
}

static void cpu_on(struct emu_vm *vm, struct emu_vcpu *v, struct emu_outcome *out,
		   uint64_t target, uint64_t entry, uint64_t ctx)
{
	struct emu_vcpu *t = by_mpidr(vm, target);

	if (!t)
		return ret(v, out, PSCI_RET_INVALID_PARAMS);
	if (t->power == EMU_PWR_ON)
		return ret(v, out, PSCI_RET_ALREADY_ON);
	if (t->power == EMU_PWR_ON_PENDING)
		return ret(v, out, PSCI_RET_ON_PENDING);
	if (!entry_valid(vm, entry))
		return ret(v, out, PSCI_RET_INVALID_ADDRESS);
	t->power = EMU_PWR_ON_PENDING;
	t->entry = entry;
	t->context_id = ctx;
	out->target_mpidr = target;
	out->entry = entry;
	out->context_id = ctx;
	out->action = EMU_ACT_CPU_ON;
	ret(v, out, PSCI_RET_SUCCESS);
}

static void affinity_info(struct emu_vm *vm, struct emu_vcpu *v, struct emu_outcome *out,
			  uint64_t target, uint64_t level)
{
	struct emu_vcpu *t = by_mpidr(vm, target);

	/* Only affinity level 0 is modelled (DEN0022 5.7: other levels may
	 * return INVALID_PARAMETERS). */
	if (!t || level != 0)
		return ret(v, out, PSCI_RET_INVALID_PARAMS);
	ret(v, out, t->power == EMU_PWR_ON ? PSCI_AFF_ON :
		    t->power == EMU_PWR_OFF ? PSCI_AFF_OFF : PSCI_AFF_ON_PENDING);
}

bool psci_call(struct emu_vm *vm, struct emu_vcpu *v, struct emu_outcome *out)
{
	uint32_t fid = (uint32_t)v->x[0];
	bool smc64 = (fid >> 30) & 1;	/* SMCCC: bit 30 selects SMC64 */
	uint64_t a1 = v->x[1], a2 = v->x[2], a3 = v->x[3];

	if (!smc64) {	/* SMC32/HVC32: only W registers carry arguments */
		a1 &= UINT32_MAX;
		a2 &= UINT32_MAX;
		a3 &= UINT32_MAX;
	}
	if (v->x[0] >> 32) {	/* function ID is W0; X0[63:32] must be zero */
		ret(v, out, PSCI_RET_NOT_SUPPORTED);
		return false;
	}
	out->action = EMU_ACT_RESUME;
	switch (fid) {
	case SMCCC_VERSION:
		ret(v, out, 0x10001);	/* SMCCC v1.1 */
		return false;
	case PSCI_0_2_FN_VERSION:
		ret(v, out, PSCI_VERSION_1_1);
		return true;
	case PSCI_1_0_FN_FEATURES:
		ret(v, out, implemented((uint32_t)a1) && !(a1 >> 32) ? 0 : PSCI_RET_NOT_SUPPORTED);
		return true;
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_FN64_CPU_SUSPEND:
		/* Standby treated as WFI; returns SUCCESS when woken. */
		ret(v, out, PSCI_RET_SUCCESS);
		out->action = EMU_ACT_WFI;
		return true;
	case PSCI_0_2_FN_CPU_OFF:
		v->power = EMU_PWR_OFF;
		out->action = EMU_ACT_WFI;
		return true;
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
		cpu_on(vm, v, out, a1, a2, a3);
		return true;
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
		affinity_info(vm, v, out, a1, a2);
		return true;
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
		ret(v, out, PSCI_MIGRATE_NOT_PRESENT);
		return true;
	case PSCI_0_2_FN_SYSTEM_OFF:
		out->action = EMU_ACT_SHUTDOWN;
		return true;
	case PSCI_0_2_FN_SYSTEM_RESET:
		out->action = EMU_ACT_RESET;
		return true;
	case PSCI_FN_MIGRATE:
	default:
		ret(v, out, PSCI_RET_NOT_SUPPORTED);
		return (fid & 0xbfffff00u) == 0x84000000u;
	}
}

int psci_cpu_start(struct emu_vm *vm, unsigned vcpu)
{
	struct emu_vcpu *t;

	if (!vm || vcpu >= vm->nvcpus)
		return -EINVAL;
	t = &vm->vcpu[vcpu];
	if (t->power != EMU_PWR_ON_PENDING)
		return -EINVAL;
	t->pc = t->entry;
	t->x[0] = t->context_id;
	t->pstate = PSTATE_EL1H_DAIF;	/* DEN0022 6.4.3: EL1, interrupts masked */
	t->power = EMU_PWR_ON;
	return 0;
}
