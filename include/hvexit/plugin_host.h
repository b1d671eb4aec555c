/*
 * Plugin host: runs a hypervisor's plugin library (include/hvexit/plugin.h)
 * in a child process so that a crash, a hang or a sanitizer report of the
 * plugin becomes a finding and never takes hvexit down.
 *
 * The parent never dlopens the plugin: a forked child does, reports the
 * ABI version and the exported entry points, then serves one request per
 * case over a socketpair. Each call waits at most the host's timeout; on
 * a crash (the child died from a signal or exited), a timeout (the child
 * is killed with SIGKILL) or a sanitizer report on the child's stderr,
 * the call returns the status and the next call starts a fresh child.
 * Memory: plugin_host_open allocates the host; plugin_host_close frees it
 * and ends the child.
 */
#ifndef HVEXIT_PLUGIN_HOST_H
#define HVEXIT_PLUGIN_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "hvexit/plugin.h"

/* Entry point bits (plugin_host_entry_points). gicd needs new, read,
 * write and free all exported. */
enum plugin_ep {
	PLUGIN_EP_DECODE_DABT = 1u << 0,
	PLUGIN_EP_MMIO_LOAD   = 1u << 1,
	PLUGIN_EP_S2          = 1u << 2,
	PLUGIN_EP_GICD        = 1u << 3,
	PLUGIN_EP_MMIO_LOAD_REGS = 1u << 4,	/* ABI 1.1 */
	PLUGIN_EP_EMULATE     = 1u << 5,	/* ABI 1.1 */
};
#define PLUGIN_EP_COUNT 6
/* "decode_dabt", "mmio_load", "s2_translate", "gicd", "mmio_load_regs",
 * "emulate" for index 0..5. */
const char *plugin_ep_name(unsigned index);

/* What happened to the child during a call. */
enum plugin_call_kind {
	PLUGIN_CALL_OK = 0,	/* the plugin returned; results valid */
	PLUGIN_CALL_CRASH,	/* the child died (signal or exit) */
	PLUGIN_CALL_HANG,	/* no answer within the timeout; killed */
	PLUGIN_CALL_SANITIZER,	/* answered, but a sanitizer reported */
	PLUGIN_CALL_ERROR,	/* host-side failure (fork, pipe) */
};
struct plugin_status {
	enum plugin_call_kind kind;
	int signal;		/* CRASH: the signal, 0 if it exited */
	char diag[512];		/* one-paragraph diagnostic (stderr excerpt) */
};
const char *plugin_call_kind_name(enum plugin_call_kind k);

struct plugin_host;

/*
 * Start a child that loads path. timeout_ms bounds every call (>= 1).
 * Returns 0 and *out, or: -ENOENT (no such file), -ENOEXEC (dlopen
 * failed: not a shared object, missing dependency), -EPROTO (no
 * hvx_plugin_abi symbol, or it returned a version other than
 * HVX_PLUGIN_ABI, or the child died while loading). err receives a
 * one-line explanation in every error case.
 */
int plugin_host_open(const char *path, unsigned timeout_ms,
		     struct plugin_host **out, char *err, size_t errlen);
void plugin_host_close(struct plugin_host *h);
unsigned plugin_host_entry_points(const struct plugin_host *h);
/* The revision of ABI 1 the plugin announced (hvx_plugin_abi_minor, 0
 * when absent) and the struct hvx_dabt fields its decoder extracts
 * (HVX_DABT_F_*; HVX_DABT_F_ALL unless it said otherwise). */
int plugin_host_abi_minor(const struct plugin_host *h);
uint32_t plugin_host_dabt_fields(const struct plugin_host *h);
/* Number of child processes started so far (1 + restarts). */
unsigned plugin_host_spawns(const struct plugin_host *h);

/*
 * The calls. Each returns 0 when the exchange happened (st->kind tells
 * whether the plugin answered: only with PLUGIN_CALL_OK or _SANITIZER are
 * *rc and the outputs valid), or a negative errno for a host-side error.
 */
int plugin_call_decode_dabt(struct plugin_host *h, uint64_t esr, int *rc,
			    struct hvx_dabt *out, struct plugin_status *st);
int plugin_call_mmio_load(struct plugin_host *h, uint64_t esr, uint64_t bus,
			  int *rc, uint64_t *val, struct plugin_status *st);

/* Stage-2: the tables are mem[0..memlen) at physical address membase
 * (memlen <= PLUGIN_S2_MAX_MEM); reads outside are refused. */
#define PLUGIN_S2_MAX_MEM (4u << 20)
int plugin_call_s2(struct plugin_host *h, uint64_t vtcr, uint64_t vttbr,
		   uint64_t ipa, int access, uint64_t membase,
		   const uint8_t *mem, size_t memlen, int *rc,
		   struct hvx_s2_result *out, struct plugin_status *st);

/* GIC distributor: one case = new(nr_irqs, owned) + ops + free. */
struct plugin_gicd_op {
	uint8_t write;		/* 1 write, 0 read */
	uint8_t len;		/* 1, 2 or 4 */
	uint32_t offset;
	uint32_t val;		/* write: the data */
};
struct plugin_gicd_res {
	int32_t rc;		/* plugin's return value */
	uint32_t val;		/* read: the data */
};
#define PLUGIN_GICD_MAX_OPS 4096
/* *new_ok = 0 if gicd_new returned NULL (then no op ran). owned has
 * nr_irqs bits (nr_irqs <= 1024). */
int plugin_call_gicd(struct plugin_host *h, unsigned nr_irqs,
		     const uint8_t *owned, const struct plugin_gicd_op *ops,
		     size_t nops, int *new_ok, struct plugin_gicd_res *res,
		     struct plugin_status *st);

/*
 * ABI 1.1 mmio_load_regs: *regs is the register file passed in and, when
 * the plugin answered, the file it left.
 */
int plugin_call_mmio_load_regs(struct plugin_host *h, uint64_t esr, uint64_t bus,
			       struct hvx_regs *regs, int *rc,
			       struct plugin_status *st);

/*
 * ABI 1.1 emulate: the accesses the plugin made through its hvx_mmio_fn
 * (at most PLUGIN_EMU_MAX_ACC are recorded; overflow says it tried more)
 * and the register file it left. Reads return check_emu_mem(mem_seed,
 * addr, len) (harness/validate/plugin_check.h): the same bytes whichever
 * way an access is split.
 */
#define PLUGIN_EMU_MAX_ACC 8
struct plugin_emu_access {
	uint64_t addr;
	uint64_t data;		/* read: the data returned; write: the data */
	uint8_t len;		/* as passed (255: larger) */
	uint8_t write;
	uint8_t refused;	/* len not 1/2/4/8 or a NULL data pointer */
};
struct plugin_emu_result {
	uint32_t nacc, overflow;
	struct plugin_emu_access acc[PLUGIN_EMU_MAX_ACC];
	struct hvx_regs regs;
};
int plugin_call_emulate(struct plugin_host *h, uint32_t insn, uint64_t mem_seed,
			const struct hvx_regs *regs, int *rc,
			struct plugin_emu_result *out, struct plugin_status *st);

#endif
