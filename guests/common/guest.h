/*
 * Guest-side view of the hvexit test device and UARTs (the KVM backend's
 * default memory map; harness/kvm/kvmb.h has the host side of the same
 * layout). Bare metal: no libc, MMU off, so every access is Device memory
 * and must be naturally aligned (build with -mstrict-align).
 */
#ifndef HVEXIT_GUEST_H
#define HVEXIT_GUEST_H

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

#define UART0_BASE   0x10000000UL
#define UART1_BASE   0x10008000UL
#define TESTDEV_BASE 0x10010000UL

/* test device registers (offsets) */
#define TD_SCRATCH   0x000	/* 256-byte scratch window, any width */
#define TD_CTRL      0x100	/* descriptor of the next sweep access */
#define TD_ECHO      0x108	/* register value after the described load */
#define TD_CHK_EXP   0x110	/* expected value of the next check */
#define TD_CHK_VAL   0x118	/* observed value; writing it runs the check */
#define TD_CHK_ID    0x120	/* check id (reported with a mismatch) */
#define TD_CHK_OP    0x128	/* 0: equal, 1: unsigned >= */
#define TD_DONE      0x130	/* write 0xd0e when the guest is finished */

/* PSCI 0.2+ function IDs (Arm DEN0022, "PSCI function IDs") */
#define PSCI_VERSION        0x84000000UL
#define PSCI_CPU_OFF        0x84000002UL
#define PSCI_CPU_ON         0xc4000003UL
#define PSCI_AFFINITY_INFO  0xc4000004UL
#define PSCI_SYSTEM_OFF     0x84000008UL
#define PSCI_SYSTEM_RESET   0x84000009UL
#define PSCI_FEATURES       0x8400000aUL

static inline void w64(u64 a, u64 v) { *(volatile u64 *)a = v; }
static inline u64 r64(u64 a) { return *(volatile u64 *)a; }
static inline void w32(u64 a, u32 v) { *(volatile u32 *)a = v; }

static inline void check(u64 id, u64 op, u64 exp, u64 val)
{
	w64(TESTDEV_BASE + TD_CHK_ID, id);
	w64(TESTDEV_BASE + TD_CHK_OP, op);
	w64(TESTDEV_BASE + TD_CHK_EXP, exp);
	w64(TESTDEV_BASE + TD_CHK_VAL, val);
}
#define CHECK_EQ(id, exp, val) check((id), 0, (exp), (val))
#define CHECK_GE(id, exp, val) check((id), 1, (exp), (val))

static inline void guest_done(void) { w64(TESTDEV_BASE + TD_DONE, 0xd0e); }

static inline void uart_puts(u64 base, const char *s)
{
	while (*s)
		w32(base, (u32)(u8)*s++);
}

u64 hvc_call(u64 x0, u64 x1, u64 x2, u64 x3);
void guest_system_off(void) __attribute__((noreturn));
void guest_cpu_off(void) __attribute__((noreturn));
void psci_secondary_entry(void);
void guest_main(u64 cpu);
void guest_secondary(u64 cpu, u64 context_id);

#endif
