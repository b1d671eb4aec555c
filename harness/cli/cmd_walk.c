/*
 * hvexit walk: Stage-2 (and with --stage1, Stage-1 + Stage-2) table walk
 * of one address over page-table images loaded from files.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/opts.h"
#include "harness/util/infile.h"
#include "harness/cli/cmds.h"
#include "harness/stage2/memimg.h"
#include "hvexit/s2.h"

struct walk_opts {
	uint64_t vtcr, vttbr, ipa, tcr, ttbr0, ttbr1, va, sctlr, s2pir, s2por;
	unsigned features;
	bool have_vtcr, have_vttbr, have_ipa, have_tcr, have_ttbr0, have_va;
	bool stage1, json, trace, el0, fwb, syndrome, pan;
	unsigned parange;
	enum s2_access acc;
	bool have_iss;
	struct esr_dabt iss;
};

struct walk_ctx {
	struct walk_opts *o;
	struct s2_memimg *m;
};

/* --mem FILE@PA: a page-table image (a regular file) at a physical address. */
static int opt_mem(void *ctx, const char *arg, char *err, size_t errlen)
{
	struct walk_ctx *w = ctx;
	const char *at = strrchr(arg, '@');
	uint64_t pa;
	char path[4096];
	int rc;

	if (!at || at == arg || (size_t)(at - arg) >= sizeof(path)) {
		snprintf(err, errlen, "want FILE@PA");
		return -EINVAL;
	}
	if (num_parse_hex(at + 1, &pa)) {
		snprintf(err, errlen, "bad physical address");
		return -EINVAL;
	}
	memcpy(path, arg, (size_t)(at - arg));
	path[at - arg] = 0;
	rc = infile_check(path, err, errlen);
	if (rc == 1)
		snprintf(err, errlen, "%s: a stream; the image must be a regular file", path);
	if (rc)
		return -EINVAL;
	rc = s2_memimg_load(w->m, path, pa);
	if (rc)
		snprintf(err, errlen, "%s", rc == -EEXIST ? "overlaps another --mem" :
			 rc == -ENODATA ? "empty file" : strerror(-rc));
	return rc ? -EINVAL : 0;
}

static int opt_features(void *ctx, const char *v, char *err, size_t errlen)
{
	struct walk_ctx *w = ctx;
	size_t off = 0;

	if (s2_features_parse(v, &w->o->features, &off)) {
		snprintf(err, errlen, "unknown feature at '%s'", v + off);
		return -EINVAL;
	}
	return 0;
}

static int opt_iss(void *ctx, const char *v, char *err, size_t errlen)
{
	struct walk_ctx *w = ctx;
	uint64_t iss;

	if (num_parse_hex(v, &iss) || iss > ESR_ISS_MASK) {
		snprintf(err, errlen, "want a 25-bit hex ISS");
		return -EINVAL;
	}
	esr_decode_dabt(hvx_field(ESR_EC_DABT_LOW, 31, 26) | iss, &w->o->iss);
	w->o->iss.il = true;	/* A64 instructions are 32-bit */
	w->o->have_iss = true;
	return 0;
}

static int opt_access(void *ctx, const char *v, char *err, size_t errlen)
{
	static const struct { const char *name; enum s2_access acc; } tab[] = {
		{ "read", S2_ACC_READ }, { "write", S2_ACC_WRITE }, { "exec", S2_ACC_EXEC },
	};
	struct walk_ctx *w = ctx;

	for (size_t i = 0; i < HVX_ARRAY_SIZE(tab); i++)
		if (!strcmp(v, tab[i].name)) {
			w->o->acc = tab[i].acc;
			return 0;
		}
	snprintf(err, errlen, "want read|write|exec");
	return -EINVAL;
}

