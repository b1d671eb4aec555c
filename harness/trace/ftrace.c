/*
 * ftrace text -> hvexit trace (see include/hvexit/ftrace.h). One table row
 * per KVM event: name and a parser for its TP_printk text (Linux 6.1).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvexit/esr.h"
#include "hvexit/ftrace.h"

#define MAX_TASKS FTRACE_MAX_VCPUS
#define MAX_UNKNOWN 64
/* Exits are numbered when their kvm_exit appears (start order) but end
 * when the task's next kvm_exit does; completed exits wait here until
 * every earlier-started exit has been written, so the file is in start
 * order. A window of REORDER exits bounds the memory: an exit still open
 * REORDER exits later (a vCPU that stopped exiting) is written when it
 * completes, after later ones (its seq still says where it started). */
#define REORDER 1024

struct task {
	long pid;
	unsigned vcpu;
	bool open;
	struct trace_event ev;	/* ev.kvm owned here */
};

/* Tasks and waiting exits are allocated one by one as they appear: an
 * importer that sees a handful of exits (one short file, one fuzz input)
 * costs a few KiB, not the ~850 KiB that inline arrays of MAX_TASKS tasks
 * and REORDER events would have to be zeroed for. */
struct ftrace_import {
	struct trace_writer *w;	/* NULL: count only */
	struct task *tasks[MAX_TASKS];	/* [0, ntasks) allocated */
	unsigned ntasks, nvcpus;
	uint64_t seq;		/* next exit-start number */
	uint64_t next_out;	/* lowest seq not yet written or skipped */
	struct trace_event *ring[REORDER];	/* seq % REORDER; NULL: empty */
	struct ftrace_stats st;
	struct { char name[48]; unsigned long n; } unknown[MAX_UNKNOWN];
	unsigned nunknown;
	bool failed;
};

struct ftrace_import *ftrace_import_new(struct trace_writer *w)
{
	struct ftrace_import *im = calloc(1, sizeof(*im));

	if (im)
		im->w = w;
	return im;
}

static int write_ev(struct ftrace_import *im, struct trace_event *ev)
{
	int rc = 0;

	im->st.exits++;
	if (im->w && trace_write_event(im->w, ev) < 0)
		rc = -EIO;
	json_decref(ev->kvm);
	ev->kvm = NULL;
	return rc;
}

/* Write the waiting exits from next_out on, in seq order; with all, skip
 * over exits that are still open (they are written when they complete). */
static int drain(struct ftrace_import *im, uint64_t upto, bool force)
{
	int rc = 0;

	while (im->next_out < upto) {
		unsigned k = (unsigned)(im->next_out % REORDER);

		if (!im->ring[k] && !force)
			break;	/* wait for this exit to complete */
		if (im->ring[k]) {
			if (write_ev(im, im->ring[k]) < 0)
				rc = -EIO;
			free(im->ring[k]);
			im->ring[k] = NULL;
		}
		im->next_out++;
	}
	return rc;
}

static int emit(struct ftrace_import *im, struct task *t)
{
	struct trace_event *ev = &t->ev, *slot;

	if (!t->open)
		return 0;
	t->open = false;
	if (ev->seq < im->next_out)	/* its slot was passed over: late */
		return write_ev(im, ev);
	/* next_out <= ev->seq < next_out + REORDER: its slot is free */
	slot = malloc(sizeof(*slot));
	if (!slot) {
		json_decref(ev->kvm);
		ev->kvm = NULL;
		return -ENOMEM;
	}
	*slot = *ev;
	im->ring[ev->seq % REORDER] = slot;
	ev->kvm = NULL;		/* owned by the ring now */
	return drain(im, im->seq, false);
}

/* Number a new exit; make room in the window for it first. */
static int number_exit(struct ftrace_import *im, struct trace_event *ev)
{
	int rc = 0;

	if (im->seq >= im->next_out + REORDER)
		rc = drain(im, im->seq - REORDER + 1, true);
	ev->seq = im->seq++;
	return rc;
}

static struct task *task_of(struct ftrace_import *im, long pid, bool create)
{
	for (unsigned i = 0; i < im->ntasks; i++)
		if (im->tasks[i]->pid == pid)
			return im->tasks[i];
	if (!create || im->ntasks >= MAX_TASKS)
		return NULL;
	struct task *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	im->tasks[im->ntasks++] = t;
	t->pid = pid;
	t->vcpu = im->nvcpus++;
	return t;
}

