/* GIC distributor cases: text form and the judge (gicd_stream.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/num.h"
#include "harness/validate/gicd_stream.h"
#include "hvexit/common.h"
#include "hvexit/gicd.h"

void gstream_op(struct gstream *g, int write, unsigned len, uint32_t off, uint32_t val)
{
	if (g->nops < GSTREAM_MAX_OPS)
		g->ops[g->nops++] = (struct plugin_gicd_op){ .write = (uint8_t)write,
			.len = (uint8_t)len, .offset = off, .val = val };
}

void gstream_own(struct gstream *g, unsigned irq)
{
	if (irq < 8 * sizeof(g->owned))
		g->owned[irq / 8] |= (uint8_t)(1u << (irq % 8));
}

static int owned(const struct gstream *g, unsigned irq)
{
	return g->owned[irq / 8] >> (irq % 8) & 1;
}

static int parse_item(char *it, struct gstream *g, char *err, size_t errlen)
{
	uint64_t a, b = 0;
	char *at, *eq;

	if (!strncmp(it, "nr=", 3)) {
		if (num_parse_u64(it + 3, &a) || !a || a % 32 || a > 1024)
			goto bad;
		g->nr = (unsigned)a;
		return 0;
	}
	if (!strncmp(it, "owned=", 6)) {
		for (char *p = it + 6, *save = NULL, *t = strtok_r(p, "+", &save); t;
		     t = strtok_r(NULL, "+", &save)) {
			if (num_parse_u64(t, &a) || a >= 1024)
				goto bad;
			gstream_own(g, (unsigned)a);
		}
		return 0;
	}
	at = strchr(it, '@');
	if ((it[0] != 'w' && it[0] != 'r') || !at || g->nops == GSTREAM_MAX_OPS)
		goto bad;
	*at = 0;
	eq = strchr(at + 1, '=');
	if (eq)
		*eq = 0;
	if (num_parse_u64(it + 1, &a) || (a != 1 && a != 2 && a != 4) ||
	    num_parse_hex(at + 1, &b) || b >= GICD_SIZE || (it[0] == 'w') != !!eq)
		goto bad;
	{
		uint64_t val = 0;

		if (eq && (num_parse_hex(eq + 1, &val) || val > 0xffffffffu))
			goto bad;
		gstream_op(g, it[0] == 'w', (unsigned)a, (uint32_t)b, (uint32_t)val);
	}
	return 0;
bad:
	snprintf(err, errlen, "bad item '%s' (nr=N, owned=A+B, wL@0xOFF=0xVAL, rL@0xOFF)", it);
	return -EINVAL;
}

int gstream_parse(const char *s, struct gstream *g, char *err, size_t errlen)
{
	char buf[4096];
	char *save = NULL;

	memset(g, 0, sizeof(*g));
	if (strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "stream longer than %zu characters", sizeof(buf) - 1);
		return -EINVAL;
	}
	strcpy(buf, s);
	for (char *it = strtok_r(buf, ",", &save); it; it = strtok_r(NULL, ",", &save))
		if (parse_item(it, g, err, errlen))
			return -EINVAL;
	if (!g->nr) {
		snprintf(err, errlen, "no nr=N (a multiple of 32 up to 1024)");
		return -EINVAL;
	}
	for (unsigned i = g->nr; i < 8 * sizeof(g->owned); i++)
		if (owned(g, i)) {
			snprintf(err, errlen, "owned IRQ %u >= nr=%u", i, g->nr);
			return -EINVAL;
		}
	return 0;
}

int gicd_stream_check(const char *s, char *err, size_t errlen)
{
	static struct gstream g;

	return gstream_parse(s, &g, err, errlen);
}

void gstream_describe(const struct gstream *g, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "nr=%u", g->nr);
	const char *sep = ",owned=";

	for (unsigned i = 0; i < g->nr && n < len; i++)
		if (owned(g, i)) {
			n += (size_t)snprintf(buf + n, len - n, "%s%u", sep, i);
			sep = "+";
		}
	for (unsigned i = 0; i < g->nops && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, g->ops[i].write ? ",w%u@0x%03x=0x%x" :
				      ",r%u@0x%03x", g->ops[i].len, g->ops[i].offset,
				      g->ops[i].val);
}

const char *gstream_reg_name(uint32_t off)
{
	static const struct { uint32_t lo, hi; const char *name; } map[] = {
		{ 0x000, 0x004, "CTLR" }, { 0x004, 0x008, "TYPER" }, { 0x008, 0x00c, "IIDR" },
		{ 0x080, 0x100, "IGROUPR" }, { 0x100, 0x180, "ISENABLER" },
		{ 0x180, 0x200, "ICENABLER" }, { 0x200, 0x280, "ISPENDR" },
		{ 0x280, 0x300, "ICPENDR" }, { 0x300, 0x380, "ISACTIVER" },
		{ 0x380, 0x400, "ICACTIVER" }, { 0x400, 0x800, "IPRIORITYR" },
		{ 0x800, 0xc00, "ITARGETSR" }, { 0xc00, 0xd00, "ICFGR" },
	};
	for (unsigned i = 0; i < HVX_ARRAY_SIZE(map); i++)
		if (off >= map[i].lo && off < map[i].hi)
			return map[i].name;
	return "other";
}

/* ---- the judge ----------------------------------------------------------- */

