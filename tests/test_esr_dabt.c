/* Data abort ISS build/decode: known values and round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hvexit/esr.h"

/* From the KVM-under-QEMU note: a 64-bit store of x0 to MMIO,
 * kvm_guest_fault hsr 0x93c08046 -> EC 0x24, IL, ISV, SAS 3, SRT 0, SF,
 * WnR, DFSC 0x06 (translation fault, level 2). */
static void test_known_value(void **state)
{
	struct esr_dabt d;

	(void)state;
	assert_int_equal(esr_decode_dabt(0x93c08046, &d), 0);
	assert_int_equal(d.ec, ESR_EC_DABT_LOW);
	assert_true(d.il);
	assert_true(d.isv);
	assert_int_equal(d.sas, 3);
	assert_false(d.sse);
	assert_int_equal(d.srt, 0);
	assert_true(d.sf);
	assert_false(d.ar);
	assert_true(d.wnr);
	assert_int_equal(d.dfsc, 0x06);
	assert_int_equal(esr_build_dabt(&d), 0x93c08046);
}

static void test_not_dabt(void **state)
{
	struct esr_dabt d;

	(void)state;
	assert_int_equal(esr_decode_dabt(0x5a00000a, &d), -EINVAL);
}

static void test_roundtrip(void **state)
{
	uint64_t x = 0x243f6a8885a308d3;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		struct esr_dabt d, e;

		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		uint64_t esr = (x & UINT64_C(0x00ffffff03ffffff)) |
			       hvx_field(x & 1 ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR, 31, 26);
		assert_int_equal(esr_decode_dabt(esr, &d), 0);
		uint64_t back = esr_build_dabt(&d);
		/* ISS2 bits the data abort format does not define are dropped
		 * (HDBSSF [43] is the highest); with ISV=0, ISS [23:22] and
		 * [20:18] are RES0 (google aarch64-esr-decoder abort.rs). */
		uint64_t defined = ~(hvx_mask(55, 44) | hvx_mask(63, 56));
		if (!hvx_bit(esr, 24))
			defined &= ~(hvx_mask(23, 22) | hvx_mask(20, 18));
		assert_int_equal(back, esr & defined);
		assert_int_equal(esr_decode_dabt(back, &e), 0);
		assert_memory_equal(&d, &e, sizeof(d));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_value),
		cmocka_unit_test(test_not_dabt),
		cmocka_unit_test(test_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
