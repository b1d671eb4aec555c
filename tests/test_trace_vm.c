/* Unit tests for the replay VM of a trace header's memory map
 * (harness/trace/trace_vm.c): models bound by name at the map's
 * addresses, unmodelled devices kept as such, bad maps refused with a
 * message naming the entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"
#include "tests/tsv.h"

#include "harness/trace/trace_vm.h"
#include "hvexit/emu_default.h"

/* QEMU virt's layout: GICv3, PL011 at 0x09000000, a virtio-mmio window,
 * RAM at 1 GiB. */
static const char *virt =
	"[{\"name\":\"gicd\",\"ipa\":\"0x8000000\",\"size\":\"0x10000\",\"flags\":\"device\",\"model\":\"gicv3-dist\"},"
	"{\"name\":\"gicr\",\"ipa\":\"0x80a0000\",\"size\":\"0xf60000\",\"flags\":\"device\",\"model\":\"gicv3-redist\"},"
	"{\"name\":\"uart\",\"ipa\":\"0x9000000\",\"size\":\"0x1000\",\"flags\":\"device\",\"model\":\"pl011\"},"
	"{\"name\":\"virtio0\",\"ipa\":\"0xa000000\",\"size\":\"0x200\",\"flags\":\"device\",\"model\":\"virtio-mmio\"},"
	"{\"name\":\"flash\",\"ipa\":\"0x0\",\"size\":\"0x4000000\",\"flags\":\"rx\"},"
	"{\"name\":\"ram\",\"ipa\":\"0x40000000\",\"size\":\"0x40000000\",\"flags\":\"rwx\"}]";

static struct trace_vm *build(const char *map, unsigned nvcpus, char *err)
{
	json_error_t je;
	json_t *m = json_loads(map, 0, &je);
	struct trace_vm *tv;

	assert_non_null(m);
	err[0] = '\0';
	tv = trace_vm_new(m, nvcpus, err, 300);
	json_decref(m);
	return tv;
}

static void test_virt(void **state)
{
	char err[300];
	struct trace_vm *tv = build(virt, 2, err);
	struct emu_vm *vm;
	const struct trace_vm_dev *d;
	const struct emu_bus_dev *b;
	uint64_t v = 0;
	uint8_t buf[4] = { 1, 2, 3, 4 }, back[4];
	size_t n;

	(void)state;
	assert_non_null(tv);
	vm = trace_vm_emu(tv);
	assert_int_equal(vm->nvcpus, 2);
	/* UARTFR at +0x18 of the map's UART reads TXFE | RXFE (DDI0183 3.3.3) */
	assert_int_equal(emu_bus_access(&vm->bus, 0x9000018, 4, false, &v), 0);
	assert_int_equal(v, 0x90);
	/* nothing at hvexit's default UART address */
	assert_null(emu_bus_find(&vm->bus, EMU_DEFAULT_UART0, 4));
	/* one Redistributor frame pair per vCPU, in vCPU order */
	b = emu_bus_find(&vm->bus, 0x80a0000 + 0x20000, 4);
	assert_non_null(b);
	assert_ptr_equal(b->ops, &gicv3_redist_ops);
	assert_null(emu_bus_find(&vm->bus, 0x80a0000 + 2 * 0x20000, 4));
	assert_non_null(vm->gicv3);
	assert_ptr_equal(b->opaque, &vm->gicv3->rd[1]);
	/* the virtio window is known by name, modelled by nothing */
	d = trace_vm_device_at(tv, 0xa000010);
	assert_non_null(d);
	assert_string_equal(d->name, "virtio0");
	assert_string_equal(d->model, "virtio-mmio");
	assert_int_equal(d->modelled, 0);
	assert_null(emu_bus_find(&vm->bus, 0xa000010, 4));
	/* the Redistributor region beyond the last vCPU is not modelled */
	d = trace_vm_device_at(tv, 0x80a0000 + 0x50000);
	assert_non_null(d);
	assert_int_equal(d->modelled, 2 * 0x20000);
	trace_vm_devices(tv, &n);
	assert_int_equal(n, 4);
	/* RAM: 1 GiB read/write at its IPA; the flash is read/execute only */
	assert_int_equal(emu_mem_write(vm, 0x7ffff000, buf, 4), 0);
	assert_int_equal(emu_mem_read(vm, 0x7ffff000, back, 4), 0);
	assert_memory_equal(buf, back, 4);
	assert_int_equal(emu_vm_region(vm, 0x1000, 4)->flags, EMU_MEM_R | EMU_MEM_X);
	assert_null(trace_vm_device_at(tv, 0x40000000));
	trace_vm_free(tv);
}

