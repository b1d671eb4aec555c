/*
 * The child side of the plugin host (plugin_proto.h): dlopen the plugin,
 * report its ABI revision and entry points, then serve one request per
 * case. Also the byte transport both sides use.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hvexit/common.h"
#include "harness/validate/plugin_check.h"
#include "harness/validate/plugin_guard.h"
#include "harness/validate/plugin_proto.h"
#include "hvexit/s2.h"

/* ---- byte transport -------------------------------------------------- */

int plugin_io_write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -EPIPE;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Has child pid terminated (without reaping it)? */
int plugin_io_child_exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT))
		return 1;	/* no such child: nothing to wait for */
	return si.si_pid == pid;
}

long long plugin_io_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int plugin_io_read_all(int fd, void *p, size_t n, long long deadline_ms, pid_t watch)
{
	uint8_t *b = p;

	while (n) {
		ssize_t r;

		if (deadline_ms >= 0) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			long long left = deadline_ms - plugin_io_now_ms();
			int pr;

			if (left <= 0)
				return -ETIMEDOUT;
			pr = poll(&pfd, 1, (int)(left > 100 ? 100 : left));
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr < 0)
				return -errno;
			if (pr == 0 && watch > 0 && plugin_io_child_exited(watch))
				return -EPIPE;
			if (pr == 0)
				continue;	/* re-check the deadline */
		}
		r = read(fd, b, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EPIPE;	/* peer gone */
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

int plugin_io_send(int fd, uint32_t op, const void *a, size_t alen,
		    const void *b, size_t blen)
{
	struct msg_hdr h = { .op = op, .len = (uint32_t)(alen + blen) };
	int rc = plugin_io_write_all(fd, &h, sizeof(h));

	if (!rc && alen)
		rc = plugin_io_write_all(fd, a, alen);
	if (!rc && blen)
		rc = plugin_io_write_all(fd, b, blen);
	return rc;
}


/* ---- the child ------------------------------------------------------- */

struct plugin_syms {
	int (*abi)(void);
	int (*dabt)(uint64_t, struct hvx_dabt *);
	int (*load)(uint64_t, uint64_t, uint64_t *);
	int (*s2)(uint64_t, uint64_t, uint64_t, int, hvx_read64_fn, void *,
		  struct hvx_s2_result *);
	void *(*gnew)(unsigned, const uint8_t *);
	int (*gread)(void *, uint32_t, unsigned, uint32_t *);
	int (*gwrite)(void *, uint32_t, unsigned, uint32_t);
	void (*gfree)(void *);
	/* revision 1.1 */
	int (*minor)(void);
	uint32_t (*dabt_fields)(void);
	int (*load_regs)(uint64_t, uint64_t, struct hvx_regs *);
	int (*emulate)(uint32_t, struct hvx_regs *, hvx_mmio_fn, void *);
};

/* dlsym returns void *; POSIX guarantees it converts to a function
 * pointer. memcpy keeps -Wpedantic style compilers quiet. */
static void sym(void *lib, const char *name, void *fnp)
{
	void *p = dlsym(lib, name);

	memcpy(fnp, &p, sizeof(p));
}

/*
 * Revision 1.1 symbols, read when hvx_plugin_abi_minor() announces them
 * (plugin.h). A plugin exporting them without the announcement is refused
 * with a message rather than validated partly without a word.
 */
static int child_load_minor(void *lib, const char *path, struct plugin_syms *s,
			    struct hello_reply *hr)
{
	static const char *const syms11[] = {
		"hvx_plugin_dabt_fields", "hvx_plugin_mmio_load_regs",
		"hvx_plugin_emulate",
	};

	sym(lib, "hvx_plugin_abi_minor", &s->minor);
	hr->minor = s->minor ? s->minor() : 0;
	hr->dabt_fields = HVX_DABT_F_ALL;
	if (hr->minor < 1) {
		for (unsigned i = 0; i < sizeof(syms11) / sizeof(syms11[0]); i++) {
			if (!dlsym(lib, syms11[i]))
				continue;
			hr->rc = -EPROTO;
			snprintf(hr->err, sizeof(hr->err), "%s exports %s (ABI 1.1) but "
				 "announces revision 1.%d: export hvx_plugin_abi_minor() "
				 "returning HVX_PLUGIN_ABI_MINOR", path, syms11[i], hr->minor);
			return -1;
		}
		return 0;
	}
	sym(lib, "hvx_plugin_dabt_fields", &s->dabt_fields);
	sym(lib, "hvx_plugin_mmio_load_regs", &s->load_regs);
	sym(lib, "hvx_plugin_emulate", &s->emulate);
	if (s->dabt_fields)
		hr->dabt_fields = s->dabt_fields() & HVX_DABT_F_ALL;
	hr->mask |= (s->load_regs ? PLUGIN_EP_MMIO_LOAD_REGS : 0) |
		    (s->emulate ? PLUGIN_EP_EMULATE : 0);
	return 0;
}

static int child_load(const char *path, struct plugin_syms *s,
		      struct hello_reply *hr)
{
	void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		const char *e = dlerror();

		hr->rc = -ENOEXEC;
		snprintf(hr->err, sizeof(hr->err), "%s", e ? e : "dlopen failed");
		return -1;
	}
	sym(lib, "hvx_plugin_abi", &s->abi);
	if (!s->abi) {
		hr->rc = -EPROTO;
		snprintf(hr->err, sizeof(hr->err),
			 "%s does not export hvx_plugin_abi", path);
		return -1;
	}
	hr->abi = s->abi();
	if (hr->abi != HVX_PLUGIN_ABI) {
		hr->rc = -EPROTO;
		snprintf(hr->err, sizeof(hr->err),
			 "%s: hvx_plugin_abi() returned %d, hvexit speaks ABI %d",
			 path, hr->abi, HVX_PLUGIN_ABI);
		return -1;
	}
	sym(lib, "hvx_plugin_decode_dabt", &s->dabt);
	sym(lib, "hvx_plugin_mmio_load", &s->load);
	sym(lib, "hvx_plugin_s2_translate", &s->s2);
	sym(lib, "hvx_plugin_gicd_new", &s->gnew);
	sym(lib, "hvx_plugin_gicd_read", &s->gread);
	sym(lib, "hvx_plugin_gicd_write", &s->gwrite);
	sym(lib, "hvx_plugin_gicd_free", &s->gfree);
	hr->mask = (s->dabt ? PLUGIN_EP_DECODE_DABT : 0) |
		   (s->load ? PLUGIN_EP_MMIO_LOAD : 0) |
		   (s->s2 ? PLUGIN_EP_S2 : 0) |
		   (s->gnew && s->gread && s->gwrite && s->gfree ?
		    PLUGIN_EP_GICD : 0);
	return child_load_minor(lib, path, s, hr);
}