/* Per-IRQ state read back (IHI 0048B 4.3: bits per interrupt of each);
 * `arch`: the bits of an SPI's field the specification defines and the
 * reference models (4.3.11: at least 4 priority bits, the rest IMP DEF;
 * 4.3.12: SPI targets with one CPU interface are IMP DEF; 4.3.13:
 * Int_config[0] is reserved). */
static const struct {
	uint32_t base;
	unsigned bits, arch;
	const char *name;
} per_irq[] = {
	{ GICD_IGROUPR, 1, 0x1, "IGROUPR" }, { GICD_ISENABLER, 1, 0x1, "ISENABLER" },
	{ GICD_ISPENDR, 1, 0x1, "ISPENDR" }, { GICD_ISACTIVER, 1, 0x1, "ISACTIVER" },
	{ GICD_IPRIORITYR, 8, 0xf0, "IPRIORITYR" }, { GICD_ITARGETSR, 8, 0, "ITARGETSR" },
	{ GICD_ICFGR, 2, 0x2, "ICFGR" },
};

static const char *const RULE_OWNED =
	"IHI 0048B 4.3 with the hypervisor's ownership: guest accesses never change "
	"any per-IRQ field of an interrupt the hypervisor owns, whatever the access "
	"width and byte offset (judged against the reference's state)";
static const char *const RULE_TARGETS =
	"IHI 0048B 4.3.12: GICD_ITARGETSR0-7 (SGI and PPI targets) are read-only";
static const char *const RULE_ICFGR0 =
	"IHI 0048B 4.3.13: GICD_ICFGR0 (SGI configuration) is read-only";
static const char *const RULE_ACCESS =
	"IHI 0048B 4.3: word accesses to every register and byte accesses to "
	"IPRIORITYR/ITARGETSR are permitted and must not fault";
static const char *const RULE_REF =
	"IHI 0048B 4.3 as modelled by emu/gicd.c: access results, read values and the "
	"final SPI state (priority top 4 bits, enable, pending, active, group, "
	"Int_config[1])";

const char *gstream_rule(const char *field)
{
	static const struct { const char *field, *rule; } rules[] = {
		{ "access", NULL }, { "owned_irq", NULL }, { "ITARGETSR0-7", NULL },
		{ "ICFGR0", NULL }, { "vs_reference", NULL },
	};
	const char *const text[] = { RULE_ACCESS, RULE_OWNED, RULE_TARGETS, RULE_ICFGR0,
				     RULE_REF };

	for (unsigned i = 0; i < HVX_ARRAY_SIZE(rules); i++)
		if (!strcmp(field, rules[i].field))
			return text[i];
	return "";
}

static unsigned snapshot(struct plugin_gicd_op *ops, unsigned n, unsigned nr)
{
	for (unsigned r = 0; r < HVX_ARRAY_SIZE(per_irq); r++)
		for (uint32_t w = 0; w < nr * per_irq[r].bits / 32; w++)
			ops[n++] = (struct plugin_gicd_op){ .len = 4,
				.offset = per_irq[r].base + 4 * w };
	return n;
}

static unsigned field_at(const uint32_t *vals, unsigned snap, unsigned nr, unsigned reg,
			 unsigned irq)
{
	unsigned idx = snap, bits = per_irq[reg].bits;

	for (unsigned r = 0; r < reg; r++)
		idx += nr * per_irq[r].bits / 32;
	idx += irq * bits / 32;
	return (vals[idx] >> (irq * bits % 32)) & ((1u << bits) - 1);
}

/* Bits of a read the reference decides (the arch bits of SPI fields,
 * TYPER.ITLinesNumber). */
