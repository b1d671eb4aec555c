# The Linux KVM adapter (examples/plugins/linux-kvm/): KVM's own data-abort
# and MMIO-load code, compiled unchanged from Debian's linux-source-6.1.
# The files are extracted from the package's tarball into build/linux-kvm/
# (once; the tarball is the prerequisite) and never enter the repository.
#   make linux-kvm        build/linux-kvm/linux-kvm.so
#   make linux-kvm-check  build it and validate it (ci/linux-kvm-check, part
#                         of make check; SKIP without the package)
LINUX_SRC_TAR ?= /usr/src/linux-source-6.1.tar.xz
LINUX_SRC_TOP := linux-source-6.1
LKVM          := build/linux-kvm
LKVM_FILES    := arch/arm64/kvm/mmio.c arch/arm64/include/asm/kvm_emulate.h \
                 arch/arm64/include/asm/esr.h arch/arm64/include/asm/kvm_arm.h
LKVM_SHIM     := $(wildcard $(addprefix examples/plugins/linux-kvm/shim/,*.h */*.h */*/*.h))

$(LKVM)/src/.extracted: $(LINUX_SRC_TAR)
	@rm -rf $(LKVM)/src && mkdir -p $(LKVM)/src
	tar -xJf $< -C $(LKVM)/src --strip-components=1 \
	  $(addprefix $(LINUX_SRC_TOP)/,$(LKVM_FILES))
	@touch $@

# GNU C as the kernel is written; KVM's files keep their own warnings off
# the -Werror list (they are not ours to change), the adapter does not.
$(LKVM)/linux-kvm.so: examples/plugins/linux-kvm/adapter.c $(LKVM_SHIM) \
                      include/hvexit/plugin.h $(LKVM)/src/.extracted
	$(CC) -std=gnu11 -O2 -g -fPIC -shared -Wall -Wextra \
	  -Iexamples/plugins/linux-kvm/shim -I$(LKVM)/src/arch/arm64/include -Iinclude \
	  -o $@ examples/plugins/linux-kvm/adapter.c $(LKVM)/src/arch/arm64/kvm/mmio.c

.PHONY: linux-kvm linux-kvm-check
linux-kvm: $(LKVM)/linux-kvm.so
linux-kvm-check: $(REL)/hvexit
	@bash ci/linux-kvm-check $(REL)/hvexit
