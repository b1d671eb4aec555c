/* Number parsing (see num.h). */
#include <ctype.h>
#include <errno.h>

#include "harness/util/num.h"

static int parse_digits(const char *p, unsigned base, uint64_t *out)
{
	uint64_t v = 0;

	if (!*p)
		return -EINVAL;
	for (; *p; p++) {
		unsigned d;

		if (isdigit((unsigned char)*p))
			d = (unsigned)(*p - '0');
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = (unsigned)(tolower((unsigned char)*p) - 'a' + 10);
		else
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int num_parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_digits(s + 2, 16, out);
	return parse_digits(s, 10, out);
}

int num_parse_hex(const char *s, uint64_t *out)
{
	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	return parse_digits(s, 16, out);
}

int num_parse_0x(const char *s, uint64_t *out)
{
	if (!s || s[0] != '0' || s[1] != 'x')
		return -EINVAL;
	return parse_digits(s + 2, 16, out);
}
