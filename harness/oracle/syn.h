/* hvexit oracle syndromes: the shared set-up (synrun.c), the load/store
 * cases (syn.c) and the system-register traps (systrap.c). */
#ifndef HVEXIT_ORACLE_SYN_H
#define HVEXIT_ORACLE_SYN_H

#include "harness/oracle/oracle.h"
#include "hvexit/insn.h"
#include "hvexit/s2.h"

#define SYN_TABLE_BYTES (64u << 10)

/* Stage 2 of every syndrome case: 4KB granule, 40-bit IPA and PA, start
 * level 1; only the stub page (IPA 0) is mapped. */
struct oracle_syn_env {
	struct oracle_ident id;
	uint64_t vtcr;
	struct s2_config cfg;
	struct s2_flatmem mem;
	size_t used;
	uint8_t tables[SYN_TABLE_BYTES];
};
int oracle_syn_env_init(struct oracle_syn_env *e, const struct oracle_ident *id, char *err,
			size_t errlen);
/* HCR_EL2, SCTLR_EL1, CPTR_EL2, CPACR_EL1, VTCR/VTTBR and the tables. */
void oracle_syn_prologue(const struct oracle_syn_env *e, struct oracle_batch *b);

/* Why cases were not compared, by reason (static strings). */
#define SYN_MAX_REASONS 16
struct oracle_syn_counts {
	const char *why[SYN_MAX_REASONS];
	unsigned long n[SYN_MAX_REASONS];
	unsigned count;
};
void oracle_syn_count(struct oracle_syn_counts *c, const char *why);

int oracle_syn_ldst(const struct oracle_syn_env *e, const struct oracle_opts *o,
		    uint64_t ncases, struct report *r, struct oracle_stats *st,
		    struct oracle_syn_counts *sc, char *err, size_t errlen);
int oracle_syn_sysreg(const struct oracle_syn_env *e, const struct oracle_opts *o,
		      struct report *r, struct oracle_stats *st, char *err, size_t errlen);

#endif
