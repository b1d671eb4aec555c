# Cross build for the real-KVM run (used by ci/kvm-qemu): a static aarch64
# hvexit including the KVM backend (harness/kvm/), the initramfs /init,
# and the bare-metal guests. Objects go to build/aarch64/.
XCC     ?= aarch64-linux-gnu-gcc
OUT     := build/aarch64
include mk/common.mk
XCFLAGS := $(STD) $(WARN) -O2 -g -Iinclude -I. -I/usr/include/capstone
XLIBS   := -L/usr/lib/aarch64-linux-gnu -ljansson -lcapstone -lelf -lz -lzstd -lpthread -lm

include mk/sources.mk
.DEFAULT_GOAL := all
SRC  := $(LIB_SRC) $(KVM_SRC) $(CLI_SRC)
OBJS := $(patsubst %.c,$(OUT)/%.o,$(SRC))

GUEST_CFLAGS := -ffreestanding -nostdlib -nostartfiles -static -O2 -mstrict-align \
                -mgeneral-regs-only -fno-pie -no-pie -Wall -Wextra -Werror -Iguests \
                -Tguests/common/guest.ld -Wl,--build-id=none
GUEST_C   := $(filter-out guests/common/%,$(wildcard guests/*.c))
GUEST_S   := $(wildcard guests/*.S)
GUESTS    := $(patsubst guests/%.c,$(OUT)/guests/%.elf,$(GUEST_C)) \
             $(patsubst guests/%.S,$(OUT)/guests/%.elf,$(GUEST_S))

all: $(OUT)/hvexit $(OUT)/init $(GUESTS)

$(OUT)/%.o: %.c | build/version.h
	@mkdir -p $(dir $@)
	$(XCC) $(XCFLAGS) -MMD -MP -c $< -o $@

$(OUT)/hvexit: $(OBJS)
	$(XCC) -static -o $@ $^ $(XLIBS)

$(OUT)/init: ci/kvm-init.c
	$(XCC) -static -O2 -Wall -Wextra -Werror -o $@ $<

$(OUT)/guests/%.elf: guests/%.c guests/common/start.S guests/common/guest.h guests/common/guest.ld \
                     $(wildcard guests/*.h)
	@mkdir -p $(dir $@)
	$(XCC) $(GUEST_CFLAGS) -o $@ guests/common/start.S $<

$(OUT)/guests/%.elf: guests/%.S guests/common/guest.ld
	@mkdir -p $(dir $@)
	$(XCC) $(GUEST_CFLAGS) -o $@ $<

-include $(shell find $(OUT) -name '*.d' 2>/dev/null)
