/*
 * JSON form of the exit engine's input and outcome (jansson), shared by
 * `hvexit exit --json`, the trace writer and the trace replayer.
 *
 * Outcome object (issue #4):
 *   {"action": "resume|mmio|inject|shutdown|reset|wfi|cpu_on|unhandled",
 *    "vcpu": n,
 *    "accesses": [{"ipa": "0x..", "len": n, "write": bool, "data": "0x..",
 *                  "pending": bool}],
 *    "writes": {"x3": "0x..", "sp": "0x.."},
 *    "pc": "0x..",
 *    "inject": {"esr_el1": "0x..", "far_el1": "0x..", "elr_el1": "0x..",
 *               "spsr_el1": "0x..", "vector": "0x.."} or null,
 *    "cpu_on": {"target": "0x..", "entry": "0x..", "context": "0x.."}
 *              (only when action is cpu_on),
 *    "findings": [{"kind": "..", "detail": ".."}]}
 * Exit object:
 *   {"esr": "0x..", "far": "0x..", "hpfar": "0x..", "insn": "0x.." (opt),
 *    "pc": "0x.." (opt), "regs": {"x0": "0x..", ...} (opt),
 *    "mmio_data": ["0x..", ...] (opt)}
 * Numbers are hex strings ("0x" + lower-case hex) so 64-bit values
 * survive JSON; the parsers also accept JSON integers >= 0.
 *
 * Ownership: the *_to_json functions return a new reference (caller
 * json_decref()s it) or NULL on allocation failure. The *_from_json
 * functions fill a caller-owned struct and return 0, or -EINVAL with a
 * one-line reason in err (if err != NULL, errlen bytes, NUL-terminated).
 */
#ifndef HVEXIT_OUTCOME_JSON_H
#define HVEXIT_OUTCOME_JSON_H

#include <jansson.h>

#include "hvexit/emu.h"

json_t *emu_outcome_to_json(const struct emu_outcome *o);
int emu_outcome_from_json(const json_t *j, struct emu_outcome *o,
			  char *err, size_t errlen);
json_t *emu_exit_to_json(const struct emu_exit *e);
int emu_exit_from_json(const json_t *j, struct emu_exit *e,
		       char *err, size_t errlen);
/* Field-by-field equality of two outcomes (finding details ignored, kinds
 * compared); true if equal. If not, a description of the first
 * difference goes to diff (diff may be NULL). */
bool emu_outcome_equal(const struct emu_outcome *a, const struct emu_outcome *b,
		       char *diff, size_t difflen);

#endif
