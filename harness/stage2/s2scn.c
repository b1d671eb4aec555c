/* Stage-2 scenario runner (see s2scn.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/num.h"
#include "harness/stage2/regions.h"
#include "harness/stage2/s2scn.h"

#define MAXREG 64

struct scn {
	uint64_t vtcr, vttbr, s2pir, s2por;
	struct s1_regs s1;
	unsigned parange, features;
	bool fwb, have_cfg, writeback;
	struct s2_config cfg;
	struct s2_memimg mem;
	struct s2_region reg[MAXREG];
	size_t nreg;
	const char *path;
	unsigned line;
	FILE *log;
	int fails;
	s2_scn_visit_fn visit;
	void *ctx;
};

static int kv(char **tok, int n, const char *key, const char **val)
{
	size_t kl = strlen(key);
	for (int i = 0; i < n; i++)
		if (!strncmp(tok[i], key, kl) && tok[i][kl] == '=') {
			*val = tok[i] + kl + 1;
			return 1;
		}
	return 0;
}

static void check(struct scn *s, char **tok, int n, const char *key, uint64_t got)
{
	const char *v;
	uint64_t want;
	if (!kv(tok, n, key, &v))
		return;
	if (num_parse_u64(v, &want)) {
		fprintf(s->log, "%s:%u: bad value for %s\n", s->path, s->line, key);
		s->fails++;
		return;
	}
	if (want != got) {
		fprintf(s->log, "%s:%u: %s: want 0x%" PRIx64 " got 0x%" PRIx64 "\n",
			s->path, s->line, key, want, got);
		s->fails++;
	}
}

static void check_str(struct scn *s, char **tok, int n, const char *key, const char *got)
{
	const char *v;
	if (kv(tok, n, key, &v) && strcmp(v, got)) {
		fprintf(s->log, "%s:%u: %s: want %s got %s\n", s->path, s->line, key, v, got);
		s->fails++;
	}
}

static int access_of(char **tok, int n, enum s2_access *a)
{
	const char *v = "read";
	kv(tok, n, "acc", &v);
	if (!strcmp(v, "read")) *a = S2_ACC_READ;
	else if (!strcmp(v, "write")) *a = S2_ACC_WRITE;
	else if (!strcmp(v, "exec")) *a = S2_ACC_EXEC;
	else return -EINVAL;
	return 0;
}

static void check_s2(struct scn *s, char **tok, int n, const struct s2_result *r,
		     enum s2_access acc, bool s1ptw)
{
	check_str(s, tok, n, "result", r->fault == S2_OK ? "ok" : "fault");
	check(s, tok, n, "level", (uint64_t)(int64_t)r->level);
	check(s, tok, n, "upd", r->upd.valid);
	if (r->upd.valid) {
		check(s, tok, n, "upd_pa", r->upd.desc_pa);
		check(s, tok, n, "upd_old", r->upd.old_desc);
		check(s, tok, n, "upd_new", r->upd.new_desc);
		check(s, tok, n, "upd_written", r->upd.written);
	}
	check(s, tok, n, "perm", r->perm);
	check(s, tok, n, "operm", r->operm);
	if (r->fault == S2_OK) {
		check(s, tok, n, "pa", r->pa);
		check(s, tok, n, "s2ap", r->s2ap);
		check(s, tok, n, "xn", r->xn);
		check(s, tok, n, "memattr", r->memattr);
		check(s, tok, n, "sh", r->sh);
		check(s, tok, n, "size", r->size);
		return;
	}
	struct s2_access_info ai = { .acc = acc, .s1ptw = s1ptw };
	check_str(s, tok, n, "fault", s2_fault_name(r->fault));
	check(s, tok, n, "dfsc", r->fsc);
	check(s, tok, n, "hpfar", s2_fault_hpfar(r->ipa));
	check(s, tok, n, "esr", s2_fault_esr(r, &ai));
	check(s, tok, n, "overlay", r->overlay);
	check(s, tok, n, "dirtybit", r->dirtybit);
}

static int ensure_cfg(struct scn *s)
{
	const char *rule = NULL;
	if (s->have_cfg)
		return 0;
	/* 1 = every access faults at level 0: the expect lines check that. */
	if (s2_config_init(s->vtcr, s->vttbr, s->features, s->parange, s->fwb, &s->cfg, &rule) < 0) {
		fprintf(s->log, "%s:%u: invalid VTCR/VTTBR: %s\n", s->path, s->line, rule);
		return -EINVAL;
	}
	s->cfg.s2pir = s->s2pir;
	s->cfg.s2por = s->s2por;
	s->have_cfg = true;
	return 0;
}

