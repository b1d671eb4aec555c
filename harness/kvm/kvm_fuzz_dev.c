/*
 * The fuzz device and the memory bus of `hvexit kvm fuzz`.
 *
 * The device is an exit-engine device (struct emu_dev_ops, a register
 * table): the same object answers the real MMIO exits on the KVM side
 * and the engine's prediction (a copy of it). Its scratch window behaves
 * like byte-addressed memory at every width; its sequence window returns
 * the next value of a SplitMix64 sequence on every read, so an access KVM
 * repeats or drops shows as different data.
 */
#include <string.h>

#include "harness/kvm/kvm_fuzz.h"
#include "harness/util/rng.h"

static uint64_t scratch_read(void *dev, uint32_t off, unsigned size)
{
	struct kf_dev *d = dev;

	return hvx_get_le(d->mem + off, size);
}

static void scratch_write(void *dev, uint32_t off, unsigned size, uint64_t val)
{
	struct kf_dev *d = dev;

	hvx_put_le(d->mem + off, val, size);
}

static uint64_t seq_read(void *dev, uint32_t off, unsigned size)
{
	struct kf_dev *d = dev;
	uint64_t v = util_rng_next(&d->seq) ^ off;

	return size < 8 ? v & ((UINT64_C(1) << (8 * size)) - 1) : v;
}

static const struct emu_reg kf_regs[] = {
	{ "scratch", 0, FZ_DEV_SEQ, 1 | 2 | 4 | 8, 0, 0, 0, scratch_read, scratch_write },
	{ "seq", FZ_DEV_SEQ, FZ_DEV_SIZE - FZ_DEV_SEQ, 1 | 2 | 4 | 8, EMU_REG_WI, 0, 0,
	  seq_read, NULL },
};

const struct emu_dev_ops kf_dev_ops = {
	.name = "fuzzdev", .regs = kf_regs, .nregs = HVX_ARRAY_SIZE(kf_regs),
};

void kf_dev_reset(struct kf_dev *d, uint64_t seed)
{
	uint64_t st = seed ^ UINT64_C(0xde71ce);

	for (size_t i = 0; i < sizeof(d->mem); i += 8)
		hvx_put_le(d->mem + i, util_rng_next(&st), 8);
	d->seq = util_rng_next(&st);
}

static void record(struct kf_accesses *acc, uint64_t addr, unsigned size, bool wr, uint64_t val)
{
	if (!acc)
		return;
	if (acc->n >= KF_MAX_ACC) {
		acc->overflow = true;
		return;
	}
	acc->a[acc->n++] = (struct kf_access){ addr, (uint8_t)size, wr, val };
}

/* One piece (power of two, <= 8 bytes) to RAM or the device. */
static int piece(struct kf_bus *b, uint64_t addr, unsigned n, uint8_t *buf, bool wr)
{
	uint64_t val = wr ? hvx_get_le(buf, n) : 0;

	if (addr >= FZ_RAM_BASE && addr - FZ_RAM_BASE <= FZ_WIN_SIZE - n) {
		uint8_t *p = b->ram + (addr - FZ_RAM_BASE);

		if (wr)
			memcpy(p, buf, n);
		else
			memcpy(buf, p, n);
		return 0;
	}
	if (addr >= FZ_DEV_BASE && addr - FZ_DEV_BASE <= FZ_DEV_SIZE - n) {
		int rc = emu_dev_access(&kf_dev_ops, b->dev, (uint32_t)(addr - FZ_DEV_BASE), n,
					wr, &val);

		if (rc)
			return rc;
		record(b->acc, addr, n, wr, val);
		if (!wr)
			hvx_put_le(buf, val, n);
		return 0;
	}
	return -EFAULT;
}

static int bus_rw(struct kf_bus *b, uint64_t addr, unsigned size, uint8_t *buf, bool wr)
{
	for (unsigned off = 0; off < size;) {
		unsigned n = size - off < 8 ? size - off : 8;
		int rc;

		while (n & (n - 1))
			n &= n - 1;
		rc = piece(b, addr + off, n, buf + off, wr);
		if (rc)
			return rc;
		off += n;
	}
	return 0;
}

static int kf_read(void *ctx, uint64_t addr, unsigned size, uint8_t *buf)
{
	return bus_rw(ctx, addr, size, buf, false);
}

static int kf_write(void *ctx, uint64_t addr, unsigned size, const uint8_t *buf)
{
	uint8_t tmp[64];

	if (size > sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, size);
	return bus_rw(ctx, addr, size, tmp, true);
}

struct insn_bus kf_insn_bus(struct kf_bus *b)
{
	return (struct insn_bus){ .read = kf_read, .write = kf_write, .ctx = b };
}
