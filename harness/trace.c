/*
 * Streaming reader and writer for hvexit traces (JSON Lines; see
 * docs/trace-format.md and include/hvexit/trace.h). Every line is parsed on
 * its own with jansson; nothing but the current line and the distinct
 * guest pages is held in memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>

#include "harness/cli.h"
#include "hvexit/esr.h"
#include "hvexit/trace.h"

/* ---- SHA-256 (FIPS 180-4, section 6.2) ---------------------------------- */
static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror32(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], v[8];

	for (unsigned i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (unsigned i = 16; i < 64; i++) {
		uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, h, sizeof(v));
	for (unsigned i = 0; i < 64; i++) {
		uint32_t S1 = ror32(v[4], 6) ^ ror32(v[4], 11) ^ ror32(v[4], 25);
		uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint32_t t1 = v[7] + S1 + ch + sha_k[i] + w[i];
		uint32_t S0 = ror32(v[0], 2) ^ ror32(v[0], 13) ^ ror32(v[0], 22);
		uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + S0 + maj;
	}
	for (unsigned i = 0; i < 8; i++)
		h[i] += v[i];
}

void trace_sha256(const void *data, size_t len, uint8_t out[32])
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	const uint8_t *p = data;
	uint8_t tail[128];
	size_t full = len & ~(size_t)63, rest = len - full, tl;
	uint64_t bits = (uint64_t)len * 8;

	for (size_t i = 0; i < full; i += 64)
		sha_block(h, p + i);
	memset(tail, 0, sizeof(tail));
	if (rest)
		memcpy(tail, p + full, rest);
	tail[rest] = 0x80;
	tl = rest + 1 + 8 <= 64 ? 64 : 128;
	for (unsigned i = 0; i < 8; i++)
		tail[tl - 1 - i] = (uint8_t)(bits >> (8 * i));
	for (size_t i = 0; i < tl; i += 64)
		sha_block(h, tail + i);
	for (unsigned i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(h[i] >> 8);
		out[4 * i + 3] = (uint8_t)h[i];
	}
}

/* ---- base64 (RFC 4648, section 4) --------------------------------------- */
static const char b64_alpha[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_encode(const uint8_t *in, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t k = n - i;

		if (k > 1)
			v |= (uint32_t)in[i + 1] << 8;
		if (k > 2)
			v |= in[i + 2];
		out[o++] = b64_alpha[(v >> 18) & 63];
		out[o++] = b64_alpha[(v >> 12) & 63];
		out[o++] = k > 1 ? b64_alpha[(v >> 6) & 63] : '=';
		out[o++] = k > 2 ? b64_alpha[v & 63] : '=';
	}
	out[o] = 0;
}

static int b64_val(char c)
{
	const char *p = c ? strchr(b64_alpha, c) : NULL;

	return p ? (int)(p - b64_alpha) : -1;
}

/* Decode exactly `want` bytes; -EINVAL on any other length or bad char. */
static int b64_decode(const char *s, size_t slen, uint8_t *out, size_t want)
{
	size_t o = 0;

	if (slen % 4)
		return -EINVAL;
	for (size_t i = 0; i < slen; i += 4) {
		int v[4];
		unsigned pad = 0;

		for (unsigned j = 0; j < 4; j++) {
			if (s[i + j] == '=' && i + 4 == slen && j >= 2) {
				v[j] = 0;
				pad++;
				continue;
			}
			if (pad)
				return -EINVAL;
			v[j] = b64_val(s[i + j]);
			if (v[j] < 0)
				return -EINVAL;
		}
		uint32_t x = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
			     (uint32_t)v[2] << 6 | (uint32_t)v[3];
		uint8_t b[3] = { (uint8_t)(x >> 16), (uint8_t)(x >> 8), (uint8_t)x };
		for (unsigned j = 0; j < 3 - pad; j++) {
			if (o >= want)
				return -EINVAL;
			out[o++] = b[j];
		}
	}
	return o == want ? 0 : -EINVAL;
}

/* ---- small JSON helpers -------------------------------------------------- */
json_t *trace_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_string(buf);
}

int trace_get_u64(const json_t *v, uint64_t *out)
{
	if (json_is_string(v))
		return cli_parse_u64(json_string_value(v), out) < 0 ? -EINVAL : 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	return -EINVAL;
}

