/* hvexit kvm: the subcommands run (kvm_cmd.c), suite (kvm_suite.c) and
 * fuzz (kvm_fuzz_cmd.c). */
#include <string.h>

#include "harness/cli/cmds.h"
#include "harness/kvm/kvm_cmd.h"
#include "harness/kvm/kvm_fuzz.h"

int cmd_kvm(int argc, char **argv)
{
	if (argc < 2)
		return kvm_usage();
	if (!strcmp(argv[1], "run"))
		return kvm_cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "suite"))
		return kvm_cmd_suite(argc - 1, argv + 1);
	if (!strcmp(argv[1], "fuzz"))
		return cmd_kvm_fuzz(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		kvm_usage();
		return 0;
	}
	return kvm_usage();
}
