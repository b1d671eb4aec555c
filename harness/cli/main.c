/* hvexit: command-line entry point; dispatches to harness/cmd_*.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/cli/cmds.h"
#include "build/version.h"	/* HVEXIT_VERSION, written by ci/version.sh */

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "decode",   cmd_decode,   "decode ESR_EL2 values (text or --json)" },
	{ "walk",     cmd_walk,     "walk Stage-2 (and Stage-1) tables for an address" },
	{ "s2",       cmd_s2,       "Stage-2 table tools (s2 build)" },
	{ "exit",     cmd_exit,     "run one exit through the exit engine" },
	{ "xcheck",   cmd_xcheck,   "cross-check a data-abort ISS against its instruction" },
	{ "record",   cmd_record,   "run a scenario through the engine, write a trace" },
	{ "replay",   cmd_replay,   "replay traces through the engine and diff outcomes" },
	{ "diff",     cmd_diff,     "align two traces and show the first divergences" },
	{ "import",   cmd_import,   "import ftrace text or trace.dat into an hvexit trace" },
	{ "convert",  cmd_convert,  "convert traces between JSON Lines and binary" },
	{ "kvm",      cmd_kvm,      "run guests on real KVM (arm64 Linux only)" },
	{ "validate", cmd_validate, "validate a hypervisor's decoder plugin" },
	{ "report",   cmd_report,   "report findings given as JSON Lines (baseline, JUnit, TAP)" },
	{ "oracle",   cmd_oracle,   "check the models against QEMU at EL2 (the probe image)" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: hvexit COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s%s\n", commands[i].name, commands[i].summary,
			commands[i].fn ? "" : " (not in this build)");
	fprintf(f, "\n'hvexit COMMAND --help' describes a command; "
		"'hvexit --version' prints the version.\n");
}

/* A report that did not reach its reader is not a success: a failed write
 * to standard output (a full disk, a closed pipe) makes the exit status 2. */
static int finish(const char *name, int rc, bool closed)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "hvexit %s: standard output: write failed: %s\n", name,
			closed ? "it is closed" : strerror(errno ? errno : EIO));
		return 2;
	}
	return rc;
}

/* Started with standard input, output or error closed, the first file
 * hvexit opens would become that descriptor, and the report would be
 * written into an output file. Park a stand-in there: /dev/full for the
 * outputs (so writing to a closed stdout fails), /dev/null for input.
 * Returns whether stdout was closed. */
static bool guard_std_fds(void)
{
	bool closed = false;

	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open(fd ? "/dev/full" : "/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			_exit(2);
		closed |= fd == 1;
	}
	return closed;
}

int main(int argc, char **argv)
{
	bool closed = guard_std_fds();

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("hvexit %s\n", HVEXIT_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (!commands[i].fn) {
			fprintf(stderr, "hvexit: command '%s' is not available in this build\n",
				argv[1]);
			return 2;
		}
		return finish(commands[i].name, commands[i].fn(argc - 1, argv + 1), closed);
	}
	fprintf(stderr, "hvexit: unknown command '%s' (try 'hvexit --help')\n", argv[1]);
	return 2;
}
