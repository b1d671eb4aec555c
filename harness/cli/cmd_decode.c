/*
 * hvexit decode ESR... [--far X] [--hpfar Y] [--x0 FID] [--json] (the option
 * table is in cmd_decode()).
 * Decodes ESR_EL2 values (Arm ARM D24.2.46) as a text sheet or JSON (one
 * object per value, JSON Lines). "-" reads one ESR per line from stdin.
 * With --far and --hpfar the faulting IPA is computed per D24.2.76
 * HPFAR_EL2: IPA = HPFAR_EL2.FIPA (bits [47:4] here, IPA[55:12]) << 8
 * combined with FAR[11:0]. With --x0 and an HVC/SMC class, the SMCCC
 * function ID (Arm DEN0028) and PSCI name (DEN0022) of x0 are shown.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "harness/cli/opts.h"
#include "hvexit/esr.h"
#include "hvexit/smccc.h"
#include "hvexit/sysreg.h"

struct dopts { bool json, have_far, have_hpfar, have_x0; uint64_t far, hpfar, x0; };

static bool is_call(unsigned ec)
{
	return ec == ESR_EC_HVC32 || ec == ESR_EC_HVC64 || ec == ESR_EC_SMC32 ||
	       ec == ESR_EC_SMC64;
}

/* HPFAR_EL2 holds the faulting IPA only for stage-2 instruction and data
 * aborts (Arm ARM D24.2.76 HPFAR_EL2; ESR classes 0x20/0x21, 0x24/0x25). */
static bool has_ipa(const struct esr_decoded *d, const struct dopts *o)
{
	return o->have_far && o->have_hpfar &&
	       (d->ec == ESR_EC_IABT_LOW || d->ec == ESR_EC_IABT_CUR ||
		d->ec == ESR_EC_DABT_LOW || d->ec == ESR_EC_DABT_CUR);
}

static uint64_t ipa_of(const struct dopts *o)
{
	/* HPFAR_EL2.FIPA is bits [47:4] (FEAT_D128/LPA: up to IPA[55:12]). */
	return (hvx_bits(o->hpfar, 47, 4) << 12) | (o->far & 0xfff);
}

static int emit_json(const struct esr_decoded *d, const struct dopts *o)
{
	json_t *j = json_object(), *f = json_object();
	char hex[32];
	char *s;

	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)d->esr);
	json_object_set_new(j, "esr", json_string(hex));
	json_object_set_new(j, "ec", json_integer(d->ec));
	json_object_set_new(j, "ec_name", json_string(esr_ec_name(d->ec)));
	json_object_set_new(j, "il", json_integer(d->il));
	json_object_set_new(j, "iss", json_integer(esr_iss(d->esr)));
	json_object_set_new(j, "iss2", json_integer(esr_iss2(d->esr)));
	json_object_set_new(j, "reserved", json_boolean(d->reserved));
	if (d->esr >> 56)
		json_object_set_new(j, "res0_63_56", json_integer((json_int_t)(d->esr >> 56)));
	/* Set bits in RES0 positions of the format: reported, not an error. */
	json_object_set_new(j, "res0_nonzero", json_boolean(d->res0_bits != 0));
	if (d->res0_bits) {
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)d->res0_bits);
		json_object_set_new(j, "res0_bits", json_string(hex));
	}
	for (unsigned i = 0; i < d->nfields; i++)
		if (esr_field_applies(d, i))
			json_object_set_new(f, esr_field_name(d, i),
					    json_integer(esr_field_value(d, i)));
	json_object_set_new(j, "fields", f);
	if (d->has_fsc) {
		json_t *fsc = json_object();
		json_object_set_new(fsc, "code", json_integer(d->fsc_code));
		json_object_set_new(fsc, "type", json_string(fsc_type_name(d->fsc.type)));
		json_object_set_new(fsc, "level", d->fsc.level == FSC_NO_LEVEL ?
				    json_null() : json_integer(d->fsc.level));
		json_object_set_new(j, "fsc", fsc);
	}
	if (d->has_sysreg) {
		const char *n = sysreg_name(d->sysreg_enc);
		json_object_set_new(j, "sysreg", n ? json_string(n) : json_null());
	}
	if (has_ipa(d, o)) {
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)ipa_of(o));
		json_object_set_new(j, "ipa", json_string(hex));
	}
	if (o->have_x0 && is_call(d->ec)) {
		struct smccc_fid fid;
		const char *p = psci_fn_name((uint32_t)o->x0);
		json_t *c = json_object();

		smccc_decode((uint32_t)o->x0, &fid);
		json_object_set_new(c, "fid", json_integer((uint32_t)o->x0));
		json_object_set_new(c, "fast", json_boolean(fid.fast));
		json_object_set_new(c, "smc64", json_boolean(fid.smc64));
		json_object_set_new(c, "owner", json_integer(fid.owner));
		json_object_set_new(c, "owner_name", json_string(smccc_owner_name(fid.owner)));
		json_object_set_new(c, "number", json_integer(fid.number));
		json_object_set_new(c, "psci", p ? json_string(p) : json_null());
		json_object_set_new(j, "smccc", c);
	}
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!s)
		return cli_error("decode", "out of memory");
	puts(s);
	free(s);
	return 0;
}

