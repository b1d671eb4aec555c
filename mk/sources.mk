# Which folders are which part of the build (docs/architecture.md), in one
# place for the Makefile, ci/aarch64.mk and the fuzz build scripts:
#   LIB_SRC   the library: decoder/, emu/ and the harness rooms below the
#             command line (what tests and fuzzers link)
#   KVM_SRC   harness/kvm/, the real-KVM backend (arm64 Linux only)
#   CLI_SRC   harness/cli/, the hvexit command
# Shell scripts read the lists with
#   make -s -f mk/sources.mk print-lib-src  (or print-kvm-src, print-cli-src)
LIB_DIRS := decoder emu harness/util harness/report harness/trace \
            harness/xcheck harness/stage2 harness/validate harness/oracle
LIB_SRC  := $(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
KVM_SRC  := $(sort $(wildcard harness/kvm/*.c))
CLI_SRC  := $(sort $(wildcard harness/cli/*.c))

.PHONY: print-lib-src print-kvm-src print-cli-src
print-lib-src: ; @echo $(LIB_SRC)
print-kvm-src: ; @echo $(KVM_SRC)
print-cli-src: ; @echo $(CLI_SRC)
