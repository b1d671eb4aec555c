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
#include "harness/validate/plugin_proto.h"
#include "hvexit/common.h"

struct plugin_host {
	char *path;
	unsigned timeout_ms;
	pid_t pid;		/* 0: no child running */
	int sock;		/* parent's end, -1 without child */
	int errfd;		/* the child's stderr (a temp file, O_APPEND) */
	long rss0_kb;		/* the child's resident memory after loading */
	unsigned mask;
	int minor;		/* announced revision of ABI 1 */
	uint32_t dabt_fields;	/* HVX_DABT_F_* the decoder extracts */
	unsigned spawns;
	uint8_t *buf;		/* MAX_PAYLOAD scratch */
};

static const char *const ep_names[PLUGIN_EP_COUNT] = {
	"decode_dabt", "mmio_load", "s2_translate", "gicd", "mmio_load_regs",
	"emulate",
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
		plugin_child_main(h->path, sv[1], h->errfd, h->timeout_ms / 1000 + 1);
	}
	close(sv[1]);
	setpgid(pid, pid);	/* also in the child: whichever runs first */
	h->pid = pid;
	h->sock = sv[0];
	h->spawns++;
	{
		struct msg_hdr mh;
		long long dl = plugin_io_now_ms() + h->timeout_ms + 5000;

		memset(hr, 0, sizeof(*hr));
		rc = plugin_io_read_all(h->sock, &mh, sizeof(mh), dl, h->pid);
		if (!rc && mh.len != sizeof(*hr))
			rc = -EPROTO;
		if (!rc)
			rc = plugin_io_read_all(h->sock, hr, sizeof(*hr), dl, h->pid);
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
	h->minor = hr.minor;
	h->dabt_fields = hr.dabt_fields;
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

int plugin_host_abi_minor(const struct plugin_host *h)
{
	return h->minor;
}

uint32_t plugin_host_dabt_fields(const struct plugin_host *h)
{
	return h->dabt_fields;
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
	rc = plugin_io_send(h->sock, op, a, alen, b, blen);
	dl = plugin_io_now_ms() + h->timeout_ms;
	if (!rc)
		rc = plugin_io_read_all(h->sock, &mh, sizeof(mh), dl, h->pid);
	if (!rc && mh.len != rlen)
		rc = -EPROTO;
	if (!rc)
		rc = plugin_io_read_all(h->sock, reply, rlen, dl, h->pid);
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
			if (plugin_io_child_exited(h->pid))
				break;
			usleep(1000);
		}
		if (!plugin_io_child_exited(h->pid))
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

int plugin_call_mmio_load_regs(struct plugin_host *h, uint64_t esr, uint64_t bus,
			       struct hvx_regs *regs, int *rc,
			       struct plugin_status *st)
{
	struct load_regs_req q = { .esr = esr, .bus = bus, .regs = *regs };
	struct load_regs_reply r;
	int e = call(h, REQ_LOAD_REGS, &q, sizeof(q), NULL, 0, &r, sizeof(r), st);

	if (!e && (st->kind == PLUGIN_CALL_OK || st->kind == PLUGIN_CALL_SANITIZER)) {
		*rc = r.rc;
		*regs = r.regs;
	}
	return e;
}

int plugin_call_emulate(struct plugin_host *h, uint32_t insn, uint64_t mem_seed,
			const struct hvx_regs *regs, int *rc,
			struct plugin_emu_result *out, struct plugin_status *st)
{
	struct emulate_req q = { .insn = insn, .mem_seed = mem_seed, .regs = *regs };
	struct emulate_reply r;
	int e = call(h, REQ_EMULATE, &q, sizeof(q), NULL, 0, &r, sizeof(r), st);

	if (!e && (st->kind == PLUGIN_CALL_OK || st->kind == PLUGIN_CALL_SANITIZER)) {
		*rc = r.rc;
		*out = r.res;
		if (out->nacc > PLUGIN_EMU_MAX_ACC)
			out->nacc = PLUGIN_EMU_MAX_ACC;
	}
	return e;
}
