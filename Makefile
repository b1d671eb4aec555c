# hvexit — one entry point for build, tests, fuzzing and benchmarks.
#
#   make            release build of build/rel/hvexit
#   make check      everything the test suite runs (ASan+UBSan)
#   make demo       decode/replay the bundled corpus with the release build
#   make bench      benchmarks, table on stdout and build/rel/bench/bench.json
#   make fuzz       libFuzzer + AFL++ + replay builds of every fuzz target
#   make install    PREFIX=/usr/local [DESTDIR=]: binary, plugin header + .pc, data
#
# Sources are found by folder: a new file in decoder/, emu/, a harness room,
# tests/test_*.c, tests/bench/bench_*.c or fuzz/*.c needs no edit here.

CC      ?= cc
ifeq ($(origin CC),default)
CC      := gcc
endif
CLANG   ?= clang
PKG_CONFIG ?= pkg-config
SHELL   := /bin/bash

include mk/common.mk
INC     := -Iinclude -I.
PKGS    := capstone jansson libelf libzstd
INSTALL_DEPS ?= bash ci/install-deps.sh
# Package flags are read on first use by a recipe, once, never while this
# file is parsed: on a fresh machine `make demo`/`make check` parse it before
# ci/install-deps.sh has installed the packages. Missing packages stop the
# build with the command that installs them.
pkg_read = $(if $(shell $(PKG_CONFIG) --exists $(PKGS) 2>/dev/null && echo y),$(shell $(PKG_CONFIG) $(1) $(PKGS)),$(error $(PKG_CONFIG) finds no $(PKGS): run 'make deps' (ci/install-deps.sh) first))
PKG_CFLAGS = $(eval PKG_CFLAGS := $(call pkg_read,--cflags))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(call pkg_read,--libs))$(PKG_LIBS)
PKG_SLIBS  = $(eval PKG_SLIBS := $(filter -l%,$(call pkg_read,--static --libs)))$(PKG_SLIBS)
LIBS    = $(PKG_LIBS) -ldl -lpthread -lm
# The release CLI links the four libraries statically into a non-PIE
# binary: Capstone's tables carry thousands of pointers that a shared or
# position-independent copy relocates, page by page, at every start:
# `hvexit --version` went from 15.7 to 2.1 ms of CPU and from 453 to 60
# page faults, a replay of a 3-event trace from 11 to 5.3 ms (perf stat
# -r 20). The sanitizer build stays dynamic and PIE.
REL_LINK = -no-pie -Wl,-Bstatic $(PKG_SLIBS) -Wl,-Bdynamic -ldl -lpthread -lm

REL     := build/rel
SAN     := build/san
REL_FLAGS := -O2 -g
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer

