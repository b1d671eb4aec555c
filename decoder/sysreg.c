/*
 * System register names by MRS/MSR encoding: Arm ARM (DDI 0487) D23
 * "AArch64 System Register Descriptions", GIC CPU interface registers from
 * IHI 0069 chapter 12, and SYS instruction aliases (DC/IC/AT/TLBI) from
 * C5.3 and C6.2. The tables live in sysreg_table.h, sorted by encoding,
 * so a name lookup by encoding is a binary search.
 */
#include <strings.h>

#include "hvexit/sysreg.h"

struct sysreg_ent {
	uint16_t enc;
	const char *name;
};

#define SR(op0, op1, crn, crm, op2, nm)                                     \
	{ .enc = (uint16_t)((op0) << 14 | (op1) << 11 | (crn) << 7 |        \
			    (crm) << 3 | (op2)), .name = (nm) }
/* SYS instruction aliases: op0 is 1 (C5.3). */
#define SYS(op1, crn, crm, op2, nm) SR(1, op1, crn, crm, op2, nm)

#include "decoder/sysreg_table.h"

static const char *find_enc(const struct sysreg_ent *tab, size_t n,
			    uint32_t enc)
{
	size_t lo = 0, hi = n;

	if (enc > 0xffffu)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tab[mid].enc == enc)
			return tab[mid].name;
		if (tab[mid].enc < enc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *sysreg_name(uint32_t enc)
{
	return find_enc(sysreg_tab, HVX_ARRAY_SIZE(sysreg_tab), enc);
}

const char *sysreg_sys_name(uint32_t enc)
{
	return find_enc(sysreg_sys_tab, HVX_ARRAY_SIZE(sysreg_sys_tab), enc);
}

int sysreg_lookup(const char *name, uint32_t *enc)
{
	size_t lo = 0, hi = HVX_ARRAY_SIZE(sysreg_by_name);

	if (!name || !enc)
		return -EINVAL;
	/* sysreg_by_name lists table indices in strcasecmp order. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct sysreg_ent *e = &sysreg_tab[sysreg_by_name[mid]];
		int c = strcasecmp(e->name, name);

		if (c == 0) {
			*enc = e->enc;
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -ENOENT;
}

/* Entry i of a table, for enumeration: -ERANGE past the end. */
static int ent_at(const struct sysreg_ent *tab, size_t n, size_t i,
		  uint32_t *enc, const char **name)
{
	if (i >= n)
		return -ERANGE;
	if (enc)
		*enc = tab[i].enc;
	if (name)
		*name = tab[i].name;
	return 0;
}

size_t sysreg_count(void)
{
	return HVX_ARRAY_SIZE(sysreg_tab);
}

int sysreg_at(size_t i, uint32_t *enc, const char **name)
{
	return ent_at(sysreg_tab, HVX_ARRAY_SIZE(sysreg_tab), i, enc, name);
}

size_t sysreg_sys_count(void)
{
	return HVX_ARRAY_SIZE(sysreg_sys_tab);
}

int sysreg_sys_at(size_t i, uint32_t *enc, const char **name)
{
	return ent_at(sysreg_sys_tab, HVX_ARRAY_SIZE(sysreg_sys_tab), i, enc, name);
}