static void count_unknown(struct ftrace_import *im, const char *name, size_t len)
{
	im->st.unknown++;
	if (len >= sizeof(im->unknown[0].name))
		len = sizeof(im->unknown[0].name) - 1;
	for (unsigned i = 0; i < im->nunknown; i++) {
		if (strlen(im->unknown[i].name) == len && !strncmp(im->unknown[i].name, name, len)) {
			im->unknown[i].n++;
			return;
		}
	}
	if (im->nunknown < MAX_UNKNOWN) {
		memcpy(im->unknown[im->nunknown].name, name, len);
		im->unknown[im->nunknown].name[len] = 0;
		im->unknown[im->nunknown++].n = 1;
	}
}

/* The open exit's kvm object (created on demand), or NULL when the task
 * has no open exit: such events are counted as orphans (unknown). */
static json_t *kvm_obj(struct task *t)
{
	if (!t || !t->open)
		return NULL;
	return t->ev.kvm;
}

/* The TP_printk formats print unsigned numbers of at most 64 bits; sscanf
 * would saturate longer ones and negate "-0x14" silently. False when args
 * holds a '-' before a digit or a run of more than 16 hex digits. */
static bool numbers_ok(const char *args)
{
	size_t run = 0;

	for (const char *p = args; *p; p++) {
		bool hex = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
			   (*p >= 'A' && *p <= 'F');

		if (*p == '-' && p[1] >= '0' && p[1] <= '9')
			return false;
		if (*p == 'x' && run == 1 && p[-1] == '0') {
			run = 0;	/* the "0x" prefix */
			continue;
		}
		run = hex ? run + 1 : 0;
		if (run > 16)
			return false;
	}
	return true;
}

/* ---- per-event parsers: 0 ok, -EINVAL malformed -------------------------- */
typedef int (*ev_parse_fn)(struct ftrace_import *im, struct task *t, long pid,
			   const char *args);

/* "%s: HSR_EC: 0x%04x (%s), PC: 0x%016lx" (trace_arm.h kvm_exit) */
static int p_exit(struct ftrace_import *im, struct task *t, long pid, const char *args)
{
	char type[32], ecname[32];
	unsigned ec;
	uint64_t pc;

	if (sscanf(args, "%31[^:]: HSR_EC: %x (%31[^)]), PC: %" SCNx64, type, &ec,
		   ecname, &pc) != 4 || ec > 0x3f)
		return -EINVAL;
	if (t && emit(im, t) < 0)
		return -EIO;
	if (strcmp(type, "TRAP")) {
		im->st.non_trap++;	/* IRQ, SERROR, ...: no syndrome to check */
		return 0;
	}
	t = task_of(im, pid, true);
	if (!t)
		return im->ntasks >= MAX_TASKS ? -E2BIG : -ENOMEM;
	memset(&t->ev, 0, sizeof(t->ev));
	t->open = true;
	if (number_exit(im, &t->ev) < 0)
		return -EIO;
	t->ev.vcpu = t->vcpu;
	t->ev.exit.ec = ec;
	t->ev.exit.pc = pc;
	t->ev.exit.has_pc = true;
	t->ev.kvm = json_pack("{s:s,s:o,s:s,s:o,s:I}", "exit_type", type, "ec",
			      trace_hex(ec), "ec_name", ecname, "pc", trace_hex(pc),
			      "pid", (json_int_t)pid);
	return 0;
}

/* "ipa %#llx, hsr %#08lx, hxfar %#08lx, pc %#016lx" (kvm_guest_fault) */
static int p_fault(struct ftrace_import *im, struct task *t, long pid, const char *args)
{
	uint64_t ipa, hsr, far, pc;
	json_t *k = kvm_obj(t);

	(void)im; (void)pid;
	if (sscanf(args, "ipa %" SCNx64 ", hsr %" SCNx64 ", hxfar %" SCNx64 ", pc %" SCNx64,
		   &ipa, &hsr, &far, &pc) != 4 || (hsr >> 56))
		return -EINVAL;
	if (!k)
		return 1;
	t->ev.exit.esr = hsr;
	t->ev.exit.has_esr = true;
	t->ev.exit.far = far;
	t->ev.exit.has_far = true;
	/* HPFAR_EL2.FIPA [43:4] holds IPA[51:12] (D24.2.76 HPFAR_EL2). */
	t->ev.exit.hpfar = (ipa >> 12) << 4;
	t->ev.exit.has_hpfar = true;
	json_object_set_new(k, "fault", json_pack("{s:o,s:o,s:o,s:o}", "ipa", trace_hex(ipa),
		"hsr", trace_hex(hsr), "hxfar", trace_hex(far), "pc", trace_hex(pc)));
	return 0;
}