static void hash_hex(const uint8_t h[32], char out[65])
{
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static int hash_parse(const char *s, uint8_t h[32])
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

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- event <-> JSON ------------------------------------------------------ */
static const struct {
	const char *key;
	size_t off_val, off_has;
} exit_u64_fields[] = {
	{ "esr",    offsetof(struct trace_exit, esr),    offsetof(struct trace_exit, has_esr) },
	{ "far",    offsetof(struct trace_exit, far),    offsetof(struct trace_exit, has_far) },
	{ "hpfar",  offsetof(struct trace_exit, hpfar),  offsetof(struct trace_exit, has_hpfar) },
	{ "pc",     offsetof(struct trace_exit, pc),     offsetof(struct trace_exit, has_pc) },
	{ "pstate", offsetof(struct trace_exit, pstate), offsetof(struct trace_exit, has_pstate) },
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

			hash_hex(ev->pages[i].hash, hx);
			json_array_append_new(a, json_pack("{s:o,s:s}", "ipa",
				trace_hex(ev->pages[i].ipa), "sha256", hx));
		}
		json_object_set_new(o, "pages", a);
	}
	if (ev->outcome)
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
			seterr(err, errlen, "missing \"%s\"", key);
			return -EINVAL;
		}
		return 0;
	}
	if (trace_get_u64(v, out) < 0) {
		seterr(err, errlen, "\"%s\" is not a 0x-hex string or non-negative integer", key);
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
		seterr(err, errlen, "\"exit.regs\" is not an object");
		return -EINVAL;
	}
	json_object_foreach((json_t *)regs, k, v) {
		uint64_t n;

		if (k[0] != 'x' || cli_parse_u64(k + 1, &n) < 0 || n >= TRACE_NREGS ||
		    (k[1] == '0' && k[2])) {
			seterr(err, errlen, "\"exit.regs\": bad register name \"%.16s\" (x0..x30)", k);
			return -EINVAL;
		}
		if (trace_get_u64(v, &e->regs[n]) < 0) {
			seterr(err, errlen, "\"exit.regs.%s\" is not a 0x-hex string", k);
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
		seterr(err, errlen, "missing or non-object \"exit\"");
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
		seterr(err, errlen, "\"exit.esr\" has RES0 bits 63:56 set");
		return -EINVAL;
	}
	if (get_u64_key(x, "ec", false, &v, &has_ec, err, errlen) < 0)
		return -EINVAL;
	if (has_ec && v > 0x3f) {
		seterr(err, errlen, "\"exit.ec\" above 0x3f");
		return -EINVAL;
	}
	if (!has_ec && !e->has_esr) {
		seterr(err, errlen, "\"exit\" needs \"esr\" or \"ec\"");
		return -EINVAL;
	}
	e->ec = e->has_esr ? esr_ec(e->esr) : (unsigned)v;
	if (has_ec && e->has_esr && v != e->ec) {
		seterr(err, errlen, "\"exit.ec\" 0x%llx disagrees with esr[31:26] 0x%x",
		       (unsigned long long)v, e->ec);
		return -EINVAL;
	}
	if (get_u64_key(x, "insn", false, &v, &e->has_insn, err, errlen) < 0)
		return -EINVAL;
	if (e->has_insn && v > UINT32_MAX) {
		seterr(err, errlen, "\"exit.insn\" wider than 32 bits");
		return -EINVAL;
	}
	e->insn = (uint32_t)v;
	return parse_regs(json_object_get(x, "regs"), e, err, errlen);
}

static int parse_mmio(const json_t *a, struct trace_event *ev, char *err, size_t errlen)
{
	size_t i;
	json_t *v;

	if (!a)
		return 0;
	if (!json_is_array(a) || json_array_size(a) > TRACE_MAX_MMIO) {
		seterr(err, errlen, "\"mmio_data\" is not an array of at most %u values",
		       TRACE_MAX_MMIO);
		return -EINVAL;
	}
	json_array_foreach(a, i, v) {
		if (trace_get_u64(v, &ev->mmio_data[i]) < 0) {
			seterr(err, errlen, "\"mmio_data[%zu]\" is not a 0x-hex string", i);
			return -EINVAL;
		}
	}
	ev->n_mmio = (unsigned)json_array_size(a);
	return 0;
}

static int parse_pagerefs(const json_t *a, struct trace_event *ev, char *err, size_t errlen)
{
	size_t i;
	json_t *v;

	if (!a)
		return 0;
	if (!json_is_array(a) || json_array_size(a) > TRACE_MAX_PAGEREFS) {
		seterr(err, errlen, "\"pages\" is not an array of at most %u references",
		       TRACE_MAX_PAGEREFS);
		return -EINVAL;
	}
	json_array_foreach(a, i, v) {
		struct trace_page_ref *p = &ev->pages[i];

		if (!json_is_object(v) ||
		    get_u64_key(v, "ipa", true, &p->ipa, NULL, err, errlen) < 0 ||
		    hash_parse(json_string_value(json_object_get(v, "sha256")), p->hash) < 0) {
			seterr(err, errlen, "\"pages[%zu]\" needs \"ipa\" and a 64-digit \"sha256\"", i);
			return -EINVAL;
		}
		if (p->ipa & (TRACE_PAGE_SIZE - 1)) {
			seterr(err, errlen, "\"pages[%zu].ipa\" is not 4 KiB aligned", i);
			return -EINVAL;
		}
	}
	ev->n_pages = (unsigned)json_array_size(a);
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
		seterr(err, errlen, "\"vcpu\" %llu out of range (0..4095)", (unsigned long long)v);
		return -EINVAL;
	}
	ev->vcpu = (unsigned)v;
	if (parse_exit(json_object_get(o, "exit"), &ev->exit, err, errlen) < 0 ||
	    parse_mmio(json_object_get(o, "mmio_data"), ev, err, errlen) < 0 ||
	    parse_pagerefs(json_object_get(o, "pages"), ev, err, errlen) < 0)
		return -EINVAL;
	j = json_object_get(o, "outcome");
	if (j && !json_is_object(j) && !json_is_null(j)) {
		seterr(err, errlen, "\"outcome\" is not an object");
		return -EINVAL;
	}
	ev->outcome = json_is_object(j) ? (json_t *)j : NULL;
	j = json_object_get(o, "kvm");
	if (j && !json_is_object(j)) {
		seterr(err, errlen, "\"kvm\" is not an object");
		return -EINVAL;
	}
	ev->kvm = (json_t *)j;
	return 0;
}

/* ---- reader -------------------------------------------------------------- */
struct page_slot {
	uint8_t hash[32];
	uint8_t *data;
};

struct trace_reader {
	char name[256];
	FILE *f;		/* NULL for a memory reader */
	const char *mem;
	size_t mem_len, mem_pos;
	char *buf;
	size_t cap;
	uint64_t line;
	bool truncated, eof;
	json_t *header;
	json_t *cur;		/* the current event line */
	char err[1024];
	struct page_slot *pages;	/* open addressing, cap npages_cap */
	size_t npages, pages_cap;
	bool bin;		/* binary variant (line = record number) */
	unsigned vcpus;		/* header "vcpus" */
	char *otext;		/* binary: current outcome JSON text */
	json_t *ocur;		/* binary: the parsed outcome of the current event */
};

