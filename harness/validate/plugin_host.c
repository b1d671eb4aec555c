/*
 * Plugin host (see hvexit/plugin_host.h): the plugin runs in a forked
 * child that dlopens it and serves requests over a socketpair; the parent
 * bounds every request with a timeout and watches the child's stderr for
 * sanitizer reports. The child leads its own process group, so whatever
 * the plugin forks is ended with it.
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
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/util/infile.h"
#include "harness/validate/plugin_guard.h"
#include "hvexit/common.h"
#include "hvexit/plugin_host.h"
#include "hvexit/s2.h"

enum req_op { REQ_HELLO = 1, REQ_DABT, REQ_LOAD, REQ_S2, REQ_GICD };

struct msg_hdr {
	uint32_t op;		/* request: enum req_op; reply: 0 */
	uint32_t len;		/* payload bytes that follow */
};

struct hello_reply {
	int32_t rc;
	int32_t abi;
	uint32_t mask;
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

#define MAX_PAYLOAD (PLUGIN_S2_MAX_MEM + 4096u)

struct plugin_host {
	char *path;
	unsigned timeout_ms;
	pid_t pid;		/* 0: no child running */
	int sock;		/* parent's end, -1 without child */
	int errfd;		/* the child's stderr (a temp file, O_APPEND) */
	long rss0_kb;		/* the child's resident memory after loading */
	unsigned mask;
	unsigned spawns;
	uint8_t *buf;		/* MAX_PAYLOAD scratch */
};

static const char *const ep_names[PLUGIN_EP_COUNT] = {
	"decode_dabt", "mmio_load", "s2_translate", "gicd",
};

const char *plugin_ep_name(unsigned index)
{
	return index < PLUGIN_EP_COUNT ? ep_names[index] : "?";
}

const char *plugin_call_kind_name(enum plugin_call_kind k)
{
	static const char *const n[] = {
		[PLUGIN_CALL_OK] = "ok", [PLUGIN_CALL_CRASH] = "crash",
		[PLUGIN_CALL_HANG] = "hang", [PLUGIN_CALL_SANITIZER] = "sanitizer",
		[PLUGIN_CALL_ERROR] = "error",
	};
	return (unsigned)k < HVX_ARRAY_SIZE(n) ? n[k] : "?";
}

/* ---- byte transport -------------------------------------------------- */

static int write_all(int fd, const void *p, size_t n)
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

/* Read n bytes; deadline_ms < 0 waits forever (the child side). When
 * watch > 0, gives up with -EPIPE once that child has terminated, even if
 * a process it forked still holds the other end open. */
static int read_all(int fd, void *p, size_t n, long long deadline_ms, pid_t watch);

/* Has child pid terminated (without reaping it)? */
static int child_exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT))
		return 1;	/* no such child: nothing to wait for */
	return si.si_pid == pid;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int read_all(int fd, void *p, size_t n, long long deadline_ms, pid_t watch)
{
	uint8_t *b = p;

	while (n) {
		ssize_t r;

		if (deadline_ms >= 0) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			long long left = deadline_ms - now_ms();
			int pr;

			if (left <= 0)
				return -ETIMEDOUT;
			pr = poll(&pfd, 1, (int)(left > 100 ? 100 : left));
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr < 0)
				return -errno;
			if (pr == 0 && watch > 0 && child_exited(watch))
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

static int send_msg(int fd, uint32_t op, const void *a, size_t alen,
		    const void *b, size_t blen)
{
	struct msg_hdr h = { .op = op, .len = (uint32_t)(alen + blen) };
	int rc = write_all(fd, &h, sizeof(h));

	if (!rc && alen)
		rc = write_all(fd, a, alen);
	if (!rc && blen)
		rc = write_all(fd, b, blen);
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
};

/* dlsym returns void *; POSIX guarantees it converts to a function
 * pointer. memcpy keeps -Wpedantic style compilers quiet. */
static void sym(void *lib, const char *name, void *fnp)
{
	void *p = dlsym(lib, name);

	memcpy(fnp, &p, sizeof(p));
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
	return 0;
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
	rc = send_msg(fd, 0, &new_ok, sizeof(new_ok), res, g.nops * sizeof(*res));
	free(res);
	return rc;
}

static int child_serve(const struct plugin_syms *s, uint32_t op,
		       const uint8_t *p, uint32_t len, int fd)
{
	switch (op) {
	case REQ_DABT: {
		struct dabt_req q;
		struct dabt_reply r;

		if (len != sizeof(q) || !s->dabt)
			return -EINVAL;
		memcpy(&q, p, sizeof(q));
		memset(&r, 0, sizeof(r));
		r.rc = s->dabt(q.esr, &r.d);
		return send_msg(fd, 0, &r, sizeof(r), NULL, 0);
	}
	case REQ_LOAD: {
		struct load_req q;
		struct load_reply r;

		if (len != sizeof(q) || !s->load)
			return -EINVAL;
		memcpy(&q, p, sizeof(q));
		memset(&r, 0, sizeof(r));
		r.rc = s->load(q.esr, q.bus, &r.val);
		return send_msg(fd, 0, &r, sizeof(r), NULL, 0);
	}
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
		return send_msg(fd, 0, &r, sizeof(r), NULL, 0);
	}
	case REQ_GICD:
		if (!s->gnew)
			return -EINVAL;
		return child_gicd(s, p, len, fd);
	default:
		return -EINVAL;
	}
}