/* "mmio %s len %u gpa 0x%llx val 0x%llx" (include/trace/events/kvm.h) */
static int p_mmio(struct ftrace_import *im, struct task *t, long pid, const char *args)
{
	char op[24];
	unsigned len;
	uint64_t gpa, val;
	json_t *k = kvm_obj(t), *a;

	(void)im; (void)pid;
	if (sscanf(args, "mmio %23s len %u gpa %" SCNx64 " val %" SCNx64, op, &len, &gpa, &val) != 4)
		return -EINVAL;
	if (strcmp(op, "read") && strcmp(op, "write") && strcmp(op, "unsatisfied-read"))
		return -EINVAL;
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return -EINVAL;	/* KVM's MMIO accesses are 1, 2, 4 or 8 bytes */
	if (!k)
		return 1;
	a = json_object_get(k, "mmio");
	if (!a) {
		a = json_array();
		json_object_set_new(k, "mmio", a);
	}
	if (json_array_size(a) >= 8)
		return -EINVAL;
	json_array_append_new(a, json_pack("{s:s,s:i,s:o,s:o}", "op", op, "len", (int)len,
					   "gpa", trace_hex(gpa), "val", trace_hex(val)));
	if (!strcmp(op, "read") && t->ev.n_mmio < TRACE_MAX_MMIO)
		t->ev.mmio_data[t->ev.n_mmio++] = val;
	return 0;
}

/* "reason %s (%d)" (kvm_userspace_exit) */
static int p_uexit(struct ftrace_import *im, struct task *t, long pid, const char *args)
{
	char reason[48];
	int code;
	json_t *k = kvm_obj(t);

	(void)im; (void)pid;
	if (sscanf(args, "reason %47s (%d)", reason, &code) != 2)
		return -EINVAL;
	if (!k)
		return 1;
	json_object_set_new(k, "userspace_exit", json_pack("{s:s,s:i}", "reason", reason, "code", code));
	return 0;
}

/* "HVC at 0x%016lx (r0: 0x%016lx, imm: 0x%lx)" (kvm_hvc_arm64) */
static int p_hvc(struct ftrace_import *im, struct task *t, long pid, const char *args)
{
	uint64_t pc, r0, imm;
	json_t *k = kvm_obj(t);

	(void)im; (void)pid;
	if (sscanf(args, "HVC at %" SCNx64 " (r0: %" SCNx64 ", imm: %" SCNx64 ")", &pc, &r0, &imm) != 3)
		return -EINVAL;
	if (!k)
		return 1;
	t->ev.exit.regs[0] = r0;
	t->ev.exit.regs_mask |= 1;
	json_object_set_new(k, "hvc", json_pack("{s:o,s:o,s:o}", "pc", trace_hex(pc),
						"r0", trace_hex(r0), "imm", trace_hex(imm)));
	return 0;
}

/* "HSR 0x%08lx" (kvm_handle_sys_reg) */
static int p_sysreg(struct ftrace_import *im, struct task *t, long pid, const char *args)
{
	uint64_t hsr;
	json_t *k = kvm_obj(t);

	(void)im; (void)pid;
	if (sscanf(args, "HSR %" SCNx64, &hsr) != 1 || (hsr >> 56))
		return -EINVAL;
	if (!k)
		return 1;
	t->ev.exit.esr = hsr;
	t->ev.exit.has_esr = true;
	json_object_set_new(k, "sys_reg", json_pack("{s:o}", "hsr", trace_hex(hsr)));
	return 0;
}

/* "PC: %lx %s (%d,%d,%d,%d,%d) %s" (kvm_sys_access) */
static int p_sysaccess(struct ftrace_import *im, struct task *t, long pid, const char *args)
{
	uint64_t pc;
	char name[64], dir[8];
	int op0, op1, crn, crm, op2;
	json_t *k = kvm_obj(t);

	(void)im; (void)pid;
	if (sscanf(args, "PC: %" SCNx64 " %63s (%d,%d,%d,%d,%d) %7s", &pc, name, &op0, &op1,
		   &crn, &crm, &op2, dir) != 8 || (strcmp(dir, "read") && strcmp(dir, "write")))
		return -EINVAL;
	if (!k)
		return 1;
	json_object_set_new(k, "sys_access", json_pack("{s:o,s:s,s:i,s:i,s:i,s:i,s:i,s:b}",
		"pc", trace_hex(pc), "name", name, "op0", op0, "op1", op1, "crn", crn,
		"crm", crm, "op2", op2, "write", !strcmp(dir, "write")));
	return 0;
}

