/*
 * Devices and bus: reset values and RO/WO from the register tables
 * (PL011 TRM DDI0183G 3.2; GICv2 IHI0048B 4.3), byte vs word access, the
 * hypervisor-owned IRQ filter, bus overflow/overlap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "hvexit/gicd.h"
#include "hvexit/timer.h"
#include "hvexit/uart.h"

static void test_bus_register(void **s)
{
	struct emu_bus b = { .n = 0 };
	struct uart_pl011 u;

	(void)s;
	assert_int_equal(emu_bus_register(&b, 0x1000, 0, &uart_pl011_ops, &u), -EINVAL);
	assert_int_equal(emu_bus_register(&b, UINT64_MAX - 0xfff, 0x1000, &uart_pl011_ops, &u),
			 -EINVAL);	/* base + len wraps to 0 */
	assert_int_equal(emu_bus_register(&b, 0x1000, 0x1000, &uart_pl011_ops, &u), 0);
	assert_int_equal(emu_bus_register(&b, 0x1800, 0x1000, &uart_pl011_ops, &u), -EEXIST);
	assert_int_equal(emu_bus_register(&b, 0x0800, 0x0801, &uart_pl011_ops, &u), -EEXIST);
	assert_int_equal(emu_bus_register(&b, 0x2000, 0x1000, &uart_pl011_ops, &u), 0);
	uint64_t v = 0;
	assert_int_equal(emu_bus_access(&b, 0x3000, 4, false, &v), -ENODEV);
	assert_int_equal(emu_bus_access(&b, UINT64_MAX - 1, 4, false, &v), -ENODEV);
	assert_int_equal(emu_bus_access(&b, 0x1000, 8, false, &v), -EINVAL);	/* no 64-bit */
	assert_int_equal(emu_bus_access(&b, 0x1001, 2, false, &v), -EINVAL);	/* unaligned */
}

/* Reads size bytes at off on the bus (the value, 0 on error). */
static uint64_t bus_rd(struct emu_bus *b, uint64_t off, unsigned size)
{
	uint64_t v = 0;

	emu_bus_access(b, off, size, false, &v);
	return v;
}

/* Writes v to the 32-bit register at off, then reads it back. */
static uint64_t bus_wr_rd(struct emu_bus *b, uint64_t off, uint64_t v)
{
	emu_bus_access(b, off, 4, true, &v);
	return bus_rd(b, off, 4);
}

static void test_pl011_reset_and_ro(void **s)
{
	struct emu_bus b = { .n = 0 };
	struct uart_pl011 u;
	uint64_t v;

	(void)s;
	uart_pl011_reset(&u);
	emu_bus_register(&b, 0, UART_PL011_SIZE, &uart_pl011_ops, &u);
	/* Every register reads its table reset value (WO reads 0). */
	for (size_t i = 0; i < uart_pl011_nregs; i++) {
		const struct emu_reg *r = &uart_pl011_regs[i];
		if (r->len != 4)
			continue;
		assert_int_equal(emu_bus_access(&b, r->off, 4, false, &v), 0);
		assert_int_equal(v, (r->flags & EMU_REG_WO) ? 0 : r->reset);
	}
	/* CR reset 0x0300 (TXE|RXE), IFLS 0x12 per TRM 3.3.8/3.3.9. */
	assert_int_equal(bus_rd(&b, 0x030, 4), 0x300);
	/* FR is read-only. */
	assert_int_equal(bus_wr_rd(&b, 0x018, 0), 0x90);
	/* IBRD keeps 16 bits; FBRD 6. */
	assert_int_equal(bus_wr_rd(&b, 0x024, 0xffffffff), 0xffff);
	assert_int_equal(bus_wr_rd(&b, 0x028, 0xff), 0x3f);
	/* IDs: PeriphID0 0x11, CellID3 0xB1 (TRM 3.3.14-15), byte reads OK. */
	assert_int_equal(bus_rd(&b, 0xfe0, 1), 0x11);
	assert_int_equal(bus_rd(&b, 0xffc, 4), 0xb1);
	/* TX: DR write captured, TXRIS set, ICR clears it (RIS reads 0). */
	v = 'Z';
	emu_bus_access(&b, 0, 1, true, &v);
	assert_int_equal(u.out_len, 1);
	assert_int_equal(bus_rd(&b, 0x03c, 4) & 0x20, 0x20);
	v = 0x20;
	emu_bus_access(&b, 0x044, 4, true, &v);
	assert_int_equal(bus_rd(&b, 0x03c, 4), 0);
}

