/* Text sheet for a decoded ESR_EL2 value (layout: D24.2.40 ESR_EL2). */
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

int esr_format_text(const struct esr_decoded *d, char *buf, size_t size)
{
	struct out o = { buf, size, 0, false };

	put(&o, "ESR 0x%016llx  EC 0x%02x %s%s: %s\n", (unsigned long long)d->esr,
	    d->ec, d->ec_name, d->reserved ? " (reserved)" : "", d->ec_desc);
	put(&o, "  IL %u (%s instruction)  ISS 0x%07x  ISS2 0x%06x  [%s]\n",
	    d->il, d->il ? "32-bit" : "16-bit", d->iss, d->iss2, d->ref);
	if (d->res0_bits)
		put(&o, "  RES0 bits set 0x%016llx (ignored)\n",
		    (unsigned long long)d->res0_bits);
	for (unsigned i = 0; i < d->nfields; i++) {
		const struct esr_field *f = &d->fields[i];
		char bits[16];

		if (f->hi == f->lo)
			snprintf(bits, sizeof(bits), "[%u]", f->hi);
		else
			snprintf(bits, sizeof(bits), "[%u:%u]", f->hi, f->lo);
		put(&o, "  %-13s %-8s 0x%-7x %s\n", f->name, bits, f->value,
		    f->meaning);
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