static int child_gicd(const struct plugin_syms *s, const uint8_t *p,
		      uint32_t len, int fd)
{
	struct gicd_req g;
	const struct plugin_gicd_op *ops;
	struct plugin_gicd_res *res;
	int32_t new_ok;
	void *dev;
	int rc;

	if (len < sizeof(g))
		return -EINVAL;
	memcpy(&g, p, sizeof(g));
	if (g.nops > PLUGIN_GICD_MAX_OPS ||
	    len != sizeof(g) + g.nops * sizeof(*ops))
		return -EINVAL;
	ops = (const void *)(p + sizeof(g));
	res = calloc(g.nops ? g.nops : 1, sizeof(*res));
	if (!res)
		return -ENOMEM;
	dev = s->gnew(g.nr_irqs, g.owned);
	new_ok = dev != NULL;
	for (uint32_t i = 0; dev && i < g.nops; i++) {
		struct plugin_gicd_op op;

		memcpy(&op, &ops[i], sizeof(op));
		if (op.write)
			res[i].rc = s->gwrite(dev, op.offset, op.len, op.val);
		else
			res[i].rc = s->gread(dev, op.offset, op.len, &res[i].val);
	}
	if (dev)
		s->gfree(dev);
	rc = plugin_io_send(fd, 0, &new_ok, sizeof(new_ok), res, g.nops * sizeof(*res));
	free(res);
	return rc;
}

/* hvx_mmio_fn for hvx_plugin_emulate: records every access the plugin
 * makes; reads return check_emu_mem() of the case's seed. */
struct emu_ctx { uint64_t seed; struct plugin_emu_result *res; };

static int emu_access(void *ctx, uint64_t addr, unsigned len, int is_write,
		      uint64_t *data)
{
	struct emu_ctx *c = ctx;
	struct plugin_emu_result *r = c->res;
	struct plugin_emu_access *a;
	int ok = (len == 1 || len == 2 || len == 4 || len == 8) && data;

	if (r->nacc == PLUGIN_EMU_MAX_ACC) {
		r->overflow = 1;
		return -E2BIG;
	}
	a = &r->acc[r->nacc++];
	*a = (struct plugin_emu_access){ .addr = addr, .len = len > 255 ? 255 : (uint8_t)len,
					 .write = !!is_write, .refused = !ok };
	if (!ok)
		return -EINVAL;
	if (is_write) {
		a->data = len == 8 ? *data : *data & ((UINT64_C(1) << (8 * len)) - 1);
	} else {
		a->data = check_emu_mem(c->seed, addr, len);
		*data = a->data;
	}
	return 0;
}

/* The requests of a fixed size and their replies. A call fills the
 * (zeroed) reply and returns its size, or -EINVAL when the plugin does
 * not export the entry point. */
union fixed_req {
	struct dabt_req dabt;
	struct load_req load;
	struct load_regs_req load_regs;
	struct emulate_req emulate;
};
union fixed_reply {
	struct dabt_reply dabt;
	struct load_reply load;
	struct load_regs_reply load_regs;
	struct emulate_reply emulate;
};
typedef int (*fixed_call_fn)(const struct plugin_syms *s, const union fixed_req *q,
			     union fixed_reply *r);