static uint32_t read_mask(const struct plugin_gicd_op *op)
{
	uint32_t m = 0;

	if (op->offset >= GICD_TYPER && op->offset < GICD_TYPER + 4)
		return op->offset == GICD_TYPER ? 0x1f : 0;
	for (unsigned r = 0; r < HVX_ARRAY_SIZE(per_irq); r++) {
		unsigned bits = per_irq[r].bits, span = 1024 * bits / 8;
		uint32_t base = per_irq[r].base;

		if (bits == 1 && op->offset >= base + 0x80 && op->offset < base + 0x100)
			base += 0x80;	/* the clear register of a set/clear pair */
		if (op->offset < base || op->offset >= base + span)
			continue;
		for (unsigned i = 0; i < op->len * 8u / bits; i++)
			if ((op->offset - base) * 8 / bits + i >= 32)
				m |= per_irq[r].arch << (i * bits);
	}
	return m;
}

/* The cause key of an access: register, width, alignment. */
static void op_cause(const struct plugin_gicd_op *op, char *buf, size_t len)
{
	snprintf(buf, len, "%s %u-byte %s%s", gstream_reg_name(op->offset), op->len,
		 op->write ? "write" : "read", op->offset & 3 ? " unaligned" : "");
}

/* Two snapshots of 1024 interrupts (704 words each) around a stream. */
#define JUDGE_MAX_OPS (2 * 704 + GSTREAM_MAX_OPS)

struct judge_buf {
	struct plugin_gicd_op ops[JUDGE_MAX_OPS];
	struct plugin_gicd_res res[JUDGE_MAX_OPS];
	uint32_t pv[JUDGE_MAX_OPS], qv[JUDGE_MAX_OPS];
	int qrc[JUDGE_MAX_OPS];
	struct gicd ref;
};

static int run_ref(struct judge_buf *b, const struct gstream *g, unsigned n)
{
	if (gicd_init(&b->ref, g->nr / 32 - 1, 1))
		return -EINVAL;
	for (unsigned i = 0; i < g->nr; i++)
		if (owned(g, i))
			gicd_set_owned(&b->ref, i, true);
	for (unsigned i = 0; i < n; i++) {
		uint64_t v = b->ops[i].val;

		b->qrc[i] = gicd_access(&b->ref, 0, b->ops[i].offset, b->ops[i].len,
					b->ops[i].write, &v);
		b->qv[i] = (uint32_t)v;
		b->pv[i] = b->res[i].val;
	}
	return 0;
}

/* State checks over the two snapshots; 1 with *v, the field register
 * *fr and the interrupt *firq on a failure. */
static int judge_state(const struct judge_buf *b, const struct gstream *g, unsigned s0,
		       unsigned s1, struct gverdict *v, unsigned *fr, unsigned *firq)
{
	for (unsigned r = 0; r < HVX_ARRAY_SIZE(per_irq); r++)
		for (unsigned irq = 0; irq < g->nr; irq++) {
			unsigned p0 = field_at(b->pv, s0, g->nr, r, irq);
			unsigned p1 = field_at(b->pv, s1, g->nr, r, irq);
			unsigned q0 = field_at(b->qv, s0, g->nr, r, irq);
			unsigned q1 = field_at(b->qv, s1, g->nr, r, irq);
			unsigned m = per_irq[r].arch;

			if (owned(g, irq) && (p1 != p0 || (((p1 ^ q1) & m) && !((p0 ^ q0) & m)))) {
				v->field = "owned_irq";
				v->rule = RULE_OWNED;
			} else if (per_irq[r].base == GICD_ITARGETSR && irq < 32 && p1 != p0) {
				v->field = "ITARGETSR0-7";
				v->rule = RULE_TARGETS;
			} else if (per_irq[r].base == GICD_ICFGR && irq < 16 && p1 != p0) {
				v->field = "ICFGR0";
				v->rule = RULE_ICFGR0;
			} else if (!owned(g, irq) && irq >= 32 && ((p1 ^ q1) & m) && !((p0 ^ q0) & m)) {
				v->field = "vs_reference";
				v->rule = RULE_REF;
			} else {
				continue;
			}
			*fr = r;
			*firq = irq;
			snprintf(v->expected, sizeof(v->expected), "%s field of IRQ %u%s: 0x%x",
				 per_irq[r].name, irq, owned(g, irq) ? " (hypervisor-owned)" : "",
				 owned(g, irq) ? p0 : q1);
			snprintf(v->actual, sizeof(v->actual), "0x%x", p1);
			return 1;
		}
	return 0;
}

