/*
 * What `hvexit validate` and fuzz/plugin/plugin_diff.c compare: the
 * reference for each plugin entry point (include/hvexit/plugin.h), the
 * per-field comparison with the Arm ARM rule of each field, and the
 * random case generators. Harness library code (no CLI, no I/O).
 */
#ifndef HVEXIT_HARNESS_PLUGIN_CHECK_H
#define HVEXIT_HARNESS_PLUGIN_CHECK_H

#include <stdint.h>

#include "hvexit/plugin.h"

struct check_field {
	const char *name;
	const char *rule;	/* Arm ARM reference and the rule */
};

/* ---- decode_dabt -------------------------------------------------- */
enum { DF_RETURN, DF_VALID, DF_LEN, DF_IS_WRITE, DF_SSE, DF_RT, DF_SF,
       DF_AR, DF_S1PTW, DF_DFSC, DF_COUNT };
extern const struct check_field check_dabt_fields[DF_COUNT];

/* Reference: *rc = 0 and *out for a data abort EC, -EINVAL otherwise. */
void check_ref_decode_dabt(uint64_t esr, int *rc, struct hvx_dabt *out);

/*
 * Compare the plugin's answer (act_rc, act) with the expected one for esr
 * (ref_rc, ref). Sets bit DF_x in *compared for every field compared and
 * in the return value for every field that differs. exp_s/act_s (may be
 * NULL) receive printable expected/actual values per field
 * (DF_COUNT strings of 32 bytes each).
 */
unsigned check_cmp_dabt(uint64_t esr, int ref_rc, const struct hvx_dabt *ref,
			int act_rc, const struct hvx_dabt *act,
			unsigned *compared, char (*exp_s)[32], char (*act_s)[32]);

/* ---- mmio_load ---------------------------------------------------- */
enum { LF_RETURN, LF_VALUE, LF_COUNT };
extern const struct check_field check_load_fields[LF_COUNT];

/* Reference in plugin terms: *rc 0 (Xt written, *val) or
 * HVX_MMIO_NO_WRITE; -EINVAL outside the domain. */
void check_ref_mmio_load(uint64_t esr, uint64_t bus, int *rc, uint64_t *val);
unsigned check_cmp_load(int ref_rc, uint64_t ref_val, int act_rc,
			uint64_t act_val, unsigned *compared,
			char (*exp_s)[32], char (*act_s)[32]);
/* Is esr a load syndrome hvexit passes to mmio_load (data abort, ISV=1,
 * WnR=0, an SSE/SF/SAS combination some A64 load produces)? */
int check_load_domain(uint64_t esr);

/* ---- random cases --------------------------------------------------- */
/* A load syndrome a guest's MMIO load can produce (dabt_gen_possible,
 * harness/validate/dabt_space.h) and bus data with sign-bit patterns and
 * junk above the access size. */
void check_gen_load(uint64_t *state, uint64_t *esr, uint64_t *bus);

/* One-line decoded view of a data abort ESR ("EC=0x24 IL=1 ISV=1 ..."). */
void check_describe_esr(uint64_t esr, char *buf, unsigned len);

#endif
