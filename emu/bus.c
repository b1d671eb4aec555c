/* MMIO bus: explicit registration (kvmtool style), table-checked widths. */
#include "hvexit/emu.h"

const struct emu_reg *emu_reg_find(const struct emu_reg *regs, size_t n,
				   uint32_t off, unsigned size)
{
	size_t lo = 0, hi = n;

	/* Binary search over the sorted table (STYLE.md 1, vgic-mmio style). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct emu_reg *r = &regs[mid];
		if (off < r->off) {
			hi = mid;
		} else if (off - r->off >= r->len) {
			lo = mid + 1;
		} else {
			if (size > r->len - (off - r->off))
				return NULL;
			return r;
		}
	}
	return NULL;
}

static bool overlaps_device(const struct emu_bus *bus, uint64_t base, uint64_t len)
{
	for (size_t i = 0; i < bus->n; i++)
		if (hvx_overlap(base, len, bus->dev[i].base, bus->dev[i].len))
			return true;
	return false;
}

int emu_bus_register(struct emu_bus *bus, uint64_t base, uint64_t len,
		     const struct emu_dev_ops *ops, void *opaque)
{
	if (!bus || !ops || len == 0 || base + len <= base)
		return -EINVAL;
	if (overlaps_device(bus, base, len))
		return -EEXIST;
	if (bus->n >= EMU_MAX_DEVICES)
		return -ENOSPC;
	bus->dev[bus->n++] = (struct emu_bus_dev){ base, len, ops, opaque };
	return 0;
}

const struct emu_bus_dev *emu_bus_find(const struct emu_bus *bus, uint64_t addr,
				       unsigned size)
{
	if (size == 0 || addr + size < addr)
		return NULL;
	for (size_t i = 0; i < bus->n; i++) {
		const struct emu_bus_dev *d = &bus->dev[i];
		if (addr >= d->base && addr - d->base < d->len &&
		    size <= d->len - (addr - d->base))
			return d;
	}
	return NULL;
}

static bool width_ok(unsigned size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

int emu_dev_access(const struct emu_dev_ops *ops, void *opaque, uint32_t off,
		   unsigned size, bool write, uint64_t *val)
{
	const struct emu_reg *r;

	if (!ops || !val || !width_ok(size))
		return -EINVAL;
	/* Naturally aligned accesses only: device registers are. */
	if (off & (size - 1))
		return -EINVAL;
	r = emu_reg_find(ops->regs, ops->nregs, off, size);
	if (!r) {
		/* Straddling a register's end is a width error, not a hole. */
		if (!ops->holes_raz_wi ||
		    emu_reg_find(ops->regs, ops->nregs, off, 1) ||
		    emu_reg_find(ops->regs, ops->nregs, off + size - 1, 1))
			return -EINVAL;
		if (!write)
			*val = 0;
		return 0;
	}
	if (!(r->widths & size))
		return -EINVAL;
	if (write) {
		if (size < 8)
			*val &= (UINT64_C(1) << (8 * size)) - 1;
		if (r->flags & (EMU_REG_RO | EMU_REG_WI) || !r->write)
			return 0;
		r->write(opaque, off, size, *val);
		return 0;
	}
	if (r->flags & (EMU_REG_WO | EMU_REG_RAZ) || !r->read) {
		*val = 0;
		return 0;
	}
	*val = r->read(opaque, off, size);
	if (size < 8)
		*val &= (UINT64_C(1) << (8 * size)) - 1;
	return 0;
}

int emu_bus_access(const struct emu_bus *bus, uint64_t addr, unsigned size,
		   bool write, uint64_t *val)
{
	const struct emu_bus_dev *d;

	if (!bus || !val || !width_ok(size))
		return -EINVAL;
	d = emu_bus_find(bus, addr, size);
	if (!d)
		return -ENODEV;
	if (addr - d->base > UINT32_MAX)
		return -EINVAL;
	return emu_dev_access(d->ops, d->opaque, (uint32_t)(addr - d->base), size,
			      write, val);
}
