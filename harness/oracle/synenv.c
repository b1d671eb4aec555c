/* hvexit oracle syndromes: the environment both parts share (syn.h): the
 * Stage-2 configuration, the batch prologue, the not-compared counters. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "harness/oracle/syn.h"

/* VTCR_EL2 (D24.2.224): T0SZ 24 (40-bit IPA), SL0 0b01 (level 1), IRGN0/
 * ORGN0 Write-Back, SH0 Inner Shareable, TG0 4KB, PS 40-bit, RES1 bit 31. */
#define SYN_VTCR (UINT64_C(24) | 1u << 6 | 1u << 8 | 1u << 10 | 3u << 12 | 2u << 16 | \
		  UINT64_C(1) << 31)

int oracle_syn_env_init(struct oracle_syn_env *e, const struct oracle_ident *id, char *err,
			size_t errlen)
{
	const struct s2_region stub = { 0, ORACLE_STUB_PA, 0x1000, S2_R | S2_X };
	struct s2_build_out bo;
	const char *why = NULL;

	e->id = *id;
	e->vtcr = SYN_VTCR;
	if (s2_config_init(SYN_VTCR, ORACLE_TABLE_PA, oracle_s2_features(id),
			   oracle_parange_bits(id->mmfr0), false, &e->cfg, &why) ||
	    s2_build(&e->cfg, &stub, 1, e->tables, sizeof(e->tables), ORACLE_TABLE_PA, &bo,
		     &why)) {
		snprintf(err, errlen, "syndrome Stage-2 tables: %s", why ? why : "?");
		return -EINVAL;
	}
	e->used = bo.used;
	e->mem = (struct s2_flatmem){ e->tables, bo.used, ORACLE_TABLE_PA };
	return 0;
}

void oracle_syn_prologue(const struct oracle_syn_env *e, struct oracle_batch *b)
{
	oracle_batch_add(b, ORC_SET, ORC_HCR, oracle_hcr(&e->id), 0);
	oracle_batch_add(b, ORC_SET, ORC_SCTLR1, ORC_SCTLR1, 0);
	oracle_batch_add(b, ORC_SET, ORC_CPTR, ORC_CPTR_BASE, 0);
	oracle_batch_add(b, ORC_SET, ORC_CPACR1, ORC_CPACR1_FP, 0);
	oracle_batch_add(b, ORC_SET, ORC_VTCR, e->vtcr, 0);
	oracle_batch_add(b, ORC_SET, ORC_VTTBR, ORACLE_TABLE_PA, 0);
	for (size_t off = 0; off + 8 <= e->used; off += 8) {
		uint64_t v = hvx_get_le(e->tables + off, 8);
		if (v)
			oracle_batch_add(b, ORC_WORD, ORACLE_TABLE_PA + off, v, 0);
	}
	oracle_batch_add(b, ORC_TLBI, 0, 0, 0);
}

void oracle_syn_count(struct oracle_syn_counts *c, const char *why)
{
	for (unsigned i = 0; i < c->count; i++)
		if (!strcmp(c->why[i], why)) {
			c->n[i]++;
			return;
		}
	if (c->count < SYN_MAX_REASONS) {
		c->why[c->count] = why;
		c->n[c->count++] = 1;
	}
}