/* The next line without its newline: 1 with *len and *nl (had '\n'),
 * 0 at the end, -E2BIG when longer than TRACE_MAX_LINE, -EIO. */
static int read_line(struct trace_reader *r, const char **line, size_t *len, bool *nl)
{
	if (r->f) {
		size_t n = 0;
		int c;

		while ((c = getc(r->f)) != EOF) {
			if (c == '\n')
				break;
			if (n + 1 >= r->cap) {
				size_t nc = r->cap ? r->cap * 2 : 4096;
				char *nb;

				if (nc > TRACE_MAX_LINE + 2)
					return -E2BIG;
				nb = realloc(r->buf, nc);
				if (!nb)
					return -ENOMEM;
				r->buf = nb;
				r->cap = nc;
			}
			r->buf[n++] = (char)c;
		}
		if (ferror(r->f))
			return -EIO;
		if (c == EOF && n == 0)
			return 0;
		*line = r->buf;
		*len = n;
		*nl = c == '\n';
		return 1;
	}
	if (r->mem_pos >= r->mem_len)
		return 0;
	const char *s = r->mem + r->mem_pos;
	size_t left = r->mem_len - r->mem_pos;
	const char *e = memchr(s, '\n', left);
	size_t n = e ? (size_t)(e - s) : left;

	if (n > TRACE_MAX_LINE)
		return -E2BIG;
	r->mem_pos += n + (e ? 1 : 0);
	*line = s;
	*len = n;
	*nl = e != NULL;
	return 1;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* Parse the next non-blank line into an object: 1, 0 at end, <0 error. */
static int next_object(struct trace_reader *r, json_t **out)
{
	for (;;) {
		const char *s;
		size_t n;
		bool nl;
		json_error_t je;
		int rc = read_line(r, &s, &n, &nl);

		if (rc == 0)
			return 0;
		r->line++;
		if (rc < 0) {
			snprintf(r->err, sizeof(r->err), "%s:%llu: %s", r->name,
				 (unsigned long long)r->line,
				 rc == -E2BIG ? "line longer than 1 MiB" : "read error");
			return rc;
		}
		if (blank(s, n))
			continue;
		json_t *o = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
		if (!o || !json_is_object(o)) {
			if (!nl) {
				/* A record cut short by a crash: keep the rest. */
				json_decref(o);
				r->truncated = true;
				snprintf(r->err, sizeof(r->err),
					 "%s:%llu: truncated last line (%zu bytes, no newline) ignored",
					 r->name, (unsigned long long)r->line, n);
				return 0;
			}
			if (o)
				snprintf(r->err, sizeof(r->err), "%s:%llu: not a JSON object",
					 r->name, (unsigned long long)r->line);
			else
				snprintf(r->err, sizeof(r->err), "%s:%llu:%d: malformed JSON: %s",
					 r->name, (unsigned long long)r->line, je.column, je.text);
			json_decref(o);
			return -EINVAL;
		}
		*out = o;
		return 1;
	}
}

static int bin_read_header(struct trace_reader *r, json_t **out);

static int check_header(struct trace_reader *r)
{
	json_t *h = NULL;
	int rc = r->bin ? bin_read_header(r, &h) : next_object(r, &h);
	uint64_t v;
	const char *src;

	if (rc <= 0) {
		if (rc == 0)
			snprintf(r->err, sizeof(r->err), "%s: empty trace (no header %s)%s",
				 r->name, r->bin ? "record" : "line",
				 r->truncated ? ", header truncated" : "");
		return -EINVAL;
	}
	r->header = h;
	if (trace_get_u64(json_object_get(h, "hvexit_trace"), &v) < 0) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: not an hvexit trace (no \"hvexit_trace\" version in the header)",
			 r->name, (unsigned long long)r->line);
		return -EINVAL;
	}
	if (v != TRACE_FORMAT_VERSION) {
		snprintf(r->err, sizeof(r->err), "%s: trace format version %llu not supported (this build reads %d)",
			 r->name, (unsigned long long)v, TRACE_FORMAT_VERSION);
		return -EINVAL;
	}
	src = json_string_value(json_object_get(h, "source"));
	if (!src || (strcmp(src, "emu") && strcmp(src, "kvm") && strcmp(src, "ftrace"))) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: header \"source\" must be emu, kvm or ftrace",
			 r->name, (unsigned long long)r->line);
		return -EINVAL;
	}
	if (trace_get_u64(json_object_get(h, "vcpus"), &v) < 0 || v < 1 || v > 4096) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: header \"vcpus\" must be 1..4096",
			 r->name, (unsigned long long)r->line);
		return -EINVAL;
	}
	r->vcpus = (unsigned)v;
	return 0;
}

static const char bin_magic[TRACE_BIN_MAGIC_LEN] = TRACE_BIN_MAGIC;

/* Consume the binary magic if the input starts with it. A FILE that is
 * not binary is rewound (files and stdin pipes both allow one ungetc, so
 * only the first byte is peeked; a '{' can never start the magic). */
static void detect_binary(struct trace_reader *r)
{
	if (r->f) {
		int c = getc(r->f);
		char m[TRACE_BIN_MAGIC_LEN];

		if (c == EOF)
			return;
		if (c != bin_magic[0]) {
			ungetc(c, r->f);
			return;
		}
		m[0] = (char)c;
		if (fread(m + 1, 1, sizeof(m) - 1, r->f) == sizeof(m) - 1 &&
		    !memcmp(m, bin_magic, sizeof(m))) {
			r->bin = true;
			return;
		}
		r->bin = true;	/* starts like the magic but is not: fail as binary */
		r->truncated = false;
		r->eof = true;
		return;
	}
	if (r->mem_len >= sizeof(bin_magic) && !memcmp(r->mem, bin_magic, sizeof(bin_magic))) {
		r->bin = true;
		r->mem_pos = sizeof(bin_magic);
	}
}