static int emit_text(const struct esr_decoded *d, const struct dopts *o)
{
	char buf[4096];

	if (esr_format_text(d, buf, sizeof(buf)) < 0)
		return cli_error("decode", "sheet too long");
	fputs(buf, stdout);
	if (d->has_sysreg) {
		const char *n = sysreg_name(d->sysreg_enc);
		printf("  sysreg        %s\n", n ? n : "(unknown encoding)");
	}
	if (o->have_x0 && is_call(d->ec)) {
		struct smccc_fid fid;
		const char *p = psci_fn_name((uint32_t)o->x0);

		smccc_decode((uint32_t)o->x0, &fid);
		printf("  smccc         fid 0x%08x %s %s owner %u (%s) number 0x%x%s%s\n",
		       (uint32_t)o->x0, fid.fast ? "fast" : "yielding",
		       fid.smc64 ? "SMC64" : "SMC32", fid.owner,
		       smccc_owner_name(fid.owner), fid.number,
		       p ? " PSCI " : "", p ? p : "");
	}
	if (has_ipa(d, o))
		printf("  ipa           0x%llx\n", (unsigned long long)ipa_of(o));
	return 0;
}

static int decode_one(const char *arg, const struct dopts *o)
{
	struct esr_decoded d;
	uint64_t v;

	if (num_parse_hex(arg, &v) < 0)
		return cli_error("decode", "bad ESR value '%s' (want a hex number of at most 64 bits)", arg);
	esr_decode(v, &d);
	return o->json ? emit_json(&d, o) : emit_text(&d, o);
}

static int decode_stdin(const struct dopts *o)
{
	char line[256];
	int rc = 0;

	while (fgets(line, sizeof(line), stdin)) {
		size_t n = strcspn(line, "\r\n");
		if (n == strlen(line) && !feof(stdin))
			return cli_error("decode", "stdin line too long");
		line[n] = '\0';
		if (!n || line[0] == '#')
			continue;
		if ((rc = decode_one(line, o)) != 0)
			return rc;
	}
	if (ferror(stdin))	/* a directory, a device error: not "no input" */
		return cli_error("decode", "standard input: read error: %s", strerror(errno ? errno : EIO));
	return rc;
}

int cmd_decode(int argc, char **argv)
{
	struct dopts o = { 0 };
	char **vals = calloc((size_t)argc + 1, sizeof(*vals));
	const struct cli_opt opts[] = {
		OPT_FLAG("--json", &o.json, "one JSON object per value (JSON Lines)"),
		OPT_HEX("--far", &o.far, "HEX", "FAR_EL2 of an abort: with --hpfar, the faulting IPA"),
		OPT_HEX("--hpfar", &o.hpfar, "HEX", "HPFAR_EL2 of a stage-2 abort (FIPA = IPA[55:12])"),
		OPT_HEX("--x0", &o.x0, "FID", "x0 of an HVC/SMC: the SMCCC function ID and PSCI name"),
	};
	struct cli_opt o2[HVX_ARRAY_SIZE(opts)];
	const struct cli_cmd cmd = {
		.name = "decode", .synopsis = "ESR... [options]",
		.about = "Decodes ESR_EL2 values (Arm ARM D24.2.46) as a text sheet or JSON; '-' reads\n"
			 "one ESR per line from stdin ('#' comments). Values are hex, 0x optional.",
		.opts = o2, .nopts = HVX_ARRAY_SIZE(o2), .min_operands = 1,
	};
	int n, rc = 0;

	if (!vals)
		return 2;
	memcpy(o2, opts, sizeof(opts));
	o2[1].given = &o.have_far;
	o2[2].given = &o.have_hpfar;
	o2[3].given = &o.have_x0;
	rc = cli_parse(&cmd, argc, argv, vals, &n);
	if (rc) {
		free(vals);
		return rc == 1 ? 0 : 2;
	}
	for (int i = 0; i < n && !rc; i++)
		rc = !strcmp(vals[i], "-") ? decode_stdin(&o) : decode_one(vals[i], &o);
	free(vals);
	return rc;
}
