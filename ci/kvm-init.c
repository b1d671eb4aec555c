/*
 * /init of the initramfs that ci/kvm-qemu boots under qemu-system-aarch64:
 * mounts devtmpfs, proc, sysfs and tracefs, runs `hvexit kvm suite` on the
 * guests in /guests (with /kvm-baseline.json when present), prints its JSON lines between markers on the console
 * (and, when the kernel command line has hvexit_capture=1, the captured
 * ftrace text and exit traces), then powers the machine off.
 * It refuses to do anything unless it is PID 1, so running it by mistake
 * on a host cannot mount or power anything off.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* dir/name opened with mode, NULL when it cannot be. */
static FILE *open_in(const char *dir, const char *name, const char *mode)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return fopen(path, mode);
}

static void dump_file(const char *dir, const char *name)
{
	char line[4096];
	FILE *f = open_in(dir, name, "r");

	if (!f)
		return;
	printf("HVEXIT-FILE-BEGIN %s\n", name);
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	printf("HVEXIT-FILE-END %s\n", name);
	fclose(f);
}

/* A binary file as base64 lines (RFC 4648 section 4) between markers. */
static void dump_b64(const char *dir, const char *name)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char out[80];
	unsigned char in[57];
	size_t n;
	FILE *f = open_in(dir, name, "rb");

	if (!f)
		return;
	printf("HVEXIT-B64-BEGIN %s\n", name);
	while ((n = fread(in, 1, sizeof(in), f)) > 0) {
		size_t o = 0;

		for (size_t i = 0; i < n; i += 3) {
			unsigned v = (unsigned)in[i] << 16;

			if (i + 1 < n)
				v |= (unsigned)in[i + 1] << 8;
			if (i + 2 < n)
				v |= in[i + 2];
			out[o++] = tab[(v >> 18) & 63];
			out[o++] = tab[(v >> 12) & 63];
			out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
			out[o++] = i + 2 < n ? tab[v & 63] : '=';
		}
		out[o] = '\0';
		puts(out);
	}
	printf("HVEXIT-B64-END %s\n", name);
	fclose(f);
}

/*
 * --capture with trace-cmd in the initramfs (/bin/trace-cmd and its
 * shared libraries under /lib): record the kvm events of one hello run
 * into /tmp/dat/hello.dat. /proc/kallsyms is hidden behind an empty file
 * so the trace.dat stays small (the kvm events need no symbols).
 */
