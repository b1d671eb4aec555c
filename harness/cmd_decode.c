/*
 * hvexit decode ESR... [--far X] [--hpfar Y] [--json]
 * Decodes ESR_EL2 values (Arm ARM D24.2.40) as a text sheet or JSON (one
 * object per value, JSON Lines). "-" reads one ESR per line from stdin.
 * With --far and --hpfar the faulting IPA is computed per D24.2.x
 * HPFAR_EL2: IPA = HPFAR_EL2.FIPA (bits [47:4] here, IPA[55:12]) << 8
 * combined with FAR[11:0].
 */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "harness/cli.h"
#include "harness/cmds.h"
#include "hvexit/esr.h"
#include "hvexit/sysreg.h"

struct dopts { bool json, have_far, have_hpfar; uint64_t far, hpfar; };

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
	json_object_set_new(j, "ec_name", json_string(d->ec_name));
	json_object_set_new(j, "il", json_integer(d->il));
	json_object_set_new(j, "iss", json_integer(d->iss));
	json_object_set_new(j, "iss2", json_integer(d->iss2));
	json_object_set_new(j, "reserved", json_boolean(d->reserved));
	if (d->res0_top)
		json_object_set_new(j, "res0_63_56", json_integer(d->res0_top));
	for (unsigned i = 0; i < d->nfields; i++)
		json_object_set_new(f, d->fields[i].name,
				    json_integer(d->fields[i].value));
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
	if (o->have_far && o->have_hpfar) {
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)ipa_of(o));
		json_object_set_new(j, "ipa", json_string(hex));
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
	if (o->have_far && o->have_hpfar)
		printf("  ipa           0x%llx\n", (unsigned long long)ipa_of(o));
	return 0;
}

static int decode_one(const char *arg, const struct dopts *o)
{
	struct esr_decoded d;
	uint64_t v;

	if (cli_parse_hex(arg, &v) < 0)
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
	return rc;
}

static int parse_opt(const char *name, const char *val, uint64_t *out)
{
	if (!val)
		return cli_error("decode", "%s needs a value", name);
	if (cli_parse_hex(val, out) < 0)
		return cli_error("decode", "bad %s value '%s'", name, val);
	return 0;
}

int cmd_decode(int argc, char **argv)
{
	struct dopts o = { 0 };
	int first = 0, n = 0, rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			o.json = true;
		} else if (!strcmp(argv[i], "--far") || !strcmp(argv[i], "--hpfar")) {
			bool far = !strcmp(argv[i], "--far");
			if ((rc = parse_opt(argv[i], i + 1 < argc ? argv[i + 1] : NULL,
					    far ? &o.far : &o.hpfar)))
				return rc;
			*(far ? &o.have_far : &o.have_hpfar) = true;
			argv[i] = argv[i + 1] = NULL;
			i++;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: hvexit decode ESR... [--far X] [--hpfar Y] [--json]\n"
			       "       hvexit decode - < file   (one ESR per line)\n");
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_error("decode", "unknown option '%s'", argv[i]);
		}
	}
	for (int i = 1; i < argc; i++) {
		if (!argv[i] || !strcmp(argv[i], "--json"))
			continue;
		if (!first)
			first = i;
		n++;
		rc = !strcmp(argv[i], "-") ? decode_stdin(&o) : decode_one(argv[i], &o);
		if (rc)
			return rc;
	}
	if (!n)
		return cli_error("decode", "no ESR value given (usage: hvexit decode ESR... [--json])");
	return 0;
}
