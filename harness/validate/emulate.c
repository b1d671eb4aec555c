/*
 * emulate (plugin ABI 1.1): ISV=0 emulation of an A64 load/store from its
 * instruction word. Random general-purpose loads and stores
 * (check_gen_emulate) with a random register file and a memory whose
 * bytes are a hash of their address; the plugin's accesses and registers
 * are compared with insn_emulate's (plugin_check_emu.c). A refusal is
 * counted, not a finding. Failures are grouped by field and instruction
 * (mnemonic and addressing class), so two bugs in different instruction
 * forms stay apart.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/util/rng.h"
#include "harness/validate/plugin_check.h"
#include "harness/validate/validate.h"

#define MAX_PROC_FINDINGS 3

struct emu_run {
	struct plugin_status st;
	struct plugin_emu_result ref, act;
	int rc;
	unsigned cmp, fail;
	char exp[EF_COUNT][48], act_s[EF_COUNT][48];
};

static int emu_call(struct plugin_host *h, uint32_t insn, uint64_t seed,
		    const struct hvx_regs *in, struct emu_run *r)
{
	int e;

	memset(r, 0, sizeof(*r));
	e = plugin_call_emulate(h, insn, seed, in, &r->rc, &r->act, &r->st);
	if (e || (r->st.kind != PLUGIN_CALL_OK && r->st.kind != PLUGIN_CALL_SANITIZER))
		return e;
	if (check_ref_emulate(insn, seed, in, &r->ref))
		return -EINVAL;		/* the generator left the domain */
	r->fail = check_cmp_emulate(insn, in, &r->ref, r->rc, &r->act, &r->cmp,
				    r->exp, r->act_s);
	return 0;
}

static void emu_input(uint32_t insn, uint64_t seed, const struct hvx_regs *in,
		      char *buf, size_t len)
{
	char d[96];
	unsigned rn = (insn >> 5) & 31;	/* Rn, bits [9:5] of every form drawn */

	check_describe_insn(insn, d, sizeof(d));
	snprintf(buf, len, "insn=0x%08x (%s) base=0x%llx pc=0x%llx mem_seed=0x%llx",
		 insn, d, (unsigned long long)(rn == 31 ? in->sp : in->x[rn]),
		 (unsigned long long)in->pc, (unsigned long long)seed);
}

int val_run_emulate(struct plugin_host *h, const struct val_opts *o,
		    struct val_ep *ep)
{
	uint64_t s = o->seed ^ UINT64_C(0xe3a1a7e0);
	unsigned refused = 0;
	int e = 0;

	for (unsigned i = 0; !e && i < o->cases; i++) {
		struct hvx_regs in;
		struct emu_run r;
		uint32_t insn;
		uint64_t seed;
		char in_s[320];

		if (ep->proc_findings >= MAX_PROC_FINDINGS) {
			snprintf(ep->note, sizeof(ep->note), "stopped after %u crashes/hangs",
				 ep->proc_findings);
			break;
		}
		memset(&in, 0, sizeof(in));
		check_gen_emulate(&s, &insn, &in);
		seed = util_rng_next(&s);
		e = emu_call(h, insn, seed, &in, &r);
		if (e)
			break;
		ep->cases++;
		ep->random++;
		emu_input(insn, seed, &in, in_s, sizeof(in_s));
		if (r.st.kind != PLUGIN_CALL_OK) {
			val_process(ep, &r.st, in_s);
			if (r.st.kind != PLUGIN_CALL_SANITIZER)
				continue;
		}
		refused += r.rc < 0;
		for (unsigned f = 0; f < EF_COUNT; f++) {
			unsigned fi = val_field(ep, check_emu_fields[f].name,
						check_emu_fields[f].rule);

			if (r.cmp >> f & 1)
				val_count(ep, fi, r.fail >> f & 1, in_s, r.exp[f], r.act_s[f]);
		}
	}
	if (!ep->note[0] && refused)
		snprintf(ep->note, sizeof(ep->note), "%u of %u instructions refused",
			 refused, ep->cases);
	return e;
}
