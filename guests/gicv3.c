/*
 * gicv3: KVM's in-kernel vGICv3 (Distributor at 0x08000000,
 * Redistributors from 0x080A0000, 2 x 64 KiB each) against the GIC
 * architecture, Arm IHI 0069. Two vCPUs: vCPU 1 publishes its MPIDR_EL1
 * and powers off; vCPU 0 waits until PSCI AFFINITY_INFO reports it OFF,
 * checks the Redistributor frames (12.11 GICR_TYPER: exactly one frame per
 * PE names its affinity, Last [4] marks the final frame of the series),
 * then runs guests/gicv3_script.h (Distributor, Redistributor, CPU
 * interface and SGI accesses, every expected value cited there), which
 * tests/test_gicv3_script.c also runs on hvexit's GICv3 model.
 */
#include "common/guest.h"
#include "gicv3_script.h"

#define GICD 0x08000000UL
#define GICR 0x080A0000UL
#define GICR_FRAME 0x20000UL	/* RD_base + SGI_base (12.10) */
#define GICR_SGI_OFF 0x10000UL
#define MAX_FRAMES 8

#define MRS(r) ({ u64 _v; __asm__ volatile("mrs %0, " r : "=r"(_v)); _v; })
#define MSR(r, v) __asm__ volatile("msr " r ", %0\n\tisb" :: "r"((u64)(v)) : "memory")

static volatile u64 pe1_mpidr;	/* written by vCPU 1 before CPU_OFF */

static u64 mmio_read(u64 a, unsigned w)
{
	switch (w) {
	case 1: return *(volatile u8 *)a;
	case 4: return *(volatile u32 *)a;
	default: return *(volatile u64 *)a;
	}
}

static void mmio_write(u64 a, unsigned w, u64 v)
{
	switch (w) {
	case 1: *(volatile u8 *)a = (u8)v; break;
	case 4: *(volatile u32 *)a = (u32)v; break;
	default: *(volatile u64 *)a = v; break;
	}
}

/* ICC_* by their encodings (12.2; S3_0_Cn_Cm_op2 for older assemblers). */
static u64 sys_read(unsigned r)
{
	switch (r) {
	case G3_ICC_PMR: return MRS("S3_0_C4_C6_0");
	case G3_ICC_SRE: return MRS("S3_0_C12_C12_5");
	case G3_ICC_CTLR: return MRS("S3_0_C12_C12_4");
	case G3_ICC_IGRPEN1: return MRS("S3_0_C12_C12_7");
	case G3_ICC_IAR1: return MRS("S3_0_C12_C12_0");
	case G3_ICC_RPR: return MRS("S3_0_C12_C11_3");
	default: return ~0UL;
	}
}

static void sys_write(unsigned r, u64 v)
{
	switch (r) {
	case G3_ICC_PMR: MSR("S3_0_C4_C6_0", v); break;
	case G3_ICC_SRE: MSR("S3_0_C12_C12_5", v); break;
	case G3_ICC_CTLR: MSR("S3_0_C12_C12_4", v); break;
	case G3_ICC_IGRPEN1: MSR("S3_0_C12_C12_7", v); break;
	case G3_ICC_EOIR1: MSR("S3_0_C12_C12_1", v); break;
	default: break;
	}
}

/* The Redistributor frame of the PE with this MPIDR_EL1: the frame whose
 * GICR_TYPER.Affinity_Value matches, scanning until Last. 0 if none. */
static u64 rd_of(u64 mpidr)
{
	for (unsigned i = 0; i < MAX_FRAMES; i++) {
		u64 t = r64(GICR + i * GICR_FRAME + 0x8);

		if ((t >> 32) == g3_typer_aff(mpidr))
			return GICR + i * GICR_FRAME;
		if (t & (1u << 4))
			break;
	}
	return 0;
}

static void frames(u64 me)
{
	unsigned n = 0, mine = 0, other = 0;

	for (unsigned i = 0; i < MAX_FRAMES; i++) {
		u64 t = r64(GICR + i * GICR_FRAME + 0x8);

		n++;
		mine += (t >> 32) == g3_typer_aff(me);
		other += (t >> 32) == g3_typer_aff(pe1_mpidr);
		if (t & (1u << 4))
			break;
	}
	CHECK_EQ(40, 1, mine);		/* one Redistributor per PE */
	CHECK_EQ(41, 1, other);
	CHECK_EQ(42, 2, n);		/* two PEs: Last on the second frame */
}

static void step(const struct g3_step *s, const u64 mpidr[2])
{
	u64 base = 0, v = 0;

	if (s->frame == G3_DIST) {
		base = GICD;
	} else if (s->frame != G3_SYS) {
		base = rd_of(mpidr[s->pe & 1]);
		if (!base) {
			CHECK_EQ(43, 1, 0);	/* no Redistributor names the PE */
			return;
		}
		if (s->frame == G3_SGI)
			base += GICR_SGI_OFF;
	}
	switch (s->op) {
	case G3_W:
		if (s->frame == G3_SYS)
			sys_write(s->off, s->val);
		else
			mmio_write(base + s->off, s->width, s->val);
		break;
	case G3_WAFF:
		mmio_write(base + s->off, s->width, g3_irouter_aff(mpidr[s->pe & 1]));
		break;
	case G3_SEND:
		MSR("S3_0_C12_C11_5", g3_sgi1r(mpidr[s->pe & 1], (unsigned)s->val));
		break;
	default:
		v = s->frame == G3_SYS ? sys_read(s->off) : mmio_read(base + s->off, s->width);
		v &= s->mask;
		if (s->op == G3_RGE)
			CHECK_GE(s->id, s->val, v);
		else
			CHECK_EQ(s->id, s->op == G3_RAFF ? g3_irouter_aff(mpidr[s->pe & 1]) & s->mask
							 : s->val, v);
		break;
	}
}

void guest_main(u64 cpu)
{
	u64 mpidr[2];

	if (cpu != 0) {
		pe1_mpidr = MRS("mpidr_el1");
		__asm__ volatile("dsb sy" ::: "memory");
		guest_cpu_off();
	}
	/* MPIDR_EL1 bit 31 is RES1 (D24.2.138): 0 means not published yet */
	for (unsigned long i = 0; i < 100000000UL && !pe1_mpidr; i++)
		;
	for (unsigned long i = 0; i < 100000000UL; i++)	/* 1: OFF (PSCI AFFINITY_INFO) */
		if (hvc_call(PSCI_AFFINITY_INFO, pe1_mpidr & 0xFF00FFFFFFUL, 0, 0) == 1)
			break;
	mpidr[0] = MRS("mpidr_el1");
	mpidr[1] = pe1_mpidr;
	frames(mpidr[0]);
	for (unsigned i = 0; i < G3_NSTEPS; i++)
		step(&gicv3_script[i], mpidr);
	guest_done();
}
