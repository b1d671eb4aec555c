/*
 * What makes a replay difference explain itself (hvexit replay): the
 * cause it is grouped by, the Arm ARM rule that decides the value, the
 * trapping instruction in words, and an `hvexit exit ...` command line
 * that shows the replayed value of the same exit on a fresh VM.
 */
#ifndef HVEXIT_CLI_REPLAY_EXPLAIN_H
#define HVEXIT_CLI_REPLAY_EXPLAIN_H

#include <stddef.h>

#include "hvexit/trace.h"

struct trace_engine;

/* The cause: exception class, for data aborts ISV and the ISS access
 * shape (SAS, SSE, SF, direction), and the instruction's mnemonic when
 * its word is known; so one rule broken for one instruction form is one
 * group while two forms stay apart. */
void explain_cluster(const struct trace_event *ev, const struct trace_reader *r, char *buf,
		     size_t len);
/* The field as grouped: a register an outcome writes is named by its
 * role in the exit ("outcome.writes.Rt", "Rt2", "Rn") so the same rule
 * broken for different registers is one group; other fields as given. */
void explain_field(const char *field, const struct trace_event *ev,
		   const struct trace_reader *r, char *buf, size_t len);
/* The Arm ARM rule (with its section) deciding field of a difference of
 * kind ("outcome", "kvm", "xcheck") for this exit; "" when none applies. */
void explain_rule(const char *kind, const char *field, const struct trace_exit *e,
		  char *buf, size_t len);
/* The trapping instruction: Capstone's disassembly of its word when the
 * trace knows it, else what the syndrome itself says (HVC/SMC #imm,
 * MRS/MSR of the encoded register, WFI/WFE); "" when neither. */
void explain_insn(const struct trace_event *ev, const struct trace_reader *r, char *buf,
		  size_t len);
/* `hvexit exit ... --json` for the exit the engine just ran: the
 * vCPU's registers and PC as the engine had them before it (eng), the
 * event's overrides, the instruction word, the VMM's data, and
 * --trace-vm TRACE when the header describes the VM (memory map or
 * config). "" when the exit has no ESR. */
void explain_reproducer(const struct trace_event *ev, const struct trace_reader *r,
			struct trace_engine *eng, const char *trace, char *buf, size_t len);

#endif