static void __attribute__((noreturn)) child_main(const char *path, int fd,
						 int errfd, unsigned cpu_s)
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
		send_msg(fd, 0, &hr, sizeof(hr), NULL, 0);
		_exit(0);
	}
	if (send_msg(fd, 0, &hr, sizeof(hr), NULL, 0))
		_exit(0);
	for (;;) {
		struct msg_hdr h;

		if (read_all(fd, &h, sizeof(h), -1, 0))
			_exit(0);	/* parent closed: done */
		if (h.len > MAX_PAYLOAD || read_all(fd, buf, h.len, -1, 0))
			_exit(3);
		plugin_guard_case_cpu(cpu_s);
		if (child_serve(&s, h.op, buf, h.len, fd))
			_exit(3);
	}
}

/* ---- the parent ------------------------------------------------------ */

static void reap(struct plugin_host *h, int *sig)
{
	int status = 0;

	*sig = 0;
	if (h->sock >= 0)
		close(h->sock);
	h->sock = -1;
	if (h->pid > 0) {
		if (waitpid(h->pid, &status, 0) == h->pid && WIFSIGNALED(status))
			*sig = WTERMSIG(status);
		/* Processes the plugin forked are in the child's group; the
		 * group's id stays reserved while any of them lives. */
		kill(-h->pid, SIGKILL);
	}
	h->pid = 0;
}

static void kill_child(struct plugin_host *h)
{
	int sig;

	if (h->pid > 0) {
		kill(-h->pid, SIGKILL);
		kill(h->pid, SIGKILL);
	}
	reap(h, &sig);
}

static int spawn(struct plugin_host *h, struct hello_reply *hr)
{
	int sv[2];
	pid_t pid;
	int rc;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(sv[0]);
		close(sv[1]);
		return rc;
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(h->path, sv[1], h->errfd, h->timeout_ms / 1000 + 1);
	}
	close(sv[1]);
	setpgid(pid, pid);	/* also in the child: whichever runs first */
	h->pid = pid;
	h->sock = sv[0];
	h->spawns++;
	{
		struct msg_hdr mh;
		long long dl = now_ms() + h->timeout_ms + 5000;

		memset(hr, 0, sizeof(*hr));
		rc = read_all(h->sock, &mh, sizeof(mh), dl, h->pid);
		if (!rc && mh.len != sizeof(*hr))
			rc = -EPROTO;
		if (!rc)
			rc = read_all(h->sock, hr, sizeof(*hr), dl, h->pid);
	}
	if (rc) {
		int sig;

		if (rc == -ETIMEDOUT) {
			kill(-h->pid, SIGKILL);
			kill(h->pid, SIGKILL);
		}
		reap(h, &sig);
		snprintf(hr->err, sizeof(hr->err),
			 "the plugin child %s while loading %s",
			 rc == -ETIMEDOUT ? "hung" : sig ? strsignal(sig) : "died",
			 h->path);
		hr->rc = -EPROTO;
		return -EPROTO;
	}
	hr->err[sizeof(hr->err) - 1] = 0;
	h->rss0_kb = plugin_guard_rss_kb(h->pid);
	return hr->rc < 0 ? hr->rc : 0;
}