static int fault_of(const char *name, enum s2_fault *f)
{
	for (int i = S2_OK; i <= S2_FAULT_SYNC_EXT_WALK; i++)
		if (!strcmp(name, s2_fault_name((enum s2_fault)i))) {
			*f = (enum s2_fault)i;
			return 0;
		}
	return -EINVAL;
}

/* The hand-written values of a Stage-2 expect line, for s->visit. */
static int visit_case(struct scn *s, char **tok, int n, uint64_t ipa, enum s2_access acc,
		      bool el0)
{
	struct s2_scn_case c = {
		.path = s->path, .line = s->line, .vtcr = s->vtcr, .vttbr = s->vttbr,
		.parange = s->parange, .features = s->features, .cfg = &s->cfg,
		.mem = &s->mem, .ipa = ipa, .acc = acc, .el0 = el0,
		.extra_state = s->s2pir || s->s2por || s->writeback || s->fwb,
	};
	static const struct { const char *key; unsigned have; } num[] = {
		{ "level", S2SCN_HAVE_LEVEL }, { "pa", S2SCN_HAVE_PA },
		{ "s2ap", S2SCN_HAVE_S2AP }, { "xn", S2SCN_HAVE_XN },
	};
	const char *v;
	uint64_t val[4] = { 0 };

	if (kv(tok, n, "fault", &v)) {
		if (fault_of(v, &c.fault))
			return -EINVAL;
		c.have |= S2SCN_HAVE_FAULT;
	} else if (kv(tok, n, "result", &v) && !strcmp(v, "ok")) {
		c.fault = S2_OK;
		c.have |= S2SCN_HAVE_FAULT;
	}
	for (unsigned i = 0; i < 4; i++) {
		if (!kv(tok, n, num[i].key, &v))
			continue;
		if (num_parse_u64(v, &val[i]))
			return -EINVAL;
		c.have |= num[i].have;
	}
	c.level = (int)(int64_t)val[0];
	c.pa = val[1];
	c.s2ap = (unsigned)val[2];
	c.xn = (unsigned)val[3];
	s->visit(s->ctx, &c);
	return 0;
}

static int do_expect(struct scn *s, char **tok, int n, bool stage1)
{
	const char *v;
	uint64_t addr;
	enum s2_access acc;
	bool el0 = kv(tok, n, "el0", &v) && v[0] == '1';

	const struct s2_mem mem = { .read64 = s2_memimg_read64,
				    .cas64 = s->writeback ? s2_memimg_cas64 : NULL, .ctx = &s->mem };

	if (ensure_cfg(s))
		return -EINVAL;
	if (!kv(tok, n, stage1 ? "va" : "ipa", &v) || num_parse_u64(v, &addr) ||
	    access_of(tok, n, &acc))
		return -EINVAL;
	if (!stage1) {
		struct s2_result r;
		if (s2_walk_mem(&s->cfg, addr, acc, el0, &mem, &r))
			return -EINVAL;
		check_s2(s, tok, n, &r, acc, false);
		return s->visit ? visit_case(s, tok, n, addr, acc, el0) : 0;
	}
	struct s1_result r;
	const char *rule = NULL;
	if (s1_walk(&s->s1, &s->cfg, addr, acc, el0, &mem, &r, &rule)) {
		fprintf(s->log, "%s:%u: s1_walk: %s\n", s->path, s->line, rule ? rule : "?");
		return -EINVAL;
	}
	check(s, tok, n, "s1ptw", r.s1ptw);
	check(s, tok, n, "s2upds", r.nupd);
	check_str(s, tok, n, "s1fault", s2_fault_name(r.fault));
	if (r.fault == S2_OK && !r.s1ptw)
		check(s, tok, n, "ipa", r.ipa);
	else
		check(s, tok, n, "s1level", (uint64_t)(int64_t)r.level);
	if (r.fault != S2_OK)
		check(s, tok, n, "s1dfsc", r.fsc);
	else
		check_s2(s, tok, n, &r.s2, acc, r.s1ptw);
	return 0;
}

