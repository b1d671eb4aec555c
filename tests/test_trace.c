/* Unit tests for the trace reader/writer (harness/trace/). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/test_main.h"

#include "hvexit/trace.h"
#include "harness/util/sha256.h"
#include "harness/trace/bin2_event.h"
#include "hvexit/outcome_json.h"

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

/* A new empty temporary file whose name replaces path's XXXXXX. */
static void make_tmp(char *path)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
}

/* Write a header, a page twice (stored once), two events; read back. */
static void roundtrip(bool binary)
{
	char path[] = "/tmp/hvexit-trace-test-XXXXXX", err[256];
	struct trace_writer *w;
	struct trace_reader *r;
	struct trace_event ev, got;
	uint8_t page[TRACE_PAGE_SIZE], h1[32], h2[32];
	json_t *hdr = trace_header_new("emu", 2);

	make_tmp(path);
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

/* The two formats, as the state of the tests run once per format. */
static const bool JSONL = false, BINARY = true;

static void test_roundtrip(void **state)
{
	roundtrip(*(const bool *)*state);
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
	assert_non_null(strstr(trace_reader_error(r), "mem: line 2: page data does not match its sha256"));
	trace_reader_close(r);
}

/* The checksum of docs/trace-format.md: a value computed by the Python
 * definition there, and independence from how the bytes are split. */
static void test_hash64(void **state)
{
	static const char msg[] = "hello world\n";
	struct util_hash64 h;

	(void)state;
	assert_true(util_hash64(msg, 12) == UINT64_C(0x7c873b6fbb3daefb));
	for (size_t cut = 0; cut <= 12; cut++) {
		util_hash64_init(&h);
		util_hash64_update(&h, msg, cut);
		util_hash64_update(&h, msg + cut, 12 - cut);
		assert_true(util_hash64_final(&h) == UINT64_C(0x7c873b6fbb3daefb));
	}
	assert_true(util_hash64(msg, 11) != util_hash64(msg, 12));
}

/* An exit with an outcome that uses every part of the outcome record:
 * accesses, register writes, an injected exception, CPU_ON and a finding. */
static void outcome_event(struct trace_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->exit.esr = UINT64_C(0x5a000000);
	ev->exit.has_esr = true;
	ev->exit.pc = 0x40000100;
	ev->exit.has_pc = true;
	ev->has_oc = true;
	ev->oc.action = EMU_ACT_CPU_ON;
	ev->oc.vcpu = 1;
	ev->oc.pc = 0x40000104;
	ev->oc.n_accesses = 2;
	ev->oc.accesses[0] = (struct emu_access){ 0x9000000, 4, true, 0x41, false };
	ev->oc.accesses[1] = (struct emu_access){ 0x9000018, 2, false, 0, true };
	ev->oc.n_writes = 2;
	ev->oc.writes[0] = (struct emu_regwrite){ 0, 0x84000003 };
	ev->oc.writes[1] = (struct emu_regwrite){ EMU_REG_SP, 0x40100000 };
	ev->oc.has_inject = true;
	ev->oc.inject = (struct emu_inject){ 0x2000000, 0x10, 0x40000100, 0x3c5, 0x200 };
	ev->oc.target_mpidr = 0x80000001;
	ev->oc.entry = 0x40080000;
	ev->oc.context_id = 7;
	ev->oc.n_findings = 1;
	snprintf(ev->oc.findings[0].kind, sizeof(ev->oc.findings[0].kind), "no_handler");
	snprintf(ev->oc.findings[0].detail, sizeof(ev->oc.findings[0].detail), "x = 1");
}

/* An engine outcome with every part (accesses, writes incl. sp, inject,
 * cpu_on, findings) goes through both formats unchanged, as a struct. */
static void outcome_roundtrip(bool binary)
{
	char path[] = "/tmp/hvexit-trace-test-XXXXXX", err[256];
	struct trace_writer *w;
	struct trace_reader *r;
	struct trace_event ev, got;
	json_t *hdr = trace_header_new("emu", 2), *a, *b;

	make_tmp(path);
	outcome_event(&ev);
	assert_int_equal(trace_writer_open_fmt(path, hdr, binary, &w, err, sizeof(err)), 0);
	assert_int_equal(trace_write_event(w, &ev), 0);
	assert_int_equal(trace_writer_close(w), 0);
	json_decref(hdr);
	assert_int_equal(trace_reader_open(path, &r, err, sizeof(err)), 0);
	assert_int_equal(trace_next(r, &got), 1);
	assert_true(got.has_oc);	/* the tokenizer / binary struct, no JSON */
	a = emu_outcome_to_json(&ev.oc);
	b = emu_outcome_to_json(&got.oc);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	assert_int_equal(trace_next(r, &got), 0);
	assert_false(trace_reader_truncated(r));
	trace_reader_close(r);
	unlink(path);
}

static void test_outcome(void **state)
{
	outcome_roundtrip(*(const bool *)*state);
}

/* A binary event record, of either type, cut short anywhere is refused
 * with a reason, read from a buffer of exactly its size (ASan sees a read
 * past or before it); the whole record gives the event back. */
static void test_bin2_record_cut(void **state)
{
	static const char types[] = { 'E', 'C' };
	struct trace_event ev, got;
	const char *ot, *kt;
	size_t ol, kl, jl, n;
	char *otext, *ktext;
	uint8_t *full, *cut;
	json_t *a, *b;

	(void)state;
	outcome_event(&ev);
	ev.seq = 1000;
	full = malloc(trace_bin2_event_bound(&ev, &jl, &otext, &ktext));
	assert_non_null(full);
	assert_null(otext);
	assert_null(ktext);
	for (size_t t = 0; t < sizeof(types); t++) {
		n = trace_bin2_encode_event(full, types[t], 990, &ev, NULL, NULL);
		assert_true(n > 0);
		for (size_t k = 0; k <= n; k++) {
			const char *bad;

			cut = malloc(k ? k : 1);
			assert_non_null(cut);
			memcpy(cut, full, k);
			bad = trace_bin2_decode_event(cut, k, types[t], 990, &got, &ot, &ol, &kt, &kl);
			free(cut);
			if (k < n) {
				assert_non_null(bad);
				continue;
			}
			assert_null(bad);
			assert_int_equal(got.seq, 1000);
			assert_true(got.has_oc);
			a = emu_outcome_to_json(&ev.oc);
			b = emu_outcome_to_json(&got.oc);
			assert_true(json_equal(a, b));
			json_decref(a);
			json_decref(b);
		}
	}
	free(full);
}

/* Lines the tokenizer takes give the same event as jansson's path. */
static void test_scan_matches_jansson(void **state)
{
	static const char *const lines[] = {
		"{\"type\":\"exit\",\"seq\":5,\"vcpu\":1,\"exit\":{\"ec\":\"0x24\",\"esr\":\"0x93810047\","
		"\"far\":\"0x10000000\",\"regs\":{\"x1\":\"0x30\",\"x30\":\"0xffffffffffffffff\"}},"
		"\"mmio_data\":[\"0x1\",\"0x2\"]}",
		"{ \"vcpu\" : 0 , \"type\":\"exit\", \"exit\":{\"ec\":\"0x16\"}, \"seq\":0, \"outcome\":null }",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct trace_event a, b;
		json_t *o = json_loads(lines[i], 0, NULL);
		char err[200];

		assert_non_null(o);
		assert_int_equal(trace_jsonl_scan_event(lines[i], strlen(lines[i]), &a), 1);
		assert_int_equal(trace_event_from_json(o, &b, err, sizeof(err)), 0);
		{
			json_t *ja = trace_event_to_json(&a), *jb = trace_event_to_json(&b);

			assert_true(json_equal(ja, jb));
			assert_int_equal(a.exit.ec, b.exit.ec);
			json_decref(ja);
			json_decref(jb);
		}
		json_decref(o);
	}
	/* shapes left to jansson: escapes, decimal strings, unknown keys */
	assert_int_equal(trace_jsonl_scan_event("{\"type\":\"ex\\u0069t\"}", 19, &(struct trace_event){ 0 }), 0);
	{
		static const char d[] = "{\"type\":\"exit\",\"seq\":0,\"vcpu\":0,\"exit\":{\"esr\":\"10\"}}";
		static const char u[] = "{\"type\":\"exit\",\"seq\":0,\"vcpu\":0,\"exit\":{\"ec\":\"0x1\"},\"x\":1}";
		struct trace_event e;

		assert_int_equal(trace_jsonl_scan_event(d, strlen(d), &e), 0);
		assert_int_equal(trace_jsonl_scan_event(u, strlen(u), &e), 0);
	}
}

/* Seeking through the index footer of a binary trace of several blocks:
 * event k comes next, the rest reads to a complete end. */
static void test_seek_by_block(void **state)
{
	char path[] = "/tmp/hvexit-trace-test-XXXXXX", err[256];
	struct trace_writer *w;
	struct trace_reader *r;
	struct trace_event ev;
	json_t *hdr = trace_header_new("emu", 2);
	const unsigned n = 20000;
	unsigned left = 0;

	(void)state;
	make_tmp(path);
	assert_int_equal(trace_writer_open_fmt(path, hdr, true, &w, err, sizeof(err)), 0);
	json_decref(hdr);
	for (unsigned i = 0; i < n; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.seq = i;
		ev.exit.esr = UINT64_C(0x93810047);
		ev.exit.has_esr = true;
		ev.exit.regs[1] = (uint64_t)i * UINT64_C(0x9e3779b97f4a7c15);
		ev.exit.regs_mask = 2;
		assert_int_equal(trace_write_event(w, &ev), 0);
	}
	assert_int_equal(trace_writer_close(w), 0);
	assert_int_equal(trace_reader_open(path, &r, err, sizeof(err)), 0);
	assert_int_equal(trace_reader_seek_event(r, 17777), 0);
	while (trace_next(r, &ev) > 0) {
		assert_int_equal(ev.seq, 17777 + left);
		assert_true(ev.exit.regs[1] == ev.seq * UINT64_C(0x9e3779b97f4a7c15));
		left++;
	}
	assert_int_equal(left, n - 17777);
	assert_false(trace_reader_truncated(r));
	assert_string_equal(trace_reader_error(r), "");
	assert_int_equal(trace_reader_seek_event(r, 3), 0);	/* backwards too */
	assert_int_equal(trace_next(r, &ev), 1);
	assert_int_equal(ev.seq, 3);
	assert_int_equal(trace_reader_seek_event(r, n), -ERANGE);
	trace_reader_close(r);
	unlink(path);
}

/* Random events of every shape (values of every width, repeats, the
 * seq going back) decode from 'C' to what they decode to from 'E'. */
static void test_bin2_compact_matches_fixed(void **state)
{
	static const uint64_t pick[] = { 0, 1, 0xff, 0x100, 0xffff, 0x10000, 0x12345678,
					 UINT64_C(0x100000000), UINT64_C(0xffffffffffff),
					 UINT64_C(0x8000000000000000), ~UINT64_C(0) };
	uint64_t x = 88172645463325252u, prev = 0;
	uint8_t *be, *bc;
	size_t jl;
	char *ot, *kt;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		struct trace_event ev, ge, gc;
		const char *a, *b, *o1, *k1;
		size_t l1, l2, ne, nc;
#define RND() (x ^= x << 13, x ^= x >> 7, x ^= x << 17, \
	       (x & 3) ? pick[(x >> 8) % (sizeof(pick) / sizeof(pick[0]))] : x)
		outcome_event(&ev);
		ev.seq = RND();
		ev.vcpu = (unsigned)(x % 4);
		ev.exit.far = RND();
		ev.exit.has_far = x & 1;
		ev.exit.pc = RND();
		ev.exit.pstate = RND();
		ev.exit.has_pstate = x & 2;
		ev.exit.insn = (uint32_t)RND();
		ev.exit.has_insn = x & 4;
		ev.exit.regs_mask = (uint32_t)(RND() & 0x7fffffff);
		for (unsigned i = 0; i < TRACE_NREGS; i++)
			ev.exit.regs[i] = RND();
		ev.n_mmio = (unsigned)(x % (TRACE_MAX_MMIO + 1));
		for (unsigned i = 0; i < ev.n_mmio; i++)
			ev.mmio_data[i] = RND();
		ev.oc.pc = x & 8 ? ev.exit.pc + 4 : RND();
		ev.oc.accesses[0].ipa = x & 16 ? ev.exit.far : RND();
		ev.oc.accesses[1].data = ev.exit.regs[x % TRACE_NREGS];
		ev.oc.writes[1].val = RND();
		ev.oc.has_inject = x & 32;
		ev.oc.action = x & 64 ? EMU_ACT_CPU_ON : EMU_ACT_MMIO;
#undef RND
		assert_non_null(be = malloc(trace_bin2_event_bound(&ev, &jl, &ot, &kt)));
		assert_non_null(bc = malloc(trace_bin2_event_bound(&ev, &jl, &ot, &kt)));
		ne = trace_bin2_encode_event(be, 'E', 0, &ev, NULL, NULL);
		nc = trace_bin2_encode_event(bc, 'C', prev, &ev, NULL, NULL);
		assert_true(nc > 0 && nc <= ne + BIN2_MAX_VALUES);
		a = trace_bin2_decode_event(be, ne, 'E', 0, &ge, &o1, &l1, &k1, &l2);
		b = trace_bin2_decode_event(bc, nc, 'C', prev, &gc, &o1, &l1, &k1, &l2);
		assert_null(a);
		assert_null(b);
		assert_int_equal(gc.seq, ev.seq);
		assert_memory_equal(&gc.exit, &ge.exit, offsetof(struct trace_exit, regs));
		for (uint32_t m = ge.exit.regs_mask; m; m &= m - 1)
			assert_true(gc.exit.regs[__builtin_ctz(m)] == ge.exit.regs[__builtin_ctz(m)]);
		assert_int_equal(gc.n_mmio, ge.n_mmio);
		assert_memory_equal(gc.mmio_data, ge.mmio_data, ge.n_mmio * sizeof(uint64_t));
		{
			json_t *ja = emu_outcome_to_json(&ge.oc), *jb = emu_outcome_to_json(&gc.oc);

			assert_true(json_equal(ja, jb));
			json_decref(ja);
			json_decref(jb);
		}
		prev = ev.seq;
		free(be);
		free(bc);
	}
}

