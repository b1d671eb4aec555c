/*
 * The messages between the plugin host (plugin_host.c, the parent) and the
 * child that loads the plugin (plugin_child.c), and the byte transport both
 * use. Internal to harness/validate: a message is a struct msg_hdr followed
 * by len payload bytes; every request gets exactly one reply (op 0).
 */
#ifndef HVEXIT_HARNESS_PLUGIN_PROTO_H
#define HVEXIT_HARNESS_PLUGIN_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hvexit/plugin.h"
#include "hvexit/plugin_host.h"

enum req_op { REQ_HELLO = 1, REQ_DABT, REQ_LOAD, REQ_S2, REQ_GICD,
	      REQ_LOAD_REGS, REQ_EMULATE };

struct msg_hdr {
	uint32_t op;		/* request: enum req_op; reply: 0 */
	uint32_t len;		/* payload bytes that follow */
};

struct hello_reply {
	int32_t rc;
	int32_t abi;
	int32_t minor;		/* hvx_plugin_abi_minor(), 0 if absent */
	uint32_t mask;		/* enum plugin_ep bits */
	uint32_t dabt_fields;	/* HVX_DABT_F_* the decoder extracts */
	char err[256];
};

struct dabt_req { uint64_t esr; };
struct dabt_reply { int32_t rc; struct hvx_dabt d; };
struct load_req { uint64_t esr, bus; };
struct load_reply { int32_t rc; uint64_t val; };
struct s2_req {
	uint64_t vtcr, vttbr, ipa, membase;
	int32_t access;
	uint32_t memlen;	/* followed by memlen bytes */
};
struct s2_reply { int32_t rc; struct hvx_s2_result r; };
struct gicd_req {
	uint32_t nr_irqs, nops;
	uint8_t owned[128];	/* followed by nops struct plugin_gicd_op */
};
struct load_regs_req { uint64_t esr, bus; struct hvx_regs regs; };
struct load_regs_reply { int32_t rc; struct hvx_regs regs; };
struct emulate_req { uint32_t insn; uint32_t pad; uint64_t mem_seed; struct hvx_regs regs; };
struct emulate_reply { int32_t rc; struct plugin_emu_result res; };

#define MAX_PAYLOAD (PLUGIN_S2_MAX_MEM + 4096u)

/* Transport (plugin_child.c). Send all n bytes: 0 or -EPIPE. */
int plugin_io_write_all(int fd, const void *p, size_t n);
/* Read n bytes; deadline_ms (CLOCK_MONOTONIC, plugin_io_now_ms) < 0 waits
 * forever (the child side). When watch > 0, gives up with -EPIPE once that
 * child has terminated, even if a process it forked still holds the other
 * end open. 0, -ETIMEDOUT, -EPIPE (peer gone) or -errno. */
int plugin_io_read_all(int fd, void *p, size_t n, long long deadline_ms, pid_t watch);
/* Has child pid terminated (without reaping it)? */
int plugin_io_child_exited(pid_t pid);
long long plugin_io_now_ms(void);
/* One message: header, then a and b (either may be empty). */
int plugin_io_send(int fd, uint32_t op, const void *a, size_t alen,
		   const void *b, size_t blen);

/* The child: lead a process group, take the limits of plugin_guard.h,
 * load path, send the hello reply, serve requests on fd until the parent
 * closes it (each with cpu_s seconds of CPU). stderr goes to errfd, stdout
 * nowhere. Never returns. */
void plugin_child_main(const char *path, int fd, int errfd, unsigned cpu_s)
	__attribute__((noreturn));

#endif
