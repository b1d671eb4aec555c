/*
 * Completion of an emulated MMIO load described by a data abort syndrome:
 * the value that lands in the destination register. Pure function.
 *
 * Arm ARM D24.2.46 ESR_EL2, Data Abort ISS: SAS [23:22] access size,
 * SSE [21] sign extend, SRT [20:16] register, SF [15] 64-bit register;
 * C6.2 LDR/LDRB/LDRH/LDRSB/LDRSH/LDRSW/LDAR*: the loaded data is
 * sign- or zero-extended to the register size and written with X[t, size],
 * and a write of a W register zeroes bits [63:32].
 */
#ifndef HVEXIT_ESR_LOAD_H
#define HVEXIT_ESR_LOAD_H

#include "hvexit/common.h"

/*
 * esr: a data abort ESR_EL2 with ISV=1 and WnR=0. bus_data: the device's
 * data in bits [8*len-1:0], len = 1 << SAS; higher bits are ignored.
 * Returns 1 and sets *value (the whole 64-bit Xt) if a register is
 * written; 0 if SRT is 31 (the zero register: nothing is written, *value
 * is left alone); -EINVAL if esr is not a data abort, ISV=0, or WnR=1.
 * Defined for every SSE/SF/SAS combination: with SF=0 the result is
 * truncated to 32 bits (a Wt write), so a 64-bit access with SF=0 keeps
 * its low word only.
 */
int esr_dabt_load_value(uint64_t esr, uint64_t bus_data, uint64_t *value);

#endif
