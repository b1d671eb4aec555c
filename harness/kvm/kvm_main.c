/* hvexit kvm: the subcommands run (kvm_cmd.c), suite (kvm_suite.c) and
 * fuzz (kvm_fuzz_cmd.c). */
#include <string.h>

#include "harness/cli/cmds.h"
#include "harness/kvm/kvm_cmd.h"
#include "harness/kvm/kvm_fuzz.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} subcommands[] = {
	{ "run", kvm_cmd_run }, { "suite", kvm_cmd_suite }, { "fuzz", cmd_kvm_fuzz },
};

int cmd_kvm(int argc, char **argv)
{
	if (argc < 2)
		return kvm_usage();
	for (size_t i = 0; i < HVX_ARRAY_SIZE(subcommands); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		kvm_usage();
		return 0;
	}
	return kvm_usage();
}