static void test_models(void **state)
{
	static const struct emu_dev_ops *const ops[] = {
		&uart_pl011_ops, &gicd_ops, &gicv3_dist_ops, &gicv3_redist_ops,
	};

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		const char *m = trace_vm_model_of(ops[i]);

		assert_non_null(m);
		assert_non_null(strstr(trace_vm_model_list(), m));
		assert_non_null(trace_vm_model_ref(m));
	}
	assert_null(trace_vm_model_ref("virtio-mmio"));
}

/* The GICv2 model of the default VM, attached at another address. */
static void test_gicv2(void **state)
{
	char err[300];
	struct trace_vm *tv = build("[{\"ipa\":\"0x8000000\",\"size\":\"0x10000\",\"flags\":\"device\","
				    "\"model\":\"gicv2-dist\"}]", 1, err);
	uint64_t v = 0;

	(void)state;
	assert_non_null(tv);
	/* GICD_TYPER (IHI0048B 4.3.2): ITLinesNumber 2, CPUNumber 0 (1 CPU) */
	assert_int_equal(emu_bus_access(&trace_vm_emu(tv)->bus, 0x8000004, 4, false, &v), 0);
	assert_int_equal(v & 0x1f, 2);
	assert_int_equal(v >> 5 & 7, 0);
	assert_non_null(trace_vm_emu(tv)->gic);
	assert_string_equal(trace_vm_devices(tv, &(size_t){ 0 })[0].name, "memory[0]");
	trace_vm_free(tv);
}

/* Maps that must be refused, with the message naming the entry: one a
 * line of BAD_MAPS, "nvcpus<TAB>message part<TAB>map". */
#define BAD_MAPS "tests/vectors/trace_vm_bad_maps.tsv"

static void check_bad_map(char **f, int line, void *arg)
{
	char err[300];
	struct trace_vm *tv = build(f[2], (unsigned)strtoul(f[0], NULL, 10), err);

	(void)arg;
	if (tv || !strstr(err, f[1]))
		fail_msg("%s:%d (%s): got '%s', want '%s'", BAD_MAPS, line, f[2], err, f[1]);
}

static void test_bad_maps(void **state)
{
	(void)state;
	assert_int_equal(tsv_for_each(BAD_MAPS, 3, check_bad_map, NULL), 20);
}

/* More device regions than the VM holds: refused, not truncated. */
static void test_too_many(void **state)
{
	char map[4096], err[300];
	size_t n = 0;

	(void)state;
	n += (size_t)snprintf(map + n, sizeof(map) - n, "[");
	for (int i = 0; i <= TRACE_VM_MAX_DEVS; i++)
		n += (size_t)snprintf(map + n, sizeof(map) - n,
				      "%s{\"ipa\":\"0x%x\",\"size\":\"0x1000\",\"flags\":\"device\"}",
				      i ? "," : "", 0x1000 * i);
	snprintf(map + n, sizeof(map) - n, "]");
	assert_null(build(map, 1, err));
	assert_non_null(strstr(err, "more than 16 device regions"));
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_virt),
	cmocka_unit_test(test_models),
	cmocka_unit_test(test_gicv2),
	cmocka_unit_test(test_bad_maps),
	cmocka_unit_test(test_too_many))
