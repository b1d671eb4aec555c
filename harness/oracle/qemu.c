/*
 * One boot of the probe under qemu-system-aarch64 (virt board, EL2 from
 * reset with virtualization=on, no firmware, no Linux): the blob goes in
 * with -device loader at ORACLE_BLOB_PA, the UART goes to a file, the
 * probe ends with PSCI SYSTEM_OFF (QEMU exits). Then the UART log is
 * parsed (oracle_parse).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/oracle/oracle.h"
#include "hvexit/s2.h"
#include "harness/util/clock.h"

#define UART_MAX (UINT64_C(512) << 20)

static int write_blob(const char *path, uint64_t uart, const struct oracle_batch *b, char *err,
		      size_t n)
{
	FILE *f = fopen(path, "wb");
	uint64_t hdr[4] = { ORACLE_MAGIC, uart ? uart : ORACLE_UART_QEMU, b->n, 0 };

	if (!f) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -errno;
	}
	bool ok = fwrite(hdr, sizeof(hdr), 1, f) == 1 &&
		  (!b->n || fwrite(b->op, sizeof(*b->op), b->n, f) == b->n);
	if (fclose(f) || !ok) {
		snprintf(err, n, "%s: cannot write", path);
		return -EIO;
	}
	return 0;
}

static int boot(const struct oracle_env *env, const char *blob, const char *uart,
		const char *errlog, char *err, size_t n)
{
	char ram[16], ser[4200], dev[4200];

	snprintf(ram, sizeof(ram), "%u", ORACLE_RAM_MB);
	snprintf(ser, sizeof(ser), "file:%s", uart);
	snprintf(dev, sizeof(dev), "loader,file=%s,addr=0x%" PRIx64 ",force-raw=on", blob,
		 ORACLE_BLOB_PA);
	char *argv[] = {
		(char *)env->qemu, "-M", "virt,virtualization=on,gic-version=3",
		"-cpu", (char *)(env->cpu ? env->cpu : "max"), "-m", ram, "-nodefaults",
		"-display", "none", "-monitor", "none", "-serial", ser, "-no-reboot",
		"-kernel", (char *)env->probe, "-device", dev, NULL,
	};
	pid_t pid = fork();

	if (pid < 0) {
		snprintf(err, n, "fork: %s", strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		int fd = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	double t0 = util_now_s();
	int status;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			snprintf(err, n, "waitpid: %s", strerror(errno));
			return -errno;
		}
		if (util_now_s() - t0 > env->timeout_s) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			snprintf(err, n, "%s did not finish within %u s", env->qemu, env->timeout_s);
			return -ETIMEDOUT;
		}
		struct timespec d = { 0, 10 * 1000 * 1000 };
		nanosleep(&d, NULL);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char first[200] = "";
		FILE *f = fopen(errlog, "r");
		if (f) {
			if (!fgets(first, sizeof(first), f))
				first[0] = 0;
			fclose(f);
			first[strcspn(first, "\n")] = 0;
		}
		snprintf(err, n, "%s failed (%s %d)%s%s", env->qemu,
			 WIFEXITED(status) ? "exit" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			 first[0] ? ": " : "", first);
		return -EIO;
	}
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) || (uint64_t)st.st_size > UART_MAX) {
		fclose(f);
		return NULL;
	}
	char *b = malloc((size_t)st.st_size + 1);
	*len = b ? fread(b, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (b)
		b[*len] = 0;
	return b;
}

int oracle_qemu_run(const struct oracle_env *env, const struct oracle_batch *b,
		    struct oracle_out *out, char *err, size_t errlen)
{
	char blob[4096], uart[4096], elog[4096];
	int rc;

	*out = (struct oracle_out){ 0 };
	if (b->oom) {
		snprintf(err, errlen, "out of memory building the batch");
		return -ENOMEM;
	}
	if (oracle_blob_size(b->n) > ORACLE_BLOB_MAX) {
		snprintf(err, errlen, "batch of %zu operations exceeds the blob area", b->n);
		return -E2BIG;
	}
	if (env->emit_dir) {
		snprintf(blob, sizeof(blob), "%s/blob.bin", env->emit_dir);
		rc = write_blob(blob, env->uart, b, err, errlen);
		if (!rc) {
			snprintf(err, errlen, "wrote %s (%zu operations, %zu bytes) for 0x%" PRIx64,
				 blob, b->n, oracle_blob_size(b->n), ORACLE_BLOB_PA);
			rc = -ECANCELED;
		}
		return rc;
	}
	snprintf(blob, sizeof(blob), "%s/blob.bin", env->workdir);
	snprintf(uart, sizeof(uart), "%s", env->log_path ? env->log_path : "");
	if (!env->log_path)
		snprintf(uart, sizeof(uart), "%s/uart.txt", env->workdir);
	snprintf(elog, sizeof(elog), "%s/qemu.log", env->workdir);
	rc = env->log_path ? 0 : write_blob(blob, env->uart, b, err, errlen);
	if (!rc && !env->log_path) {
		unlink(uart);
		rc = boot(env, blob, uart, elog, err, errlen);
	}
	/* After a timeout the log still holds every record up to the run that
	 * never returned: *out is kept for the caller, who reports that run. */
	if (!rc || rc == -ETIMEDOUT) {
		int boot_rc = rc;
		size_t len = 0;
		char *text = slurp(uart, &len);
		rc = text ? oracle_parse(text, len, (size_t)b->next_id, out) : -EIO;
		free(text);
		if (rc) {
			snprintf(err, errlen, "%s: the probe printed no identification line "
				 "(wrong image, or QEMU without virtualization=on?)", uart);
		} else if (out->fault[0]) {
			snprintf(err, errlen, "the probe faulted at EL2: %s", out->fault);
			rc = -EIO;
		} else if (boot_rc) {
			snprintf(err, errlen, "%s did not finish within %u s", env->qemu,
				 env->timeout_s);
			rc = boot_rc;
		} else if (!out->done) {
			snprintf(err, errlen, "the probe stopped before the end of the batch");
			rc = -EIO;
		}
		if (rc && rc != -ETIMEDOUT && rc != -EINVAL)
			oracle_out_free(out);
	}
	if (!env->keep && !env->log_path) {
		unlink(blob);
		unlink(uart);
		unlink(elog);
	}
	return rc;
}

