/*
 * The hvexit subcommands. Each lives in harness/cmd_<name>.c and takes the
 * arguments after its name (argv[0] is the subcommand name). Return value
 * is the process exit status: 0 success, 1 findings/differences, 2 usage
 * or unreadable input.
 *
 * The references are weak so that a build without one of them (for
 * example the arm64-only KVM backend on an x86 host) still links; main.c
 * reports such a command as not available in this build.
 */
#ifndef HVEXIT_HARNESS_CMDS_H
#define HVEXIT_HARNESS_CMDS_H

#define HVX_CMD(name) int cmd_##name(int argc, char **argv) __attribute__((weak))

HVX_CMD(decode);
HVX_CMD(walk);
HVX_CMD(s2);
HVX_CMD(exit);
HVX_CMD(xcheck);
HVX_CMD(record);
HVX_CMD(replay);
HVX_CMD(diff);
HVX_CMD(import);
HVX_CMD(convert);
HVX_CMD(kvm);
HVX_CMD(validate);
HVX_CMD(report);
HVX_CMD(oracle);

#endif
