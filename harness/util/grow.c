/* Growing arrays (grow.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/util/grow.h"

int util_grow(void *arr, size_t *cap, size_t n, size_t elem, size_t first)
{
	size_t nc = *cap ? *cap : (first ? first : 1);
	void *p;

	if (n <= *cap)
		return 0;
	while (nc < n) {
		if (nc > SIZE_MAX / 2)
			return -ENOMEM;
		nc *= 2;
	}
	if (!elem || nc > SIZE_MAX / elem)
		return -ENOMEM;
	memcpy(&p, arr, sizeof(p));
	p = realloc(p, nc * elem);
	if (!p)
		return -ENOMEM;
	memcpy(arr, &p, sizeof(p));
	*cap = nc;
	return 0;
}