static int call_dabt(const struct plugin_syms *s, const union fixed_req *q,
		     union fixed_reply *r)
{
	if (!s->dabt)
		return -EINVAL;
	r->dabt.rc = s->dabt(q->dabt.esr, &r->dabt.d);
	return sizeof(r->dabt);
}

static int call_load(const struct plugin_syms *s, const union fixed_req *q,
		     union fixed_reply *r)
{
	if (!s->load)
		return -EINVAL;
	r->load.rc = s->load(q->load.esr, q->load.bus, &r->load.val);
	return sizeof(r->load);
}

static int call_load_regs(const struct plugin_syms *s, const union fixed_req *q,
			  union fixed_reply *r)
{
	if (!s->load_regs)
		return -EINVAL;
	r->load_regs.regs = q->load_regs.regs;
	r->load_regs.rc = s->load_regs(q->load_regs.esr, q->load_regs.bus, &r->load_regs.regs);
	return sizeof(r->load_regs);
}

static int call_emulate(const struct plugin_syms *s, const union fixed_req *q,
			union fixed_reply *r)
{
	struct emu_ctx c = { .seed = q->emulate.mem_seed, .res = &r->emulate.res };

	if (!s->emulate)
		return -EINVAL;
	r->emulate.res.regs = q->emulate.regs;
	r->emulate.rc = s->emulate(q->emulate.insn, &r->emulate.res.regs, emu_access, &c);
	return sizeof(r->emulate);
}

static const struct { uint32_t len; fixed_call_fn call; } fixed_ops[] = {
	[REQ_DABT] = { sizeof(struct dabt_req), call_dabt },
	[REQ_LOAD] = { sizeof(struct load_req), call_load },
	[REQ_LOAD_REGS] = { sizeof(struct load_regs_req), call_load_regs },
	[REQ_EMULATE] = { sizeof(struct emulate_req), call_emulate },
};

static int child_fixed(const struct plugin_syms *s, uint32_t op, const uint8_t *p,
		       uint32_t len, int fd)
{
	union fixed_req q;
	union fixed_reply r;
	int n;

	if (len != fixed_ops[op].len)
		return -EINVAL;
	memcpy(&q, p, len);
	memset(&r, 0, sizeof(r));
	n = fixed_ops[op].call(s, &q, &r);
	return n < 0 ? n : plugin_io_send(fd, 0, &r, (size_t)n, NULL, 0);
}

static int child_serve(const struct plugin_syms *s, uint32_t op,
		       const uint8_t *p, uint32_t len, int fd)
{
	if (op < HVX_ARRAY_SIZE(fixed_ops) && fixed_ops[op].call)
		return child_fixed(s, op, p, len, fd);
	switch (op) {
	case REQ_S2: {
		struct s2_req q;
		struct s2_reply r;
		struct s2_flatmem m;

		if (len < sizeof(q) || !s->s2)
			return -EINVAL;
		memcpy(&q, p, sizeof(q));
		if (q.memlen != len - sizeof(q))
			return -EINVAL;
		m = (struct s2_flatmem){ .base = q.membase, .buf = p + sizeof(q),
					 .len = q.memlen };
		memset(&r, 0, sizeof(r));
		r.rc = s->s2(q.vtcr, q.vttbr, q.ipa, q.access, s2_flat_read64, &m, &r.r);
		return plugin_io_send(fd, 0, &r, sizeof(r), NULL, 0);
	}
	case REQ_GICD:
		if (!s->gnew)
			return -EINVAL;
		return child_gicd(s, p, len, fd);
	default:
		return -EINVAL;
	}
}

void plugin_child_main(const char *path, int fd, int errfd, unsigned cpu_s)
{
	struct plugin_syms s = { 0 };
	struct hello_reply hr = { 0 };
	uint8_t *buf = malloc(MAX_PAYLOAD);

	/* A fault in the plugin must end the child with its signal: drop
	 * handlers inherited from the parent (ASan's would symbolize for
	 * longer than the timeout). The plugin's own sanitizers still
	 * report through stderr. */
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGXCPU, SIG_DFL);
	signal(SIGXFSZ, SIG_DFL);
	setpgid(0, 0);
	dup2(errfd, STDERR_FILENO);
	{
		/* Only stderr is examined for sanitizer reports: a plugin's
		 * stdout chatter goes nowhere. */
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			close(null);
		}
	}
	if (!buf || plugin_guard_child_limits() < 0)
		_exit(3);
	if (child_load(path, &s, &hr) < 0) {
		plugin_io_send(fd, 0, &hr, sizeof(hr), NULL, 0);
		_exit(0);
	}
	if (plugin_io_send(fd, 0, &hr, sizeof(hr), NULL, 0))
		_exit(0);
	for (;;) {
		struct msg_hdr h;

		if (plugin_io_read_all(fd, &h, sizeof(h), -1, 0))
			_exit(0);	/* parent closed: done */
		if (h.len > MAX_PAYLOAD || plugin_io_read_all(fd, buf, h.len, -1, 0))
			_exit(3);
		plugin_guard_case_cpu(cpu_s);
		if (child_serve(&s, h.op, buf, h.len, fd))
			_exit(3);
	}
}