/* "guest executed wf%c at: 0x%016lx" (kvm_wfx_arm64) */
static int p_wfx(struct ftrace_import *im, struct task *t, long pid, const char *args)
{
	char c;
	uint64_t pc;
	json_t *k = kvm_obj(t);

	(void)im; (void)pid;
	if (sscanf(args, "guest executed wf%c at: %" SCNx64, &c, &pc) != 2 || (c != 'i' && c != 'e'))
		return -EINVAL;
	if (!k)
		return 1;
	json_object_set_new(k, "wfx", json_pack("{s:s,s:o}", "insn", c == 'e' ? "wfe" : "wfi",
						"pc", trace_hex(pc)));
	return 0;
}

static const struct {
	const char *name;
	ev_parse_fn fn;
} ev_table[] = {
	{ "kvm_exit",           p_exit },
	{ "kvm_guest_fault",    p_fault },
	{ "kvm_mmio",           p_mmio },
	{ "kvm_userspace_exit", p_uexit },
	{ "kvm_hvc_arm64",      p_hvc },
	{ "kvm_handle_sys_reg", p_sysreg },
	{ "kvm_sys_access",     p_sysaccess },
	{ "kvm_wfx_arm64",      p_wfx },
};

/* Split "<task>-<pid> [cpu] ... <ts>: <event>: <args>". 0 or -EINVAL. */
static int split_line(const char *line, long *pid, const char **ev, size_t *evlen,
		      const char **args)
{
	const char *br = strchr(line, '['), *dash = NULL, *p, *q;

	if (!br || br == line)
		return -EINVAL;
	for (p = line; p < br; p++)
		if (*p == '-')
			dash = p;
	if (!dash)
		return -EINVAL;
	char *end;
	*pid = strtol(dash + 1, &end, 10);
	if (end == dash + 1 || *pid < 0)
		return -EINVAL;
	p = strchr(br, ']');
	if (!p)
		return -EINVAL;
	/* The timestamp ends with ": "; the event name follows. */
	q = strstr(p, ": ");
	if (!q)
		return -EINVAL;
	q += 2;
	while (*q == ' ')
		q++;
	p = q;
	while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	if (p == q || *p != ':')
		return -EINVAL;
	*ev = q;
	*evlen = (size_t)(p - q);
	p++;
	while (*p == ' ')
		p++;
	*args = p;
	return 0;
}

int ftrace_import_line(struct ftrace_import *im, const char *line)
{
	long pid;
	const char *ev, *args;
	size_t n;
	int rc;

	im->st.lines++;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '#' || !*line || *line == '\n' || split_line(line, &pid, &ev, &n, &args) < 0) {
		im->st.other++;
		return 0;
	}
	for (size_t i = 0; i < HVX_ARRAY_SIZE(ev_table); i++) {
		if (strlen(ev_table[i].name) != n || strncmp(ev_table[i].name, ev, n))
			continue;
		rc = numbers_ok(args) ? ev_table[i].fn(im, task_of(im, pid, false), pid, args)
				      : -EINVAL;
		if (rc == -EIO || rc == -E2BIG || rc == -ENOMEM)
			return rc;
		if (rc < 0)
			im->st.malformed++;
		else if (rc == 0)
			im->st.used++;
		else
			count_unknown(im, ev, n);	/* event with no open exit */
		return 0;
	}
	count_unknown(im, ev, n);
	return 0;
}

long ftrace_import_finish(struct ftrace_import *im)
{
	for (unsigned i = 0; i < im->ntasks; i++)
		if (emit(im, im->tasks[i]) < 0)
			return -EIO;
	if (drain(im, im->seq, false) < 0)
		return -EIO;
	return (long)im->st.exits;
}

void ftrace_import_stats(const struct ftrace_import *im, struct ftrace_stats *st)
{
	*st = im->st;
}

void ftrace_import_unknown(const struct ftrace_import *im,
			   void (*fn)(const char *name, unsigned long n, void *arg), void *arg)
{
	for (unsigned i = 0; i < im->nunknown; i++)
		fn(im->unknown[i].name, im->unknown[i].n, arg);
}

unsigned ftrace_import_vcpus(const struct ftrace_import *im)
{
	return im->nvcpus;
}

void ftrace_import_free(struct ftrace_import *im)
{
	if (!im)
		return;
	for (unsigned i = 0; i < im->ntasks; i++) {
		json_decref(im->tasks[i]->ev.kvm);
		free(im->tasks[i]);
	}
	for (unsigned i = 0; i < REORDER; i++) {
		if (im->ring[i]) {
			json_decref(im->ring[i]->kvm);
			free(im->ring[i]);
		}
	}
	free(im);
}
