/*
 * libFuzzer differential target: the plugin under test linked in directly,
 * compared field by field with hvexit's reference. Built and started by
 * `make fuzz-plugin PLUGIN=LIB.so` (not under fuzz/*.c, which the
 * regression build compiles without a plugin). A difference aborts with
 * the input, the field, and the expected and actual values.
 *
 * Input: byte 0 selects the entry point (even: decode_dabt, odd:
 * mmio_load), then an 8-byte ESR and an 8-byte bus value (little-endian,
 * short input padded with zeros). Only syndromes a PE reports for a
 * guest's stage-2 data abort (harness/validate/dabt_space.h) are compared;
 * the plugin still runs on every other input, where only a crash or a
 * sanitizer report counts (the robustness class of hvexit validate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/validate/dabt_space.h"
#include "harness/validate/plugin_check.h"

/* Weak: a plugin may export only some entry points. */
int hvx_plugin_decode_dabt(uint64_t esr, struct hvx_dabt *out) __attribute__((weak));
int hvx_plugin_mmio_load(uint64_t esr, uint64_t bus, uint64_t *v) __attribute__((weak));
int hvx_plugin_abi_minor(void) __attribute__((weak));
uint32_t hvx_plugin_dabt_fields(void) __attribute__((weak));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void report(const char *ep, const struct check_field *fields, unsigned n,
		   unsigned fail, uint64_t esr, uint64_t bus, char (*e)[32], char (*a)[32])
{
	char d[200];

	check_describe_esr(esr, d, sizeof(d));
	for (unsigned f = 0; f < n; f++)
		if (fail >> f & 1)
			fprintf(stderr, "plugin_diff: %s.%s: esr=0x%016llx (%s) bus=0x%016llx "
				"expected %s actual %s; rule: %s\n", ep, fields[f].name,
				(unsigned long long)esr, d, (unsigned long long)bus, e[f], a[f],
				fields[f].rule);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t buf[17] = { 0 };
	uint64_t esr, bus;

	memcpy(buf, data, size < sizeof(buf) ? size : sizeof(buf));
	esr = le64(buf + 1);
	bus = le64(buf + 9);
	if (!(buf[0] & 1) && hvx_plugin_decode_dabt) {
		struct hvx_dabt ref, act;
		char e[DF_COUNT][32], a[DF_COUNT][32];
		unsigned cmp, fail;
		int rrc, arc;

		memset(&act, 0, sizeof(act));
		check_ref_decode_dabt(esr, &rrc, &ref);
		arc = hvx_plugin_decode_dabt(esr, &act);
		if (!dabt_possible(esr))
			return 0;
		fail = check_cmp_dabt(esr, rrc, &ref, arc, &act, &cmp, e, a);
		/* ABI 1.1: fields the decoder does not extract are not compared */
		if (hvx_plugin_abi_minor && hvx_plugin_abi_minor() >= 1 &&
		    hvx_plugin_dabt_fields)
			fail &= 1u << DF_RETURN | hvx_plugin_dabt_fields() << 1;
		if (fail)
			report("decode_dabt", check_dabt_fields, DF_COUNT, fail, esr, 0, e, a);
	} else if ((buf[0] & 1) && hvx_plugin_mmio_load) {
		uint64_t rv = 0, av = 0;
		char e[LF_COUNT][32], a[LF_COUNT][32];
		unsigned cmp, fail;
		int rrc, arc;

		check_ref_mmio_load(esr, bus, &rrc, &rv);
		arc = hvx_plugin_mmio_load(esr, bus, &av);
		if (!dabt_possible(esr) || !check_load_domain(esr))
			return 0;
		fail = check_cmp_load(rrc, rv, arc, av, &cmp, e, a);
		if (fail)
			report("mmio_load", check_load_fields, LF_COUNT, fail, esr, bus, e, a);
	}
	return 0;
}