static struct trace_reader *reader_new(const char *name)
{
	struct trace_reader *r = calloc(1, sizeof(*r));

	if (r)
		snprintf(r->name, sizeof(r->name), "%s", name);
	return r;
}

int trace_reader_open(const char *path, struct trace_reader **out, char *err, size_t errlen)
{
	struct trace_reader *r = reader_new(path);

	if (!r)
		return -ENOMEM;
	r->f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!r->f) {
		int e = errno;

		seterr(err, errlen, "%s: %s", path, strerror(e));
		free(r);
		return -e;
	}
	detect_binary(r);
	if (check_header(r) < 0) {
		seterr(err, errlen, "%s", r->err);
		trace_reader_close(r);
		return -EINVAL;
	}
	*out = r;
	return 0;
}

int trace_reader_open_mem(const void *data, size_t len, const char *name,
			  struct trace_reader **out, char *err, size_t errlen)
{
	struct trace_reader *r = reader_new(name);

	if (!r)
		return -ENOMEM;
	r->mem = data;
	r->mem_len = len;
	detect_binary(r);
	if (check_header(r) < 0) {
		seterr(err, errlen, "%s", r->err);
		trace_reader_close(r);
		return -EINVAL;
	}
	*out = r;
	return 0;
}

void trace_reader_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->f && r->f != stdin)
		fclose(r->f);
	free(r->buf);
	json_decref(r->header);
	json_decref(r->cur);
	free(r->otext);
	json_decref(r->ocur);
	for (size_t i = 0; i < r->pages_cap; i++)
		free(r->pages[i].data);
	free(r->pages);
	free(r);
}

const json_t *trace_reader_header(const struct trace_reader *r) { return r->header; }
const char *trace_reader_error(const struct trace_reader *r) { return r->err; }
bool trace_reader_truncated(const struct trace_reader *r) { return r->truncated; }
uint64_t trace_reader_line(const struct trace_reader *r) { return r->line; }
const char *trace_reader_name(const struct trace_reader *r) { return r->name; }

const char *trace_reader_source(const struct trace_reader *r)
{
	return json_string_value(json_object_get(r->header, "source"));
}

unsigned trace_reader_vcpus(const struct trace_reader *r)
{
	uint64_t v = 0;

	trace_get_u64(json_object_get(r->header, "vcpus"), &v);
	return (unsigned)v;
}

static size_t page_slot_of(const struct page_slot *tab, size_t cap, const uint8_t h[32])
{
	size_t i;

	memcpy(&i, h, sizeof(i));
	for (i &= cap - 1;; i = (i + 1) & (cap - 1))
		if (!tab[i].data || !memcmp(tab[i].hash, h, 32))
			return i;
}

const uint8_t *trace_reader_page(const struct trace_reader *r, const uint8_t hash[32])
{
	if (!r->pages_cap)
		return NULL;
	return r->pages[page_slot_of(r->pages, r->pages_cap, hash)].data;
}

static int reader_add_page(struct trace_reader *r, const json_t *o)
{
	const char *hs = json_string_value(json_object_get(o, "sha256"));
	const json_t *d = json_object_get(o, "data");
	uint8_t h[32], sum[32], *data;
	size_t slot;

	if (hash_parse(hs, h) < 0 || !json_is_string(d)) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: page record needs a 64-digit \"sha256\" and base64 \"data\"",
			 r->name, (unsigned long long)r->line);
		return -EINVAL;
	}
	data = malloc(TRACE_PAGE_SIZE);
	if (!data)
		return -ENOMEM;
	if (b64_decode(json_string_value(d), json_string_length(d), data, TRACE_PAGE_SIZE) < 0) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: page \"data\" is not base64 of exactly %u bytes",
			 r->name, (unsigned long long)r->line, TRACE_PAGE_SIZE);
		free(data);
		return -EINVAL;
	}
	trace_sha256(data, TRACE_PAGE_SIZE, sum);
	if (memcmp(sum, h, 32)) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: page data does not match its sha256",
			 r->name, (unsigned long long)r->line);
		free(data);
		return -EINVAL;
	}
	if ((r->npages + 1) * 2 > r->pages_cap) {
		size_t nc = r->pages_cap ? r->pages_cap * 2 : 64;
		struct page_slot *nt;

		if (r->npages >= TRACE_MAX_PAGES) {
			snprintf(r->err, sizeof(r->err), "%s:%llu: more than %u distinct pages",
				 r->name, (unsigned long long)r->line, TRACE_MAX_PAGES);
			free(data);
			return -E2BIG;
		}
		nt = calloc(nc, sizeof(*nt));
		if (!nt) {
			free(data);
			return -ENOMEM;
		}
		for (size_t i = 0; i < r->pages_cap; i++)
			if (r->pages[i].data)
				nt[page_slot_of(nt, nc, r->pages[i].hash)] = r->pages[i];
		free(r->pages);
		r->pages = nt;
		r->pages_cap = nc;
	}
	slot = page_slot_of(r->pages, r->pages_cap, h);
	if (r->pages[slot].data) {
		free(data);	/* the same content twice: harmless */
		return 0;
	}
	memcpy(r->pages[slot].hash, h, 32);
	r->pages[slot].data = data;
	r->npages++;
	return 0;
}

static int bin_next(struct trace_reader *r, struct trace_event *ev);
static int next_event(struct trace_reader *r, struct trace_event *ev);

