/*
 * PL011 UART model (Arm PrimeCell UART (PL011) Technical Reference Manual,
 * DDI0183G, section 3.2 "Summary of registers" / 3.3 "Register
 * descriptions"). One device instance per UART; transmitted bytes are
 * captured in a caller-owned ring (out/out_len). Register it on the bus
 * with uart_pl011_ops and the struct as opaque, window UART_PL011_SIZE.
 */
#ifndef HVEXIT_UART_H
#define HVEXIT_UART_H

#include "hvexit/emu.h"

#define UART_PL011_SIZE  UINT64_C(0x1000)
#define UART_OUT_MAX     4096

struct uart_pl011 {
	uint32_t rsr, ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr;
	char out[UART_OUT_MAX];	/* transmitted bytes (not NUL-terminated) */
	size_t out_len;		/* bytes in out; further bytes are dropped */
	size_t dropped;		/* bytes beyond UART_OUT_MAX */
};

extern const struct emu_dev_ops uart_pl011_ops;
/* Register table, for tests: offsets, widths, reset values, RO masks. */
extern const struct emu_reg uart_pl011_regs[];
extern const size_t uart_pl011_nregs;

/* Reset to the TRM reset values; clears captured output. */
void uart_pl011_reset(void *dev);

#endif