static int parse_hex(const char **p, uint64_t *v)
{
	char *end;

	while (**p == ' ')
		(*p)++;
	errno = 0;
	unsigned long long x = strtoull(*p, &end, 16);
	if (end == *p || errno)
		return -1;
	*p = end;
	*v = x;
	return 0;
}

/* A probe line is a tag alone ("D") or a tag, a space and hex numbers;
 * anything else on the console (firmware banners) is not the probe's. */
static void parse_line(const char *s, struct oracle_out *out)
{
	uint64_t v[8] = { 0 };
	unsigned n = 0;
	const char *p = s + 1;

	if (!s[0] || (s[1] && s[1] != ' '))
		return;
	if (s[0] == 'D') {
		out->done = !s[1];
		return;
	}
	for (const char *q = p; *q; q++)
		if (*q != ' ' && !isxdigit((unsigned char)*q))
			return;

	while (n < 8 && !parse_hex(&p, &v[n]))
		n++;
	switch (s[0]) {
	case 'I':
		if (n == 6) {
			out->id = (struct oracle_ident){ v[0], v[1], v[2], v[3], v[4], v[5] };
			out->have_id = true;
		}
		break;
	case 'R':
		if (n == 8 && v[0] < out->nrec)
			out->rec[v[0]] = (struct oracle_rec){ .tag = 'R', .vec = v[1], .esr = v[2],
				.far = v[3], .hpfar = v[4], .elr = v[5], .x0 = v[6], .x1 = v[7] };
		break;
	case 'A':
		if (n == 4 && v[0] < out->nrec)
			out->rec[v[0]] = (struct oracle_rec){ .tag = 'A', .par = v[1], .esr = v[2],
							      .far = v[3] };
		break;
	case 'F':
		snprintf(out->fault, sizeof(out->fault), "ESR_EL2 0x%" PRIx64 " ELR_EL2 0x%"
			 PRIx64 " FAR_EL2 0x%" PRIx64, v[0], v[1], v[2]);
		break;
	default:
		break;
	}
}

int oracle_parse(const char *text, size_t len, size_t nrec, struct oracle_out *out)
{
	*out = (struct oracle_out){ 0 };
	out->rec = calloc(nrec ? nrec : 1, sizeof(*out->rec));
	if (!out->rec)
		return -ENOMEM;
	out->nrec = nrec;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - text) : len;
		char line[256];
		size_t l = e - i < sizeof(line) - 1 ? e - i : sizeof(line) - 1;
		memcpy(line, text + i, l);
		while (l && line[l - 1] == '\r')	/* serial consoles end lines with CR LF */
			l--;
		line[l] = 0;
		parse_line(line, out);
		i = e + 1;
	}
	if (!out->have_id) {
		oracle_out_free(out);
		return -EINVAL;
	}
	return 0;
}

unsigned oracle_s2_features(const struct oracle_ident *id)
{
	unsigned f = S2_FEAT_PAN | S2_FEAT_WXN;
	unsigned tg4 = (unsigned)hvx_bits(id->mmfr0, 31, 28);
	unsigned tg16 = (unsigned)hvx_bits(id->mmfr0, 23, 20);

	/* ID_AA64MMFR1_EL1 (D24.2.95): HAFDBS [3:0], XNX [31:28];
	 * ID_AA64MMFR2_EL1 (D24.2.96): ST [31:28]; ID_AA64MMFR0_EL1 (D24.2.94):
	 * PARange 0b0110 52-bit, TGran4 0b0001 / TGran16 0b0010 with 52-bit
	 * (FEAT_LPA2). */
	if (hvx_bits(id->mmfr1, 3, 0) >= 2)
		f |= S2_FEAT_HAFDBS;
	if (hvx_bits(id->mmfr1, 31, 28) >= 1)
		f |= S2_FEAT_XNX;
	if (hvx_bits(id->mmfr2, 31, 28) >= 1)
		f |= S2_FEAT_TTST;
	if ((id->mmfr0 & 15) == 6)
		f |= S2_FEAT_LPA;
	if (tg4 == 1 || tg16 == 2)
		f |= S2_FEAT_LPA2;
	return f;
}