/* Every event's vCPU must be one the header declares (docs: 0..vcpus-1). */
int trace_next(struct trace_reader *r, struct trace_event *ev)
{
	int rc = next_event(r, ev);

	if (rc > 0 && ev->vcpu >= r->vcpus) {
		snprintf(r->err, sizeof(r->err), "%s:%llu: \"vcpu\" %u but the header declares %u vCPUs",
			 r->name, (unsigned long long)ev->line, ev->vcpu, r->vcpus);
		return -EINVAL;
	}
	return rc;
}

static int next_event(struct trace_reader *r, struct trace_event *ev)
{
	json_decref(r->cur);
	r->cur = NULL;
	json_decref(r->ocur);
	r->ocur = NULL;
	if (r->bin)
		return bin_next(r, ev);
	for (;;) {
		json_t *o = NULL;
		const char *type;
		char msg[200];
		int rc = next_object(r, &o);

		if (rc <= 0)
			return rc;
		type = json_string_value(json_object_get(o, "type"));
		if (!type) {
			snprintf(r->err, sizeof(r->err), "%s:%llu: record without a \"type\"",
				 r->name, (unsigned long long)r->line);
			json_decref(o);
			return -EINVAL;
		}
		if (!strcmp(type, "page")) {
			rc = reader_add_page(r, o);
			json_decref(o);
			if (rc < 0)
				return rc;
			continue;
		}
		if (strcmp(type, "exit")) {
			json_decref(o);	/* unknown record types: forward compatible */
			continue;
		}
		if (trace_event_from_json(o, ev, msg, sizeof(msg)) < 0) {
			snprintf(r->err, sizeof(r->err), "%s:%llu: %s", r->name,
				 (unsigned long long)r->line, msg);
			json_decref(o);
			return -EINVAL;
		}
		for (unsigned i = 0; i < ev->n_pages; i++) {
			if (!trace_reader_page(r, ev->pages[i].hash)) {
				snprintf(r->err, sizeof(r->err), "%s:%llu: page reference to a page not written before it",
					 r->name, (unsigned long long)r->line);
				json_decref(o);
				return -EINVAL;
			}
		}
		ev->line = r->line;
		r->cur = o;
		return 1;
	}
}

/* ---- writer -------------------------------------------------------------- */
struct trace_writer {
	FILE *f;
	bool failed, bin;
	struct page_slot *pages;	/* hashes only (data = dummy marker) */
	size_t npages, pages_cap;
};

static int write_json_line(struct trace_writer *w, const json_t *o)
{
	if (json_dumpf(o, w->f, JSON_COMPACT) < 0 || putc('\n', w->f) == EOF ||
	    fflush(w->f) == EOF) {
		w->failed = true;
		return -EIO;
	}
	return 0;
}

json_t *trace_header_new(const char *source, unsigned vcpus)
{
	json_t *h = json_object();
	struct utsname u;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	json_object_set_new(h, "hvexit_trace", json_integer(TRACE_FORMAT_VERSION));
	json_object_set_new(h, "source", json_string(source));
	if (uname(&u) == 0) {
		json_object_set_new(h, "host", json_string(u.nodename));
		char k[200];
		snprintf(k, sizeof(k), "%s %s %s", u.sysname, u.release, u.machine);
		json_object_set_new(h, "kernel", json_string(k));
	}
	json_object_set_new(h, "vcpus", json_integer(vcpus));
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(h, "created", json_string(when));
	return h;
}

static int bin_write_record(struct trace_writer *w, char kind, const void *p, size_t n);

int trace_writer_open(const char *path, const json_t *header,
		      struct trace_writer **out, char *err, size_t errlen)
{
	return trace_writer_open_fmt(path, header, false, out, err, errlen);
}

int trace_writer_open_fmt(const char *path, const json_t *header, bool binary,
			  struct trace_writer **out, char *err, size_t errlen)
{
	struct trace_writer *w = calloc(1, sizeof(*w));
	json_t *h;
	int wrc;

	if (!w)
		return -ENOMEM;
	w->bin = binary;
	w->f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	if (!w->f) {
		int e = errno;

		seterr(err, errlen, "%s: %s", path, strerror(e));
		free(w);
		return -e;
	}
	h = json_deep_copy(header);
	json_object_set_new(h, "hvexit_trace", json_integer(TRACE_FORMAT_VERSION));
	if (binary) {
		char *txt = json_dumps(h, JSON_COMPACT);

		wrc = -EIO;
		if (txt && fwrite(bin_magic, 1, sizeof(bin_magic), w->f) == sizeof(bin_magic))
			wrc = bin_write_record(w, 'H', txt, strlen(txt));
		free(txt);
	} else {
		wrc = write_json_line(w, h);
	}
	if (wrc < 0) {
		seterr(err, errlen, "%s: write failed", path);
		json_decref(h);
		trace_writer_close(w);
		return -EIO;
	}
	json_decref(h);
	*out = w;
	return 0;
}

static int bin_write_event(struct trace_writer *w, const struct trace_event *ev);

int trace_write_event(struct trace_writer *w, const struct trace_event *ev)
{
	if (w->bin)
		return bin_write_event(w, ev);
	json_t *o = trace_event_to_json(ev);
	int rc = write_json_line(w, o);

	json_decref(o);
	return rc;
}