static int do_build(struct scn *s, char **tok, int n)
{
	uint64_t base, bytes;
	const char *err = NULL;
	struct s2_build_out bo;

	if (n != 3 || num_parse_u64(tok[1], &base) || num_parse_u64(tok[2], &bytes) ||
	    bytes > (64u << 20) || ensure_cfg(s))
		return -EINVAL;
	uint8_t *buf = malloc(bytes);
	if (!buf)
		return -ENOMEM;
	int rc = s2_build(&s->cfg, s->reg, s->nreg, buf, bytes, base, &bo, &err);
	if (!rc)
		rc = s2_memimg_add(&s->mem, base, buf, bo.used);
	else
		fprintf(s->log, "%s:%u: build: %s\n", s->path, s->line, err);
	free(buf);
	return rc;
}

static int do_line(struct scn *s, char *l, unsigned *cases)
{
	char *tok[16];
	int n = 0;
	char *h = strchr(l, '#');
	if (h)
		*h = 0;
	for (char *sv = NULL, *t = strtok_r(l, " \t\r\n", &sv); t && n < 16;
	     t = strtok_r(NULL, " \t\r\n", &sv))
		tok[n++] = t;
	if (!n)
		return 0;
	const char *k = tok[0];
	uint64_t a = 0, b = 0;
	if (!strcmp(k, "expect") || !strcmp(k, "s1expect")) {
		(*cases)++;
		return do_expect(s, tok + 1, n - 1, k[0] == 's');
	}
	if (!strcmp(k, "build"))
		return do_build(s, tok, n);
	if (!strcmp(k, "region")) {
		unsigned ln;
		const char *err;
		char buf[256];
		if (s->nreg == MAXREG || n != 5)
			return -EINVAL;
		snprintf(buf, sizeof(buf), "%s %s %s %s", tok[1], tok[2], tok[3], tok[4]);
		return s2_regions_parse(buf, &s->reg[s->nreg++], 1, &ln, &err) == 1 ? 0 : -EINVAL;
	}
	if (!strcmp(k, "features")) {
		s->have_cfg = false;
		return n == 2 ? s2_features_parse(tok[1], &s->features, NULL) : -EINVAL;
	}
	if (n < 2 || num_parse_u64(tok[1], &a))
		return -EINVAL;
	if (!strcmp(k, "word"))
		return n == 3 && !num_parse_u64(tok[2], &b) ? s2_memimg_poke64(&s->mem, a, b) : -EINVAL;
	if (n != 2)
		return -EINVAL;
	if (!strcmp(k, "vtcr")) s->vtcr = a;
	else if (!strcmp(k, "vttbr")) s->vttbr = a;
	else if (!strcmp(k, "tcr")) s->s1.tcr = a;
	else if (!strcmp(k, "ttbr0")) s->s1.ttbr0 = a;
	else if (!strcmp(k, "ttbr1")) s->s1.ttbr1 = a;
	else if (!strcmp(k, "sctlr")) s->s1.sctlr = a;
	else if (!strcmp(k, "pan")) s->s1.pan = a != 0;
	else if (!strcmp(k, "s2pir")) s->s2pir = a;
	else if (!strcmp(k, "s2por")) s->s2por = a;
	else if (!strcmp(k, "writeback")) s->writeback = a != 0;
	else if (!strcmp(k, "parange")) s->parange = (unsigned)a;
	else if (!strcmp(k, "fwb")) s->fwb = a != 0;
	else return -EINVAL;
	s->have_cfg = false;
	return 0;
}

int s2_scenario_run(const char *path, FILE *log, unsigned *cases)
{
	return s2_scenario_visit(path, log, cases, NULL, NULL);
}

int s2_scenario_visit(const char *path, FILE *log, unsigned *cases,
		      s2_scn_visit_fn visit, void *ctx)
{
	struct scn *s = calloc(1, sizeof(*s));
	char line[512];
	int rc = 0;

	*cases = 0;
	if (!s)
		return -ENOMEM;
	FILE *f = fopen(path, "r");
	if (!f) {
		free(s);
		return -errno;
	}
	s->parange = 48;
	s->features = S2_FEAT_ALL;
	s->path = path;
	s->log = log;
	s->visit = visit;
	s->ctx = ctx;
	while (fgets(line, sizeof(line), f)) {
		s->line++;
		rc = do_line(s, line, cases);
		if (rc) {
			fprintf(log, "%s:%u: malformed line (%s)\n", path, s->line, strerror(-rc));
			break;
		}
	}
	fclose(f);
	s2_memimg_free(&s->mem);
	if (!rc)
		rc = s->fails;
	free(s);
	return rc;
}