static void record_tracedat(void)
{
	int status = 0;
	pid_t pid;
	int fd;

	if (access("/bin/trace-cmd", X_OK) != 0)
		return;
	mkdir("/tmp/dat", 0755);
	fd = open("/tmp/empty", O_WRONLY | O_CREAT | O_TRUNC, 0444);
	if (fd >= 0)
		close(fd);
	mount("/tmp/empty", "/proc/kallsyms", NULL, MS_BIND, NULL);
	pid = fork();
	if (pid == 0) {
		char *const env[] = { "LD_LIBRARY_PATH=/lib", "PATH=/bin", NULL };

		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (chdir("/tmp/dat") != 0)
			_exit(126);
		execle("/bin/trace-cmd", "trace-cmd", "record", "-q",
		       "-e", "kvm:kvm_exit", "-e", "kvm:kvm_guest_fault", "-e", "kvm:kvm_mmio",
		       "-e", "kvm:kvm_hvc_arm64", "-e", "kvm:kvm_userspace_exit",
		       "-o", "/tmp/dat/hello.dat", "/hvexit", "kvm", "run", "/guests/hello.elf",
		       "--vcpus", "2", "--timeout", "15", (char *)NULL, env);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	umount("/proc/kallsyms");
	printf("{\"tracedat_exit\":%d}\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
}

/* The findings the baseline does not know (a long run has thousands of
 * known instances; the serial console is slow). */
static void dump_new_findings(const char *path)
{
	char line[8192];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	printf("HVEXIT-FILE-BEGIN fuzz-findings.jsonl\n");
	while (fgets(line, sizeof(line), f))
		if (!strstr(line, "\"known\":true"))
			fputs(line, stdout);
	printf("HVEXIT-FILE-END fuzz-findings.jsonl\n");
	fclose(f);
}

/* The same guests again as TAP 13 (`kvm suite --tap`), between markers,
 * so the host sees the TAP output of a real run (--quiet: no progress
 * line on the console). */
static void tap_run(char *vgic)
{
	int status = 0;
	pid_t pid;

	printf("HVEXIT-TAP-BEGIN\n");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/hvexit", "hvexit", "kvm", "suite", "/guests", "--tap", "--quiet", "--vgic", vgic,
		      "--baseline", "/kvm-baseline.json", "--timeout", "15", (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	printf("HVEXIT-TAP-END %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
}

/*
 * hvexit_fuzz=SEED:STEPS[:STEP] on the kernel command line (ci/kvm-fuzz):
 * only `hvexit kvm fuzz` runs, with /kvm-fuzz.json as its baseline when
 * present; its report, exit status and new findings (JSON Lines) are
 * printed between HVEXIT-FUZZ-BEGIN/END.
 */
static void run_fuzz(const char *spec)
{
	char seed[24] = "", steps[24] = "", step[24] = "";
	char *argv[20];
	int argc = 0, status = 0;
	pid_t pid;

	if (sscanf(spec, "%23[0-9]:%23[0-9]:%23[0-9]", seed, steps, step) < 2) {
		printf("HVEXIT-FUZZ-BEGIN\n{\"fuzz_exit\":2}\nHVEXIT-FUZZ-END\n");
		return;
	}
	argv[argc++] = "hvexit";
	argv[argc++] = "kvm";
	argv[argc++] = "fuzz";
	argv[argc++] = "--seed";
	argv[argc++] = seed;
	argv[argc++] = "--steps";
	argv[argc++] = steps;
	argv[argc++] = "--guest";
	argv[argc++] = "/guests/fuzz.elf";
	argv[argc++] = "--findings";
	argv[argc++] = "/tmp/fuzz-findings.jsonl";
	if (step[0]) {
		argv[argc++] = "--step";
		argv[argc++] = step;
	}
	if (access("/kvm-fuzz.json", R_OK) == 0) {
		argv[argc++] = "--baseline";
		argv[argc++] = "/kvm-fuzz.json";
	}
	argv[argc] = NULL;
	printf("HVEXIT-FUZZ-BEGIN\n");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execv("/hvexit", argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	printf("{\"fuzz_exit\":%d}\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	dump_new_findings("/tmp/fuzz-findings.jsonl");
	printf("HVEXIT-FUZZ-END\n");
}

/* `hvexit kvm run` on a malformed guest must fail cleanly with exit 2. */
static void bad_elf(const char *path)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl("/hvexit", "hvexit", "kvm", "run", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	printf("{\"guest\":\"bad:%s\",\"status\":\"%s\",\"reason\":\"exit %d (want 2)\",\"findings\":[]}\n",
	       strrchr(path, '/') + 1,
	       WIFEXITED(status) && WEXITSTATUS(status) == 2 ? "PASS" : "FAIL",
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

int main(void)
{
	struct utsname u;
	const char *cap = getenv("hvexit_capture");
	char *vgic = getenv("hvexit_vgic");
	const char *fuzz = getenv("hvexit_fuzz");
	pid_t pid;
	int status = 0;

	if (getpid() != 1) {
		fprintf(stderr, "kvm-init: not PID 1; refusing to run (this is the initramfs /init)\n");
		return 2;
	}
	mkdir("/dev", 0755);
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/tmp", 01777);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	uname(&u);
	if (fuzz) {
		run_fuzz(fuzz);
		fflush(stdout);
		sync();
		reboot(RB_POWER_OFF);
		return 0;
	}
	printf("HVEXIT-KVM-BEGIN\n");
	printf("{\"kernel\":\"%s %s %s\"}\n", u.sysname, u.release, u.machine);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* hvexit_vgic=N on the kernel command line: only the guests
		 * that need the in-kernel vGICvN (a second boot with another
		 * GIC runs just those) */
		char *argv[16] = { "hvexit", "kvm", "suite", "/guests", "--out", "/tmp/out",
				   "--json", "--timeout", "15" };
		int n = 9;

		if (access("/kvm-baseline.json", R_OK) == 0) {
			argv[n++] = "--baseline";
			argv[n++] = "/kvm-baseline.json";
		}
		if (vgic) {
			argv[n++] = "--vgic";
			argv[n++] = vgic;
		}
		argv[n] = NULL;
		execv("/hvexit", argv);
		perror("kvm-init: exec /hvexit");
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	printf("{\"suite_exit\":%d}\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	if (vgic)
		tap_run(vgic);
	if (!vgic) {
		bad_elf("/bad/truncated.elf");
		bad_elf("/bad/text.elf");
		bad_elf("/bad/outside-map.elf");
		bad_elf("/bad/missing.elf");
	}
	printf("HVEXIT-KVM-END\n");
	if (cap && !strcmp(cap, "1")) {
		DIR *d;
		struct dirent *e;

		record_tracedat();
		dump_b64("/tmp/dat", "hello.dat");
		d = opendir("/tmp/out");
		while (d && (e = readdir(d)) != NULL)
			if (e->d_name[0] != '.')
				dump_file("/tmp/out", e->d_name);
		if (d)
			closedir(d);
	}
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
