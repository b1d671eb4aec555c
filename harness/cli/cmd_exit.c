/* hvexit exit: run one exit through the default VM and print the outcome. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "hvexit/emu_default.h"
#include "hvexit/outcome_json.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: hvexit exit --esr HEX [--far HEX] [--hpfar HEX] [--pc HEX]\n"
		   "       [--insn HEX] [--reg xN=HEX ...] [--mmio-data HEX ...] [--vcpu N] [--json]\n"
		   "       [--s2] [--lazy IPA:SIZE]\n"
		   "Runs one exit through the default VM (RAM 0x40000000, PL011 0x10000000 and\n"
		   "0x10008000, GICv2 distributor 0x08000000, PSCI) and prints the outcome.\n"
		   "--s2: translate through a real Stage-2 table built from the region list;\n"
		   "--lazy: add RW RAM at IPA (SIZE bytes, 4 KiB aligned) mapped on demand.\n"
		   "Exit status: 0 handled, 1 findings or unhandled, 2 bad input.\n");
}

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

int cmd_exit(int argc, char **argv)
{
	struct emu_exit e;
	struct emu_outcome o;
	bool json = false, have_esr = false, s2 = false, have_lazy = false;
	uint64_t lazy_ipa = 0, lazy_size = 0;
	uint64_t v, vcpu = 0;
	struct emu_default *d;
	int rc;

	memset(&e, 0, sizeof(e));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *arg = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--json")) {
			json = true;
			continue;
		}
		if (!strcmp(a, "--s2")) {
			s2 = true;
			continue;
		}
		if (!arg)
			return cli_error("exit", "option '%s' needs a value", a);
		i++;
		if (!strcmp(a, "--esr") || !strcmp(a, "--far") || !strcmp(a, "--hpfar") ||
		    !strcmp(a, "--pc") || !strcmp(a, "--insn") || !strcmp(a, "--mmio-data")) {
			if (num_parse_hex(arg, &v))
				return cli_error("exit", "%s: '%s' is not a hex number", a, arg);
			if (!strcmp(a, "--esr")) {
				e.esr = v;
				have_esr = true;
			} else if (!strcmp(a, "--far")) {
				e.far = v;
			} else if (!strcmp(a, "--hpfar")) {
				e.hpfar = v;
			} else if (!strcmp(a, "--pc")) {
				e.pc = v;
				e.has_pc = true;
			} else if (!strcmp(a, "--insn")) {
				if (v > UINT32_MAX)
					return cli_error("exit", "--insn: '%s' is wider than 32 bits", arg);
				e.insn = (uint32_t)v;
				e.has_insn = true;
			} else {
				if (e.n_mmio_data >= EMU_MAX_MMIO_DATA)
					return cli_error("exit", "--mmio-data: at most %d values",
							 EMU_MAX_MMIO_DATA);
				e.mmio_data[e.n_mmio_data++] = v;
			}
		} else if (!strcmp(a, "--lazy")) {
			char buf[64];
			char *colon;
			if (strlen(arg) >= sizeof(buf) || !(colon = strchr(strcpy(buf, arg), ':')))
				return cli_error("exit", "--lazy: '%s' is not IPA:SIZE", arg);
			*colon = 0;
			if (num_parse_hex(buf, &lazy_ipa) || num_parse_hex(colon + 1, &lazy_size))
				return cli_error("exit", "--lazy: '%s' is not IPA:SIZE (hex)", arg);
			have_lazy = true;
		} else if (!strcmp(a, "--reg")) {
			if (parse_reg(arg, &e))
				return cli_error("exit", "--reg: '%s' is not xN=HEX with N 0..30", arg);
		} else if (!strcmp(a, "--vcpu")) {
			if (num_parse_u64(arg, &vcpu) || vcpu > 1)
				return cli_error("exit", "--vcpu: '%s' is not 0 or 1", arg);
		} else {
			return cli_error("exit", "unknown option '%s' (try --help)", a);
		}
	}
	if (!have_esr)
		return cli_error("exit", "--esr is required");
	d = malloc(sizeof(*d));
	if (!d)
		return cli_error("exit", "out of memory");
	rc = emu_default_init(d);
	if (rc) {
		free(d);
		return cli_error("exit", "cannot set up the default VM (%d)", rc);
	}
	if (have_lazy && (rc = emu_vm_add_region(&d->vm, lazy_ipa, lazy_size,
						 EMU_MEM_R | EMU_MEM_W | EMU_MEM_LAZY, NULL))) {
		emu_default_destroy(d);
		free(d);
		return cli_error("exit", "--lazy 0x%" PRIx64 ":0x%" PRIx64 ": cannot add the region (%d)",
				 lazy_ipa, lazy_size, rc);
	}
	if (s2 && (rc = emu_vm_s2_enable(&d->vm))) {
		emu_default_destroy(d);
		free(d);
		return cli_error("exit", "--s2: cannot build the Stage-2 table (%d)", rc);
	}
	/* Without --pc the vCPU sits at the start of RAM. */
	d->vm.vcpu[vcpu].pc = EMU_DEFAULT_RAM_BASE;
	rc = emu_handle_exit(&d->vm, (unsigned)vcpu, &e, &o);
	if (rc < 0) {
		emu_default_destroy(d);
		free(d);
		return cli_error("exit", "engine error %d", rc);
	}
	if (json) {
		json_t *j = emu_outcome_to_json(&o);
		char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
		if (!s) {
			json_decref(j);
			emu_default_destroy(d);
			free(d);
			return cli_error("exit", "out of memory");
		}
		printf("%s\n", s);
		free(s);
		json_decref(j);
	} else {
		print_text(&o);
		for (int u = 0; u < 2; u++)
			if (d->uart[u].out_len)
				printf("uart%d: %.*s\n", u, (int)d->uart[u].out_len, d->uart[u].out);
	}
	emu_default_destroy(d);
	free(d);
	return (o.n_findings || o.action == EMU_ACT_UNHANDLED) ? 1 : 0;
}
