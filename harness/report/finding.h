/*
 * The one finding model of hvexit. Every tool that compares a hypervisor
 * (a trace, a plugin, real KVM, a fuzz target, an emulator) with the
 * Arm architecture reports what disagrees as a struct finding: which tool
 * saw it, what was compared, the architecture's value against the
 * observed one, the rule that decides it, and a cluster key naming its
 * cause, so that many instances of one bug are shown as one group while
 * two bugs in the same field stay apart.
 *
 * The texts are fixed-size so a finding can be filled on any path
 * (including the real-KVM vCPU threads) without allocation; longer texts
 * are cut, never overrun.
 */
#ifndef HVEXIT_REPORT_FINDING_H
#define HVEXIT_REPORT_FINDING_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct finding {
	char source[16];	/* the tool: replay, validate, xcheck, kvm, fuzz, oracle */
	char kind[32];		/* what was compared: outcome, kvm, xcheck, load-result ... */
	char field[96];		/* which value: outcome.writes.x0, decode_dabt.is_write ... */
	char expected[192];	/* the architecture's (the reference's) value */
	char observed[192];	/* what the hypervisor, trace or plugin gave */
	char rule[384];		/* the Arm ARM rule with its section, "" when none */
	char cluster[160];	/* the cause; findings with equal keys are one bug */
	char where[256];	/* this instance: file:line seq N vcpu N, guest, case */
	char context[384];	/* the input, decoded: the exit, syndrome, instruction */
	char reproduce[384];	/* a command line that shows this instance alone */
	char fingerprint[17];	/* identity in baselines; finding_fingerprint() if "" */
	char title[256];	/* optional one-line name for people (a crash title) */
};

/* printf into one of the text fields above (cut to its size). */
#define finding_set(f, member, ...) \
	finding_setf((f)->member, sizeof((f)->member), __VA_ARGS__)
void finding_setf(char *dst, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An empty finding with what every finding says: the kind of check, the
 * field, the expected and the observed value (any may be ""). */
void finding_init(struct finding *f, const char *kind, const char *field, const char *expected,
		  const char *observed);

/* The stable 16-hex-digit identity of an instance: SHA-256 over source,
 * kind, field, cluster, expected, observed and context (not where or
 * reproduce, which name files and command lines). Fills f->fingerprint
 * when it is empty and returns it. */
const char *finding_fingerprint(struct finding *f);

/* The key findings are grouped by: source/kind/field plus the cluster
 * when there is one. */
void finding_group_key(const struct finding *f, char *buf, size_t len);

/* To and from the JSON object of docs/findings.md (new reference; 0 or
 * -EINVAL with a message). */
json_t *finding_to_json(const struct finding *f);
int finding_from_json(const json_t *o, struct finding *f, char *err, size_t errlen);

/* A JSON string of s; invalid UTF-8 bytes (a file name) become U+FFFD, so
 * the value is never dropped. */
json_t *report_json_text(const char *s);

/* A fixed-size text member of a struct and its JSON key: the fields of a
 * finding and of a baseline entry (docs/findings.md). */
struct text_field {
	const char *key;
	size_t off, len;
};
#define TEXT_FIELD(key, type, m) { (key), offsetof(type, m), sizeof(((type *)0)->m) }
/* Copies o's string members named in t[0..n-1] into the struct at base,
 * truncated to their size. NULL, or the key of a member that is not a
 * string. */
const char *text_fields_from_json(const json_t *o, void *base, const struct text_field *t,
				  size_t n);
/* Sets base's non-empty text fields in o, each made a JSON string by conv. */
void text_fields_to_json(json_t *o, const void *base, const struct text_field *t, size_t n,
			 json_t *(*conv)(const char *));

#endif