/* 0 to go on, 1 after --help, 2 after an error. */
static int parse_args(int argc, char **argv, struct walk_opts *o, struct s2_memimg *m)
{
	struct walk_ctx w = { .o = o, .m = m };
	uint64_t parange = o->parange;
	char **ops = calloc((size_t)argc + 1, sizeof(*ops));
	int nops, rc;
	struct cli_opt opts[] = {
		OPT_HEX("--vtcr", &o->vtcr, "HEX", "VTCR_EL2 (required)"),
		OPT_HEX("--vttbr", &o->vttbr, "HEX", "VTTBR_EL2 (required)"),
		OPT_FN("--mem", opt_mem, "FILE@PA", "a page-table image at a physical address (one at least)"),
		OPT_HEX("--ipa", &o->ipa, "HEX", "the IPA to translate (required without --stage1)"),
		OPT_FN("--access", opt_access, "KIND", "read, write or exec (default read)"),
		OPT_FLAG("--el0", &o->el0, "an EL0 access"),
		OPT_FLAG("--fwb", &o->fwb, "HCR_EL2.FWB set"),
		OPT_U64("--parange", &parange, "BITS", 32, 52, "physical address size (default 52)"),
		OPT_FLAG("--json", &o->json, "JSON output"),
		OPT_FLAG("--trace", &o->trace, "every descriptor read, on stderr"),
		OPT_FLAG("--syndrome", &o->syndrome, "the ESR_EL2 and FAR low bits of a fault"),
		OPT_FN("--iss", opt_iss, "HEX", "ISS bits [24:14] of a data access, for --syndrome"),
		OPT_FN("--features", opt_features, "LIST",
		       "xnx ttst lpa lpa2 hafdbs s2pie s2poe pan wxn, or all/none"),
		OPT_HEX("--s2pir", &o->s2pir, "HEX", "S2PIR_EL2"),
		OPT_HEX("--s2por", &o->s2por, "HEX", "S2POR_EL1"),
		OPT_FLAG("--stage1", &o->stage1, "Stage-1 walk of --va first (needs --tcr, --ttbr0)"),
		OPT_HEX("--tcr", &o->tcr, "HEX", "TCR_EL1"),
		OPT_HEX("--ttbr0", &o->ttbr0, "HEX", "TTBR0_EL1"),
		OPT_HEX("--ttbr1", &o->ttbr1, "HEX", "TTBR1_EL1"),
		OPT_HEX("--va", &o->va, "HEX", "the VA to translate (--stage1)"),
		OPT_HEX("--sctlr", &o->sctlr, "HEX", "SCTLR_EL1 (WXN)"),
		OPT_FLAG("--pan", &o->pan, "PSTATE.PAN set"),
	};
	const struct cli_cmd cmd = {
		.name = "walk",
		.synopsis = "--vtcr HEX --vttbr HEX --mem FILE@PA [--mem ...] --ipa HEX [options]\n"
			    "       hvexit walk --stage1 --tcr HEX --ttbr0 HEX --va HEX --vtcr HEX --vttbr HEX --mem FILE@PA [options]",
		.about = "Stage-2 (with --stage1: Stage-1 then Stage-2) table walk of one address\n"
			 "over page-table images. The feature set (--features, default all),\n"
			 "S2PIR_EL2, S2POR_EL1, SCTLR_EL1 (WXN) and PSTATE.PAN are walk inputs. A\n"
			 "hardware update of a descriptor (Access flag, dirty state) is reported,\n"
			 "not written to the files.",
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts), .ctx = &w,
	};

	opts[0].given = &o->have_vtcr;
	opts[1].given = &o->have_vttbr;
	opts[3].given = &o->have_ipa;
	opts[16].given = &o->have_tcr;
	opts[17].given = &o->have_ttbr0;
	opts[19].given = &o->have_va;
	opts[4].repeat = opts[11].repeat = opts[12].repeat = false;
	if (!ops)
		return cli_error("walk", "out of memory");
	rc = cli_parse(&cmd, argc, argv, ops, &nops);
	if (!rc && nops)
		rc = cli_error("walk", "unexpected argument '%s' (see --help)", ops[0]);
	free(ops);
	if (rc)
		return rc;
	o->parange = (unsigned)parange;
	if (!o->have_vtcr || !o->have_vttbr)
		return cli_error("walk", "--vtcr and --vttbr are required");
	if (!m->n)
		return cli_error("walk", "at least one --mem FILE@PA is required");
	if (o->stage1 && (!o->have_tcr || !o->have_ttbr0 || !o->have_va))
		return cli_error("walk", "--stage1 needs --tcr, --ttbr0 and --va");
	if (!o->stage1 && !o->have_ipa)
		return cli_error("walk", "--ipa is required");
	return 0;
}

static void print_trace(const char *stage, const struct s2_trace_step *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fprintf(stderr, "%s level %d index %u desc@0x%" PRIx64 " = 0x%016" PRIx64 "\n",
			stage, t[i].level, t[i].index, t[i].desc_pa, t[i].desc);
}

