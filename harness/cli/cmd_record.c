/*
 * hvexit record SCENARIO -o OUT [--events N] [--seed S] [--binary]
 *
 * Runs a built-in scenario through the exit engine and writes a trace
 * (source "emu"): each exit with the registers it reads, the VMM's MMIO
 * read data, guest pages an ISV=0 exit needs, and the engine's outcome.
 * Scenarios (exits built from the Arm ARM D24.2.46 ESR_EL2 layouts):
 *   seed000   two vCPUs print "C0!\n" / "C1!\n" on UART0 / UART1 with
 *             32-bit stores, then WFI
 *   seed003   HVC #0 with x0 = 10, the teaching hypervisor's call
 *   psci-off  HVC #0 with x0 = 0x84000008, PSCI SYSTEM_OFF
 *   ldp-isv0  LDP x1, x2, [x0] to unclaimed MMIO: ISV=0, decoded from the
 *             instruction in guest RAM (the page goes into the trace)
 *   random    N ISV=1 MMIO loads/stores to an unclaimed window (benchmark);
 *             the same --seed S (default 0) gives the same trace
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/cli/opts.h"
#include "harness/util/rng.h"
#include "harness/trace/trace_engine.h"
#include "harness/trace/trace_vm.h"
#include "hvexit/emu.h"
#include "hvexit/emu_default.h"
#include "hvexit/esr.h"

#define RAM_CODE   (EMU_DEFAULT_RAM_BASE + 0x1000)	/* scenario code page */
#define MMIO_WIN   UINT64_C(0x20000000)	/* nothing claims it: VMM serves it */
#define HVC_ESR    (((uint64_t)ESR_EC_HVC64 << ESR_EC_SHIFT) | ESR_IL)	/* HVC #0 */
#define WFI_ESR    (((uint64_t)ESR_EC_WFx << ESR_EC_SHIFT) | ESR_IL)	/* TI=0: WFI */

struct rec {
	struct trace_writer *w;
	struct trace_engine *eng;
	uint64_t seq;
	uint64_t seed;		/* --seed: the random scenario's generator */
	unsigned long ev_out;
	char err[256];
};

/* HPFAR_EL2.FIPA [43:4] = IPA[55:12] (D24.2.76 HPFAR_EL2). */
static uint64_t hpfar_of(uint64_t ipa)
{
	return (ipa >> 12) << 4;
}

/* A stage-2 translation fault (DFSC 0b000111, level 3) data abort with a
 * valid ISS (D24.2.46). */
static uint64_t dabt_esr(unsigned sas, bool sse, unsigned srt, bool sf, bool wnr)
{
	struct esr_dabt d = {
		.ec = ESR_EC_DABT_LOW, .il = true, .isv = true, .sas = (uint8_t)sas,
		.sse = sse, .srt = (uint8_t)srt, .sf = sf, .wnr = wnr, .dfsc = 0x07,
	};

	return esr_build_dabt(&d);
}

/* Run one exit and write it with the engine's outcome. -EINTR once
 * SIGINT/SIGTERM came (the trace then ends with what was written). */
static int step(struct rec *rc, struct trace_event *ev)
{
	if (cli_stop_signal())
		return -EINTR;
	ev->seq = rc->seq++;
	if (trace_engine_exec(rc->eng, NULL, ev, &ev->oc, rc->err, sizeof(rc->err)) < 0)
		return -EINVAL;
	ev->has_oc = true;
	if (trace_write_event(rc->w, ev) < 0) {
		snprintf(rc->err, sizeof(rc->err), "write failed");
		return -EIO;
	}
	rc->ev_out++;
	return 0;
}

static void set_reg(struct trace_event *ev, unsigned n, uint64_t v)
{
	ev->exit.regs[n] = v;
	ev->exit.regs_mask |= UINT32_C(1) << n;
}

static void mmio_exit(struct trace_event *ev, unsigned vcpu, uint64_t pc, uint64_t ipa,
		      uint64_t esr)
{
	memset(ev, 0, sizeof(*ev));
	ev->vcpu = vcpu;
	ev->exit.esr = esr;
	ev->exit.has_esr = true;
	ev->exit.ec = esr_ec(esr);
	ev->exit.far = ipa;	/* MMU off: VA = IPA */
	ev->exit.has_far = true;
	ev->exit.hpfar = hpfar_of(ipa);
	ev->exit.has_hpfar = true;
	ev->exit.pc = pc;
	ev->exit.has_pc = true;
}

static void simple_exit(struct trace_event *ev, unsigned vcpu, uint64_t pc, uint64_t esr)
{
	memset(ev, 0, sizeof(*ev));
	ev->vcpu = vcpu;
	ev->exit.esr = esr;
	ev->exit.has_esr = true;
	ev->exit.ec = esr_ec(esr);
	ev->exit.pc = pc;
	ev->exit.has_pc = true;
}

