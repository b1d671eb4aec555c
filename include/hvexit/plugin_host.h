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
};
#define PLUGIN_EP_COUNT 4
/* "decode_dabt", "mmio_load", "s2_translate", "gicd" for index 0..3. */
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

#endif
