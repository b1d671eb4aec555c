/* outcome_json: round trips and rejection of malformed JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "hvexit/outcome_json.h"

static void test_outcome_roundtrip(void **s)
{
	struct emu_outcome a = { 0 }, b;
	char err[128];

	(void)s;
	a.action = EMU_ACT_CPU_ON;
	a.vcpu = 1;
	a.pc = 0xffff000012345678;
	a.n_accesses = 2;
	a.accesses[0] = (struct emu_access){ 0x9000000, 8, false, UINT64_MAX, false };
	a.accesses[1] = (struct emu_access){ 0x9000008, 1, true, 0x7f, true };
	a.n_writes = 2;
	a.writes[0] = (struct emu_regwrite){ 30, 0x1 };
	a.writes[1] = (struct emu_regwrite){ EMU_REG_SP, 0x2 };
	a.has_inject = true;
	a.inject = (struct emu_inject){ 0x96000010, 0x9000000, 0x40000000, 0x3c5, 0x200 };
	a.target_mpidr = 0x80000001;
	a.entry = 0x40000000;
	a.context_id = 7;
	emu_outcome_finding(&a, "unemulatable_insn", "x %d", 1);
	json_t *j = emu_outcome_to_json(&a);
	assert_non_null(j);
	char *txt = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	json_error_t je;
	j = json_loads(txt, 0, &je);
	free(txt);
	assert_int_equal(emu_outcome_from_json(j, &b, err, sizeof(err)), 0);
	json_decref(j);
	assert_true(emu_outcome_equal(&a, &b, err, sizeof(err)));
	assert_string_equal(b.findings[0].detail, "x 1");
	b.writes[0].val = 2;
	assert_false(emu_outcome_equal(&a, &b, err, sizeof(err)));
	assert_non_null(strstr(err, "register 30"));
}

static void test_exit_roundtrip(void **s)
{
	struct emu_exit a = { 0 }, b;
	char err[128];

	(void)s;
	a.esr = 0x92000007;
	a.far = 0x9000000;
	a.hpfar = 0x90000;
	a.has_insn = true;
	a.insn = 0xa9400801;
	a.has_pc = true;
	a.pc = 0x40000000;
	a.regs_mask = 1u << 30 | 1;
	a.regs[0] = 5;
	a.regs[30] = UINT64_MAX;
	a.n_mmio_data = 2;
	a.mmio_data[1] = 0x1234;
	json_t *j = emu_exit_to_json(&a);
	assert_int_equal(emu_exit_from_json(j, &b, err, sizeof(err)), 0);
	json_decref(j);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void test_reject(void **s)
{
	static const char *const bad[] = {
		"[]", "{}", "{\"action\":\"fly\",\"pc\":\"0x0\"}",
		"{\"action\":\"resume\"}",
		"{\"action\":\"resume\",\"pc\":\"0xzz\"}",
		"{\"action\":\"resume\",\"pc\":-1}",
		"{\"action\":\"resume\",\"pc\":\"0x0\",\"writes\":{\"x31\":\"0x1\"}}",
		"{\"action\":\"resume\",\"pc\":\"0x0\",\"accesses\":[{\"ipa\":\"0x0\",\"len\":9,\"write\":true}]}",
		"{\"action\":\"resume\",\"pc\":\"0x0\",\"accesses\":[1,2,3,4,5,6,7,8,9]}",
		"{\"action\":\"resume\",\"pc\":\"0x0\",\"inject\":{\"vector\":\"0x0\"}}",
		"{\"action\":\"resume\",\"pc\":\"0x10000000000000000\"}",
	};
	struct emu_outcome o;
	struct emu_exit e;
	char err[128];

	(void)s;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_error_t je;
		json_t *j = json_loads(bad[i], 0, &je);
		assert_non_null(j);
		err[0] = 0;
		assert_int_equal(emu_outcome_from_json(j, &o, err, sizeof(err)), -EINVAL);
		assert_true(err[0] != 0);
		json_decref(j);
	}
	json_error_t je;
	json_t *j = json_loads("{\"esr\":\"0x1\",\"insn\":\"0x100000000\"}", 0, &je);
	assert_int_equal(emu_exit_from_json(j, &e, err, sizeof(err)), -EINVAL);
	json_decref(j);
	j = json_loads("{\"esr\":\"0x1\",\"regs\":{\"sp\":\"0x1\"}}", 0, &je);
	assert_int_equal(emu_exit_from_json(j, &e, err, sizeof(err)), -EINVAL);
	json_decref(j);
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_outcome_roundtrip),
	cmocka_unit_test(test_exit_roundtrip),
	cmocka_unit_test(test_reject))