/* seed000: print_uart0/1 store each character with STR W1, [X0]
 * (32-bit store: SAS=2, SF=0, SRT=1, WnR=1). The word goes into the trace
 * so replay cross-checks the syndrome against it. */
#define STR_W1_X0 UINT32_C(0xb9000001)	/* STR (immediate) 32-bit, unsigned offset 0 */
static int sc_seed000(struct rec *rc, unsigned long n)
{
	static const char *msg[2] = { "C0!\n", "C1!\n" };
	static const uint64_t uart[2] = { EMU_DEFAULT_UART0, EMU_DEFAULT_UART1 };
	struct trace_event ev;
	struct emu_default *d = trace_engine_default(rc->eng);
	int st;

	(void)n;
	for (unsigned i = 0; i < 4; i++) {
		for (unsigned c = 0; c < 2; c++) {
			uint64_t pc = EMU_DEFAULT_RAM_BASE + 0x98 + 0x10 * c;

			mmio_exit(&ev, c, pc, uart[c], dabt_esr(2, false, 1, false, true));
			ev.exit.insn = STR_W1_X0;
			ev.exit.has_insn = true;
			set_reg(&ev, 0, uart[c]);
			set_reg(&ev, 1, (uint64_t)(unsigned char)msg[c][i]);
			if ((st = step(rc, &ev)) < 0)
				return st;
		}
	}
	for (unsigned c = 0; c < 2; c++) {
		simple_exit(&ev, c, EMU_DEFAULT_RAM_BASE + 0xe0, WFI_ESR);
		if ((st = step(rc, &ev)) < 0)
			return st;
	}
	for (unsigned c = 0; c < 2; c++) {
		if (d->uart[c].out_len != 4 || memcmp(d->uart[c].out, msg[c], 4)) {
			snprintf(rc->err, sizeof(rc->err), "UART%u printed \"%.*s\", the scenario expects \"C%u!\\n\"",
				 c, (int)d->uart[c].out_len, d->uart[c].out, c);
			return -EINVAL;
		}
	}
	fprintf(stderr, "record: seed000: UART0 \"C0!\\n\", UART1 \"C1!\\n\"\n");
	return 0;
}

static int sc_hvc(struct rec *rc, uint64_t x0)
{
	struct trace_event ev;

	simple_exit(&ev, 0, EMU_DEFAULT_RAM_BASE + 0xb4, HVC_ESR);
	set_reg(&ev, 0, x0);
	return step(rc, &ev);
}

static int sc_seed003(struct rec *rc, unsigned long n)
{
	(void)n;
	return sc_hvc(rc, 10);
}

static int sc_psci_off(struct rec *rc, unsigned long n)
{
	(void)n;
	return sc_hvc(rc, UINT64_C(0x84000008));	/* PSCI SYSTEM_OFF (DEN0022) */
}

/* LDP X1, X2, [X0] (C6.2.x LDP, signed offset, 64-bit: opc=10, imm7=0):
 * 0xa9400000 | Rt2 << 10 | Rn << 5 | Rt. An ISV=0 data abort: the engine
 * must fetch the instruction from RAM (carried as a page). */
static int sc_ldp(struct rec *rc, unsigned long n)
{
	struct trace_event ev;
	uint8_t page[TRACE_PAGE_SIZE] = { 0 };
	uint32_t insn = UINT32_C(0xa9400000) | 2u << 10 | 0u << 5 | 1u;
	struct esr_dabt d = { .ec = ESR_EC_DABT_LOW, .il = true, .dfsc = 0x07 };
	uint8_t hash[32];

	(void)n;
	memcpy(page, &insn, sizeof(insn));	/* little-endian host and guest */
	if (emu_mem_write(trace_engine_vm(rc->eng), RAM_CODE, page, sizeof(page)) < 0 ||
	    trace_write_page(rc->w, page, hash) < 0) {
		snprintf(rc->err, sizeof(rc->err), "cannot place the code page");
		return -EINVAL;
	}
	mmio_exit(&ev, 0, RAM_CODE, MMIO_WIN, esr_build_dabt(&d));
	set_reg(&ev, 0, MMIO_WIN);
	ev.n_mmio = 2;
	ev.mmio_data[0] = UINT64_C(0x1122334455667788);
	ev.mmio_data[1] = UINT64_C(0x99aabbccddeeff00);
	ev.n_pages = 1;
	ev.pages[0].ipa = RAM_CODE;
	memcpy(ev.pages[0].hash, hash, 32);
	return step(rc, &ev);
}

