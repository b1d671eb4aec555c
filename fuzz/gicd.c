/*
 * Fuzz the GICv2 distributor with a stream of accesses (STYLE.md 4: each
 * op is 8 bytes, padded if short): [0] flags (bit0 write, bits1-2 size
 * 1/4, bit3 cpu), [1..2] offset, [3..7] value. Invariants checked once
 * the whole stream has run (checking after every op would multiply the
 * cost by up to 256): owned IRQs' state unchanged, TYPER unchanged,
 * set/clear register pairs read the same, ITARGETSR0-3 read the CPU's own
 * bit.
 */
#include <stdlib.h>
#include <string.h>

#include "hvexit/gicd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct gicd G;

static void check(struct gicd *d, const struct gicd_irq *owned_spi,
		  const struct gicd_irq owned_ppi[2])
{
	uint64_t a, b;

	if (memcmp(&d->spi[40], owned_spi, sizeof(*owned_spi)) ||
	    memcmp(&d->banked[0][27], &owned_ppi[0], sizeof(owned_ppi[0])) ||
	    memcmp(&d->banked[1][27], &owned_ppi[1], sizeof(owned_ppi[1])))
		abort();	/* a guest write changed an owned IRQ */
	for (unsigned cpu = 0; cpu < 2; cpu++) {
		if (gicd_access(d, cpu, GICD_TYPER, 4, false, &a) || a != (2u | 1u << 5))
			abort();
		for (uint32_t off = 0; off < 0x80; off += 4) {
			if (gicd_access(d, cpu, GICD_ISENABLER + off, 4, false, &a) ||
			    gicd_access(d, cpu, GICD_ICENABLER + off, 4, false, &b) || a != b)
				abort();
			if (gicd_access(d, cpu, GICD_ISPENDR + off, 4, false, &a) ||
			    gicd_access(d, cpu, GICD_ICPENDR + off, 4, false, &b) || a != b)
				abort();
			if (gicd_access(d, cpu, GICD_ISACTIVER + off, 4, false, &a) ||
			    gicd_access(d, cpu, GICD_ICACTIVER + off, 4, false, &b) || a != b)
				abort();
		}
		if (gicd_access(d, cpu, GICD_ITARGETSR, 4, false, &a) ||
		    a != 0x01010101u * (1u << cpu))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gicd_irq owned_spi, owned_ppi[2];

	if (size > 8 * 256)
		size = 8 * 256;
	gicd_init(&G, 2, 2);
	gicd_set_owned(&G, 40, true);
	gicd_set_owned(&G, 27, true);
	G.spi[40] = (struct gicd_irq){ 1, 1, 0, 1, 0xa0, 1, 2 };
	G.banked[0][27].priority = 0x80;
	G.banked[1][27].enabled = 1;
	owned_spi = G.spi[40];
	owned_ppi[0] = G.banked[0][27];
	owned_ppi[1] = G.banked[1][27];
	for (size_t i = 0; i < size; i += 8) {
		uint8_t op[8] = { 0 };
		memcpy(op, data + i, size - i < 8 ? size - i : 8);
		unsigned sz = (op[0] >> 1 & 1) ? 4 : 1;
		uint32_t off = (uint32_t)(op[1] | op[2] << 8) & 0xfff & ~(sz - 1);
		uint64_t v = (uint64_t)op[3] | (uint64_t)op[4] << 8 | (uint64_t)op[5] << 16 |
			     (uint64_t)op[6] << 24;
		gicd_access(&G, op[0] >> 3 & 1, off, sz, op[0] & 1, &v);
	}
	check(&G, &owned_spi, owned_ppi);
	return 0;
}
