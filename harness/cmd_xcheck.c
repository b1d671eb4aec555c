/*
 * hvexit xcheck --insn HEX --esr HEX [--json]
 * hvexit xcheck --sweep [--all | --random N --seed S] [--json] [--llvm-mc]
 *                       [--examples K]
 *
 * Exit: 0 consistent / no unexplained disagreement, 1 findings, 2 usage.
 */
#include "harness/cli.h"
#include "harness/cmds.h"
#include "hvexit/esr.h"
#include "hvexit/xcheck.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CMD "xcheck"
#define MAX_EX 64

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

static const char *status_name(enum xcheck_status s)
{
	switch (s) {
	case XCHECK_CONSISTENT: return "consistent";
	case XCHECK_ISV0: return "isv0";
	case XCHECK_MISMATCH: return "mismatch";
	default: return "unknown_insn";
	}
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
		printf("{\"insn\":\"0x%08" PRIx32 "\",\"esr\":\"0x%" PRIx64 "\",\"status\":\"%s\","
		       "\"own\":\"%s\",\"own_class\":\"%s\",\"capstone\":\"%s\",\"diffs\":[",
		       insn, esr, status_name(r.status), r.own_rc ? "" : r.own.mnemonic,
		       insn_class_name(r.own.cls), r.cs.decoded ? r.cs.text : "");
		for (i = 0; i < r.ndiff; i++)
			printf("%s{\"field\":\"%s\",\"iss\":%d,\"own\":%d,\"capstone\":%d}",
			       i ? "," : "", xcheck_field_name(r.diff[i].field), r.diff[i].iss,
			       r.diff[i].own, r.diff[i].cs);
		printf("]}\n");
	} else {
		printf("insn 0x%08" PRIx32 ": own %s (%s), capstone %s\n", insn,
		       r.own_rc ? "-" : r.own.mnemonic, insn_class_name(r.own.cls),
		       r.cs.decoded ? r.cs.text : "-");
		printf("esr 0x%" PRIx64 ": %s\n", esr, status_name(r.status));
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

struct cls_stat {
	uint64_t total, agree, known, unexplained;
};

struct sweep {
	struct cls_stat cls[INSN_C_COUNT];
	uint64_t known_by[16];
	uint32_t ex[MAX_EX];
	const char *ex_field[MAX_EX];
	unsigned nex, max_ex;
	uint32_t llvm_words[4096];
	unsigned nllvm;
};

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Index in the load/store space (op0 = x1x0: bit 27 = 1, bit 25 = 0). */
static uint32_t ldst_word(uint32_t i)
{
	return (i & 0x1ffffffu) | (((i >> 25) & 1u) << 26) | (((i >> 26) & 0xfu) << 28) |
	       0x08000000u;
}

static int sweep_one(struct sweep *s, uint32_t w)
{
	struct xcheck_cmp c;

	if (xcheck_sweep_word(w, &c))
		return -ENODEV;
	s->cls[c.cls].total++;
	switch (c.verdict) {
	case XV_AGREE: s->cls[c.cls].agree++; break;
	case XV_KNOWN:
		s->cls[c.cls].known++;
		if (c.known >= 0 && c.known < 16)
			s->known_by[c.known]++;
		if (s->nllvm < HVX_ARRAY_SIZE(s->llvm_words) && (splitmix(&(uint64_t){ w }) & 63) == 0)
			s->llvm_words[s->nllvm++] = w;
		break;
	default:
		s->cls[c.cls].unexplained++;
		if (s->nex < s->max_ex) {
			s->ex[s->nex] = w;
			s->ex_field[s->nex++] = c.field;
		}
		if (s->nllvm < HVX_ARRAY_SIZE(s->llvm_words))
			s->llvm_words[s->nllvm++] = w;
		break;
	}
	return 0;
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
					size_t k;

					for (k = 0; cur[k]; k++)
						cur[k] = (char)(cur[k] >= 'a' && cur[k] <= 'z' ? cur[k] - 32 : cur[k]);
					/* alias spellings (STADD = LDADD Rt=31, ...) count as a decode */
					theirs = true;
				}
				*agree += ours == theirs;
				(*total)++;
				if (!json && ours != theirs)
					printf("  llvm-mc disagrees on 0x%08x: own %s, llvm-mc %s\n",
					       s->llvm_words[i], ours ? d.mnemonic : "-", theirs ? cur : "-");
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
	uint64_t i, st = seed, total_unexpl = 0, total = 0;
	unsigned c, k, la = 0, lt = 0;
	struct timespec t0, t1;
	double secs;

	memset(&s, 0, sizeof(s));
	s.max_ex = max_ex > MAX_EX ? MAX_EX : max_ex;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* DC ZVA and DC by-VA encodings (outside the ld/st op0 group) */
	for (k = 0; k < 32; k++) {
		static const uint32_t dc[] = { 0xd50b7420, 0xd5087620, 0xd50b7a20, 0xd50b7b20,
					       0xd50b7c20, 0xd50b7d20, 0xd50b7e20 };
		for (c = 0; c < HVX_ARRAY_SIZE(dc); c++)
			if (sweep_one(&s, dc[c] | k))
				return cli_error(CMD, "capstone unavailable");
	}
	if (all)
		n = UINT64_C(1) << 30;
	for (i = 0; i < n; i++) {
		uint32_t w = all ? ldst_word((uint32_t)i) : ldst_word((uint32_t)splitmix(&st));

		if (sweep_one(&s, w))
			return cli_error(CMD, "capstone unavailable");
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (llvm)
		llvm_vote(&s, json, &la, &lt);
	for (c = 0; c < INSN_C_COUNT; c++) {
		total += s.cls[c].total;
		total_unexpl += s.cls[c].unexplained;
	}
	if (json) {
		printf("{\"words\":%" PRIu64 ",\"seconds\":%.3f,\"unexplained\":%" PRIu64 ",\"classes\":{",
		       total, secs, total_unexpl);
		for (c = 0, k = 0; c < INSN_C_COUNT; c++) {
			if (!s.cls[c].total)
				continue;
			printf("%s\"%s\":{\"total\":%" PRIu64 ",\"agree\":%" PRIu64 ",\"known\":%" PRIu64
			       ",\"unexplained\":%" PRIu64 "}", k++ ? "," : "", insn_class_name((enum insn_class)c),
			       s.cls[c].total, s.cls[c].agree, s.cls[c].known, s.cls[c].unexplained);
		}
		printf("},\"known\":{");
		for (k = 0; k < xcheck_known_count && k < 16; k++)
			printf("%s\"%s\":%" PRIu64, k ? "," : "", xcheck_known_list[k].id, s.known_by[k]);
		printf("}");
		if (llvm)
			printf(",\"llvm_mc\":{\"checked\":%u,\"agree_with_own\":%u}", lt, la);
		printf(",\"examples\":[");
		for (k = 0; k < s.nex; k++)
			printf("%s{\"insn\":\"0x%08x\",\"field\":\"%s\"}", k ? "," : "", s.ex[k], s.ex_field[k]);
		printf("]}\n");
	} else {
		printf("%-18s %10s %10s %10s %12s\n", "class", "words", "agree", "known", "unexplained");
		for (c = 0; c < INSN_C_COUNT; c++)
			if (s.cls[c].total)
				printf("%-18s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %12" PRIu64 "\n",
				       insn_class_name((enum insn_class)c), s.cls[c].total,
				       s.cls[c].agree, s.cls[c].known, s.cls[c].unexplained);
		printf("known Capstone 4 limitations:\n");
		for (k = 0; k < xcheck_known_count && k < 16; k++)
			printf("  %-40s %10" PRIu64 "  %s\n", xcheck_known_list[k].id, s.known_by[k],
			       xcheck_known_list[k].reason);
		for (k = 0; k < s.nex; k++) {
			struct xcheck_csview v;
			struct insn d;

			insn_decode(s.ex[k], &d);
			xcheck_cs_view(s.ex[k], &v);
			printf("  unexplained 0x%08x field %s: own %s (%s), capstone %s\n", s.ex[k],
			       s.ex_field[k], d.mnemonic, insn_class_name(d.cls), v.decoded ? v.text : "-");
		}
		if (llvm)
			printf("llvm-mc vote: %u of %u sampled disagreement words agree with own decoder\n", la, lt);
		printf("sweep: %" PRIu64 " words in %.2f s, %" PRIu64 " unexplained\n", total, secs,
		       total_unexpl);
	}
	return total_unexpl ? 1 : 0;
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
			if (cli_parse_hex(v, &insn) || insn > UINT32_MAX)
				return cli_error(CMD, "--insn '%s': not a 32-bit hex word", v);
			have_insn = true;
		} else if (!strcmp(a, "--esr")) {
			if (cli_parse_hex(v, &esr))
				return cli_error(CMD, "--esr '%s': not a 64-bit hex value", v);
			have_esr = true;
		} else if (!strcmp(a, "--random")) {
			if (cli_parse_u64(v, &n) || n > (UINT64_C(1) << 32))
				return cli_error(CMD, "--random '%s': not a count <= 2^32", v);
		} else if (!strcmp(a, "--seed")) {
			if (cli_parse_u64(v, &seed))
				return cli_error(CMD, "--seed '%s': not a number", v);
		} else if (!strcmp(a, "--examples")) {
			if (cli_parse_u64(v, &ex) || ex > MAX_EX)
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
