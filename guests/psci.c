/*
 * psci: PSCI 0.2+ calls over HVC with the secondary vCPU powered off at
 * start. Expected return values come from Arm DEN0022 (PSCI) section 5:
 * SUCCESS 0, NOT_SUPPORTED -1, INVALID_PARAMETERS -2, ALREADY_ON -4;
 * AFFINITY_INFO: ON 0, OFF 1. CPU_ON enters the target with x0 = context
 * ID (DEN0022 5.6). The guest ends with SYSTEM_RESET (the host expects a
 * reset event from this guest).
 */
#include "common/guest.h"

#define CONTEXT_ID 0x1234abcd5678ef00UL
#define NEG(x) ((u64)-(long)(x))

static volatile u64 sec_ctx;	/* written by vCPU 1: its x0 at entry */
static volatile u64 sec_seen;	/* 1 once vCPU 1 is running */
static volatile u64 sec_go;	/* vCPU 0 lets vCPU 1 power off */

void guest_secondary(u64 cpu, u64 context_id)
{
	sec_ctx = context_id;
	CHECK_EQ(20, 1, cpu);
	sec_seen = 1;
	while (!sec_go)
		;
	/* returns to start.S: CPU_OFF */
}

void guest_main(u64 cpu)
{
	u64 r;

	if (cpu != 0)
		return;
	CHECK_GE(1, 0x00000002, hvc_call(PSCI_VERSION, 0, 0, 0));	/* >= 0.2 */
	CHECK_EQ(2, 1, hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0));	/* OFF */
	CHECK_EQ(3, NEG(2), hvc_call(PSCI_CPU_ON, 0xff, (u64)psci_secondary_entry, 0));
	CHECK_EQ(4, 0, hvc_call(PSCI_CPU_ON, 1, (u64)psci_secondary_entry, CONTEXT_ID));
	for (unsigned long i = 0; i < 100000000UL && !sec_seen; i++)
		;
	CHECK_EQ(5, 1, sec_seen);
	CHECK_EQ(6, CONTEXT_ID, sec_ctx);
	CHECK_EQ(7, 0, hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0));	/* ON */
	CHECK_EQ(8, NEG(4), hvc_call(PSCI_CPU_ON, 1, (u64)psci_secondary_entry, 0));
	CHECK_EQ(9, NEG(1), hvc_call(0x8400001fUL, 0, 0, 0));	/* unknown PSCI fn */
	CHECK_EQ(10, 0, hvc_call(PSCI_FEATURES, PSCI_CPU_ON, 0, 0));
	sec_go = 1;
	r = 0;
	for (unsigned long i = 0; i < 100000000UL; i++) {
		r = hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0);
		if (r == 1)
			break;
	}
	CHECK_EQ(11, 1, r);						/* OFF again */
	CHECK_EQ(12, NEG(2), hvc_call(PSCI_AFFINITY_INFO, 1, 7, 0));	/* bad level */
	guest_done();
	hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	CHECK_EQ(13, 0, 1);	/* SYSTEM_RESET must not return */
}
