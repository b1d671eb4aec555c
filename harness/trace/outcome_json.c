/* JSON <-> exit engine outcome and exit input (see outcome_json.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/outcome_json.h"

static json_t *hex(uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	return json_string(b);
}

/* Writes a message into buf[n] when there is one. */
static void say(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (buf && n) {
		va_start(ap, fmt);
		vsnprintf(buf, n, fmt, ap);
		va_end(ap);
	}
}
/* A parse error: the message, and -EINVAL. */
#define seterr(err, errlen, ...) (say(err, errlen, __VA_ARGS__), -EINVAL)
/* A difference: the message, and false. */
#define differ(diff, n, ...) (say(diff, n, __VA_ARGS__), false)

/* A number given as "0x.." / decimal string or a non-negative integer. */
static int get_u64(const json_t *j, uint64_t *out)
{
	if (json_is_integer(j)) {
		json_int_t v = json_integer_value(j);
		if (v < 0)
			return -EINVAL;
		*out = (uint64_t)v;
		return 0;
	}
	if (!json_is_string(j))
		return -EINVAL;
	const char *s = json_string_value(j);
	char *end;
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	}
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

static int field_u64(const json_t *obj, const char *key, bool required,
		     uint64_t *out, bool *present, char *err, size_t errlen)
{
	const json_t *j = json_object_get(obj, key);

	if (present)
		*present = j != NULL;
	if (!j)
		return required ? seterr(err, errlen, "missing field \"%s\"", key) : 0;
	if (get_u64(j, out))
		return seterr(err, errlen, "field \"%s\" is not a non-negative number", key);
	return 0;
}

/* "x0".."x30" -> 0..30, "sp" -> 31; -1 otherwise. */
static int reg_index(const char *s)
{
	if (!strcmp(s, "sp"))
		return EMU_REG_SP;
	if (s[0] != 'x' || !s[1] || strlen(s) > 3)
		return -1;
	int n = 0;
	for (const char *p = s + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (*p - '0');
	}
	if ((s[1] == '0' && s[2]) || n > 30)
		return -1;
	return n;
}

/* {"keys[0]": "0x..", ...}, n members; NULL when out of memory. */
static json_t *hex_object(const char *const *keys, const uint64_t *vals, size_t n)
{
	json_t *x = json_object();

	for (size_t i = 0; x && i < n; i++)
		json_object_set_new(x, keys[i], hex(vals[i]));
	return x;
}

static void reg_name(unsigned r, char *b, size_t n)
{
	if (r == EMU_REG_SP)
		snprintf(b, n, "sp");
	else
		snprintf(b, n, "x%u", r);
}

json_t *emu_outcome_to_json(const struct emu_outcome *o)
{
	json_t *j = json_object(), *acc = json_array(), *wr = json_object(),
	       *fi = json_array();
	const char *an = emu_action_name(o->action);

	if (!j || !acc || !wr || !fi)
		goto fail;
	json_object_set_new(j, "action", json_string(an ? an : "unhandled"));
	json_object_set_new(j, "vcpu", json_integer(o->vcpu));
	for (unsigned i = 0; i < o->n_accesses && i < EMU_MAX_ACCESSES; i++) {
		const struct emu_access *a = &o->accesses[i];
		json_t *x = json_object();
		if (!x)
			goto fail;
		json_object_set_new(x, "ipa", hex(a->ipa));
		json_object_set_new(x, "len", json_integer(a->len));
		json_object_set_new(x, "write", json_boolean(a->write));
		json_object_set_new(x, "data", hex(a->data));
		json_object_set_new(x, "pending", json_boolean(a->pending));
		json_array_append_new(acc, x);
	}
	json_object_set_new(j, "accesses", acc);
	acc = NULL;
	for (unsigned i = 0; i < o->n_writes && i < EMU_MAX_WRITES; i++) {
		char n[8];
		reg_name(o->writes[i].reg, n, sizeof(n));
		json_object_set_new(wr, n, hex(o->writes[i].val));
	}
	json_object_set_new(j, "writes", wr);
	wr = NULL;
	json_object_set_new(j, "pc", hex(o->pc));
	if (o->has_inject) {
		static const char *const k[] = { "esr_el1", "far_el1", "elr_el1", "spsr_el1", "vector" };
		const uint64_t v[] = { o->inject.esr_el1, o->inject.far_el1, o->inject.elr_el1,
				       o->inject.spsr_el1, o->inject.vector };
		json_t *x = hex_object(k, v, HVX_ARRAY_SIZE(k));

		if (!x)
			goto fail;
		json_object_set_new(j, "inject", x);
	} else {
		json_object_set_new(j, "inject", json_null());
	}
	if (o->action == EMU_ACT_CPU_ON) {
		static const char *const k[] = { "target", "entry", "context" };
		const uint64_t v[] = { o->target_mpidr, o->entry, o->context_id };
		json_t *x = hex_object(k, v, HVX_ARRAY_SIZE(k));

		if (!x)
			goto fail;
		json_object_set_new(j, "cpu_on", x);
	}
	for (unsigned i = 0; i < o->n_findings && i < EMU_MAX_FINDINGS; i++) {
		json_t *x = json_object();
		if (!x)
			goto fail;
		json_object_set_new(x, "kind", json_string(o->findings[i].kind));
		json_object_set_new(x, "detail", json_string(o->findings[i].detail));
		json_array_append_new(fi, x);
	}
	json_object_set_new(j, "findings", fi);
	return j;
fail:
	json_decref(j);
	json_decref(acc);
	json_decref(wr);
	json_decref(fi);
	return NULL;
}