/* The single-register LDR/STR (immediate, unsigned offset) forms: size
 * [31:30], 0b111001 [29:24], opc [23:22], imm12, Rn, Rt (Arm ARM C4.1,
 * "Load/store register (unsigned immediate)"). opc 00 store, 01 load
 * (zero-extend), 10 signed load to X, 11 signed load to W (sizes 0 and 1
 * only; LDRSW is size 2 opc 10). Each row's ISS: SAS = size, SSE = opc[1],
 * SF = 64-bit register, WnR = store (D24.2.46). */
static const struct { uint8_t size, opc; } ldst_forms[] = {
	{ 0, 0 }, { 0, 1 }, { 0, 2 }, { 0, 3 },	/* STRB LDRB LDRSB-X LDRSB-W */
	{ 1, 0 }, { 1, 1 }, { 1, 2 }, { 1, 3 },	/* STRH LDRH LDRSH-X LDRSH-W */
	{ 2, 0 }, { 2, 1 }, { 2, 2 },		/* STR-W LDR-W LDRSW */
	{ 3, 0 }, { 3, 1 },			/* STR-X LDR-X */
};

/* N random ISV=1 accesses to the unclaimed window, each from a real
 * LDR/STR whose word is in the event (so replay cross-checks it): every
 * access width, sign extension and register width the ISS allows. */
static int sc_random(struct rec *rc, unsigned long n)
{
	struct trace_event ev;
	uint64_t s = rc->seed;

	for (unsigned long i = 0; i < n; i++) {
		uint64_t r = util_rng_next(&s);
		unsigned form = (unsigned)(r % HVX_ARRAY_SIZE(ldst_forms));
		unsigned sas = ldst_forms[form].size, opc = ldst_forms[form].opc;
		unsigned srt = (r >> 4) % 31, rn = (srt + 1 + (unsigned)((r >> 10) % 30)) % 31;
		bool wnr = opc == 0, sse = opc >= 2, sf = sas == 3 || opc == 2;
		uint64_t ipa = MMIO_WIN + (((r >> 16) & 0xfff8) & ~((UINT64_C(1) << sas) - 1));
		unsigned vcpu = (r >> 40) & 1;

		mmio_exit(&ev, vcpu, EMU_DEFAULT_RAM_BASE + 0x100 + ((r >> 32) & 0xff) * 4, ipa,
			  dabt_esr(sas, sse, srt, sf, wnr));
		ev.exit.insn = UINT32_C(0x39000000) | (uint32_t)sas << 30 | (uint32_t)opc << 22 |
			       (uint32_t)rn << 5 | srt;
		ev.exit.has_insn = true;
		if (wnr) {
			set_reg(&ev, srt, util_rng_next(&s));
		} else {
			ev.n_mmio = 1;
			ev.mmio_data[0] = util_rng_next(&s) & (sas == 3 ? ~UINT64_C(0) :
					  (UINT64_C(1) << (8u << sas)) - 1);
		}
		int st = step(rc, &ev);

		if (st < 0)
			return st;
	}
	return 0;
}

static const struct scenario {
	const char *name;
	int (*run)(struct rec *rc, unsigned long n);
	uint64_t hvc_custom_fn;
	const char *what;
} scenarios[] = {
	{ "seed000",  sc_seed000,  0,  "two vCPUs print C0!/C1! on two PL011 UARTs, then WFI" },
	{ "seed003",  sc_seed003,  10, "HVC #0 with x0 = 10" },
	{ "psci-off", sc_psci_off, 0,  "PSCI SYSTEM_OFF (0x84000008) over HVC" },
	{ "ldp-isv0", sc_ldp,      0,  "LDP x1, x2, [x0] to MMIO, ISV=0" },
	{ "random",   sc_random,   0,  "--events N random ISV=1 MMIO exits" },
};

static json_t *memory_map(struct emu_vm *vm)
{
	json_t *a = json_array();

	for (size_t i = 0; i < vm->nregions; i++) {
		const struct emu_region *g = &vm->region[i];
		char fl[8];
		int k = 0;

		if (g->flags & EMU_MEM_DEVICE) {
			snprintf(fl, sizeof(fl), "device");
		} else {
			if (g->flags & EMU_MEM_R) fl[k++] = 'r';
			if (g->flags & EMU_MEM_W) fl[k++] = 'w';
			if (g->flags & EMU_MEM_X) fl[k++] = 'x';
			fl[k] = 0;
		}
		json_array_append_new(a, json_pack("{s:s,s:o,s:o,s:s}", "name", "ram",
			"ipa", trace_hex(g->ipa), "size", trace_hex(g->size), "flags", fl));
	}
	for (size_t i = 0; i < vm->bus.n; i++) {
		const struct emu_bus_dev *b = &vm->bus.dev[i];
		const char *model = trace_vm_model_of(b->ops);
		json_t *o = json_pack("{s:s,s:o,s:o,s:s}", "name", b->ops ? b->ops->name : "device",
				      "ipa", trace_hex(b->base), "size", trace_hex(b->len),
				      "flags", "device");

		if (model)	/* the device model replay binds the region to */
			json_object_set_new(o, "model", json_string(model));
		json_array_append_new(a, o);
	}
	return a;
}

