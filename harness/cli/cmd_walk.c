/*
 * hvexit walk: Stage-2 (and with --stage1, Stage-1 + Stage-2) table walk
 * of one address over page-table images loaded from files.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/util/infile.h"
#include "harness/cli/cmds.h"
#include "harness/stage2/memimg.h"
#include "hvexit/s2.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: hvexit walk --vtcr HEX --vttbr HEX --mem FILE@PA [--mem FILE@PA ...]\n"
"                   --ipa HEX [--access read|write|exec] [--el0] [--fwb]\n"
"                   [--parange BITS] [--json] [--trace] [--syndrome]\n"
"                   [--features LIST] [--s2pir HEX] [--s2por HEX]\n"
"       hvexit walk --stage1 --tcr HEX --ttbr0 HEX [--ttbr1 HEX] --va HEX\n"
"                   --vtcr HEX --vttbr HEX --mem FILE@PA ... [options]\n"
"                   [--sctlr HEX] [--pan]\n"
"  --features LIST is the PE's feature set, a comma list of xnx ttst lpa\n"
"  lpa2 hafdbs s2pie s2poe pan wxn, or all/none (default all). S2PIR_EL2,\n"
"  S2POR_EL1, SCTLR_EL1 (WXN) and PSTATE.PAN are walk inputs. A hardware\n"
"  update of a descriptor (Access flag, dirty state) is reported, not\n"
"  written to the files.\n"
"  --syndrome adds the ESR_EL2 and FAR low bits of a fault; --iss HEX gives\n"
"  the instruction syndrome (ISS bits [24:14]: ISV SAS SSE SRT SF AR) of a\n"
"  data access so ESR_EL2 carries ISV=1.\n");
}

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

static int parse_mem(struct s2_memimg *m, const char *arg)
{
	const char *at = strrchr(arg, '@');
	uint64_t pa;
	char path[4096];

	if (!at || at == arg || (size_t)(at - arg) >= sizeof(path))
		return cli_error("walk", "--mem '%s': want FILE@PA", arg);
	if (num_parse_hex(at + 1, &pa))
		return cli_error("walk", "--mem '%s': bad physical address", arg);
	memcpy(path, arg, (size_t)(at - arg));
	path[at - arg] = 0;
	char why[512];
	int rc = infile_check(path, why, sizeof(why));
	if (rc < 0)
		return cli_error("walk", "--mem %s", why);
	if (rc == 1)
		return cli_error("walk", "--mem %s: a stream; the image must be a regular file", path);
	rc = s2_memimg_load(m, path, pa);
	if (rc)
		return cli_error("walk", "--mem '%s': %s", arg,
				 rc == -EEXIST ? "overlaps another --mem" :
				 rc == -ENODATA ? "empty file" : strerror(-rc));
	return 0;
}

static int hexopt(const char *name, const char *v, uint64_t *out, bool *have)
{
	if (!v)
		return cli_error("walk", "%s needs a value", name);
	if (num_parse_hex(v, out))
		return cli_error("walk", "%s '%s': not a hex number", name, v);
	if (have)
		*have = true;
	return 0;
}

static int parse_args(int argc, char **argv, struct walk_opts *o, struct s2_memimg *m)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int rc = -1;

		if (!strcmp(a, "--vtcr")) rc = hexopt(a, v, &o->vtcr, &o->have_vtcr);
		else if (!strcmp(a, "--vttbr")) rc = hexopt(a, v, &o->vttbr, &o->have_vttbr);
		else if (!strcmp(a, "--ipa")) rc = hexopt(a, v, &o->ipa, &o->have_ipa);
		else if (!strcmp(a, "--tcr")) rc = hexopt(a, v, &o->tcr, &o->have_tcr);
		else if (!strcmp(a, "--ttbr0")) rc = hexopt(a, v, &o->ttbr0, &o->have_ttbr0);
		else if (!strcmp(a, "--ttbr1")) rc = hexopt(a, v, &o->ttbr1, NULL);
		else if (!strcmp(a, "--va")) rc = hexopt(a, v, &o->va, &o->have_va);
		else if (!strcmp(a, "--sctlr")) rc = hexopt(a, v, &o->sctlr, NULL);
		else if (!strcmp(a, "--s2pir")) rc = hexopt(a, v, &o->s2pir, NULL);
		else if (!strcmp(a, "--s2por")) rc = hexopt(a, v, &o->s2por, NULL);
		else if (!strcmp(a, "--features")) {
			size_t off = 0;
			if (!v)
				return cli_error("walk", "--features needs a comma list (see --help)");
			if (s2_features_parse(v, &o->features, &off))
				return cli_error("walk", "--features '%s': unknown feature at '%s' (see --help)",
						 v, v + off);
			rc = 0;
		}
		else if (!strcmp(a, "--mem")) rc = v ? parse_mem(m, v) : cli_error("walk", "--mem needs FILE@PA");
		else if (!strcmp(a, "--iss")) {
			uint64_t iss;
			if (!v || num_parse_hex(v, &iss) || iss > ESR_ISS_MASK)
				return cli_error("walk", "--iss wants a 25-bit hex ISS");
			esr_decode_dabt(hvx_field(ESR_EC_DABT_LOW, 31, 26) | iss, &o->iss);
			o->iss.il = true;	/* A64 instructions are 32-bit */
			o->have_iss = true;
			rc = 0;
		} else if (!strcmp(a, "--parange")) {
			uint64_t p;
			if (!v || num_parse_u64(v, &p) || p < 32 || p > 52)
				return cli_error("walk", "--parange wants 32..52");
			o->parange = (unsigned)p;
			rc = 0;
		} else if (!strcmp(a, "--access")) {
			if (!v)
				return cli_error("walk", "--access needs read|write|exec");
			if (!strcmp(v, "read")) o->acc = S2_ACC_READ;
			else if (!strcmp(v, "write")) o->acc = S2_ACC_WRITE;
			else if (!strcmp(v, "exec")) o->acc = S2_ACC_EXEC;
			else return cli_error("walk", "--access '%s': want read|write|exec", v);
			rc = 0;
		} else {
			bool *flag = !strcmp(a, "--json") ? &o->json :
				     !strcmp(a, "--trace") ? &o->trace :
				     !strcmp(a, "--stage1") ? &o->stage1 :
				     !strcmp(a, "--el0") ? &o->el0 :
				     !strcmp(a, "--fwb") ? &o->fwb :
				     !strcmp(a, "--pan") ? &o->pan :
				     !strcmp(a, "--syndrome") ? &o->syndrome : NULL;
			if (!flag)
				return cli_error("walk", "unknown option '%s' (see --help)", a);
			*flag = true;
			continue;
		}
		if (rc)
			return rc;
		i++;
	}
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

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
	rc = parse_args(argc, argv, &o, &m);
	if (rc)
		goto out;
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
	s2_walk(&c, o.ipa, o.acc, o.el0, s2_memimg_read64, &m, &r);
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