static void copy_str(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

int emu_outcome_from_json(const json_t *j, struct emu_outcome *o, char *err,
			  size_t errlen)
{
	uint64_t v;
	const json_t *x;

	memset(o, 0, sizeof(*o));
	if (!json_is_object(j))
		return seterr(err, errlen, "outcome is not a JSON object");
	x = json_object_get(j, "action");
	if (!json_is_string(x) || emu_action_parse(json_string_value(x), &o->action))
		return seterr(err, errlen, "field \"action\" missing or not a known action");
	x = json_object_get(j, "vcpu");
	if (x) {
		if (get_u64(x, &v) || v >= EMU_MAX_VCPUS)
			return seterr(err, errlen, "field \"vcpu\" out of range");
		o->vcpu = (unsigned)v;
	}
	if (field_u64(j, "pc", true, &o->pc, NULL, err, errlen))
		return -EINVAL;
	x = json_object_get(j, "accesses");
	if (x && !json_is_array(x))
		return seterr(err, errlen, "field \"accesses\" is not an array");
	if (json_array_size(x) > EMU_MAX_ACCESSES)
		return seterr(err, errlen, "more than %d accesses", EMU_MAX_ACCESSES);
	for (size_t i = 0; i < json_array_size(x); i++) {
		const json_t *a = json_array_get(x, i);
		struct emu_access *d = &o->accesses[i];
		uint64_t len;
		if (!json_is_object(a))
			return seterr(err, errlen, "access %zu is not an object", i);
		if (field_u64(a, "ipa", true, &d->ipa, NULL, err, errlen) ||
		    field_u64(a, "len", true, &len, NULL, err, errlen) ||
		    field_u64(a, "data", false, &d->data, NULL, err, errlen))
			return -EINVAL;
		if (len < 1 || len > 8)
			return seterr(err, errlen, "access %zu: len %" PRIu64 " not in 1..8", i, len);
		d->len = (unsigned)len;
		const json_t *w = json_object_get(a, "write");
		if (!json_is_boolean(w))
			return seterr(err, errlen, "access %zu: \"write\" is not a boolean", i);
		d->write = json_is_true(w);
		const json_t *p = json_object_get(a, "pending");
		if (p && !json_is_boolean(p))
			return seterr(err, errlen, "access %zu: \"pending\" is not a boolean", i);
		d->pending = json_is_true(p);
		o->n_accesses++;
	}
	x = json_object_get(j, "writes");
	if (x && !json_is_object(x))
		return seterr(err, errlen, "field \"writes\" is not an object");
	if (json_object_size(x) > EMU_MAX_WRITES)
		return seterr(err, errlen, "more than %d register writes", EMU_MAX_WRITES);
	{
		const char *key;
		json_t *val;
		json_object_foreach((json_t *)x, key, val) {
			int r = reg_index(key);
			if (r < 0)
				return seterr(err, errlen, "writes: \"%s\" is not x0..x30 or sp", key);
			if (get_u64(val, &v))
				return seterr(err, errlen, "writes: \"%s\" is not a number", key);
			o->writes[o->n_writes].reg = (uint8_t)r;
			o->writes[o->n_writes].val = v;
			o->n_writes++;
		}
	}
	x = json_object_get(j, "inject");
	if (x && !json_is_null(x)) {
		if (!json_is_object(x))
			return seterr(err, errlen, "field \"inject\" is not an object or null");
		if (field_u64(x, "esr_el1", true, &o->inject.esr_el1, NULL, err, errlen) ||
		    field_u64(x, "far_el1", false, &o->inject.far_el1, NULL, err, errlen) ||
		    field_u64(x, "elr_el1", false, &o->inject.elr_el1, NULL, err, errlen) ||
		    field_u64(x, "spsr_el1", false, &o->inject.spsr_el1, NULL, err, errlen) ||
		    field_u64(x, "vector", true, &o->inject.vector, NULL, err, errlen))
			return -EINVAL;
		o->has_inject = true;
	}
	x = json_object_get(j, "cpu_on");
	if (x) {
		if (!json_is_object(x))
			return seterr(err, errlen, "field \"cpu_on\" is not an object");
		if (field_u64(x, "target", true, &o->target_mpidr, NULL, err, errlen) ||
		    field_u64(x, "entry", true, &o->entry, NULL, err, errlen) ||
		    field_u64(x, "context", false, &o->context_id, NULL, err, errlen))
			return -EINVAL;
	}
	x = json_object_get(j, "findings");
	if (x && !json_is_array(x))
		return seterr(err, errlen, "field \"findings\" is not an array");
	for (size_t i = 0; i < json_array_size(x) && o->n_findings < EMU_MAX_FINDINGS; i++) {
		const json_t *f = json_array_get(x, i);
		struct emu_finding *d = &o->findings[o->n_findings];
		if (json_is_string(f)) {
			copy_str(d->kind, sizeof(d->kind), json_string_value(f));
		} else if (json_is_object(f)) {
			copy_str(d->kind, sizeof(d->kind),
				 json_string_value(json_object_get(f, "kind")));
			copy_str(d->detail, sizeof(d->detail),
				 json_string_value(json_object_get(f, "detail")));
		} else {
			return seterr(err, errlen, "finding %zu is not an object", i);
		}
		o->n_findings++;
	}
	return 0;
}

json_t *emu_exit_to_json(const struct emu_exit *e)
{
	static const char *const k[] = { "esr", "far", "hpfar" };
	const uint64_t v[] = { e->esr, e->far, e->hpfar };
	json_t *j = hex_object(k, v, HVX_ARRAY_SIZE(k));

	if (!j)
		return NULL;
	if (e->has_insn)
		json_object_set_new(j, "insn", hex(e->insn));
	if (e->has_pc)
		json_object_set_new(j, "pc", hex(e->pc));
	if (e->regs_mask) {
		json_t *r = json_object();
		for (unsigned i = 0; r && i < 31; i++) {
			char n[8];
			if (!(e->regs_mask & (UINT32_C(1) << i)))
				continue;
			reg_name(i, n, sizeof(n));
			json_object_set_new(r, n, hex(e->regs[i]));
		}
		json_object_set_new(j, "regs", r);
	}
	if (e->n_mmio_data) {
		json_t *a = json_array();
		for (unsigned i = 0; a && i < e->n_mmio_data && i < EMU_MAX_MMIO_DATA; i++)
			json_array_append_new(a, hex(e->mmio_data[i]));
		json_object_set_new(j, "mmio_data", a);
	}
	return j;
}

int emu_exit_from_json(const json_t *j, struct emu_exit *e, char *err, size_t errlen)
{
	uint64_t v;
	bool has;
	const json_t *x;

	memset(e, 0, sizeof(*e));
	if (!json_is_object(j))
		return seterr(err, errlen, "exit is not a JSON object");
	if (field_u64(j, "esr", true, &e->esr, NULL, err, errlen) ||
	    field_u64(j, "far", false, &e->far, NULL, err, errlen) ||
	    field_u64(j, "hpfar", false, &e->hpfar, NULL, err, errlen) ||
	    field_u64(j, "pc", false, &e->pc, &e->has_pc, err, errlen) ||
	    field_u64(j, "insn", false, &v, &has, err, errlen))
		return -EINVAL;
	if (has) {
		if (v > UINT32_MAX)
			return seterr(err, errlen, "field \"insn\" wider than 32 bits");
		e->has_insn = true;
		e->insn = (uint32_t)v;
	}
	x = json_object_get(j, "regs");
	if (x) {
		const char *key;
		json_t *val;
		if (!json_is_object(x))
			return seterr(err, errlen, "field \"regs\" is not an object");
		json_object_foreach((json_t *)x, key, val) {
			int r = reg_index(key);
			if (r < 0 || r > 30)
				return seterr(err, errlen, "regs: \"%s\" is not x0..x30", key);
			if (get_u64(val, &v))
				return seterr(err, errlen, "regs: \"%s\" is not a number", key);
			e->regs[r] = v;
			e->regs_mask |= UINT32_C(1) << r;
		}
	}
	x = json_object_get(j, "mmio_data");
	if (x) {
		if (!json_is_array(x))
			return seterr(err, errlen, "field \"mmio_data\" is not an array");
		if (json_array_size(x) > EMU_MAX_MMIO_DATA)
			return seterr(err, errlen, "more than %d mmio_data values", EMU_MAX_MMIO_DATA);
		for (size_t i = 0; i < json_array_size(x); i++) {
			if (get_u64(json_array_get(x, i), &e->mmio_data[i]))
				return seterr(err, errlen, "mmio_data[%zu] is not a number", i);
			e->n_mmio_data++;
		}
	}
	return 0;
}


static uint64_t find_write(const struct emu_outcome *o, unsigned reg, bool *found)
{
	for (unsigned i = 0; i < o->n_writes; i++)
		if (o->writes[i].reg == reg) {
			*found = true;
			return o->writes[i].val;
		}
	*found = false;
	return 0;
}

bool emu_outcome_equal(const struct emu_outcome *a, const struct emu_outcome *b,
		       char *diff, size_t n)
{
	if (a->action != b->action)
		return differ(diff, n, "action %s != %s", emu_action_name(a->action),
			      emu_action_name(b->action));
	if (a->pc != b->pc)
		return differ(diff, n, "pc 0x%" PRIx64 " != 0x%" PRIx64, a->pc, b->pc);
	if (a->n_accesses != b->n_accesses)
		return differ(diff, n, "%u accesses != %u", a->n_accesses, b->n_accesses);
	for (unsigned i = 0; i < a->n_accesses; i++) {
		const struct emu_access *x = &a->accesses[i], *y = &b->accesses[i];
		if (x->ipa != y->ipa || x->len != y->len || x->write != y->write ||
		    x->data != y->data || x->pending != y->pending)
			return differ(diff, n, "access %u differs (ipa 0x%" PRIx64 "/0x%" PRIx64
				      " data 0x%" PRIx64 "/0x%" PRIx64 ")", i, x->ipa, y->ipa,
				      x->data, y->data);
	}
	if (a->n_writes != b->n_writes)
		return differ(diff, n, "%u register writes != %u", a->n_writes, b->n_writes);
	for (unsigned i = 0; i < a->n_writes; i++) {
		bool f;
		uint64_t v = find_write(b, a->writes[i].reg, &f);
		if (!f || v != a->writes[i].val)
			return differ(diff, n, "register %u: 0x%" PRIx64 " vs %s0x%" PRIx64,
				      a->writes[i].reg, a->writes[i].val, f ? "" : "(none) ", v);
	}
	if (a->has_inject != b->has_inject)
		return differ(diff, n, "inject present %d != %d", a->has_inject, b->has_inject);
	if (a->has_inject && memcmp(&a->inject, &b->inject, sizeof(a->inject)))
		return differ(diff, n, "inject differs: esr_el1 0x%" PRIx64 "/0x%" PRIx64
			      " vector 0x%" PRIx64 "/0x%" PRIx64, a->inject.esr_el1,
			      b->inject.esr_el1, a->inject.vector, b->inject.vector);
	if (a->action == EMU_ACT_CPU_ON &&
	    (a->target_mpidr != b->target_mpidr || a->entry != b->entry ||
	     a->context_id != b->context_id))
		return differ(diff, n, "cpu_on arguments differ");
	if (a->n_findings != b->n_findings)
		return differ(diff, n, "%u findings != %u", a->n_findings, b->n_findings);
	for (unsigned i = 0; i < a->n_findings; i++)
		if (strcmp(a->findings[i].kind, b->findings[i].kind))
			return differ(diff, n, "finding %u: %s != %s", i, a->findings[i].kind,
				      b->findings[i].kind);
	return true;
}