static void json_upd(const struct s2_update *u)
{
	printf("{\"desc_pa\": \"0x%" PRIx64 "\", \"old\": \"0x%" PRIx64 "\", \"new\": \"0x%" PRIx64 "\"}",
	       u->desc_pa, u->old_desc, u->new_desc);
}

static void json_s2(const struct s2_result *r, const struct walk_opts *o, bool s1ptw)
{
	printf("{\"ipa\": \"0x%" PRIx64 "\", ", r->ipa);
	if (r->upd.valid) {
		printf("\"update\": ");
		json_upd(&r->upd);
		printf(", ");
	}
	if (r->fault == S2_OK) {
		printf("\"result\": \"ok\", \"pa\": \"0x%" PRIx64 "\", \"level\": %d, "
		       "\"s2ap\": %u, \"xn\": %u, \"memattr\": %u, \"sh\": %u, "
		       "\"af\": %d, \"size\": %" PRIu64 "}",
		       r->pa, r->level, r->s2ap, r->xn, r->memattr, r->sh, r->af, r->size);
		return;
	}
	printf("\"result\": \"fault\", \"fault\": \"%s\", \"level\": %d, "
	       "\"dfsc\": %u, \"hpfar\": \"0x%" PRIx64 "\", \"overlay\": %d, \"dirtybit\": %d",
	       s2_fault_name(r->fault), r->level, r->fsc, s2_fault_hpfar(r->ipa),
	       r->overlay, r->dirtybit);
	if (o->syndrome) {
		struct s2_access_info ai = { .acc = o->acc, .s1ptw = s1ptw,
					     .iss = o->have_iss ? &o->iss : NULL };
		printf(", \"esr\": \"0x%" PRIx64 "\", \"far_low\": \"0x%" PRIx64 "\"",
		       s2_fault_esr(r, &ai), (s1ptw ? o->va : r->ipa) & 0xfff);
	}
	printf("}");
}

static void text_s2(const struct s2_result *r, const struct walk_opts *o, bool s1ptw)
{
	if (r->upd.valid)
		printf("stage 2: hardware update of desc@0x%" PRIx64 ": 0x%016" PRIx64
		       " -> 0x%016" PRIx64 "\n", r->upd.desc_pa, r->upd.old_desc, r->upd.new_desc);
	if (r->fault == S2_OK) {
		printf("stage 2: IPA 0x%" PRIx64 " -> PA 0x%" PRIx64 " (level %d, %" PRIu64
		       " bytes) S2AP=%u XN=%u MemAttr=0x%x (%s) SH=%u AF=%d DBM=%d contig=%d\n",
		       r->ipa, r->pa, r->level, r->size, r->s2ap, r->xn, r->memattr,
		       s2_memattr_name(r->memattr, o->fwb),
		       r->sh, r->af, r->dbm, r->contig);
		return;
	}
	struct s2_access_info ai = { .acc = o->acc, .s1ptw = s1ptw,
					     .iss = o->have_iss ? &o->iss : NULL };
	printf("stage 2: IPA 0x%" PRIx64 " %s fault%s, level %d, DFSC 0x%02x, "
	       "HPFAR_EL2 0x%" PRIx64 ", ESR_EL2 0x%" PRIx64 "%s\n",
	       r->ipa, s2_fault_name(r->fault),
	       r->overlay ? " (overlay)" : r->dirtybit ? " (dirty state)" : "", r->level, r->fsc,
	       s2_fault_hpfar(r->ipa), s2_fault_esr(r, &ai), s1ptw ? " (S1PTW)" : "");
}

