/*
 * PL011 UART (Arm DDI0183G PrimeCell UART (PL011) TRM, 3.2 "Summary of
 * registers", 3.3 "Register descriptions"). The transmit FIFO drains at
 * once into the capture buffer, so FR reads TXFE=1, RXFE=1.
 */
#include <string.h>

#include "hvexit/uart.h"

#define W124 (1u | 2u | 4u)
#define FR_RXFE (1u << 4)
#define FR_TXFE (1u << 7)
#define INT_TX  (1u << 5)	/* TXRIS/TXMIS/TXIC, TRM 3.3.12 */

static struct uart_pl011 *U(void *d) { return d; }

static uint64_t rd_dr(void *d, uint32_t o, unsigned s) { (void)d; (void)o; (void)s; return 0; }
static void wr_dr(void *d, uint32_t o, unsigned s, uint64_t v)
{
	struct uart_pl011 *u = U(d);
	(void)o; (void)s;
	if (u->out_len < UART_OUT_MAX)
		u->out[u->out_len++] = (char)(v & 0xff);
	else
		u->dropped++;
	u->ris |= INT_TX;
}
static uint64_t rd_rsr(void *d, uint32_t o, unsigned s) { (void)o; (void)s; return U(d)->rsr; }
static void wr_ecr(void *d, uint32_t o, unsigned s, uint64_t v) { (void)o; (void)s; (void)v; U(d)->rsr = 0; }
static uint64_t rd_fr(void *d, uint32_t o, unsigned s) { (void)d; (void)o; (void)s; return FR_RXFE | FR_TXFE; }

#define RW_FIELD(name, field, mask) \
	static uint64_t rd_##name(void *d, uint32_t o, unsigned s) { (void)o; (void)s; return U(d)->field; } \
	static void wr_##name(void *d, uint32_t o, unsigned s, uint64_t v) { (void)o; (void)s; U(d)->field = (uint32_t)v & (mask); }
RW_FIELD(ilpr, ilpr, 0xffu)
RW_FIELD(ibrd, ibrd, 0xffffu)
RW_FIELD(fbrd, fbrd, 0x3fu)
RW_FIELD(lcrh, lcr_h, 0xffu)
RW_FIELD(cr, cr, 0xff87u)	/* bits 6:3 reserved (TRM 3.3.8) */
RW_FIELD(ifls, ifls, 0x3fu)
RW_FIELD(imsc, imsc, 0x7ffu)
RW_FIELD(dmacr, dmacr, 0x7u)

static uint64_t rd_ris(void *d, uint32_t o, unsigned s) { (void)o; (void)s; return U(d)->ris; }
static uint64_t rd_mis(void *d, uint32_t o, unsigned s) { (void)o; (void)s; return U(d)->ris & U(d)->imsc; }
static void wr_icr(void *d, uint32_t o, unsigned s, uint64_t v) { (void)o; (void)s; U(d)->ris &= ~(uint32_t)v; }

/* PeriphID0-3 (r1p5: 0x11 0x10 0x34 0x00), CellID0-3 (0x0D 0xF0 0x05 0xB1), TRM 3.3.14-15. */
static const uint8_t id_vals[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
static uint64_t rd_id(void *d, uint32_t o, unsigned s) { (void)d; (void)s; return id_vals[(o - 0xfe0) / 4 & 7]; }

const struct emu_reg uart_pl011_regs[] = {
	{ "UARTDR",    0x000, 4, W124, 0, 0,      0,      rd_dr,   wr_dr },
	{ "UARTRSR",   0x004, 4, W124, 0, 0,      0,      rd_rsr,  wr_ecr },
	{ "UARTFR",    0x018, 4, W124, EMU_REG_RO, 0x90, 0xffffffffu, rd_fr, NULL },
	{ "UARTILPR",  0x020, 4, W124, 0, 0,      0xffffff00u, rd_ilpr, wr_ilpr },
	{ "UARTIBRD",  0x024, 4, W124, 0, 0,      0xffff0000u, rd_ibrd, wr_ibrd },
	{ "UARTFBRD",  0x028, 4, W124, 0, 0,      0xffffffc0u, rd_fbrd, wr_fbrd },
	{ "UARTLCR_H", 0x02c, 4, W124, 0, 0,      0xffffff00u, rd_lcrh, wr_lcrh },
	{ "UARTCR",    0x030, 4, W124, 0, 0x0300, 0xffff0078u, rd_cr,   wr_cr },
	{ "UARTIFLS",  0x034, 4, W124, 0, 0x12,   0xffffffc0u, rd_ifls, wr_ifls },
	{ "UARTIMSC",  0x038, 4, W124, 0, 0,      0xfffff800u, rd_imsc, wr_imsc },
	{ "UARTRIS",   0x03c, 4, W124, EMU_REG_RO, 0, 0xffffffffu, rd_ris, NULL },
	{ "UARTMIS",   0x040, 4, W124, EMU_REG_RO, 0, 0xffffffffu, rd_mis, NULL },
	{ "UARTICR",   0x044, 4, W124, EMU_REG_WO, 0, 0xfffff800u, NULL,   wr_icr },
	{ "UARTDMACR", 0x048, 4, W124, 0, 0,      0xfffffff8u, rd_dmacr, wr_dmacr },
	{ "UARTPeriphID", 0xfe0, 16, W124, EMU_REG_RO, 0, 0xffffffffu, rd_id, NULL },
	{ "UARTPCellID",  0xff0, 16, W124, EMU_REG_RO, 0, 0xffffffffu, rd_id, NULL },
};
const size_t uart_pl011_nregs = HVX_ARRAY_SIZE(uart_pl011_regs);

void uart_pl011_reset(void *dev)
{
	struct uart_pl011 *u = dev;

	memset(u, 0, sizeof(*u));
	u->cr = 0x0300;		/* TXE, RXE (TRM 3.3.8) */
	u->ifls = 0x12;		/* half-full thresholds (TRM 3.3.9) */
}

const struct emu_dev_ops uart_pl011_ops = {
	.name = "pl011",
	.regs = uart_pl011_regs,
	.nregs = HVX_ARRAY_SIZE(uart_pl011_regs),
	.holes_raz_wi = true,	/* reserved offsets: TRM leaves them RAZ/WI-like */
	.reset = uart_pl011_reset,
};
