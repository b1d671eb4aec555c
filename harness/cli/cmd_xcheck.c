/*
 * hvexit xcheck --insn HEX --esr HEX [--json]
 * hvexit xcheck --sweep [--all | --random N --seed S] [--json] [--llvm-mc]
 *                       [--examples K]
 *
 * Exit: 0 consistent / no unexplained disagreement, 1 findings, 2 usage.
 */
#include "harness/cli/cli.h"
#include "harness/cli/cmds.h"
#include "hvexit/esr.h"
#include "hvexit/xcheck.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CMD "xcheck"
#define MAX_EX 16

static int usage(void)
{
	fprintf(stderr,
		"usage: hvexit xcheck --insn HEX --esr HEX [--json]\n"
		"       hvexit xcheck --sweep [--all | --random N --seed S] [--json] [--llvm-mc] [--examples K]\n");
	return 2;
}

static void print_val(int v)
{
	if (v < 0)
		printf("?");
	else
		printf("%d", v);
}

static int run_one(uint32_t insn, uint64_t esr, bool json)
{
	struct xcheck_result r;
	unsigned i;
	int rc = xcheck_dabt(insn, esr, &r);

	if (rc == -EINVAL)
		return cli_error(CMD, "--esr 0x%" PRIx64 ": not a data abort (EC 0x%x)", esr, esr_ec(esr));
	if (rc)
		return cli_error(CMD, "capstone unavailable");
	if (json) {
		char buf[1024];

		xcheck_result_json(&r, buf, sizeof(buf));
		printf("%s\n", buf);
	} else {
		printf("insn 0x%08" PRIx32 ": own %s (%s), capstone %s\n", insn,
		       r.own_rc ? "-" : r.own.mnemonic, insn_class_name(r.own.cls),
		       r.cs.decoded ? r.cs.text : "-");
		printf("esr 0x%" PRIx64 ": %s\n", esr, xcheck_status_name(r.status));
		for (i = 0; i < r.ndiff; i++) {
			const struct xcheck_diff *d = &r.diff[i];

			printf("  %-4s iss=%d implied: own=", xcheck_field_name(d->field), d->iss);
			print_val(d->own);
			printf(" capstone=");
			print_val(d->cs);
			printf("  (ISS value implied by:%s%s%s)\n",
			       d->own == d->iss ? " own" : "", d->cs == d->iss ? " capstone" : "",
			       d->own != d->iss && d->cs != d->iss ? " none" : "");
		}
	}
	return r.status == XCHECK_MISMATCH || r.status == XCHECK_UNKNOWN_INSN ? 1 : 0;
}

/* ---- sweep ------------------------------------------------------------- */

struct sweep {
	struct xcheck_sweep_stats st;
	uint32_t llvm_words[4096];
	unsigned nllvm;
};

/* Collect words for the llvm-mc vote: every unexplained one, 1 in 64
 * known ones (llvm-mc decodes Armv8.1+ and tells who is right). */
static void collect(void *ctx, uint32_t w, const struct xcheck_cmp *c)
{
	struct sweep *s = ctx;

	if (s->nllvm >= HVX_ARRAY_SIZE(s->llvm_words))
		return;
	if (c->verdict == XV_UNEXPLAINED || (w * 0x9e3779b1u) >> 26 == 0)
		s->llvm_words[s->nllvm++] = w;
}

/*
 * llvm-mc vote: disassemble the words, each followed by a NOP marker so
 * that output lines can be matched to inputs even when llvm-mc skips an
 * invalid encoding. Counts how often llvm-mc's mnemonic equals ours.
 */
