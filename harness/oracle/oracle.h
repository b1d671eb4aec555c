/*
 * hvexit oracle: hvexit's models against an executable implementation of
 * the architecture at EL2 (QEMU's TCG with virtualization=on, or real
 * hardware booting the same probe image).
 *
 * The host writes a batch of operations (the blob) that the bare-metal
 * probe (guests/oracle/) executes at EL2 in one boot: it programs
 * VTCR_EL2/VTTBR_EL2/HCR_EL2/MDCR_EL2/CPTR_EL2, writes each case's
 * Stage-2 tables, runs one instruction at EL1 with the EL1 MMU off (VA =
 * IPA) and prints the ESR_EL2/FAR_EL2/HPFAR_EL2/ELR_EL2 of the exception
 * that ends it, or the PAR_EL1 of an AT S12E1R/W. The room generates the
 * cases, computes hvexit's expectation for each (decoder/ Stage-2 walk,
 * xcheck, the system-register table), runs the batch and reports every
 * disagreement as a finding (harness/report), classified:
 *   model     hvexit's expectation is wrong (the Arm ARM agrees with the
 *             probe);
 *   emulator  the probe's platform contradicts a named Arm ARM rule;
 *   cu        the Arm ARM allows both (CONSTRAINED UNPREDICTABLE or
 *             IMPLEMENTATION DEFINED);
 *   unsettled no rule in the classifier table explains it yet.
 *
 * Physical layout the host and the probe share (guests/oracle/probe.ld):
 */
#ifndef HVEXIT_ORACLE_H
#define HVEXIT_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/report/report.h"

#define ORACLE_BLOB_PA	  UINT64_C(0x48000000)	/* the batch (-device loader) */
#define ORACLE_BLOB_MAX	  (UINT64_C(0x08000000))	/* up to the pool */
#define ORACLE_TABLE_PA	  UINT64_C(0x44000000)	/* Stage-2 tables of a case */
#define ORACLE_TABLE_MAX  (UINT64_C(4) << 20)
#define ORACLE_STUB_PA	  UINT64_C(0x40200000)	/* EL1 stub page, IPA 0 */
#define ORACLE_STUB_ENTRY UINT64_C(0x800)	/* IPA of the instruction slot */
#define ORACLE_POOL_LO	  UINT64_C(0x50000000)	/* where accesses may land */
#define ORACLE_POOL_HI	  UINT64_C(0x80000000)
#define ORACLE_UNBACKED	  UINT64_C(0x100000000)	/* no memory, no device */
#define ORACLE_RAM_MB	  1024u
#define ORACLE_MAGIC	  UINT64_C(0x31304352584f5648)	/* "HVXORC01" */
#define ORACLE_UART_QEMU  UINT64_C(0x09000000)	/* virt board PL011 */

/* Blob: header {magic, uart, nops, 0}, then nops records {op, a, b, c}. */
enum oracle_op {
	ORC_END, ORC_SET, ORC_WORD, ORC_CLEAN, ORC_TLBI, ORC_POKE32, ORC_RUN, ORC_AT,
};
/* ORC_SET register ids. */
enum oracle_reg {
	ORC_VTCR, ORC_VTTBR, ORC_HCR, ORC_MDCR, ORC_CPTR, ORC_HSTR, ORC_SCTLR1, ORC_CPACR1,
};

/* Encodings the probe and the expectations share. */
#define ORC_HVC_DONE	UINT32_C(0xd4000022)	/* HVC #1: the instruction completed */
#define ORC_HVC_TARGET	UINT32_C(0xd4000042)	/* HVC #2: a branch target was reached */
#define ORC_HVC_EL1EXC	0xe1u			/* HVC #0xE1: EL1 took an exception */
/* HCR_EL2 of every case: VM (Stage 2 on), RW (EL1 is AArch64), AMO/IMO/FMO
 * (SError/IRQ/FIQ to EL2) (D24.2.62); with FEAT_RAS also TEA, so that a
 * synchronous External abort at EL1 (a fetch from memory that does not
 * exist) comes to EL2 instead of looping through EL1's vectors. */