/* A 'C' record's codes are checked: a code above 9, a reference to the
 * value itself or a later one, a u32 field wider than 32 bits and a
 * non-zero unused nibble are refused, each with its reason. */
static void test_bin2_compact_bad_codes(void **state)
{
	/* head: flags ESR|INSN, EC 0x24, no MMIO/pages, vcpu 0, mask 0;
	 * values: seq, esr, insn (3 codes: 2 bytes, the last high nibble) */
	static const uint8_t good[] = { 0x21, 0, 0x24, 0, 0, 0, 0, 0, 0, 0, 0, 0,
					0x41, 0x04, 7, 0x00, 0x00, 0x00, 0x92, 0x00, 0x00,
					0x40, 0xf9 };
	struct { unsigned at; uint8_t val; size_t n; const char *why; } bad[] = {
		{ 12, 0x4a, 0, "bad value code or reference" },	/* seq code 10 */
		{ 12, 0x49, 0, "bad value code or reference" },	/* seq: a reference to itself */
		{ 13, 0x14, 0, "unused code nibble not zero" },
		{ 13, 0x05, 0, "event record too short" },	/* insn of 5 bytes, 4 there */
		{ 13, 0x09, 19, "event record too short" },	/* insn a reference, no index */
		{ 13, 0x09, 20, "bad value code or reference" },	/* a reference to itself */
	};
	struct trace_event ev;
	const char *ot, *kt;
	size_t ol, kl;
	uint8_t rec[sizeof(good)];

	(void)state;
	assert_null(trace_bin2_decode_event(good, sizeof(good), 'C', 0, &ev, &ot, &ol, &kt, &kl));
	assert_int_equal(ev.seq, 7);
	assert_true(ev.exit.esr == UINT64_C(0x92000000));
	assert_int_equal(ev.exit.insn, 0xf9400000);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = bad[i].n ? bad[i].n : sizeof(good);

		memcpy(rec, good, sizeof(good));
		rec[bad[i].at] = bad[i].val;
		if (n == 20)
			rec[19] = 2;	/* insn is value 2 */
		assert_string_equal(trace_bin2_decode_event(rec, n, 'C', 0, &ev, &ot, &ol, &kt, &kl),
				    bad[i].why);
	}
	/* insn (a u32) as 5 bytes: wider than its field */
	{
		uint8_t wide[sizeof(good) + 1];

		memcpy(wide, good, sizeof(good));
		wide[13] = 0x05;
		wide[sizeof(good)] = 0x01;
		assert_string_equal(trace_bin2_decode_event(wide, sizeof(wide), 'C', 0, &ev, &ot,
							    &ol, &kt, &kl),
				    "bad value code or reference");
	}
}

HVX_TEST_MAIN(NULL, NULL,
	cmocka_unit_test(test_sha256_vectors),
	HVX_TEST_STATE("test_roundtrip_jsonl", test_roundtrip, &JSONL),
	HVX_TEST_STATE("test_roundtrip_binary", test_roundtrip, &BINARY),
	cmocka_unit_test(test_page_hash_checked),
	cmocka_unit_test(test_hash64),
	HVX_TEST_STATE("test_outcome_jsonl", test_outcome, &JSONL),
	HVX_TEST_STATE("test_outcome_binary", test_outcome, &BINARY),
	cmocka_unit_test(test_bin2_record_cut),
	cmocka_unit_test(test_bin2_compact_matches_fixed),
	cmocka_unit_test(test_bin2_compact_bad_codes),
	cmocka_unit_test(test_scan_matches_jansson),
	cmocka_unit_test(test_seek_by_block))
