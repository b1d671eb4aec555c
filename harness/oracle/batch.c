/* The batch of probe operations and its blob (oracle.h). */
#include <stdlib.h>

#include "harness/oracle/oracle.h"
#include "hvexit/common.h"

void oracle_batch_init(struct oracle_batch *b)
{
	*b = (struct oracle_batch){ 0 };
}

void oracle_batch_free(struct oracle_batch *b)
{
	free(b->op);
	*b = (struct oracle_batch){ 0 };
}

void oracle_batch_add(struct oracle_batch *b, uint64_t op, uint64_t a, uint64_t x, uint64_t y)
{
	if (b->oom)
		return;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		void *p = realloc(b->op, cap * sizeof(*b->op));
		if (!p) {
			b->oom = true;
			return;
		}
		b->op = p;
		b->cap = cap;
	}
	b->op[b->n][0] = op;
	b->op[b->n][1] = a;
	b->op[b->n][2] = x;
	b->op[b->n][3] = y;
	b->n++;
}

uint64_t oracle_batch_run(struct oracle_batch *b, uint64_t word_flags, uint64_t regval)
{
	uint64_t id = b->next_id++;

	oracle_batch_add(b, ORC_RUN, id, word_flags, regval);
	return id;
}

uint64_t oracle_batch_at(struct oracle_batch *b, bool write, uint64_t ipa)
{
	uint64_t id = b->next_id++;

	oracle_batch_add(b, ORC_AT, id, write, ipa);
	return id;
}

size_t oracle_blob_size(size_t nops)
{
	return (nops + 1) * 4 * sizeof(uint64_t);
}

void oracle_out_free(struct oracle_out *o)
{
	free(o->rec);
	o->rec = NULL;
	o->nrec = 0;
}

unsigned oracle_parange_bits(uint64_t mmfr0)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	unsigned pr = (unsigned)(mmfr0 & 15);

	return pr < sizeof(bits) / sizeof(bits[0]) ? bits[pr] : 0;
}

const char *oracle_class_name(enum oracle_class c)
{
	static const char *const n[] = {
		[ORC_MODEL] = "model", [ORC_EMULATOR] = "emulator",
		[ORC_CU] = "constrained-unpredictable", [ORC_UNSETTLED] = "unsettled",
	};
	return (unsigned)c < 4 ? n[c] : "?";
}

uint64_t oracle_hcr(const struct oracle_ident *id)
{
	/* ID_AA64PFR0_EL1.RAS [31:28] (D24.2.85) */
	return ORC_HCR_BASE | (hvx_bits(id->pfr0, 31, 28) ? ORC_HCR_TEA : 0);
}
