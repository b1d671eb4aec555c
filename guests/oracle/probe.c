/*
 * hvexit oracle probe: a bare-metal program that runs at EL2 and executes
 * a batch of operations written by the host (harness/oracle/) into memory
 * before it starts. It programs the EL2 controls of each case (VTCR_EL2,
 * VTTBR_EL2, HCR_EL2, MDCR_EL2, CPTR_EL2 ...), writes the case's Stage-2
 * tables, runs one instruction at EL1 (MMU off, so VA = IPA) and prints
 * what EL2 saw as one text line on the UART:
 *   I MIDR MMFR0 MMFR1 MMFR2 PFR0 MDCR  identification, once at start
 *   R ID VEC ESR FAR HPFAR ELR X0 X1    an EL1 run ended by an exception
 *                                       (X0, X1: the guest's, at that point)
 *   A ID PAR ESR FAR                    AT S12E1R/W from EL2 (ESR, FAR: of the
 *                                       Data Abort it took, 0 if none)
 *   F ESR ELR FAR                       the probe itself faulted (stops)
 *   D                                   the batch is done
 * All numbers are hex. The batch format is in harness/oracle/oracle.h
 * (struct oracle_blob_hdr, enum oracle_op); the probe is the only reader.
 * The UART base comes from the batch, so the same image runs on any
 * board with a PL011 that the firmware has set up.
 */
#include <stdint.h>

#define BLOB_PA		0x48000000ul
#define BLOB_MAGIC	0x31304352584f5648ul	/* "HVXORC01" */
#define STUB_IPA	0ul
#define STUB_SLOT_OFF	0x800ul
#define MAX_UNDO	65536

enum op { OP_END, OP_SET, OP_WORD, OP_CLEAN, OP_TLBI, OP_POKE32, OP_RUN, OP_AT };
enum reg { R_VTCR, R_VTTBR, R_HCR, R_MDCR, R_CPTR, R_HSTR, R_SCTLR1, R_CPACR1 };

struct el1_ctx {
	uint64_t x[31], sp, entry;
	uint64_t vec, esr, far, hpfar, elr, x0, x1;
};

void run_el1(struct el1_ctx *c);
void probe_main(void);
void probe_el2_fault(uint64_t unused, uint64_t esr, uint64_t elr, uint64_t far);
extern char stub_page[], stub_slot[];

static volatile uint32_t *uart;
static uint64_t *undo[MAX_UNDO];
static unsigned nundo;

static void putc_(char ch)
{
	if (!uart)
		return;
	while (uart[0x18 / 4] & (1u << 5))	/* PL011 UARTFR.TXFF */
		;
	uart[0] = (uint8_t)ch;
}

