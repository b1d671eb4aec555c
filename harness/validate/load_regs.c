/*
 * mmio_load_regs (plugin ABI 1.1): MMIO load completion on the whole
 * register file. The load vectors and random load syndromes of mmio_load,
 * each with a random register file; every register is compared
 * (plugin_check.c). A wrong X[SRT] is grouped by its cause
 * (check_load_cause), so one bug is one cluster whatever instruction
 * shows it; the first case of each field is shrunk on the bus data.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hvexit/common.h"
#include "harness/util/num.h"
#include "harness/util/rng.h"
#include "harness/validate/plugin_check.h"
#include "harness/validate/validate.h"

#define MAX_PROC_FINDINGS 3

struct lr_run {
	struct plugin_status st;
	struct hvx_regs out;
	int rc;
	unsigned cmp, fail;
	char exp[RF_COUNT][32], act[RF_COUNT][32];
};

static int lr_call(struct plugin_host *h, uint64_t esr, uint64_t bus,
		   const struct hvx_regs *in, struct lr_run *r)
{
	int e;

	memset(r, 0, sizeof(*r));
	r->out = *in;
	e = plugin_call_mmio_load_regs(h, esr, bus, &r->out, &r->rc, &r->st);
	if (e || (r->st.kind != PLUGIN_CALL_OK && r->st.kind != PLUGIN_CALL_SANITIZER))
		return e;
	r->fail = check_cmp_load_regs(esr, bus, in, r->rc, &r->out, &r->cmp,
				      r->exp, r->act);
	return 0;
}

/* Clear bus bits (high to low) while field f still fails. */
static uint64_t lr_shrink(struct plugin_host *h, uint64_t esr, uint64_t bus,
			  const struct hvx_regs *in, unsigned f)
{
	for (int b = 63; b >= 0; b--) {
		uint64_t t = bus & ~(UINT64_C(1) << b);
		struct lr_run r;

		if (t == bus)
			continue;
		if (!lr_call(h, esr, t, in, &r) && r.st.kind == PLUGIN_CALL_OK &&
		    (r.fail >> f & 1))
			bus = t;
	}
	return bus;
}

static void lr_input(uint64_t esr, uint64_t bus, const struct hvx_regs *in,
		     const char *cause, char *buf, size_t len)
{
	char d[200];
	unsigned srt = (unsigned)hvx_bits(esr, 20, 16);

	check_describe_esr(esr, d, sizeof(d));
	snprintf(buf, len, "esr=0x%016llx (%s) bus_data=0x%016llx x%u=0x%llx%s%s",
		 (unsigned long long)esr, d, (unsigned long long)bus, srt,
		 srt < 31 ? (unsigned long long)in->x[srt] : 0ULL,
		 cause[0] ? " cause: " : "", cause);
}

static int lr_case(struct plugin_host *h, struct val_ep *ep, uint64_t esr,
		   uint64_t bus, const struct hvx_regs *in, const char *vec_ref)
{
	struct lr_run r;
	char in_s[320], cause[48];
	int e = lr_call(h, esr, bus, in, &r);

	if (e)
		return e;
	ep->cases++;
	if (r.st.kind != PLUGIN_CALL_OK) {
		lr_input(esr, bus, in, "", in_s, sizeof(in_s));
		val_process(ep, &r.st, in_s);
		if (r.st.kind != PLUGIN_CALL_SANITIZER)
			return 0;
	}
	for (unsigned f = 0; f < RF_COUNT; f++) {
		unsigned fi = val_field(ep, check_load_regs_fields[f].name,
					check_load_regs_fields[f].rule);
		int failed = r.fail >> f & 1;
		uint64_t mb = bus;
		struct lr_run mr = r;

		if (!(r.cmp >> f & 1))
			continue;
		cause[0] = 0;
		if (failed && !ep->f[fi].have_cx && !vec_ref) {
			mb = lr_shrink(h, esr, bus, in, f);
			if (lr_call(h, esr, mb, in, &mr) || !(mr.fail >> f & 1)) {
				mb = bus;
				mr = r;
			}
		}
		if (failed && f == RF_XT) {
			unsigned srt = (unsigned)hvx_bits(esr, 20, 16);
			uint64_t want = 0;
			int rc;

			check_ref_mmio_load(esr, mb, &rc, &want);
			check_load_cause(esr, mb, in->x[srt], want, mr.out.x[srt],
					 cause, sizeof(cause));
		}
		lr_input(esr, mb, in, cause, in_s, sizeof(in_s));
		if (vec_ref && failed) {
			size_t n = strlen(in_s);

			snprintf(in_s + n, sizeof(in_s) - n, " [vector: %s]", vec_ref);
		}
		val_count(ep, fi, failed, in_s, mr.exp[f], mr.act[f]);
	}
	return 0;
}

/* plugin_load.tsv rows (esr, bus_data, write|nowrite, rt_value, ref): the
 * file's value must land in X[SRT]. */
static int lr_vectors(struct plugin_host *h, const struct val_opts *o,
		      struct val_ep *ep, uint64_t *s)
{
	char path[512], line[1024];
	unsigned lineno = 0;
	FILE *f;
	int e = 0;

	if (!o->vectors) {
		snprintf(ep->note, sizeof(ep->note), "random cases only (--no-vectors)");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/plugin_load.tsv", o->vectors);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (!e && fgets(line, sizeof(line), f) &&
	       ep->proc_findings < MAX_PROC_FINDINGS) {
		char *c[5], *p = line;
		uint64_t esr, bus, val, ref = 0;
		struct hvx_regs in;
		int n = 0, rc;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\r\n")] = 0;
		while (n < 5 && p) {
			c[n++] = p;
			if ((p = strchr(p, '\t')))
				*p++ = 0;
		}
		if (n != 5 || num_parse_hex(c[0], &esr) || num_parse_hex(c[1], &bus) ||
		    !check_load_domain(esr)) {
			fprintf(stderr, "hvexit validate: %s:%u: malformed vector, skipped\n",
				path, lineno);
			continue;
		}
		/* the row's value is hand-checked; a row the reference
		 * disagrees with is reported, not used */
		check_ref_mmio_load(esr, bus, &rc, &ref);
		if (strcmp(c[2], rc ? "nowrite" : "write") ||
		    (!rc && (num_parse_hex(c[3], &val) || val != ref))) {
			fprintf(stderr, "hvexit validate: %s:%u: vector disagrees with "
				"the reference, skipped\n", path, lineno);
			continue;
		}
		check_gen_regs(s, esr, bus, &in);
		e = lr_case(h, ep, esr, bus, &in, c[4]);
		ep->vectors++;
	}
	fclose(f);
	return e;
}

int val_run_load_regs(struct plugin_host *h, const struct val_opts *o,
		      struct val_ep *ep)
{
	uint64_t s = o->seed ^ UINT64_C(0x10ad7e95);
	int e = lr_vectors(h, o, ep, &s);

	for (unsigned i = 0; !e && i < o->cases; i++) {
		uint64_t esr, bus;
		struct hvx_regs in;

		if (ep->proc_findings >= MAX_PROC_FINDINGS) {
			snprintf(ep->note, sizeof(ep->note), "stopped after %u crashes/hangs",
				 ep->proc_findings);
			break;
		}
		check_gen_load(&s, &esr, &bus);
		esr = check_guest_load_esr(esr);
		check_gen_regs(&s, esr, bus, &in);
		e = lr_case(h, ep, esr, bus, &in, NULL);
		ep->random++;
	}
	return e;
}