/*
 * Which access changed field register r of irq: the stream again, on the
 * plugin and the reference, with a read of that field after every access;
 * the first access after which the field differs (from its start value
 * for an owned or read-only field, from the reference otherwise) is the
 * cause. Fills v->cluster.
 */
static int attribute(struct plugin_host *h, struct judge_buf *b, const struct gstream *g,
		     unsigned r, unsigned irq, struct gverdict *v, struct plugin_status *st)
{
	unsigned bits = per_irq[r].bits, n = 0, culprit = g->nops;
	uint32_t word = per_irq[r].base + irq * bits / 32 * 4, shift = irq * bits % 32;
	uint32_t fmask = ((1u << bits) - 1) << shift, m = per_irq[r].arch << shift;
	bool against_start = strcmp(v->field, "vs_reference") != 0;
	uint32_t start = 0;
	int new_ok = 0, e;
	char why[64];

	b->ops[n++] = (struct plugin_gicd_op){ .len = 4, .offset = word };
	for (unsigned i = 0; i < g->nops; i++) {
		b->ops[n++] = g->ops[i];
		b->ops[n++] = (struct plugin_gicd_op){ .len = 4, .offset = word };
	}
	e = plugin_call_gicd(h, g->nr, g->owned, b->ops, n, &new_ok, b->res, st);
	if (e)
		return e;
	if (st->kind == PLUGIN_CALL_OK && new_ok && !run_ref(b, g, n)) {
		start = b->pv[0] & fmask;
		for (unsigned i = 0; i < g->nops && culprit == g->nops; i++) {
			uint32_t p = b->pv[2 + 2 * i], q = b->qv[2 + 2 * i];

			if (against_start ? (p & fmask) != start : ((p ^ q) & m) != 0)
				culprit = i;
		}
	}
	if (culprit < g->nops)
		op_cause(&g->ops[culprit], why, sizeof(why));
	else
		snprintf(why, sizeof(why), "the stream");
	snprintf(v->cluster, sizeof(v->cluster), "%s field via %s", per_irq[r].name, why);
	return 0;
}

int gstream_judge(struct plugin_host *h, const struct gstream *g, struct gverdict *v,
		  struct plugin_status *st)
{
	static struct judge_buf b;
	unsigned s0 = 0, s1, n, first, r = 0, irq = 0;
	int new_ok = 0, e;

	memset(v, 0, sizeof(*v));
	first = n = snapshot(b.ops, 0, g->nr);
	memcpy(b.ops + n, g->ops, g->nops * sizeof(g->ops[0]));
	s1 = n + g->nops;
	n = snapshot(b.ops, s1, g->nr);
	e = plugin_call_gicd(h, g->nr, g->owned, b.ops, n, &new_ok, b.res, st);
	if (e)
		return e;
	if (st->kind != PLUGIN_CALL_OK)
		return 2;
	if (!new_ok) {
		v->field = "new";
		v->rule = "IHI 0048B 4.3.2: any nr_irqs that is a multiple of 32 up to 1020 "
			  "is a valid distributor";
		snprintf(v->cluster, sizeof(v->cluster), "nr_irqs=%u", g->nr);
		snprintf(v->expected, sizeof(v->expected), "a distributor");
		snprintf(v->actual, sizeof(v->actual), "NULL");
		return 1;
	}
	if (run_ref(&b, g, n))
		return -EINVAL;
	for (unsigned i = s0; i < n; i++) {
		const struct plugin_gicd_op *op = &b.ops[i];
		bool fault = b.res[i].rc < 0 && b.qrc[i] == 0;
		bool differs = !op->write && b.res[i].rc == 0 && b.qrc[i] == 0 &&
			       ((b.pv[i] ^ b.qv[i]) & read_mask(op));

		if (!fault && !(differs && i >= first && i < s1))
			continue;
		v->field = fault ? "access" : "vs_reference";
		v->rule = fault ? RULE_ACCESS : RULE_REF;
		op_cause(op, v->cluster, sizeof(v->cluster));
		snprintf(v->expected, sizeof(v->expected), "%s of %u bytes at 0x%03x: %s0x%x",
			 op->write ? "write" : "read", op->len, op->offset,
			 fault ? "done, " : "", b.qv[i] & (fault ? ~0u : read_mask(op)));
		snprintf(v->actual, sizeof(v->actual), "rc %d, 0x%x", b.res[i].rc,
			 b.pv[i] & (fault ? ~0u : read_mask(op)));
		return 1;
	}
	if (!judge_state(&b, g, s0, s1, v, &r, &irq))
		return 0;
	e = attribute(h, &b, g, r, irq, v, st);
	return e < 0 ? e : 1;
}
