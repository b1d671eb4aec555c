/*
 * Trace events <-> JSON objects (docs/trace-format.md, "exit"), and the
 * small helpers the reader and writers share.
 */
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/trace/trace_int.h"
#include "harness/util/num.h"
#include "hvexit/esr.h"
#include "hvexit/outcome_json.h"

/* ---- small JSON helpers -------------------------------------------------- */
json_t *trace_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}

void trace_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int trace_get_u64(const json_t *v, uint64_t *out)
{
	/* Strings are hex with "0x" (docs/trace-format.md): a decimal-looking
	 * string is an error, never read in another base. */
	if (json_is_string(v))
		return num_parse_0x(json_string_value(v), out) < 0 ? -EINVAL : 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	return -EINVAL;
}

void trace_hash_hex(const uint8_t h[32], char out[65])
{
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

int trace_hash_parse(const char *s, uint8_t h[32])
{
	if (!s || strlen(s) != 64)
		return -EINVAL;
	for (unsigned i = 0; i < 32; i++) {
		unsigned v = 0;

		for (unsigned j = 0; j < 2; j++) {
			char c = s[2 * i + j];

			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned)(c - 'a' + 10);
			else
				return -EINVAL;
		}
		h[i] = (uint8_t)v;
	}
	return 0;
}

/* ---- event <-> JSON ------------------------------------------------------ */
static const struct {
	const char *key;
	size_t off_val, off_has;
} exit_u64_fields[] = {
#define U64_FIELD(f) { #f, offsetof(struct trace_exit, f), offsetof(struct trace_exit, has_##f) }
	U64_FIELD(esr), U64_FIELD(far), U64_FIELD(hpfar), U64_FIELD(pc), U64_FIELD(pstate),
#undef U64_FIELD
};

json_t *trace_event_to_json(const struct trace_event *ev)
{
	json_t *o = json_object(), *x = json_object(), *regs = json_object();
	const struct trace_exit *e = &ev->exit;

	json_object_set_new(o, "type", json_string("exit"));
	/* JSON integers are signed 64-bit in jansson: larger seq values go
	 * out as hex strings, which the reader accepts too. */
	json_object_set_new(o, "seq", ev->seq <= (uint64_t)INT64_MAX ?
			    json_integer((json_int_t)ev->seq) : trace_hex(ev->seq));
	json_object_set_new(o, "vcpu", json_integer(ev->vcpu));
	json_object_set_new(x, "ec", trace_hex(e->has_esr ? esr_ec(e->esr) : e->ec));
	for (size_t i = 0; i < HVX_ARRAY_SIZE(exit_u64_fields); i++) {
		const char *base = (const char *)e;

		if (*(const bool *)(base + exit_u64_fields[i].off_has))
			json_object_set_new(x, exit_u64_fields[i].key,
				trace_hex(*(const uint64_t *)(base + exit_u64_fields[i].off_val)));
	}
	if (e->has_insn)
		json_object_set_new(x, "insn", trace_hex(e->insn));
	for (unsigned n = 0; n < TRACE_NREGS; n++) {
		char k[8];

		if (!(e->regs_mask & (UINT32_C(1) << n)))
			continue;
		snprintf(k, sizeof(k), "x%u", n);
		json_object_set_new(regs, k, trace_hex(e->regs[n]));
	}
	json_object_set_new(x, "regs", regs);
	json_object_set_new(o, "exit", x);
	if (ev->n_mmio) {
		json_t *a = json_array();

		for (unsigned i = 0; i < ev->n_mmio && i < TRACE_MAX_MMIO; i++)
			json_array_append_new(a, trace_hex(ev->mmio_data[i]));
		json_object_set_new(o, "mmio_data", a);
	}
	if (ev->n_pages) {
		json_t *a = json_array();

		for (unsigned i = 0; i < ev->n_pages && i < TRACE_MAX_PAGEREFS; i++) {
			char hx[65];

			trace_hash_hex(ev->pages[i].hash, hx);
			json_array_append_new(a, json_pack("{s:o,s:s}", "ipa",
				trace_hex(ev->pages[i].ipa), "sha256", hx));
		}
		json_object_set_new(o, "pages", a);
	}
	if (ev->has_oc)
		json_object_set_new(o, "outcome", emu_outcome_to_json(&ev->oc));
	else if (ev->outcome)
		json_object_set(o, "outcome", ev->outcome);
	if (ev->kvm)
		json_object_set(o, "kvm", ev->kvm);
	return o;
}