static void llvm_vote(const struct sweep *s, bool json, unsigned *agree, unsigned *total)
{
	char path[] = "/tmp/hvexit-xcheck-XXXXXX", cmd[512], line[512];
	FILE *f, *p;
	unsigned i = 0;
	int fd;

	*agree = *total = 0;
	if (!s->nllvm || system("command -v llvm-mc >/dev/null 2>&1") != 0)
		return;
	fd = mkstemp(path);
	if (fd < 0 || !(f = fdopen(fd, "w")))
		return;
	for (i = 0; i < s->nllvm; i++) {
		uint32_t w = s->llvm_words[i];

		fprintf(f, "0x%02x 0x%02x 0x%02x 0x%02x 0x1f 0x20 0x03 0xd5\n", w & 0xff,
			(w >> 8) & 0xff, (w >> 16) & 0xff, w >> 24);
	}
	fclose(f);
	snprintf(cmd, sizeof(cmd), "llvm-mc --disassemble -triple=aarch64 "
		 "-mattr=+v8.5a,+lse,+rcpc,+rcpc-immo,+pauth,+ls64 < %s 2>/dev/null", path);
	p = popen(cmd, "r");
	i = 0;
	if (p) {
		char cur[64] = "";

		while (fgets(line, sizeof(line), p) && i < s->nllvm) {
			char m[64];

			if (sscanf(line, " %63s", m) != 1 || m[0] == '.')
				continue;
			if (strcmp(m, "nop") == 0) {
				struct insn d;
				int rc = insn_decode(s->llvm_words[i], &d);
				bool ours = rc == 0;
				bool theirs = cur[0] != 0;

				if (ours && theirs) {
					char low[32];
					size_t k;

					for (k = 0; d.mnemonic[k] && k + 1 < sizeof(low); k++)
						low[k] = (char)(d.mnemonic[k] >= 'A' && d.mnemonic[k] <= 'Z' ?
								d.mnemonic[k] + 32 : d.mnemonic[k]);
					low[k] = 0;
					/* same mnemonic, the ST<op> alias of LD<op> with
					 * Rt = 31 (C6.2 STADD...), or a DC operation */
					theirs = !strcmp(low, cur) || !strncmp(low, "dc", 2) ||
						 (!strncmp(low, "ld", 2) && cur[0] == 's' && cur[1] == 't' &&
						  !strcmp(low + 2, cur + 2));
				}
				*agree += ours == theirs;
				(*total)++;
				if (!json && ours != theirs)
					printf("  llvm-mc disagrees on 0x%08x: own %s, llvm-mc %s\n",
					       s->llvm_words[i], ours ? d.mnemonic : "-", cur[0] ? cur : "-");
				cur[0] = 0;
				i++;
			} else {
				snprintf(cur, sizeof(cur), "%s", m);
			}
		}
		pclose(p);
	}
	remove(path);
}

