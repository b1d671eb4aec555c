/*
 * hello: two vCPUs started at the same entry pick their stacks
 * by MPIDR_EL1.Aff0; vCPU 0 prints "C0!\n" to UART0, vCPU 1 "C1!\n" to
 * UART1. vCPU 1 then powers itself off; vCPU 0 waits until PSCI
 * AFFINITY_INFO reports vCPU 1 OFF and asks for SYSTEM_OFF.
 * The host checks both UART streams and the shutdown event.
 */
#include "common/guest.h"

void guest_main(u64 cpu)
{
	if (cpu == 0) {
		uart_puts(UART0_BASE, "C0!\n");
		/* AFFINITY_INFO returns 1 (OFF) once vCPU 1 has called CPU_OFF */
		for (unsigned long i = 0; i < 100000000UL; i++)
			if (hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0) == 1)
				break;
		guest_done();
		return;		/* start.S: SYSTEM_OFF */
	}
	uart_puts(UART1_BASE, cpu == 1 ? "C1!\n" : "C?\n");
	guest_cpu_off();
}