static int get_u64_key(const json_t *o, const char *key, bool required,
		       uint64_t *out, bool *present, char *err, size_t errlen)
{
	const json_t *v = json_object_get(o, key);

	if (present)
		*present = v != NULL;
	if (!v) {
		if (required) {
			trace_seterr(err, errlen, "missing \"%s\"", key);
			return -EINVAL;
		}
		return 0;
	}
	if (trace_get_u64(v, out) < 0) {
		trace_seterr(err, errlen, "\"%s\" is not a 0x-hex string or non-negative integer", key);
		return -EINVAL;
	}
	return 0;
}

static int parse_regs(const json_t *regs, struct trace_exit *e, char *err, size_t errlen)
{
	const char *k;
	json_t *v;

	if (!regs)
		return 0;
	if (!json_is_object(regs)) {
		trace_seterr(err, errlen, "\"exit.regs\" is not an object");
		return -EINVAL;
	}
	json_object_foreach((json_t *)regs, k, v) {
		uint64_t n;

		if (k[0] != 'x' || num_parse_u64(k + 1, &n) < 0 || n >= TRACE_NREGS ||
		    (k[1] == '0' && k[2])) {
			trace_seterr(err, errlen, "\"exit.regs\": bad register name \"%.16s\" (x0..x30)", k);
			return -EINVAL;
		}
		if (trace_get_u64(v, &e->regs[n]) < 0) {
			trace_seterr(err, errlen, "\"exit.regs.%s\" is not a 0x-hex string", k);
			return -EINVAL;
		}
		e->regs_mask |= UINT32_C(1) << n;
	}
	return 0;
}

static int parse_exit(const json_t *x, struct trace_exit *e, char *err, size_t errlen)
{
	uint64_t v;
	bool has_ec;

	if (!json_is_object(x)) {
		trace_seterr(err, errlen, "missing or non-object \"exit\"");
		return -EINVAL;
	}
	for (size_t i = 0; i < HVX_ARRAY_SIZE(exit_u64_fields); i++) {
		char *base = (char *)e;
		char key[24];

		snprintf(key, sizeof(key), "%s", exit_u64_fields[i].key);
		if (get_u64_key(x, key, false, (uint64_t *)(base + exit_u64_fields[i].off_val),
				(bool *)(base + exit_u64_fields[i].off_has), err, errlen) < 0)
			return -EINVAL;
	}
	if (e->has_esr && (e->esr >> 56)) {
		trace_seterr(err, errlen, "\"exit.esr\" has RES0 bits 63:56 set");
		return -EINVAL;
	}
	if (get_u64_key(x, "ec", false, &v, &has_ec, err, errlen) < 0)
		return -EINVAL;
	if (has_ec && v > 0x3f) {
		trace_seterr(err, errlen, "\"exit.ec\" above 0x3f");
		return -EINVAL;
	}
	if (!has_ec && !e->has_esr) {
		trace_seterr(err, errlen, "\"exit\" needs \"esr\" or \"ec\"");
		return -EINVAL;
	}
	e->ec = e->has_esr ? esr_ec(e->esr) : (unsigned)v;
	if (has_ec && e->has_esr && v != e->ec) {
		trace_seterr(err, errlen, "\"exit.ec\" 0x%llx disagrees with esr[31:26] 0x%x",
		       (unsigned long long)v, e->ec);
		return -EINVAL;
	}
	if (get_u64_key(x, "insn", false, &v, &e->has_insn, err, errlen) < 0)
		return -EINVAL;
	if (e->has_insn && v > UINT32_MAX) {
		trace_seterr(err, errlen, "\"exit.insn\" wider than 32 bits");
		return -EINVAL;
	}
	e->insn = (uint32_t)v;
	return parse_regs(json_object_get(x, "regs"), e, err, errlen);
}

