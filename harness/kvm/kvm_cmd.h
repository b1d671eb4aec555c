/*
 * hvexit kvm: what `kvm run` (kvm_cmd.c) and `kvm suite` (kvm_suite.c)
 * share: the guests/ suite with what each guest must end with, and one
 * guest run whose findings go through the report model (harness/report)
 * as one test case.
 */
#ifndef HVEXIT_KVM_CMD_H
#define HVEXIT_KVM_CMD_H

#include "harness/kvm/kvmb.h"
#include "harness/report/report.h"

struct guest_spec {
	const char *name;
	unsigned vcpus;
	bool secondaries_off;
	enum kvmb_end want_end;
	const char *uart0, *uart1;	/* expected console output, or NULL */
	unsigned timeout_s;		/* 0: the suite's --timeout */
	unsigned vgic;			/* 2/3: needs the in-kernel vGICv2/v3 */
};

/* Guest i of the suite, in run order; NULL past the end. */
const struct guest_spec *kvm_suite_guest(size_t i);

/* How a guest run prints its result on stdout. */
enum kvm_out { KVM_OUT_TEXT, KVM_OUT_JSON, KVM_OUT_NONE };

/*
 * Run one guest and add it to rep as a case (class "kvm.guest") with its
 * findings, which rep's baseline marks known or new. Returns 0 pass,
 * known or skipped at run time, 1 fail, 2 bad input (ELF, map), 3 no
 * usable KVM or a missing capability (the case is a SKIP).
 */
int kvm_run_guest(const char *path, const char *name, struct kvmb_opts *opt,
		  const struct kvmb_map *map, const char *ftrace_out,
		  const struct guest_spec *spec, struct report *rep, enum kvm_out out);

/* `hvexit kvm suite` (kvm_suite.c). */
int kvm_cmd_suite(int argc, char **argv);

/* `hvexit kvm run` (kvm_cmd.c) and the usage text of `hvexit kvm`. */
int kvm_cmd_run(int argc, char **argv);
int kvm_usage(void);

#endif