static struct gicd *G;
static int gsetup(void **s)
{
	(void)s;
	G = malloc(sizeof(*G));
	return G && !gicd_init(G, 2, 2) ? 0 : -1;
}
static int gteardown(void **s)
{
	(void)s;
	free(G);
	return 0;
}

static uint64_t rd(unsigned cpu, uint32_t off, unsigned size)
{
	uint64_t v = 0;
	assert_int_equal(gicd_access(G, cpu, off, size, false, &v), 0);
	return v;
}
static void wr(unsigned cpu, uint32_t off, unsigned size, uint64_t v)
{
	assert_int_equal(gicd_access(G, cpu, off, size, true, &v), 0);
}

static void test_gicd_ids_and_typer(void **s)
{
	(void)s;
	/* TYPER: ITLinesNumber 2, CPUNumber 1 (2 CPUs), 4.3.2. */
	assert_int_equal(rd(0, GICD_TYPER, 4), 2 | 1 << 5);
	wr(0, GICD_TYPER, 4, 0xffffffff);
	assert_int_equal(rd(0, GICD_TYPER, 4), 2 | 1 << 5);
	/* ICPIDR2.ArchRev [7:4] = 2 for GICv2 (4.3.18). */
	assert_int_equal((rd(0, 0xfe8, 4) >> 4) & 0xf, 2);
	assert_int_equal(rd(0, GICD_CTLR, 4), 0);
	wr(0, GICD_CTLR, 4, 0xffffffff);
	assert_int_equal(rd(0, GICD_CTLR, 4), 3);
	/* Byte access to CTLR is not allowed (word-only register). */
	uint64_t v = 0;
	assert_int_equal(gicd_access(G, 0, GICD_CTLR, 1, false, &v), -EINVAL);
}

static void test_gicd_priority_bytes_owned(void **s)
{
	(void)s;
	gicd_set_owned(G, 33, true);
	G->spi[33].priority = 0xa0;	/* hypervisor's own value */
	/* Word write to IPRIORITYR8 (IRQs 32..35): 33 is owned. */
	wr(0, GICD_IPRIORITYR + 32, 4, 0x11223344);
	assert_int_equal(rd(0, GICD_IPRIORITYR + 32, 4), 0x1020a040);	/* low 3 bits RAZ */
	/* Byte write to IRQ 34 only. */
	wr(0, GICD_IPRIORITYR + 34, 1, 0xff);
	assert_int_equal(rd(0, GICD_IPRIORITYR + 34, 1), 0xf8);
	assert_int_equal(rd(0, GICD_IPRIORITYR + 32, 4), 0x10f8a040);
	/* Enable: set/clear pair consistent, owned bit untouched. */
	wr(0, GICD_ISENABLER + 4, 4, 0xf);
	assert_int_equal(rd(0, GICD_ISENABLER + 4, 4), 0xd);
	assert_int_equal(rd(0, GICD_ICENABLER + 4, 4), 0xd);
	wr(0, GICD_ICENABLER + 4, 4, 0x1);
	assert_int_equal(rd(0, GICD_ISENABLER + 4, 4), 0xc);
	/* IRQs beyond ITLinesNumber (96..) are RAZ/WI. */
	wr(0, GICD_ISENABLER + 12, 4, 0xffffffff);
	assert_int_equal(rd(0, GICD_ISENABLER + 12, 4), 0);
}

