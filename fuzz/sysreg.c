/*
 * Fuzz target: system register names and SMCCC function IDs.
 *
 * Input layout: a stream of records. Each record starts with one op byte;
 * op % 5 selects an operation from ops[]; its argument bytes follow
 * (missing bytes at the end read as zero, so short input is padded, never
 * rejected):
 *   0 NAME   2 bytes LE: 16-bit encoding -> sysreg_name; a name found
 *            must look up to the same encoding (Arm ARM D23 table)
 *   1 INDEX  2 bytes LE: table index -> sysreg_at, then name/lookup
 *            round trip and sortedness against the neighbour
 *   2 FID    4 bytes LE: SMCCC function ID -> smccc_decode (DEN0028
 *            2.5): fields re-pack to the ID; PSCI names imply owner 4
 *   3 LOOKUP 1 length byte n (n % 32), then n name bytes -> sysreg_lookup;
 *            a hit must name the same register (case-insensitively)
 *   4 SYS    2 bytes LE: SYS instruction alias -> sysreg_sys_name, op0 1
 * Invariant violations abort(), which the fuzzers report as crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hvexit/smccc.h"
#include "hvexit/sysreg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct cursor {
	const uint8_t *p;
	size_t n;
};

static uint8_t take8(struct cursor *c)
{
	uint8_t v = 0;

	if (c->n) {
		v = *c->p++;
		c->n--;
	}
	return v;
}

static uint32_t take_le(struct cursor *c, unsigned bytes)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < bytes; i++)
		v |= (uint32_t)take8(c) << (8 * i);
	return v;
}

static void check(int cond)
{
	if (!cond)
		abort();
}

static void op_name(struct cursor *c)
{
	uint32_t enc = take_le(c, 2), back;
	const char *name = sysreg_name(enc);

	if (!name)
		return;
	check(sysreg_lookup(name, &back) == 0);
	check(back == enc);
	check(sysreg_sys_name(enc) == NULL);	/* disjoint op0 spaces */
}

static void op_index(struct cursor *c)
{
	size_t i = take_le(c, 2), n = sysreg_count();
	uint32_t enc, prev, back;
	const char *name;

	if (i >= n) {
		check(sysreg_at(i, &enc, &name) == -ERANGE);
		return;
	}
	check(sysreg_at(i, &enc, &name) == 0);
	check(sysreg_name(enc) == name);
	check(sysreg_lookup(name, &back) == 0 && back == enc);
	if (i > 0) {
		check(sysreg_at(i - 1, &prev, NULL) == 0);
		check(prev < enc);
	}
}

static void op_fid(struct cursor *c)
{
	uint32_t fid = take_le(c, 4), re;
	struct smccc_fid f;
	const char *psci;

	smccc_decode(fid, &f);
	re = (uint32_t)f.fast << 31 | (uint32_t)f.smc64 << 30 |
	     (uint32_t)f.owner << 24 | (uint32_t)f.hint << 16 | f.number;
	check(f.owner < 64 && f.hint < 2 && f.number < 0x10000);
	check(f.mbz_ok == ((fid & 0x00fe0000u) == 0));
	check((re | (fid & 0x00fe0000u)) == fid);
	check(smccc_owner_name(f.owner) != NULL);
	psci = psci_fn_name(fid);
	if (psci)
		check(f.fast && f.owner == 4 && f.mbz_ok && !f.hint &&
		      f.number <= 0x1f);
	if (smccc_arch_fn_name(fid))
		check(f.fast && !f.smc64 && f.owner == 0 && !psci);
}

static void op_lookup(struct cursor *c)
{
	char buf[32];
	size_t len = take8(c) % sizeof(buf), i;
	uint32_t enc;
	const char *name;

	for (i = 0; i < len; i++)
		buf[i] = (char)take8(c);
	buf[len] = '\0';
	if (sysreg_lookup(buf, &enc) != 0)
		return;
	name = sysreg_name(enc);
	check(name != NULL && strcasecmp(name, buf) == 0);
}

static void op_sys(struct cursor *c)
{
	uint32_t enc = take_le(c, 2);
	const char *name = sysreg_sys_name(enc);

	if (name)
		check((enc >> 14) == 1 && sysreg_name(enc) == NULL);
}

static void (*const ops[])(struct cursor *) = {
	op_name, op_index, op_fid, op_lookup, op_sys,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = { data, size };
	unsigned steps = 0;

	while (c.n && steps++ < 256)
		ops[take8(&c) % (sizeof(ops) / sizeof(ops[0]))](&c);
	return 0;
}
