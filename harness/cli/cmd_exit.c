/* hvexit exit: run one exit through the default VM and print the outcome. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/cli/opts.h"
#include "harness/trace/trace_engine.h"
#include "hvexit/emu_default.h"
#include "hvexit/outcome_json.h"
#include "hvexit/trace.h"

static int parse_reg(const char *s, struct emu_exit *e)
{
	const char *eq = strchr(s, '=');
	char name[8];
	uint64_t v;
	char *end;

	if (!eq || eq - s < 2 || eq - s > 3 || s[0] != 'x')
		return -EINVAL;
	memcpy(name, s + 1, (size_t)(eq - s - 1));
	name[eq - s - 1] = 0;
	/* Exactly x0..x30: decimal digits only (strtoul would take "+1"). */
	for (const char *p = name; *p; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	unsigned long n = strtoul(name, &end, 10);
	if (*end || n > 30 || (name[0] == '0' && name[1]))
		return -EINVAL;
	if (num_parse_hex(eq + 1, &v))
		return -EINVAL;
	e->regs[n] = v;
	e->regs_mask |= UINT32_C(1) << n;
	return 0;
}

static void print_text(const struct emu_outcome *o)
{
	printf("action: %s\npc: 0x%" PRIx64 "\n", emu_action_name(o->action), o->pc);
	for (unsigned i = 0; i < o->n_accesses; i++)
		printf("access: %s 0x%" PRIx64 " len %u data 0x%" PRIx64 "%s\n",
		       o->accesses[i].write ? "write" : "read", o->accesses[i].ipa,
		       o->accesses[i].len, o->accesses[i].data,
		       o->accesses[i].pending ? " (pending: VMM must serve)" : "");
	for (unsigned i = 0; i < o->n_writes; i++) {
		if (o->writes[i].reg == EMU_REG_SP)
			printf("write: sp = 0x%" PRIx64 "\n", o->writes[i].val);
		else
			printf("write: x%u = 0x%" PRIx64 "\n", o->writes[i].reg, o->writes[i].val);
	}
	if (o->has_inject)
		printf("inject: esr_el1 0x%" PRIx64 " far_el1 0x%" PRIx64 " vector 0x%" PRIx64 "\n",
		       o->inject.esr_el1, o->inject.far_el1, o->inject.vector);
	if (o->action == EMU_ACT_CPU_ON)
		printf("cpu_on: target 0x%" PRIx64 " entry 0x%" PRIx64 " context 0x%" PRIx64 "\n",
		       o->target_mpidr, o->entry, o->context_id);
	for (unsigned i = 0; i < o->n_findings; i++)
		printf("finding: %s: %s\n", o->findings[i].kind, o->findings[i].detail);
}

struct exit_args {
	struct emu_exit e;
	uint64_t lazy_ipa, lazy_size;
	bool have_lazy;
};

static int opt_reg(void *ctx, const char *v, char *err, size_t len)
{
	struct exit_args *x = ctx;

	if (parse_reg(v, &x->e) == 0)
		return 0;
	snprintf(err, len, "not xN=HEX with N 0..30");
	return -EINVAL;
}

static int opt_mmio(void *ctx, const char *v, char *err, size_t len)
{
	struct exit_args *x = ctx;
	uint64_t d;

	if (x->e.n_mmio_data >= EMU_MAX_MMIO_DATA) {
		snprintf(err, len, "at most %d values", EMU_MAX_MMIO_DATA);
		return -E2BIG;
	}
	if (num_parse_hex(v, &d) < 0) {
		snprintf(err, len, "not a hex number");
		return -EINVAL;
	}
	x->e.mmio_data[x->e.n_mmio_data++] = d;
	return 0;
}

static int opt_lazy(void *ctx, const char *v, char *err, size_t len)
{
	struct exit_args *x = ctx;
	char buf[64], *colon;

	if (strlen(v) >= sizeof(buf) || !(colon = strchr(strcpy(buf, v), ':')))
		goto bad;
	*colon = 0;
	if (num_parse_hex(buf, &x->lazy_ipa) || num_parse_hex(colon + 1, &x->lazy_size))
		goto bad;
	x->have_lazy = true;
	return 0;
bad:
	snprintf(err, len, "not IPA:SIZE (hex)");
	return -EINVAL;
}

/* The VM of a trace's header (--trace-vm), or the default VM. */
static struct trace_engine *make_vm(const char *trace)
{
	struct trace_reader *r = NULL;
	struct trace_engine *eng;
	json_t *def = NULL;
	char err[1100];

	if (trace && trace_reader_open(trace, &r, err, sizeof(err)) < 0) {
		cli_error("exit", "--trace-vm: %s", err);
		return NULL;
	}
	if (!trace)
		def = json_pack("{s:i}", "vcpus", 2);
	eng = trace_engine_new(r ? trace_reader_header(r) : def, err, sizeof(err));
	if (!eng)
		cli_error("exit", "%s%s", trace ? "--trace-vm: " : "", err);
	json_decref(def);
	trace_reader_close(r);
	return eng;
}