int plugin_host_open(const char *path, unsigned timeout_ms,
		     struct plugin_host **out, char *err, size_t errlen)
{
	struct plugin_host *h;
	struct hello_reply hr;
	char tmpl[] = "/tmp/hvexit-plugin-XXXXXX";
	int rc;

	if (access(path, R_OK)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -ENOENT;
	}
	if (infile_check(path, err, errlen) != 0) {
		if (!strstr(err, path))
			snprintf(err, errlen, "%s: is a stream, not a shared object", path);
		return -ENOENT;
	}
	h = calloc(1, sizeof(*h));
	if (!h || !(h->buf = malloc(MAX_PAYLOAD)) ||
	    !(h->path = malloc(strlen(path) + 3))) {
		snprintf(err, errlen, "out of memory");
		if (h)
			free(h->buf);
		free(h);
		return -ENOMEM;
	}
	/* dlopen searches the library path for a name without a slash. */
	sprintf(h->path, "%s%s", strchr(path, '/') ? "" : "./", path);
	h->timeout_ms = timeout_ms ? timeout_ms : 1;
	h->sock = -1;
	h->errfd = mkstemp(tmpl);
	if (h->errfd < 0) {
		snprintf(err, errlen, "cannot create a temporary file: %s",
			 strerror(errno));
		plugin_host_close(h);
		return -EIO;
	}
	unlink(tmpl);
	/* The child appends, so the parent can empty the file after each look. */
	(void)fcntl(h->errfd, F_SETFL, O_APPEND);
	rc = spawn(h, &hr);
	if (rc) {
		snprintf(err, errlen, "%s", hr.err[0] ? hr.err : "cannot load the plugin");
		plugin_host_close(h);
		return rc;
	}
	h->mask = hr.mask;
	*out = h;
	return 0;
}

void plugin_host_close(struct plugin_host *h)
{
	int sig;

	if (!h)
		return;
	if (h->pid > 0) {
		close(h->sock);		/* the child exits on EOF */
		h->sock = -1;
		reap(h, &sig);
	}
	if (h->errfd >= 0)
		close(h->errfd);
	free(h->buf);
	free(h->path);
	free(h);
}

unsigned plugin_host_entry_points(const struct plugin_host *h)
{
	return h->mask;
}

unsigned plugin_host_spawns(const struct plugin_host *h)
{
	return h->spawns;
}

/* After an answer: end a child whose resident memory grew past the
 * limit since it loaded the plugin (a leak across cases). */
static void check_memory(struct plugin_host *h, struct plugin_status *st)
{
	long rss = plugin_guard_rss_kb(h->pid);

	if (rss < 0 || h->rss0_kb < 0 || rss - h->rss0_kb <= (long)PLUGIN_RSS_LIMIT_MB * 1024)
		return;
	kill_child(h);
	st->kind = PLUGIN_CALL_CRASH;
	st->signal = 0;
	snprintf(st->diag, sizeof(st->diag),
		 "memory limit: the plugin child grew by %ld MiB (limit %d MiB); child killed",
		 (rss - h->rss0_kb) / 1024, PLUGIN_RSS_LIMIT_MB);
}

/* One request/reply exchange. reply receives exactly rlen bytes. */
static int call(struct plugin_host *h, uint32_t op, const void *a, size_t alen,
		const void *b, size_t blen, void *reply, size_t rlen,
		struct plugin_status *st)
{
	struct msg_hdr mh;
	long long dl;
	int rc;