static int mmio_elem(const json_t *v, size_t i, struct trace_event *ev, char *err, size_t errlen)
{
	if (trace_get_u64(v, &ev->mmio_data[i]) == 0)
		return 0;
	trace_seterr(err, errlen, "\"mmio_data[%zu]\" is not a 0x-hex string", i);
	return -EINVAL;
}

static int page_elem(const json_t *v, size_t i, struct trace_event *ev, char *err, size_t errlen)
{
	struct trace_page_ref *p = &ev->pages[i];

	if (!json_is_object(v) ||
	    get_u64_key(v, "ipa", true, &p->ipa, NULL, err, errlen) < 0 ||
	    trace_hash_parse(json_string_value(json_object_get(v, "sha256")), p->hash) < 0) {
		trace_seterr(err, errlen, "\"pages[%zu]\" needs \"ipa\" and a 64-digit \"sha256\"", i);
		return -EINVAL;
	}
	if (p->ipa & (TRACE_PAGE_SIZE - 1)) {
		trace_seterr(err, errlen, "\"pages[%zu].ipa\" is not 4 KiB aligned", i);
		return -EINVAL;
	}
	return 0;
}

/* The optional array o[name] of at most max elements ("what"), each read
 * by one(); *n is its length once every element has been read. */
static int parse_list(const json_t *o, const char *name, const char *what, size_t max,
		      int (*one)(const json_t *, size_t, struct trace_event *, char *, size_t),
		      unsigned *n, struct trace_event *ev, char *err, size_t errlen)
{
	const json_t *a = json_object_get(o, name);
	size_t i;
	json_t *v;

	if (!a)
		return 0;
	if (!json_is_array(a) || json_array_size(a) > max) {
		trace_seterr(err, errlen, "\"%s\" is not an array of at most %zu %s", name, max, what);
		return -EINVAL;
	}
	json_array_foreach(a, i, v)
		if (one(v, i, ev, err, errlen) < 0)
			return -EINVAL;
	*n = (unsigned)json_array_size(a);
	return 0;
}

int trace_event_from_json(const json_t *o, struct trace_event *ev, char *err, size_t errlen)
{
	uint64_t v;
	const json_t *j;

	memset(ev, 0, sizeof(*ev));
	if (get_u64_key(o, "seq", true, &ev->seq, NULL, err, errlen) < 0)
		return -EINVAL;
	if (get_u64_key(o, "vcpu", true, &v, NULL, err, errlen) < 0)
		return -EINVAL;
	if (v >= 4096) {
		trace_seterr(err, errlen, "\"vcpu\" %llu out of range (0..4095)", (unsigned long long)v);
		return -EINVAL;
	}
	ev->vcpu = (unsigned)v;
	if (parse_exit(json_object_get(o, "exit"), &ev->exit, err, errlen) < 0 ||
	    parse_list(o, "mmio_data", "values", TRACE_MAX_MMIO, mmio_elem, &ev->n_mmio,
		       ev, err, errlen) < 0 ||
	    parse_list(o, "pages", "references", TRACE_MAX_PAGEREFS, page_elem, &ev->n_pages,
		       ev, err, errlen) < 0)
		return -EINVAL;
	j = json_object_get(o, "outcome");
	if (j && !json_is_object(j) && !json_is_null(j)) {
		trace_seterr(err, errlen, "\"outcome\" is not an object");
		return -EINVAL;
	}
	ev->outcome = json_is_object(j) ? (json_t *)j : NULL;
	j = json_object_get(o, "kvm");
	if (j && !json_is_object(j)) {
		trace_seterr(err, errlen, "\"kvm\" is not an object");
		return -EINVAL;
	}
	ev->kvm = (json_t *)j;
	return 0;
}