int trace_write_page(struct trace_writer *w, const uint8_t data[TRACE_PAGE_SIZE],
		     uint8_t hash[32])
{
	static uint8_t marker;
	char hx[65], *b64;
	size_t slot;
	int rc;

	trace_sha256(data, TRACE_PAGE_SIZE, hash);
	if ((w->npages + 1) * 2 > w->pages_cap) {
		size_t nc = w->pages_cap ? w->pages_cap * 2 : 64;
		struct page_slot *nt = calloc(nc, sizeof(*nt));

		if (!nt)
			return -ENOMEM;
		for (size_t i = 0; i < w->pages_cap; i++)
			if (w->pages[i].data)
				nt[page_slot_of(nt, nc, w->pages[i].hash)] = w->pages[i];
		free(w->pages);
		w->pages = nt;
		w->pages_cap = nc;
	}
	slot = page_slot_of(w->pages, w->pages_cap, hash);
	if (w->pages[slot].data)
		return 0;
	memcpy(w->pages[slot].hash, hash, 32);
	w->pages[slot].data = &marker;
	w->npages++;
	if (w->bin) {
		uint8_t rec[32 + TRACE_PAGE_SIZE];

		memcpy(rec, hash, 32);
		memcpy(rec + 32, data, TRACE_PAGE_SIZE);
		rc = bin_write_record(w, 'P', rec, sizeof(rec));
		return rc < 0 ? rc : 1;
	}
	b64 = malloc(TRACE_PAGE_SIZE / 3 * 4 + 8);
	if (!b64)
		return -ENOMEM;
	b64_encode(data, TRACE_PAGE_SIZE, b64);
	hash_hex(hash, hx);
	json_t *o = json_pack("{s:s,s:s,s:s}", "type", "page", "sha256", hx, "data", b64);
	rc = write_json_line(w, o);
	json_decref(o);
	free(b64);
	return rc < 0 ? rc : 1;
}

int trace_writer_close(struct trace_writer *w)
{
	int rc;

	if (!w)
		return 0;
	rc = w->failed ? -EIO : 0;
	if (w->f && w->f != stdout) {
		if (fclose(w->f) == EOF)
			rc = -EIO;
	} else if (w->f && fflush(w->f) == EOF) {
		rc = -EIO;
	}
	free(w->pages);
	free(w);
	return rc;
}

/* ---- binary variant ------------------------------------------------------
 * After the 8-byte magic, records: u8 kind ('H' header JSON text, 'P'
 * page: 32-byte SHA-256 + 4096 bytes, 'E' event), u32 little-endian
 * payload length, payload. Event payload, all little-endian:
 *   u64 seq, u32 vcpu, u32 flags, u8 ec, u8 n_mmio, u8 n_pages, u8 0,
 *   u32 regs_mask, then per flag u64 esr, far, hpfar, pc, pstate, u32 insn,
 *   u64 regs[popcount(regs_mask)] (ascending), u64 mmio[n_mmio],
 *   {u64 ipa, u8 sha256[32]} pages[n_pages],
 *   u32 len + outcome JSON text (flag), u32 len + kvm JSON text (flag).
 * docs/trace-format.md, "Binary variant". */
enum {
	BF_ESR = 1u << 0, BF_FAR = 1u << 1, BF_HPFAR = 1u << 2, BF_PC = 1u << 3,
	BF_PSTATE = 1u << 4, BF_INSN = 1u << 5, BF_OUTCOME = 1u << 6, BF_KVM = 1u << 7,
	BF_ALL = (1u << 8) - 1,
};
#define BIN_MAX_RECORD (TRACE_MAX_LINE + 64)

struct bbuf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