static const struct scenario *find_scenario(const char *name)
{
	for (size_t k = 0; k < HVX_ARRAY_SIZE(scenarios); k++)
		if (!strcmp(name, scenarios[k].name))
			return &scenarios[k];
	return NULL;
}

static void list_scenarios(FILE *f)
{
	fprintf(f, "scenarios:\n");
	for (size_t i = 0; i < HVX_ARRAY_SIZE(scenarios); i++)
		fprintf(f, "  %-9s %s\n", scenarios[i].name, scenarios[i].what);
}

int cmd_record(int argc, char **argv)
{
	const struct scenario *sc;
	const char *out = NULL;
	uint64_t n = 1000;
	struct rec rc = { 0 };
	bool seeded = false, binary = false, list = false;
	char err[512], *ops[2] = { 0 };
	json_t *hdr;
	int st, nops = 0;
	const struct cli_opt opts[] = {
		OPT_STR("-o", &out, "OUT", "the trace to write (\"-\": stdout)"),
		OPT_U64("--events", &n, "N", 0, 100000000, "exits of the random scenario (default 1000)"),
		{ .name = "--seed", .type = CLI_U64, .dst = &rc.seed, .metavar = "S",
		  .help = "seed of the random scenario (default 0; same seed, same trace)",
		  .given = &seeded },
		OPT_FLAG("--binary", &binary, "write the binary variant (zstd blocks)"),
		OPT_FLAG("--list", &list, "the scenarios, then exit"),
	};
	const struct cli_cmd cmd = {
		.name = "record", .synopsis = "SCENARIO -o OUT [options]",
		.about = "Runs a built-in scenario through the exit engine and writes a trace.\n"
			 "Scenarios: seed000 seed003 psci-off ldp-isv0 random (hvexit record --list).\n"
			 "SIGINT/SIGTERM end the trace after the current exit, marked interrupted.",
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts), .max_operands = 1,
	};

	st = cli_parse(&cmd, argc, argv, ops, &nops);
	if (st == 1 || (!st && list))
		list_scenarios(stdout);
	if (st || list)
		return st == 2 ? 2 : 0;
	if (!nops) {
		cli_usage(&cmd, stderr);
		return cli_error("record", "missing operand");
	}
	sc = find_scenario(ops[0]);
	if (!sc) {
		list_scenarios(stderr);
		return cli_error("record", "unknown scenario '%s'", ops[0]);
	}
	if (!out)
		return cli_error("record", "need -o OUT");
	if (seeded && sc->run != sc_random)
		return cli_error("record", "--seed applies to the random scenario only");
	hdr = trace_header_new("emu", 2);
	json_object_set_new(hdr, "scenario", json_string(sc->name));
	if (sc->run == sc_random)
		json_object_set_new(hdr, "seed", trace_hex(rc.seed));
	if (sc->hvc_custom_fn)
		json_object_set_new(hdr, "config", json_pack("{s:o}", "hvc_custom_fn",
							      trace_hex(sc->hvc_custom_fn)));
	rc.eng = trace_engine_new(hdr, err, sizeof(err));
	if (!rc.eng) {
		json_decref(hdr);
		return cli_error("record", "%s", err);
	}
	json_object_set_new(hdr, "memory", memory_map(trace_engine_vm(rc.eng)));
	if (trace_writer_open_fmt(out, hdr, binary, &rc.w, err, sizeof(err)) < 0) {
		json_decref(hdr);
		trace_engine_free(rc.eng);
		return cli_error("record", "%s", err);
	}
	json_decref(hdr);
	cli_catch_stop();
	st = sc->run(&rc, (unsigned long)n);
	if (st == -EINTR)
		trace_writer_set_interrupted(rc.w);
	if (st < 0 && st != -EINTR)
		trace_writer_abort(rc.w);	/* OUT keeps its previous content */
	else if (trace_writer_close(rc.w) < 0) {
		st = -EIO;
		snprintf(rc.err, sizeof(rc.err), "%s: write failed", out);
	}
	trace_engine_free(rc.eng);
	if (st == -EINTR) {
		fprintf(stderr, "record: %s: stopped by signal %d after %lu events; %s ends with an "
			"end record marked interrupted\n", sc->name, cli_stop_signal(), rc.ev_out, out);
		return 128 + cli_stop_signal();
	}
	if (st < 0)
		return cli_error("record", "%s: seq %llu: %s", sc->name,
				 (unsigned long long)(rc.seq ? rc.seq - 1 : 0), rc.err);
	fprintf(stderr, "record: %s: %lu events -> %s\n", sc->name, rc.ev_out, out);
	return 0;
}