include mk/sources.mk
.DEFAULT_GOAL := all
DECODER_SRC := $(sort $(wildcard decoder/*.c))

TEST_SRC    := $(sort $(wildcard tests/test_*.c))
BENCH_SRC   := $(sort $(wildcard tests/bench/bench_*.c))
FUZZ_SRC    := $(filter-out fuzz/driver.c,$(sort $(wildcard fuzz/*.c)))
FUZZ_NAMES  := $(patsubst fuzz/%.c,%,$(FUZZ_SRC))

obj = $(patsubst %.c,$(1)/%.o,$(2))

.PHONY: all check unit cli-tests vectors fuzz-regress demo demo-run bench fuzz clean \
        deps test-deps coverage examples fuzz-plugin kvm-check kvm-default kvm-fuzz-check install
all: $(REL)/hvexit

.SECONDARY:

# ---- object rules ---------------------------------------------------------
# (build/version.h: mk/common.mk)
$(REL)/%.o: %.c | build/version.h
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(REL_FLAGS) $(INC) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(SAN)/%.o: %.c | build/version.h
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(SAN_FLAGS) $(INC) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(REL)/libhvexit.a: $(call obj,$(REL),$(LIB_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(SAN)/libhvexit.a: $(call obj,$(SAN),$(LIB_SRC))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(REL)/hvexit: $(call obj,$(REL),$(CLI_SRC)) $(REL)/libhvexit.a
	$(CC) $(REL_FLAGS) -o $@ $^ $(REL_LINK)
$(SAN)/hvexit: $(call obj,$(SAN),$(CLI_SRC)) $(SAN)/libhvexit.a
	$(CC) $(SAN_FLAGS) -o $@ $^ $(LIBS)

# ---- the oracle probe: bare metal at EL2 (hvexit oracle, guests/oracle/) ------
# Built with the aarch64 cross compiler when it is installed (ci/install-deps.sh
# --kvm); `hvexit oracle` finds it at build/oracle/probe.elf.
XCC     ?= aarch64-linux-gnu-gcc
PROBE   := build/oracle/probe.elf
PROBE_CFLAGS := -ffreestanding -nostdlib -nostartfiles -static -O2 -mstrict-align \
                -mgeneral-regs-only -march=armv8.2-a -fno-pie -no-pie -Wall -Wextra -Werror \
                -Tguests/oracle/probe.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments
.PHONY: probe
probe: $(PROBE)
$(PROBE): guests/oracle/probe_el2.S guests/oracle/probe.c guests/oracle/probe.ld
	@mkdir -p $(dir $@)
	$(XCC) $(PROBE_CFLAGS) -o $@ guests/oracle/probe_el2.S guests/oracle/probe.c

# ---- unit tests (cmocka, ASan+UBSan) ---------------------------------------
TEST_BINS := $(patsubst tests/%.c,$(SAN)/tests/%,$(TEST_SRC))
# Per-test extra libraries: LDLIBS_<test name> (e.g. the Unicorn oracle).
LDLIBS_test_insn_unicorn := -lunicorn
$(SAN)/tests/%: $(SAN)/tests/%.o $(SAN)/libhvexit.a
	$(CC) $(SAN_FLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(LIBS) -lcmocka $(LDLIBS_$*)

# The portable half of the real-KVM fuzzer (harness/kvm/ is otherwise built
# only by ci/aarch64.mk): step generation, prediction, device, checks.
KVM_FUZZ_HOST := harness/kvm/kvm_fuzz_gen.c harness/kvm/kvm_fuzz_pred.c \
                 harness/kvm/kvm_fuzz_dev.c harness/kvm/kvm_fuzz_check.c
$(SAN)/tests/test_kvm_fuzz: $(call obj,$(SAN),$(KVM_FUZZ_HOST))

unit: $(TEST_BINS)
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; $$t; done

# ---- CLI and data-driven tests (tests/cli/*.sh, run against the ASan CLI) --
CLI_TESTS := $(sort $(wildcard tests/cli/*.sh))
# The oracle's probe image when the cross compiler is there (80_oracle.sh
# skips its QEMU runs without it).
PROBE_IF_XCC = $(if $(shell command -v $(XCC) 2>/dev/null),$(PROBE))
cli-tests: $(SAN)/hvexit $(REL)/hvexit $(PROBE_IF_XCC)
	@HVEXIT=$(abspath $(SAN)/hvexit) HVEXIT_REL=$(abspath $(REL)/hvexit) \
	  sh tests/run-cli.sh $(CLI_TESTS)

# ---- fuzz targets: replay driver (ASan+UBSan) for make check ---------------
FUZZ_REPLAY := $(patsubst %,$(SAN)/fuzz/%-replay,$(FUZZ_NAMES))
$(SAN)/fuzz/%-replay: $(SAN)/fuzz/%.o $(SAN)/fuzz/driver.o $(SAN)/libhvexit.a
	$(CC) $(SAN_FLAGS) -o $@ $^ $(LIBS)

fuzz-regress: $(FUZZ_REPLAY)
	@set -e; for n in $(FUZZ_NAMES); do \
	  dirs=""; for d in corpus/fuzz/$$n corpus/regressions/$$n; do \
	    [ -d $$d ] && dirs="$$dirs $$d"; done; \
	  echo "== fuzz replay $$n:$$dirs"; \
	  $(SAN)/fuzz/$$n-replay $$dirs; done

# ---- the test suite --------------------------------------------------------
# check and demo install the packages, then run make again: the second make
# reads the package flags of what is now installed (tests/cli/05_fresh_order.sh).
check:
	@mkdir -p build
	@$(INSTALL_DEPS) && set -o pipefail && \
	  $(MAKE) --no-print-directory unit cli-tests fuzz-regress linux-kvm-check kvm-default kvm-fuzz-check 2>&1 | tee build/check.log
	@sh tests/summary.sh build/check.log

# Real arm64 KVM: the guest suite in Debian arm64 kernels under QEMU
# (skips with a reason when QEMU or a kernel cannot be obtained).
# kvm-default (make check): the machine's own Debian kernel; kvm-check:
# the kernel matrix (Debian 12, 13, sid and a 16K-page kernel), one table,
# two kernels booting at once (HVEXIT_KVM_JOBS).
kvm-default:
	@bash ci/kvm-qemu --skip-ok
kvm-check:
	@bash ci/kvm-qemu --skip-ok --matrix --jobs $${HVEXIT_KVM_JOBS:-2}

# Differential fuzzing of the real KVM, a short run (the nightly job runs
# >= 100 000 checked exits); uses the kernel kvm-check downloaded.
kvm-fuzz-check:
	@bash ci/kvm-fuzz --skip-ok --steps 2000

test-deps deps:
	@$(INSTALL_DEPS)

# ---- demo: the main job on the bundled corpus ------------------------------
demo:
	@$(INSTALL_DEPS) && $(MAKE) --no-print-directory demo-run
demo-run: $(REL)/hvexit
	@sh ci/demo.sh $(REL)/hvexit

# ---- make install [PREFIX=/usr/local] [DESTDIR=] ---------------------------
# bin/hvexit; the plugin ABI header (and the project headers it includes)
# with lib/pkgconfig/hvexit.pc for plugin authors; the data the binary looks
# up relative to itself (harness/util/datadir.c) under share/hvexit/.
PREFIX  ?= /usr/local
INSTALL ?= install
DATA_DIRS := corpus/vectors corpus/s2 corpus/baselines
install: $(REL)/hvexit
	@set -e; d='$(DESTDIR)$(PREFIX)'; v=$$($(REL)/hvexit --version | cut -d' ' -f2); \
	$(INSTALL) -d "$$d/bin" "$$d/include/hvexit" "$$d/lib/pkgconfig" "$$d/share/hvexit/corpus"; \
	$(INSTALL) -m 755 $(REL)/hvexit "$$d/bin/hvexit"; \
	hdrs=$$($(CC) -MM -MT x -Iinclude include/hvexit/plugin.h | tr -d '\\' | tr ' ' '\n' | grep '^include/hvexit/'); \
	$(INSTALL) -m 644 $$hdrs "$$d/include/hvexit/"; \
	for dir in $(DATA_DIRS); do \
	  $(INSTALL) -d "$$d/share/hvexit/$$dir"; \
	  $(INSTALL) -m 644 $$(find $$dir -maxdepth 1 -type f | sort) "$$d/share/hvexit/$$dir/"; done; \
	printf '%s\n' 'prefix=$(PREFIX)' 'includedir=$${prefix}/include' \
	  'datadir=$${prefix}/share/hvexit' '' 'Name: hvexit' \
	  'Description: hvexit decoder plugin ABI (hvexit/plugin.h) for hvexit validate' \
	  "Version: $$v" 'Cflags: -I$${includedir}' >"$$d/lib/pkgconfig/hvexit.pc"; \
	echo "installed hvexit $$v in $$d"

# ---- benchmarks ------------------------------------------------------------
BENCH_BINS := $(patsubst tests/bench/%.c,$(REL)/bench/%,$(BENCH_SRC))
$(REL)/bench/%: tests/bench/%.c $(REL)/libhvexit.a
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) -O2 -g $(INC) $(PKG_CFLAGS) -o $@ $^ $(LIBS)

bench: $(BENCH_BINS) $(REL)/hvexit
	@sh tests/bench/run.sh $(BENCH_BINS)

# ---- libFuzzer / AFL++ builds ----------------------------------------------
FUZZ_CFLAGS = $(STD) $(INC) $(PKG_CFLAGS) -g -O1 -fno-omit-frame-pointer
fuzz:
	@bash fuzz/build-local.sh

# llvm-cov HTML + per-target line/branch coverage of decoder/ and emu/
coverage:
	@bash fuzz/coverage.sh

# ---- example plugins and the plugin differential fuzzer (hvexit validate) --
EXAMPLE_SRC  := $(sort $(wildcard examples/plugins/*.c))
EXAMPLE_SOS  := $(patsubst examples/plugins/%.c,build/examples/%.so,$(EXAMPLE_SRC))
build/examples/%.so: examples/plugins/%.c include/hvexit/plugin.h
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) -O2 -g -fPIC -shared -Iinclude $(EXTRA) -o $@ $<
examples: $(EXAMPLE_SOS)

include mk/linux-kvm.mk

# make fuzz-plugin PLUGIN=LIB.so [FUZZ_ARGS=-max_total_time=60]
fuzz-plugin: $(REL)/libhvexit.a
	@test -n "$(PLUGIN)" || { echo "usage: make fuzz-plugin PLUGIN=LIB.so"; exit 2; }
	@mkdir -p build/fuzz-plugin/corpus
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o build/fuzz-plugin/plugin_diff \
	  fuzz/plugin/plugin_diff.c $(patsubst %.c,%.c,$(DECODER_SRC)) harness/validate/plugin_check.c harness/validate/dabt_space.c \
	  $(abspath $(PLUGIN)) -Wl,-rpath,$(abspath $(dir $(PLUGIN))) $(LIBS)
	build/fuzz-plugin/plugin_diff -artifact_prefix=build/fuzz-plugin/ $(FUZZ_ARGS) build/fuzz-plugin/corpus corpus/fuzz-plugin

# --one-file-system: never into a mount left under build/fresh-debian/root
# by an interrupted ci/fresh-debian (its /dev, /proc, /sys)
clean:
	rm -rf --one-file-system build

# dependency files of our objects only (build/fresh-debian holds a Debian root)
-include $(shell find build -path build/fresh-debian -prune -o -name '*.d' -type f -print 2>/dev/null)