static void bput(struct bbuf *b, const void *src, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 512;
		uint8_t *np;

		while (nc < b->len + n)
			nc *= 2;
		np = realloc(b->p, nc);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

static void bput_u(struct bbuf *b, uint64_t v, unsigned bytes)
{
	uint8_t t[8];

	hvx_put_le(t, v, bytes);
	bput(b, t, bytes);
}

static int bin_write_record(struct trace_writer *w, char kind, const void *p, size_t n)
{
	uint8_t hdr[5] = { (uint8_t)kind, (uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16),
			   (uint8_t)(n >> 24) };

	if (n > BIN_MAX_RECORD || fwrite(hdr, 1, 5, w->f) != 5 ||
	    (n && fwrite(p, 1, n, w->f) != n) || fflush(w->f) == EOF) {
		w->failed = true;
		return -EIO;
	}
	return 0;
}

static void bput_json(struct bbuf *b, const json_t *j)
{
	char *t = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	size_t n = t ? strlen(t) : 0;

	if (!t)
		b->oom = true;
	bput_u(b, n, 4);
	bput(b, t, n);
	free(t);
}

static int bin_write_event(struct trace_writer *w, const struct trace_event *ev)
{
	const struct trace_exit *e = &ev->exit;
	struct bbuf b = { 0 };
	unsigned flags = (e->has_esr ? BF_ESR : 0) | (e->has_far ? BF_FAR : 0) |
			 (e->has_hpfar ? BF_HPFAR : 0) | (e->has_pc ? BF_PC : 0) |
			 (e->has_pstate ? BF_PSTATE : 0) | (e->has_insn ? BF_INSN : 0) |
			 (ev->outcome ? BF_OUTCOME : 0) | (ev->kvm ? BF_KVM : 0);
	unsigned nm = ev->n_mmio < TRACE_MAX_MMIO ? ev->n_mmio : TRACE_MAX_MMIO;
	unsigned np = ev->n_pages < TRACE_MAX_PAGEREFS ? ev->n_pages : TRACE_MAX_PAGEREFS;
	uint32_t mask = e->regs_mask & ((UINT32_C(1) << TRACE_NREGS) - 1);
	int rc;

	bput_u(&b, ev->seq, 8);
	bput_u(&b, ev->vcpu, 4);
	bput_u(&b, flags, 4);
	bput_u(&b, e->has_esr ? esr_ec(e->esr) : e->ec, 1);
	bput_u(&b, nm, 1);
	bput_u(&b, np, 1);
	bput_u(&b, 0, 1);
	bput_u(&b, mask, 4);
	if (e->has_esr) bput_u(&b, e->esr, 8);
	if (e->has_far) bput_u(&b, e->far, 8);
	if (e->has_hpfar) bput_u(&b, e->hpfar, 8);
	if (e->has_pc) bput_u(&b, e->pc, 8);
	if (e->has_pstate) bput_u(&b, e->pstate, 8);
	if (e->has_insn) bput_u(&b, e->insn, 4);
	for (unsigned i = 0; i < TRACE_NREGS; i++)
		if (mask & (UINT32_C(1) << i))
			bput_u(&b, e->regs[i], 8);
	for (unsigned i = 0; i < nm; i++)
		bput_u(&b, ev->mmio_data[i], 8);
	for (unsigned i = 0; i < np; i++) {
		bput_u(&b, ev->pages[i].ipa, 8);
		bput(&b, ev->pages[i].hash, 32);
	}
	if (ev->outcome)
		bput_json(&b, ev->outcome);
	if (ev->kvm)
		bput_json(&b, ev->kvm);
	rc = b.oom ? -ENOMEM : bin_write_record(w, 'E', b.p, b.len);
	free(b.p);
	return rc;
}

/* Read exactly n bytes: 1, 0 at a clean end (nothing read), -EPIPE when
 * the input ends inside them. */
static int bin_read(struct trace_reader *r, void *dst, size_t n)
{
	if (r->eof)
		return 0;
	if (r->f) {
		size_t got = fread(dst, 1, n, r->f);

		if (got == n)
			return 1;
		if (ferror(r->f))
			return -EIO;
		return got == 0 ? 0 : -EPIPE;
	}
	size_t left = r->mem_len - r->mem_pos;
	if (left == 0)
		return 0;
	if (left < n) {
		r->mem_pos = r->mem_len;
		return -EPIPE;
	}
	memcpy(dst, r->mem + r->mem_pos, n);
	r->mem_pos += n;
	return 1;
}

/* Next record into r->buf: 1 with kind/len, 0 end, <0 error (message set). */
static int bin_record(struct trace_reader *r, char *kind, size_t *len)
{
	uint8_t h[5];
	int rc = bin_read(r, h, 5);
	size_t n;

	if (rc == 0)
		return 0;
	r->line++;
	if (rc == -EPIPE)
		goto truncated;
	if (rc < 0) {
		snprintf(r->err, sizeof(r->err), "%s: record %llu: read error", r->name,
			 (unsigned long long)r->line);
		return rc;
	}
	n = (size_t)hvx_get_le(h + 1, 4);
	if (n > BIN_MAX_RECORD) {
		snprintf(r->err, sizeof(r->err), "%s: record %llu: length %zu over the limit",
			 r->name, (unsigned long long)r->line, n);
		return -E2BIG;
	}
	if (n + 1 > r->cap) {
		char *nb = realloc(r->buf, n + 1);

		if (!nb)
			return -ENOMEM;
		r->buf = nb;
		r->cap = n + 1;
	}
	rc = n ? bin_read(r, r->buf, n) : 1;
	if (rc == 0 || rc == -EPIPE)
		goto truncated;
	if (rc < 0)
		return rc;
	r->buf[n] = 0;
	*kind = (char)h[0];
	*len = n;
	return 1;
truncated:
	r->truncated = true;
	r->eof = true;
	snprintf(r->err, sizeof(r->err), "%s: record %llu: truncated last record ignored",
		 r->name, (unsigned long long)r->line);
	return 0;
}

static int bin_read_header(struct trace_reader *r, json_t **out)
{
	char kind;
	size_t n;
	json_error_t je;
	int rc = bin_record(r, &kind, &n);

	if (rc <= 0)
		return rc < 0 ? rc : 0;
	if (kind != 'H') {
		snprintf(r->err, sizeof(r->err), "%s: binary trace does not start with a header record",
			 r->name);
		return -EINVAL;
	}
	*out = json_loadb(r->buf, n, JSON_REJECT_DUPLICATES, &je);
	if (!*out || !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		snprintf(r->err, sizeof(r->err), "%s: record 1: header is not a JSON object", r->name);
		return -EINVAL;
	}
	return 1;
}

struct bcur {
	const uint8_t *p;
	size_t left;
	bool bad;
};

static uint64_t bget(struct bcur *c, unsigned bytes)
{
	uint64_t v;

	if (c->left < bytes) {
		c->bad = true;
		c->left = 0;
		return 0;
	}
	v = hvx_get_le(c->p, bytes);
	c->p += bytes;
	c->left -= bytes;
	return v;
}

static const char *bget_text(struct bcur *c, size_t *n)
{
	const char *t;

	*n = (size_t)bget(c, 4);
	if (c->bad || c->left < *n) {
		c->bad = true;
		return NULL;
	}
	t = (const char *)c->p;
	c->p += *n;
	c->left -= *n;
	return t;
}

static int bin_event(struct trace_reader *r, size_t n, struct trace_event *ev)
{
	struct bcur c = { (const uint8_t *)r->buf, n, false };
	struct trace_exit *e = &ev->exit;
	unsigned flags;
	const char *bad = NULL;

	memset(ev, 0, sizeof(*ev));
	ev->seq = bget(&c, 8);
	ev->vcpu = (unsigned)bget(&c, 4);
	flags = (unsigned)bget(&c, 4);
	e->ec = (unsigned)bget(&c, 1);
	ev->n_mmio = (unsigned)bget(&c, 1);
	ev->n_pages = (unsigned)bget(&c, 1);
	bget(&c, 1);
	e->regs_mask = (uint32_t)bget(&c, 4);
	if (flags & ~BF_ALL)
		bad = "unknown flag bits";
	else if (ev->vcpu >= 4096)
		bad = "vcpu out of range (0..4095)";
	else if (e->ec > 0x3f)
		bad = "EC above 0x3f";
	else if (ev->n_mmio > TRACE_MAX_MMIO || ev->n_pages > TRACE_MAX_PAGEREFS)
		bad = "too many MMIO values or page references";
	else if (e->regs_mask >> TRACE_NREGS)
		bad = "register mask beyond x30";
	if (bad)
		goto fail;
	e->has_esr = flags & BF_ESR;
	e->has_far = flags & BF_FAR;
	e->has_hpfar = flags & BF_HPFAR;
	e->has_pc = flags & BF_PC;
	e->has_pstate = flags & BF_PSTATE;
	e->has_insn = flags & BF_INSN;
	if (e->has_esr) e->esr = bget(&c, 8);
	if (e->has_far) e->far = bget(&c, 8);
	if (e->has_hpfar) e->hpfar = bget(&c, 8);
	if (e->has_pc) e->pc = bget(&c, 8);
	if (e->has_pstate) e->pstate = bget(&c, 8);
	if (e->has_insn) e->insn = (uint32_t)bget(&c, 4);
	if (e->has_esr && ((e->esr >> 56) || esr_ec(e->esr) != e->ec)) {
		bad = "ESR has RES0 bits 63:56 set or disagrees with the EC";
		goto fail;
	}
	for (unsigned i = 0; i < TRACE_NREGS; i++)
		if (e->regs_mask & (UINT32_C(1) << i))
			e->regs[i] = bget(&c, 8);
	for (unsigned i = 0; i < ev->n_mmio; i++)
		ev->mmio_data[i] = bget(&c, 8);
	for (unsigned i = 0; i < ev->n_pages; i++) {
		ev->pages[i].ipa = bget(&c, 8);
		if (c.left >= 32)
			memcpy(ev->pages[i].hash, c.p, 32);
		bget(&c, 8); bget(&c, 8); bget(&c, 8); bget(&c, 8);
		if (ev->pages[i].ipa & (TRACE_PAGE_SIZE - 1)) {
			bad = "page reference not 4 KiB aligned";
			goto fail;
		}
		if (!c.bad && !trace_reader_page(r, ev->pages[i].hash)) {
			bad = "page reference to a page not written before it";
			goto fail;
		}
	}
	if (flags & BF_OUTCOME) {
		size_t on;
		const char *t = bget_text(&c, &on);

		if (t) {
			free(r->otext);
			r->otext = malloc(on + 1);
			if (!r->otext)
				return -ENOMEM;
			memcpy(r->otext, t, on);
			r->otext[on] = 0;
			ev->outcome_text = r->otext;
			ev->outcome_len = on;
		}
	}
	if (flags & BF_KVM) {
		size_t kn;
		const char *t = bget_text(&c, &kn);

		if (t) {
			r->cur = json_loadb(t, kn, JSON_REJECT_DUPLICATES, NULL);
			if (!json_is_object(r->cur)) {
				bad = "kvm is not a JSON object";
				goto fail;
			}
			ev->kvm = r->cur;
		}
	}
	if (c.bad || c.left) {
		bad = c.bad ? "event record too short" : "trailing bytes in event record";
		goto fail;
	}
	ev->line = r->line;
	return 1;
fail:
	snprintf(r->err, sizeof(r->err), "%s: record %llu: %s", r->name,
		 (unsigned long long)r->line, bad);
	return -EINVAL;
}

static int bin_page(struct trace_reader *r, size_t n)
{
	json_t *o;
	char hx[65], *b64;
	int rc;

	if (n != 32 + TRACE_PAGE_SIZE) {
		snprintf(r->err, sizeof(r->err), "%s: record %llu: page record of %zu bytes (want %u)",
			 r->name, (unsigned long long)r->line, n, 32 + TRACE_PAGE_SIZE);
		return -EINVAL;
	}
	/* Same checks as a JSON page record. */
	b64 = malloc(TRACE_PAGE_SIZE / 3 * 4 + 8);
	if (!b64)
		return -ENOMEM;
	hash_hex((const uint8_t *)r->buf, hx);
	b64_encode((const uint8_t *)r->buf + 32, TRACE_PAGE_SIZE, b64);
	o = json_pack("{s:s,s:s}", "sha256", hx, "data", b64);
	rc = reader_add_page(r, o);
	json_decref(o);
	free(b64);
	return rc;
}

static int bin_next(struct trace_reader *r, struct trace_event *ev)
{
	for (;;) {
		char kind;
		size_t n;
		int rc = bin_record(r, &kind, &n);

		if (rc <= 0)
			return rc;
		if (kind == 'E')
			return bin_event(r, n, ev);
		if (kind == 'P') {
			rc = bin_page(r, n);
			if (rc < 0)
				return rc;
			continue;
		}
		if (kind == 'H') {
			snprintf(r->err, sizeof(r->err), "%s: record %llu: second header record",
				 r->name, (unsigned long long)r->line);
			return -EINVAL;
		}
		/* unknown record kinds: skipped (forward compatible) */
	}
}

int trace_event_load_outcome(struct trace_reader *r, struct trace_event *ev)
{
	json_error_t je;
	json_t *o;

	if (ev->outcome || !ev->outcome_text)
		return 0;
	o = json_loadb(ev->outcome_text, ev->outcome_len, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(o)) {
		json_decref(o);
		snprintf(r->err, sizeof(r->err), "%s: record %llu: outcome is not a JSON object",
			 r->name, (unsigned long long)ev->line);
		return -EINVAL;
	}
	json_decref(r->ocur);
	r->ocur = o;	/* lives until the next trace_next */
	ev->outcome = o;
	return 0;
}

bool trace_reader_binary(const struct trace_reader *r)
{
	return r->bin;
}
