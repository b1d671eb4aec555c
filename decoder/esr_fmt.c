/* Text sheet for a decoded ESR_EL2 value (layout: D24.2.46 ESR_EL2). */
#include <stdarg.h>
#include <stdio.h>
#include "hvexit/esr.h"

struct out { char *buf; size_t size, len; bool over; };

__attribute__((format(printf, 2, 3)))
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	size_t room = o->len < o->size ? o->size - o->len : 0;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		o->over = true;
	if (n > 0)
		o->len += (size_t)n;
}

/* Spaces after a value printed as 0x%x, to line meanings up. */
static int pad(uint32_t v)
{
	int n = 1;

	while (v >>= 4)
		n++;
	return n < 8 ? 9 - n : 1;
}

/* Set bits of a field that does not apply, not shown through a narrower
 * field that does not apply either (SError IMPLEMENTATION DEFINED [23:0]
 * vs IESB [13]). */
static bool show_inapplicable(const struct esr_decoded *d, unsigned i)
{
	const struct esr_fdesc *f = &d->fields[i];
	uint64_t bits = d->res0_bits & hvx_mask(f->hi, f->lo);

	for (unsigned j = 0; j < d->nfields && bits; j++) {
		const struct esr_fdesc *g = &d->fields[j];

		if (j != i && !esr_field_applies(d, j) && g->hi - g->lo < f->hi - f->lo)
			bits &= ~hvx_mask(g->hi, g->lo);
	}
	return bits != 0;
}

static void put_field(struct out *o, const struct esr_decoded *d, unsigned i,
		      bool applies)
{
	const struct esr_fdesc *f = &d->fields[i];
	char bits[16], name[24];

	if (f->hi == f->lo)
		snprintf(bits, sizeof(bits), "[%u]", f->hi);
	else
		snprintf(bits, sizeof(bits), "[%u:%u]", f->hi, f->lo);
	snprintf(name, sizeof(name), applies ? "%s" : "(%s)", f->name);
	put(o, "  %-13s %-8s 0x%x", name, bits, esr_field_value(d, i));
	if (!applies)
		put(o, "%*sRES0 here: only when %s", pad(esr_field_value(d, i)), "",
		    esr_cond_text((enum esr_cond)f->cond));
	else if (*esr_field_meaning(d, i))
		put(o, "%*s%s", pad(esr_field_value(d, i)), "", esr_field_meaning(d, i));
	put(o, "\n");
}

int esr_format_text(const struct esr_decoded *d, char *buf, size_t size)
{
	struct out o = { buf, size, 0, false };

	put(&o, "ESR 0x%016llx  EC 0x%02x %s%s: %s\n", (unsigned long long)d->esr,
	    d->ec, esr_ec_name(d->ec), d->reserved ? " (reserved)" : "", esr_ec_desc(d->ec));
	put(&o, "  IL %u (%s instruction)  ISS 0x%07x  ISS2 0x%06x\n  [%s: %s]\n",
	    d->il, d->il ? "32-bit" : "16-bit", esr_iss(d->esr), esr_iss2(d->esr), ESR_REF,
	    esr_fmt_title(d->fmt));
	if (d->res0_bits)
		put(&o, "  RES0 bits set 0x%016llx (ignored)\n",
		    (unsigned long long)d->res0_bits);
	for (unsigned i = 0; i < d->nfields; i++) {
		const struct esr_fdesc *f = &d->fields[i];

		if (esr_field_applies(d, i)) {
			/* ISS2 fields are listed when set (JSON has them all). */
			if (f->lo < 32 || esr_field_value(d, i))
				put_field(&o, d, i, true);
		} else if (show_inapplicable(d, i)) {
			put_field(&o, d, i, false);
		}
	}
	if (d->has_fsc) {
		put(&o, "  fsc 0x%02x %s", d->fsc_code, fsc_type_name(d->fsc.type));
		if (d->fsc.level != FSC_NO_LEVEL)
			put(&o, " level %d", d->fsc.level);
		put(&o, "\n");
	}
	if (o.over) {
		if (size)
			buf[size - 1] = '\0';
		return -ENOSPC;
	}
	return (int)o.len;
}