static int do_stage1(const struct walk_opts *o, const struct s2_config *c, struct s2_memimg *m)
{
	struct s1_result r;
	const char *rule = NULL;

	const struct s1_regs regs = { .tcr = o->tcr, .ttbr0 = o->ttbr0, .ttbr1 = o->ttbr1,
				      .sctlr = o->sctlr, .pan = o->pan };
	const struct s2_mem mem = { .read64 = s2_memimg_read64, .ctx = m };

	if (s1_walk(&regs, c, o->va, o->acc, o->el0, &mem, &r, &rule))
		return cli_error("walk", "invalid TCR_EL1/TTBR: %s", rule ? rule : "?");
	if (o->trace)
		print_trace("stage1", r.trace, r.steps);
	bool s1fault = r.fault != S2_OK;
	bool s2done = r.s1ptw || !s1fault;
	if (o->json) {
		printf("{\"va\": \"0x%" PRIx64 "\", \"result\": \"%s\", ", o->va,
		       s1fault || r.s2.fault != S2_OK ? "fault" : "ok");
		printf("\"s1ptw\": %s, \"stage1\": ", r.s1ptw ? "true" : "false");
		if (r.s1ptw)
			printf("{\"result\": \"incomplete\", \"level\": %d}", r.level);
		else if (s1fault)
			printf("{\"result\": \"fault\", \"fault\": \"%s\", \"level\": %d, \"dfsc\": %u}",
			       s2_fault_name(r.fault), r.level, r.fsc);
		else
			printf("{\"result\": \"ok\", \"ipa\": \"0x%" PRIx64 "\", \"level\": %d, "
			       "\"ap\": %u, \"uxn\": %d, \"pxn\": %d, \"af\": %d, \"size\": %" PRIu64 "}",
			       r.ipa, r.level, r.ap, r.uxn, r.pxn, r.af, r.size);
		printf(", \"stage2\": ");
		if (s2done)
			json_s2(&r.s2, o, r.s1ptw);
		else
			printf("null");
		printf(", \"stage2_updates\": [");
		for (unsigned i = 0; i < r.nupd; i++) {
			printf("%s", i ? ", " : "");
			json_upd(&r.upd[i]);
		}
		printf("]}\n");
		return 0;
	}
	if (r.s1ptw)
		printf("stage 1: VA 0x%" PRIx64 " walk at level %d: table access faulted at stage 2\n",
		       o->va, r.level);
	else if (s1fault)
		printf("stage 1: VA 0x%" PRIx64 " %s fault, level %d, FSC 0x%02x\n",
		       o->va, s2_fault_name(r.fault), r.level, r.fsc);
	else
		printf("stage 1: VA 0x%" PRIx64 " -> IPA 0x%" PRIx64 " (level %d) AP=%u UXN=%d PXN=%d\n",
		       o->va, r.ipa, r.level, r.ap, r.uxn, r.pxn);
	if (s2done)
		text_s2(&r.s2, o, r.s1ptw);
	return 0;
}

int cmd_walk(int argc, char **argv)
{
	struct walk_opts o = { .parange = 52, .acc = S2_ACC_READ, .features = S2_FEAT_ALL };
	struct s2_memimg m = { .n = 0 };
	struct s2_config c;
	const char *rule = NULL;
	int rc;

	rc = parse_args(argc, argv, &o, &m);
	if (rc) {
		rc = rc == 1 ? 0 : 2;
		goto out;
	}
	rc = s2_config_init(o.vtcr, o.vttbr, o.features, o.parange, o.fwb, &c, &rule);
	if (rc < 0) {
		rc = cli_error("walk", "invalid VTCR_EL2/VTTBR_EL2: %s", rule);
		goto out;
	}
	c.s2pir = o.s2pir;
	c.s2por = o.s2por;
	if (o.trace) {
		char feat[128];
		s2_features_format(o.features, feat, sizeof(feat));
		if (c.fault_rule)
			fprintf(stderr, "config: %s\n", c.fault_rule);
		else
			fprintf(stderr, "config: granule %uK, IPA %u bits, OA %u bits, start level %d, "
				"%u root table(s) at 0x%" PRIx64 ", VMID %u\n",
				1u << (c.granule_bits - 10), c.ia_bits, c.oa_bits, c.start_level,
				c.root_tables, c.root, c.vttbr.vmid);
		fprintf(stderr, "config: features %s%s%s%s%s\n", feat, c.ha ? ", HA" : "",
			c.hd ? ", HD" : "", c.s2pie ? ", S2PIE" : "", c.s2poe ? ", S2POE" : "");
	}
	if (o.stage1) {
		rc = do_stage1(&o, &c, &m);
		goto out;
	}
	struct s2_result r;
	const struct s2_mem mem = { .read64 = s2_memimg_read64, .ctx = &m, .trace = o.trace };
	s2_walk_mem(&c, o.ipa, o.acc, o.el0, &mem, &r);
	if (o.trace)
		print_trace("stage2", r.trace, r.steps);
	if (o.json) {
		json_s2(&r, &o, false);
		printf("\n");
	} else {
		text_s2(&r, &o, false);
	}
	rc = 0;
out:
	s2_memimg_free(&m);
	return rc;
}
