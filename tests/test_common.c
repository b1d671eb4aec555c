/* Unit tests for the bit helpers in include/hvexit/common.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "hvexit/common.h"

static void test_mask(void **state)
{
	(void)state;
	assert_int_equal(hvx_mask(63, 0), UINT64_MAX);
	assert_int_equal(hvx_mask(31, 26), UINT64_C(0xfc000000));
	assert_int_equal(hvx_mask(0, 0), 1);
	assert_int_equal(hvx_mask(63, 63), UINT64_C(1) << 63);
}

static void test_bits(void **state)
{
	(void)state;
	/* ESR 0x93c08046: EC 0x24, ISV 1, SAS 3 (as in the KVM note). */
	assert_int_equal(hvx_bits(0x93c08046, 31, 26), 0x24);
	assert_int_equal(hvx_bits(0x93c08046, 23, 22), 3);
	assert_true(hvx_bit(0x93c08046, 24));
	assert_int_equal(hvx_field(0x24, 31, 26), 0x90000000);
	assert_int_equal(hvx_field(0xff, 1, 0), 3);
}

static void test_sext(void **state)
{
	(void)state;
	assert_int_equal(hvx_sext(0x80, 8), -128);
	assert_int_equal(hvx_sext(0x7f, 8), 127);
	assert_int_equal(hvx_sext(0xffff8000, 16), -32768);
	assert_int_equal(hvx_sext(UINT64_MAX, 64), -1);
	assert_int_equal(hvx_sext(0x100000000, 33), INT64_C(-4294967296));
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_mask),
	cmocka_unit_test(test_bits),
	cmocka_unit_test(test_sext))
