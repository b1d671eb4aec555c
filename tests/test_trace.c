/* Unit tests for the trace reader/writer (harness/trace/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "hvexit/trace.h"
#include "harness/util/sha256.h"

static void hex32(const uint8_t h[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", h[i]);
}

/* FIPS 180-4 / NIST CSRC example values for SHA-256 ("abc", the
 * 448-bit two-block message). */
static void test_sha256_vectors(void **state)
{
	uint8_t h[32];
	char s[65];
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	(void)state;
	util_sha256("abc", 3, h);
	hex32(h, s);
	assert_string_equal(s, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	util_sha256(two, strlen(two), h);
	hex32(h, s);
	assert_string_equal(s, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	util_sha256("", 0, h);
	hex32(h, s);
	assert_string_equal(s, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* Write a header, a page twice (stored once), two events; read back. */
static void roundtrip(bool binary)
{
	char path[] = "/tmp/hvexit-trace-test-XXXXXX", err[256];
	int fd = mkstemp(path);
	struct trace_writer *w;
	struct trace_reader *r;
	struct trace_event ev, got;
	uint8_t page[TRACE_PAGE_SIZE], h1[32], h2[32];
	json_t *hdr = trace_header_new("emu", 2);

	assert_true(fd >= 0);
	close(fd);
	for (unsigned i = 0; i < sizeof(page); i++)
		page[i] = (uint8_t)(i * 7);
	assert_int_equal(trace_writer_open_fmt(path, hdr, binary, &w, err, sizeof(err)), 0);
	assert_int_equal(trace_write_page(w, page, h1), 1);
	assert_int_equal(trace_write_page(w, page, h2), 0);	/* content-addressed */
	assert_memory_equal(h1, h2, 32);
	memset(&ev, 0, sizeof(ev));
	ev.seq = 7;
	ev.vcpu = 1;
	ev.exit.esr = UINT64_C(0x92000006);	/* DABT_LOW, ISV=0, DFSC 0b000110 */
	ev.exit.has_esr = true;
	ev.exit.pc = UINT64_C(0xffffffffffff0000);
	ev.exit.has_pc = true;
	ev.exit.regs[30] = UINT64_MAX;
	ev.exit.regs_mask = UINT32_C(1) << 30;
	ev.n_mmio = 1;
	ev.mmio_data[0] = 0xab;
	ev.n_pages = 1;
	ev.pages[0].ipa = 0x40000000;
	memcpy(ev.pages[0].hash, h1, 32);
	ev.outcome = json_pack("{s:s}", "action", "inject");
	assert_int_equal(trace_write_event(w, &ev), 0);
	json_decref(ev.outcome);
	ev.outcome = NULL;
	ev.seq = 8;
	assert_int_equal(trace_write_event(w, &ev), 0);
	assert_int_equal(trace_writer_close(w), 0);
	json_decref(hdr);

	assert_int_equal(trace_reader_open(path, &r, err, sizeof(err)), 0);
	assert_string_equal(trace_reader_source(r), "emu");
	assert_int_equal(trace_reader_vcpus(r), 2);
	assert_int_equal(trace_next(r, &got), 1);
	assert_int_equal(got.seq, 7);
	assert_int_equal(got.vcpu, 1);
	assert_int_equal(got.exit.ec, 0x24);	/* ESR[31:26] */
	assert_true(got.exit.esr == UINT64_C(0x92000006));
	assert_true(got.exit.pc == UINT64_C(0xffffffffffff0000));
	assert_true(got.exit.regs[30] == UINT64_MAX);
	assert_int_equal(got.exit.regs_mask, UINT32_C(1) << 30);
	assert_int_equal(got.n_mmio, 1);
	assert_int_equal(got.mmio_data[0], 0xab);
	assert_int_equal(got.line, 3);	/* header, page, event */
	assert_int_equal(trace_reader_binary(r), binary);
	assert_int_equal(trace_event_load_outcome(r, &got), 0);
	assert_string_equal(json_string_value(json_object_get(got.outcome, "action")), "inject");
	assert_memory_equal(trace_reader_page(r, got.pages[0].hash), page, sizeof(page));
	assert_int_equal(trace_next(r, &got), 1);
	assert_int_equal(got.seq, 8);
	assert_null(got.outcome);
	assert_null(got.outcome_text);
	assert_int_equal(trace_next(r, &got), 0);
	assert_false(trace_reader_truncated(r));
	trace_reader_close(r);
	unlink(path);
}

static void test_roundtrip_jsonl(void **state)
{
	(void)state;
	roundtrip(false);
}

static void test_roundtrip_binary(void **state)
{
	(void)state;
	roundtrip(true);
}

/* A page whose data does not hash to its name is rejected. */
static void test_page_hash_checked(void **state)
{
	char buf[8192], err[256], b64[6000];
	struct trace_reader *r;
	struct trace_event ev;
	size_t n = 0;

	(void)state;
	/* base64 of 4096 zero bytes: 1365 "AAAA" groups then "AA==". */
	for (int i = 0; i < 1365; i++)
		n += (size_t)sprintf(b64 + n, "AAAA");
	sprintf(b64 + n, "AA==");
	snprintf(buf, sizeof(buf),
		 "{\"hvexit_trace\":1,\"source\":\"emu\",\"vcpus\":1}\n"
		 "{\"type\":\"page\",\"sha256\":\"%064d\",\"data\":\"%s\"}\n", 0, b64);
	assert_int_equal(trace_reader_open_mem(buf, strlen(buf), "mem", &r, err, sizeof(err)), 0);
	assert_true(trace_next(r, &ev) < 0);
	assert_non_null(strstr(trace_reader_error(r), "mem:2: page data does not match its sha256"));
	trace_reader_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_roundtrip_jsonl),
		cmocka_unit_test(test_roundtrip_binary),
		cmocka_unit_test(test_page_hash_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