static void puthex(uint64_t v)
{
	char b[17];
	int n = 0;
	do {
		b[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	putc_(' ');
	while (n)
		putc_(b[--n]);
}

static void line(char tag, const uint64_t *v, int n)
{
	putc_(tag);
	for (int i = 0; i < n; i++)
		puthex(v[i]);
	putc_('\n');
}

#define MSR(reg, v) __asm__ volatile("msr " #reg ", %0" :: "r"(v) : "memory")
#define MRS(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })

static void barrier_isb(void)
{
	__asm__ volatile("dsb sy\n isb" ::: "memory");
}

static void set_reg(uint64_t id, uint64_t v)
{
	switch (id) {
	case R_VTCR: MSR(vtcr_el2, v); break;
	case R_VTTBR: MSR(vttbr_el2, v); break;
	case R_HCR: MSR(hcr_el2, v); break;
	case R_MDCR: MSR(mdcr_el2, v); break;
	case R_CPTR: MSR(cptr_el2, v); break;
	case R_HSTR: MSR(hstr_el2, v); break;
	case R_SCTLR1: MSR(sctlr_el1, v); break;
	case R_CPACR1: MSR(cpacr_el1, v); break;
	default: break;
	}
	barrier_isb();
}

static void tlbi(void)
{
	__asm__ volatile("dsb ishst\n tlbi alle1\n dsb ish\n ic iallu\n dsb ish\n isb"
			 ::: "memory");
}

static void poke32(uint64_t pa, uint32_t w)
{
	*(volatile uint32_t *)pa = w;
	__asm__ volatile("dc cvau, %0\n dsb ish\n ic iallu\n dsb ish\n isb"
			 :: "r"(pa) : "memory");
}

/* flags bit 0: X0 holds HVC #3 twice, so that what a store writes traps
 * to EL2 if it is ever executed. */
static void run(uint64_t id, uint64_t word_flags, uint64_t regval)
{
	struct el1_ctx c;

	poke32((uint64_t)stub_slot, (uint32_t)word_flags);
	for (int i = 0; i < 31; i++)
		c.x[i] = regval;
	if (word_flags >> 32 & 1)
		c.x[0] = 0xd4000062d4000062ul;
	c.sp = regval;
	c.entry = STUB_IPA + STUB_SLOT_OFF;
	c.vec = c.esr = c.far = c.hpfar = c.elr = c.x0 = c.x1 = 0;
	run_el1(&c);
	uint64_t out[] = { id, c.vec, c.esr, c.far, c.hpfar, c.elr, c.x0, c.x1 };
	line('R', out, 8);
}

/* at_armed[0]: an exception at EL2 now belongs to the AT instruction;
 * [1], [2]: its ESR_EL2 and FAR_EL2 (probe_el2.S, el2_self). */
volatile uint64_t at_armed[3];

static void at(uint64_t id, uint64_t write, uint64_t ipa)
{
	at_armed[1] = at_armed[2] = 0;
	at_armed[0] = 1;
	__asm__ volatile("isb" ::: "memory");
	if (write)
		__asm__ volatile("at s12e1w, %0" :: "r"(ipa) : "memory");
	else
		__asm__ volatile("at s12e1r, %0" :: "r"(ipa) : "memory");
	__asm__ volatile("isb" ::: "memory");
	at_armed[0] = 0;
	uint64_t out[] = { id, MRS(par_el1), at_armed[1], at_armed[2] };
	line('A', out, 4);
}

static void word(uint64_t pa, uint64_t v)
{
	*(volatile uint64_t *)pa = v;
	if (nundo < MAX_UNDO)
		undo[nundo++] = (uint64_t *)pa;
}

static void clean(void)
{
	while (nundo)
		*(volatile uint64_t *)undo[--nundo] = 0;
	__asm__ volatile("dsb sy" ::: "memory");
}

void probe_el2_fault(uint64_t unused, uint64_t esr, uint64_t elr, uint64_t far)
{
	(void)unused;
	uint64_t out[] = { esr, elr, far };
	line('F', out, 3);
}

void probe_main(void)
{
	const volatile uint64_t *b = (const volatile uint64_t *)BLOB_PA;

	if (b[0] != BLOB_MAGIC)
		return;
	uart = (volatile uint32_t *)b[1];
	uint64_t n = b[2];
	uint64_t id[] = { MRS(midr_el1), MRS(id_aa64mmfr0_el1), MRS(id_aa64mmfr1_el1),
			  MRS(id_aa64mmfr2_el1), MRS(id_aa64pfr0_el1), MRS(mdcr_el2) };
	line('I', id, 6);
	MSR(vbar_el1, STUB_IPA);
	barrier_isb();
	for (uint64_t i = 0; i < n; i++) {
		const volatile uint64_t *o = b + 4 + 4 * i;
		switch (o[0]) {
		case OP_SET: set_reg(o[1], o[2]); break;
		case OP_WORD: word(o[1], o[2]); break;
		case OP_CLEAN: clean(); break;
		case OP_TLBI: tlbi(); break;
		case OP_POKE32: poke32(o[1], (uint32_t)o[2]); break;
		case OP_RUN: run(o[1], o[2], o[3]); break;
		case OP_AT: at(o[1], o[2], o[3]); break;
		default: i = n; break;
		}
	}
	putc_('D');
	putc_('\n');
}