static int finish(struct trace_engine *eng, int rc)
{
	trace_engine_free(eng);
	return rc;
}

int cmd_exit(int argc, char **argv)
{
	struct exit_args x;
	struct emu_exit *ep = &x.e;
	struct emu_outcome o;
	bool json = false, have_esr = false, s2 = false, have_pc = false, have_insn = false;
	uint64_t vcpu = 0, insn = 0;
	const char *trace = NULL;
	struct trace_engine *eng;
	struct emu_vm *vm;
	struct emu_default *d;
	char *ops[1];
	int rc, nops;
	struct cli_opt opts[] = {
		OPT_HEX("--esr", &x.e.esr, "HEX", "ESR_EL2 of the exit (required)"),
		OPT_HEX("--far", &x.e.far, "HEX", "FAR_EL2"),
		OPT_HEX("--hpfar", &x.e.hpfar, "HEX", "HPFAR_EL2"),
		OPT_HEX("--pc", &x.e.pc, "HEX", "the trapping instruction's address (default: RAM base)"),
		OPT_HEX("--insn", &insn, "HEX", "the A64 instruction word at PC (ISV=0 emulation)"),
		OPT_FN("--reg", opt_reg, "xN=HEX", "a general-purpose register before the exit"),
		OPT_FN("--mmio-data", opt_mmio, "HEX", "data the VMM returns for a pending MMIO read"),
		OPT_U64("--vcpu", &vcpu, "N", 0, EMU_MAX_VCPUS - 1,
			"the trapping vCPU (0 or 1 in the default VM)"),
		OPT_FLAG("--json", &json, "the outcome as JSON"),
		OPT_FLAG("--s2", &s2, "translate through a real Stage-2 table built from the regions"),
		OPT_FN("--lazy", opt_lazy, "IPA:SIZE", "add RW RAM at IPA, mapped on demand"),
		OPT_STR("--trace-vm", &trace, "TRACE",
			"the VM a trace's header describes (memory map, vCPUs, config)"),
	};
	const struct cli_cmd cmd = {
		.name = "exit", .synopsis = "--esr HEX [options]",
		.about = "Runs one exit through the default VM (RAM 0x40000000, PL011 0x10000000 and\n"
			 "0x10008000, GICv2 distributor 0x08000000, PSCI), or the VM of --trace-vm,\n"
			 "and prints the outcome.\n"
			 "Exit status: 0 handled, 1 findings or unhandled, 2 bad input.",
		.opts = opts, .nopts = HVX_ARRAY_SIZE(opts), .ctx = &x, .max_operands = 1,
	};

	memset(&x, 0, sizeof(x));
	opts[0].given = &have_esr;
	opts[3].given = &have_pc;
	opts[4].given = &have_insn;
	rc = cli_parse(&cmd, argc, argv, ops, &nops);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (nops)
		return cli_error("exit", "unexpected argument '%s'", ops[0]);
	if (have_insn && insn > UINT32_MAX)
		return cli_error("exit", "--insn: wider than 32 bits");
	x.e.insn = (uint32_t)insn;
	x.e.has_insn = have_insn;
	x.e.has_pc = have_pc;
	if (!have_esr)
		return cli_error("exit", "--esr is required");
	eng = make_vm(trace);
	if (!eng)
		return 2;
	vm = trace_engine_vm(eng);
	d = trace_engine_default(eng);
	if (vcpu >= vm->nvcpus)
		return finish(eng, cli_error("exit", "--vcpu %" PRIu64 ": the VM has %u vCPUs", vcpu,
					     vm->nvcpus));
	if (x.have_lazy && (rc = emu_vm_add_region(vm, x.lazy_ipa, x.lazy_size,
						 EMU_MEM_R | EMU_MEM_W | EMU_MEM_LAZY, NULL)))
		return finish(eng, cli_error("exit", "--lazy 0x%" PRIx64 ":0x%" PRIx64
					     ": cannot add the region (%d)", x.lazy_ipa, x.lazy_size, rc));
	if (s2 && (rc = emu_vm_s2_enable(vm)))
		return finish(eng, cli_error("exit", "--s2: cannot build the Stage-2 table (%d)", rc));
	/* Without --pc the vCPU sits at the start of the default VM's RAM. */
	vm->vcpu[vcpu].pc = EMU_DEFAULT_RAM_BASE;
	rc = emu_handle_exit(vm, (unsigned)vcpu, ep, &o);
	if (rc < 0)
		return finish(eng, cli_error("exit", "engine error %d", rc));
	if (json) {
		json_t *j = emu_outcome_to_json(&o);
		char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
		if (!s) {
			json_decref(j);
			return finish(eng, cli_error("exit", "out of memory"));
		}
		printf("%s\n", s);
		free(s);
		json_decref(j);
	} else {
		print_text(&o);
		for (int u = 0; d && u < 2; u++)
			if (d->uart[u].out_len)
				printf("uart%d: %.*s\n", u, (int)d->uart[u].out_len, d->uart[u].out);
	}
	return finish(eng, (o.n_findings || o.action == EMU_ACT_UNHANDLED) ? 1 : 0);
}