	memset(st, 0, sizeof(*st));
	if (h->pid <= 0) {
		struct hello_reply hr;

		rc = spawn(h, &hr);
		if (rc) {
			st->kind = PLUGIN_CALL_ERROR;
			snprintf(st->diag, sizeof(st->diag), "restart: %s", hr.err);
			return 0;
		}
	}
	plugin_guard_scan(h->errfd, NULL, 0);	/* forget output from before */
	rc = send_msg(h->sock, op, a, alen, b, blen);
	dl = now_ms() + h->timeout_ms;
	if (!rc)
		rc = read_all(h->sock, &mh, sizeof(mh), dl, h->pid);
	if (!rc && mh.len != rlen)
		rc = -EPROTO;
	if (!rc)
		rc = read_all(h->sock, reply, rlen, dl, h->pid);
	if (rc == -ETIMEDOUT) {
		kill_child(h);
		st->kind = PLUGIN_CALL_HANG;
		snprintf(st->diag, sizeof(st->diag),
			 "no answer within %u ms; child killed", h->timeout_ms);
		plugin_guard_scan(h->errfd, st->diag, sizeof(st->diag));
		return 0;
	}
	if (rc) {
		int sig;

		/* EOF: the child is dying; give it a moment to finish so
		 * that waitpid reports its signal, then make sure. */
		for (int i = 0; rc == -EPIPE && i < 200; i++) {
			if (child_exited(h->pid))
				break;
			usleep(1000);
		}
		if (!child_exited(h->pid))
			kill(h->pid, SIGKILL);
		reap(h, &sig);
		st->kind = PLUGIN_CALL_CRASH;
		st->signal = sig;
		snprintf(st->diag, sizeof(st->diag), "plugin child %s",
			 sig ? strsignal(sig) : "exited");
		plugin_guard_scan(h->errfd, st->diag, sizeof(st->diag));
		return 0;
	}
	if (plugin_guard_scan(h->errfd, st->diag, sizeof(st->diag)))
		st->kind = PLUGIN_CALL_SANITIZER;
	else
		check_memory(h, st);
	return 0;
}

int plugin_call_decode_dabt(struct plugin_host *h, uint64_t esr, int *rc,
			    struct hvx_dabt *out, struct plugin_status *st)
{
	struct dabt_req q = { .esr = esr };
	struct dabt_reply r;
	int e = call(h, REQ_DABT, &q, sizeof(q), NULL, 0, &r, sizeof(r), st);

	if (!e && (st->kind == PLUGIN_CALL_OK || st->kind == PLUGIN_CALL_SANITIZER)) {
		*rc = r.rc;
		*out = r.d;
	}
	return e;
}

int plugin_call_mmio_load(struct plugin_host *h, uint64_t esr, uint64_t bus,
			  int *rc, uint64_t *val, struct plugin_status *st)
{
	struct load_req q = { .esr = esr, .bus = bus };
	struct load_reply r;
	int e = call(h, REQ_LOAD, &q, sizeof(q), NULL, 0, &r, sizeof(r), st);

	if (!e && (st->kind == PLUGIN_CALL_OK || st->kind == PLUGIN_CALL_SANITIZER)) {
		*rc = r.rc;
		*val = r.val;
	}
	return e;
}

int plugin_call_s2(struct plugin_host *h, uint64_t vtcr, uint64_t vttbr,
		   uint64_t ipa, int access, uint64_t membase,
		   const uint8_t *mem, size_t memlen, int *rc,
		   struct hvx_s2_result *out, struct plugin_status *st)
{
	struct s2_req q = { .vtcr = vtcr, .vttbr = vttbr, .ipa = ipa,
			    .membase = membase, .access = access,
			    .memlen = (uint32_t)memlen };
	struct s2_reply r;
	int e;

	if (memlen > PLUGIN_S2_MAX_MEM)
		return -E2BIG;
	e = call(h, REQ_S2, &q, sizeof(q), mem, memlen, &r, sizeof(r), st);
	if (!e && (st->kind == PLUGIN_CALL_OK || st->kind == PLUGIN_CALL_SANITIZER)) {
		*rc = r.rc;
		*out = r.r;
	}
	return e;
}

int plugin_call_gicd(struct plugin_host *h, unsigned nr_irqs,
		     const uint8_t *owned, const struct plugin_gicd_op *ops,
		     size_t nops, int *new_ok, struct plugin_gicd_res *res,
		     struct plugin_status *st)
{
	struct gicd_req q = { .nr_irqs = nr_irqs, .nops = (uint32_t)nops };
	size_t rlen = sizeof(int32_t) + nops * sizeof(*res);
	int e;

	if (nops > PLUGIN_GICD_MAX_OPS || nr_irqs > 1024)
		return -E2BIG;
	if (owned)
		memcpy(q.owned, owned, (nr_irqs + 7) / 8);
	e = call(h, REQ_GICD, &q, sizeof(q), ops, nops * sizeof(*ops),
		 h->buf, rlen, st);
	if (!e && (st->kind == PLUGIN_CALL_OK || st->kind == PLUGIN_CALL_SANITIZER)) {
		int32_t ok;

		memcpy(&ok, h->buf, sizeof(ok));
		*new_ok = ok;
		memcpy(res, h->buf + sizeof(ok), nops * sizeof(*res));
	}
	return e;
}