#define ORC_HCR_BASE	(UINT64_C(1) << 31 | 1u << 0 | 1u << 3 | 1u << 4 | 1u << 5)
#define ORC_HCR_TEA	(UINT64_C(1) << 37)
struct oracle_ident;
uint64_t oracle_hcr(const struct oracle_ident *id);
/* SCTLR_EL1 with M, A, C, I clear and the RES1 bits of v8.0 (D24.2.175). */
#define ORC_SCTLR1	UINT64_C(0x30d00800)
/* CPTR_EL2 (E2H=0): RES1 [13:12], [9], [7:0]; TFP, TZ, TTA, TCPAC clear. */
#define ORC_CPTR_BASE	UINT64_C(0x32ff)
#define ORC_CPACR1_FP	(UINT64_C(3) << 20)	/* CPACR_EL1.FPEN: no FP trap at EL1 */

struct oracle_batch {
	uint64_t (*op)[4];
	size_t n, cap;
	uint64_t next_id;	/* ids of RUN/AT records, 0.. */
	bool oom;
};
void oracle_batch_init(struct oracle_batch *b);
void oracle_batch_free(struct oracle_batch *b);
void oracle_batch_add(struct oracle_batch *b, uint64_t op, uint64_t a, uint64_t x, uint64_t y);
/* A RUN or AT record: returns its id (the record that answers it). RUN
 * sets X0..X30 and SP_EL1 to regval (with ORC_RUN_X0_HVC, X0 holds HVC #3
 * twice instead) and runs word at EL1. */
#define ORC_RUN_X0_HVC	(UINT64_C(1) << 32)
uint64_t oracle_batch_run(struct oracle_batch *b, uint64_t word_flags, uint64_t regval);
uint64_t oracle_batch_at(struct oracle_batch *b, bool write, uint64_t ipa);
/* Bytes of the blob for n records. */
size_t oracle_blob_size(size_t nops);

/* What the probe reported for one record. */
struct oracle_rec {
	char tag;		/* 'R', 'A', or 0 when it never answered */
	uint64_t vec, esr, far, hpfar, elr, x0, x1;	/* R */
	uint64_t par;	/* A; with esr and far of a Data Abort the AT took (else 0) */
};

struct oracle_ident {
	uint64_t midr, mmfr0, mmfr1, mmfr2, pfr0, mdcr;
};

struct oracle_out {
	struct oracle_ident id;
	bool have_id, done;
	struct oracle_rec *rec;	/* indexed by id, nrec of them */
	size_t nrec;
	char fault[128];	/* "F ..." line of a probe fault, "" none */
};
void oracle_out_free(struct oracle_out *o);

struct oracle_env {
	const char *qemu;	/* qemu-system-aarch64 */
	const char *probe;	/* probe.elf */
	const char *cpu;	/* -cpu (default max) */
	const char *workdir;	/* temporary files */
	unsigned timeout_s;
	bool keep;		/* keep the blob and the UART log */
};

/* Boot the probe once with the batch; parse its UART output into *out.
 * 0, or -errno with a one-line reason in err (QEMU missing, no
 * identification line...). -ETIMEDOUT: the boot was stopped after
 * env->timeout_s, *out holds the records that came (free it). On other
 * errors *out is empty. */
int oracle_qemu_run(const struct oracle_env *env, const struct oracle_batch *b,
		    struct oracle_out *out, char *err, size_t errlen);
/* Parse one UART log (text) into *out (for tests). 0 or -EINVAL. */
int oracle_parse(const char *text, size_t len, size_t nrec, struct oracle_out *out);

/* Implemented PA size in bits from ID_AA64MMFR0_EL1.PARange (D24.2.93),
 * 0 when reserved. */
unsigned oracle_parange_bits(uint64_t mmfr0);
/* The Stage-2 model's feature set for the identified PE (s2 features). */
unsigned oracle_s2_features(const struct oracle_ident *id);

/* The classes of a disagreement (the top comment). */
enum oracle_class { ORC_MODEL, ORC_EMULATOR, ORC_CU, ORC_UNSETTLED };
const char *oracle_class_name(enum oracle_class c);

struct oracle_stats {
	unsigned long cases, checks, agree, disagree, skipped;
	unsigned long by_class[4];
};

struct oracle_opts {
	const struct oracle_env *env;
	uint64_t seed, first, cases;
	uint64_t batch;		/* cases per boot */
	FILE *log;		/* progress, may be NULL */
};

/* hvexit oracle s2 / syndromes: generate, run, compare, report. 0 or
 * -errno with err. */
int oracle_s2(const struct oracle_opts *o, struct report *r, struct oracle_stats *st,
	      char *err, size_t errlen);
int oracle_syndromes(const struct oracle_opts *o, struct report *r, struct oracle_stats *st,
		     char *err, size_t errlen);

#endif
