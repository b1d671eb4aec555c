/*
 * A GIC distributor case for hvexit validate: nr_irqs, the interrupts the
 * hypervisor owns, and a stream of guest reads and writes, judged against
 * hvexit's reference distributor (emu/gicd.c with the same owned set).
 *
 * Text form (what findings print and `--entry gicd --gicd` reads), items
 * separated by commas, no spaces:
 *   nr=64,owned=32+37+42,w1@0x425=0xff,r4@0x424
 * "wL@OFF=VAL" is a write of L bytes (1, 2 or 4), "rL@OFF" a read.
 */
#ifndef HVEXIT_VALIDATE_GICD_STREAM_H
#define HVEXIT_VALIDATE_GICD_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "hvexit/plugin_host.h"

#define GSTREAM_MAX_OPS 256

struct gstream {
	unsigned nr;
	uint8_t owned[128];
	struct plugin_gicd_op ops[GSTREAM_MAX_OPS];
	unsigned nops;
};

void gstream_op(struct gstream *g, int write, unsigned len, uint32_t off, uint32_t val);
void gstream_own(struct gstream *g, unsigned irq);
/* Parse the text form; 0 or -EINVAL with a one-line reason. */
int gstream_parse(const char *s, struct gstream *g, char *err, size_t errlen);
int gicd_stream_check(const char *s, char *err, size_t errlen);
/* The text form of g. */
void gstream_describe(const struct gstream *g, char *buf, size_t len);
/* Register name of a distributor offset ("IPRIORITYR"; "other"). */
const char *gstream_reg_name(uint32_t off);

/* What is wrong with a stream: the invariant (field), its rule, the cause
 * (register, width and byte offset of the access) and the values. */
struct gverdict {
	const char *field, *rule;
	char cluster[96];
	char expected[96], actual[200];
};

/*
 * Run g on the plugin and on the reference, each bracketed by reads of
 * every per-IRQ register, and judge: an access the specification allows
 * must not fault; an owned interrupt's fields must not change (in the
 * plugin's reads and against the reference's state); ITARGETSR0-7 and
 * ICFGR0 are read-only; reads and the final SPI state must match the
 * reference on the bits the specification defines.
 * 0 pass, 1 fail (*v), 2 the plugin crashed/hung (*st), <0 host error.
 */
/* The rule of an invariant the judge checks ("" for another name). */
const char *gstream_rule(const char *field);

int gstream_judge(struct plugin_host *h, const struct gstream *g, struct gverdict *v,
		  struct plugin_status *st);

#endif