static int run_sweep(uint64_t n, uint64_t seed, bool all, bool json, bool llvm, unsigned max_ex)
{
	static struct sweep s;
	const struct xcheck_sweep_stats *st = &s.st;
	unsigned c, k, la = 0, lt = 0, nex;
	struct timespec t0, t1;
	double secs;

	memset(&s, 0, sizeof(s));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (xcheck_sweep(n, seed, all, &s.st, llvm ? collect : NULL, &s))
		return cli_error(CMD, "capstone unavailable");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (llvm)
		llvm_vote(&s, json, &la, &lt);
	nex = st->nexample < max_ex ? st->nexample : max_ex;
	if (json) {
		printf("{\"words\":%" PRIu64 ",\"seconds\":%.3f,\"unexplained\":%" PRIu64 ",\"classes\":{",
		       st->words, secs, st->unexplained_total);
		for (c = 0, k = 0; c < INSN_C_COUNT; c++) {
			if (!st->total[c])
				continue;
			printf("%s\"%s\":{\"total\":%" PRIu64 ",\"agree\":%" PRIu64 ",\"known\":%" PRIu64
			       ",\"unexplained\":%" PRIu64 "}", k++ ? "," : "", insn_class_name((enum insn_class)c),
			       st->total[c], st->agree[c], st->known[c], st->unexplained[c]);
		}
		printf("},\"known\":{");
		for (k = 0; k < xcheck_known_count && k < 16; k++)
			printf("%s\"%s\":%" PRIu64, k ? "," : "", xcheck_known_list[k].id, st->known_by[k]);
		printf("}");
		if (llvm)
			printf(",\"llvm_mc\":{\"checked\":%u,\"agree_with_own\":%u}", lt, la);
		printf(",\"examples\":[");
		for (k = 0; k < nex; k++)
			printf("%s{\"insn\":\"0x%08x\",\"field\":\"%s\"}", k ? "," : "", st->example[k],
			       st->example_field[k]);
		printf("]}\n");
	} else {
		printf("%-18s %10s %10s %10s %12s\n", "class", "words", "agree", "known", "unexplained");
		for (c = 0; c < INSN_C_COUNT; c++)
			if (st->total[c])
				printf("%-18s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %12" PRIu64 "\n",
				       insn_class_name((enum insn_class)c), st->total[c],
				       st->agree[c], st->known[c], st->unexplained[c]);
		printf("known Capstone 4 limitations:\n");
		for (k = 0; k < xcheck_known_count && k < 16; k++)
			printf("  %-40s %10" PRIu64 "  %s\n", xcheck_known_list[k].id, st->known_by[k],
			       xcheck_known_list[k].reason);
		for (k = 0; k < nex; k++) {
			struct xcheck_csview v;
			struct insn d;

			insn_decode(st->example[k], &d);
			xcheck_cs_view(st->example[k], &v);
			printf("  unexplained 0x%08x field %s: own %s (%s), capstone %s\n", st->example[k],
			       st->example_field[k], d.mnemonic, insn_class_name(d.cls), v.decoded ? v.text : "-");
		}
		if (llvm)
			printf("llvm-mc vote: %u of %u sampled disagreement words agree with own decoder\n", la, lt);
		printf("sweep: %" PRIu64 " words in %.2f s, %" PRIu64 " unexplained\n", st->words, secs,
		       st->unexplained_total);
	}
	return st->unexplained_total ? 1 : 0;
}

int cmd_xcheck(int argc, char **argv)
{
	uint64_t insn = 0, esr = 0, n = 200000, seed = 1, ex = 10;
	bool have_insn = false, have_esr = false, json = false, sweep = false, all = false;
	bool llvm = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--json")) { json = true; continue; }
		if (!strcmp(a, "--sweep")) { sweep = true; continue; }
		if (!strcmp(a, "--all")) { all = true; continue; }
		if (!strcmp(a, "--llvm-mc")) { llvm = true; continue; }
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(); return 0; }
		if (!v)
			return cli_error(CMD, "%s needs a value", a);
		i++;
		if (!strcmp(a, "--insn")) {
			if (num_parse_hex(v, &insn) || insn > UINT32_MAX)
				return cli_error(CMD, "--insn '%s': not a 32-bit hex word", v);
			have_insn = true;
		} else if (!strcmp(a, "--esr")) {
			if (num_parse_hex(v, &esr))
				return cli_error(CMD, "--esr '%s': not a 64-bit hex value", v);
			have_esr = true;
		} else if (!strcmp(a, "--random")) {
			if (num_parse_u64(v, &n) || n > (UINT64_C(1) << 32))
				return cli_error(CMD, "--random '%s': not a count <= 2^32", v);
		} else if (!strcmp(a, "--seed")) {
			if (num_parse_u64(v, &seed))
				return cli_error(CMD, "--seed '%s': not a number", v);
		} else if (!strcmp(a, "--examples")) {
			if (num_parse_u64(v, &ex) || ex > MAX_EX)
				return cli_error(CMD, "--examples '%s': not a count <= %d", v, MAX_EX);
		} else {
			fprintf(stderr, "hvexit xcheck: unknown option '%s'\n", a);
			return usage();
		}
	}
	if (sweep)
		return run_sweep(n, seed, all, json, llvm, (unsigned)ex);
	if (!have_insn || !have_esr)
		return usage();
	return run_one((uint32_t)insn, esr, json);
}
