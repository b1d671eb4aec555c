/*
 * MMIO load completion from a data abort ISS (see hvexit/esr_load.h).
 * Arm ARM D24.2.46 ESR_EL2 (Data Abort ISS SAS/SSE/SRT/SF) and C6.2 load instructions.
 */
#include "hvexit/esr.h"
#include "hvexit/esr_load.h"

int esr_dabt_load_value(uint64_t esr, uint64_t bus_data, uint64_t *value)
{
	struct esr_dabt d;
	unsigned bits;
	uint64_t data;

	if (esr_decode_dabt(esr, &d) < 0 || !d.isv || d.wnr)
		return -EINVAL;
	if (d.srt == 31)
		return 0;		/* XZR/WZR: the result is discarded */
	bits = 8u << d.sas;		/* 8, 16, 32, 64 */
	data = bits == 64 ? bus_data : bus_data & ((UINT64_C(1) << bits) - 1);
	if (d.sse)
		data = (uint64_t)hvx_sext(data, bits);
	if (!d.sf)
		data &= UINT64_C(0xffffffff);	/* Wt write zeroes [63:32] */
	*value = data;
	return 1;
}