static void test_gicd_targets(void **s)
{
	(void)s;
	/* ITARGETSR0-7 read-only: each byte the reading CPU's bit (4.3.12). */
	assert_int_equal(rd(0, GICD_ITARGETSR, 4), 0x01010101);
	assert_int_equal(rd(1, GICD_ITARGETSR + 28, 4), 0x02020202);
	wr(0, GICD_ITARGETSR, 4, 0xffffffff);
	assert_int_equal(rd(0, GICD_ITARGETSR, 4), 0x01010101);
	/* SPI targets: only implemented CPUs' bits (2 CPUs). */
	wr(0, GICD_ITARGETSR + 40, 1, 0xff);
	assert_int_equal(rd(0, GICD_ITARGETSR + 40, 1), 0x03);
	/* ICFGR0 (SGIs) reads 0b10 per field, read-only. */
	assert_int_equal(rd(0, GICD_ICFGR, 4), 0xaaaaaaaa);
	wr(0, GICD_ICFGR, 4, 0);
	assert_int_equal(rd(0, GICD_ICFGR, 4), 0xaaaaaaaa);
}

static void test_gicd_sgi(void **s)
{
	(void)s;
	/* CPU0 sends SGI 3 to CPU1 (filter 0, target list 0b10), 4.3.15. */
	wr(0, GICD_SGIR, 4, 2u << 16 | 3);
	assert_int_equal(rd(1, GICD_SPENDSGIR, 4), 0x01000000);	/* source CPU0 */
	assert_int_equal(rd(1, GICD_ISPENDR, 4) & 0xffff, 0x8);
	assert_int_equal(rd(0, GICD_SPENDSGIR, 4), 0);
	wr(1, GICD_CPENDSGIR + 3, 1, 0x1);
	assert_int_equal(rd(1, GICD_SPENDSGIR, 4), 0);
	/* SGIR is write-only: reads 0. */
	assert_int_equal(rd(0, GICD_SGIR, 4), 0);
	gicd_set_owned(G, 5, true);
	wr(0, GICD_SGIR, 4, 2u << 24 | 5);	/* owned SGI: ignored */
	assert_int_equal(rd(0, GICD_SPENDSGIR + 4, 4) & 0xff00, 0);
}

static void test_timer(void **s)
{
	struct emu_vm vm;
	(void)s;
	emu_vm_init(&vm, 1);
	struct emu_vcpu *v = &vm.vcpu[0];
	vm.cntpct = 1000;
	v->cntvoff = 100;
	assert_int_equal(timer_cntvct(&vm, v), 900);
	timer_write_tval(&vm, v, 50);
	assert_int_equal(v->cntv_cval, 950);
	timer_write_ctl(v, TIMER_CTL_ENABLE | TIMER_CTL_ISTATUS);
	assert_int_equal(timer_read_ctl(&vm, v), TIMER_CTL_ENABLE);	/* ISTATUS RO */
	vm.cntpct = 1050;
	assert_true(timer_irq_asserted(&vm, v));
	assert_int_equal(timer_read_tval(&vm, v), 0);
	vm.cntpct = 1060;	/* TVAL is signed: 10 ticks past -> -10 */
	assert_int_equal(timer_read_tval(&vm, v), 0xfffffff6);
	/* Strategy 1: descheduled 500 ticks -> virtual time does not move. */
	uint64_t t;
	timer_sched_out(&vm, v, 1060, &t);
	timer_sched_in(&vm, v, 1560, t);
	assert_int_equal(timer_cntvct(&vm, v), 960);
	/* Strategy 2: fixed offset, timer masked while out. */
	vm.cfg.cntvoff = EMU_CNTVOFF_FIXED_MASKED;
	timer_sched_out(&vm, v, 1560, &t);
	assert_false(timer_irq_asserted(&vm, v));
	timer_sched_in(&vm, v, 2060, t);
	assert_int_equal(timer_cntvct(&vm, v), 1460);
	assert_true(timer_irq_asserted(&vm, v));
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_bus_register),
	cmocka_unit_test(test_pl011_reset_and_ro),
	cmocka_unit_test_setup_teardown(test_gicd_ids_and_typer, gsetup, gteardown),
	cmocka_unit_test_setup_teardown(test_gicd_priority_bytes_owned, gsetup, gteardown),
	cmocka_unit_test_setup_teardown(test_gicd_targets, gsetup, gteardown),
	cmocka_unit_test_setup_teardown(test_gicd_sgi, gsetup, gteardown),
	cmocka_unit_test(test_timer))
