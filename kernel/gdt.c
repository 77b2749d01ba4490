/* SPDX-License-Identifier: MIT */
/*
 * Each CPU's own GDT and TSS: the flat kernel code and data segments, the
 * percpu segment whose base is that CPU's struct percpu (asm/percpu.h), a
 * TSS (esp0: the running task's kernel stack), the TSS of the double-fault
 * task, the running process's three TLS descriptors, and the flat ring-3
 * code and data segments (Intel SDM vol. 3A §3.4.5 segment descriptors,
 * §5.8 privilege level changes, §7.2.1 TSS, §6.15 interrupt 8).
 */
#include "asm/desc.h"
#include "asm/percpu.h"
#include "asm/processor-flags.h"
#include "asm/segment.h"
#include "asm/x86.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "kernel/string.h"

BUILD_BUG_ON(sizeof(struct tss_struct) != 104);

struct percpu per_cpu_data[NR_CPUS];

static uint64_t cpu_gdt_table[NR_CPUS][GDT_ENTRIES] __aligned(8);
struct tss_struct cpu_tss[NR_CPUS] __aligned(128);

/*
 * The double-fault task of each CPU (Linux i386's doublefault_32.c does
 * the same): a #DF arrives through a task gate (IDT entry 8, kernel/traps.c),
 * so it runs on a stack of its own even when the one that faulted is
 * full, which is how a kernel stack overflow ends: the page fault on the
 * guard below the stack cannot push its frame there, and becomes a #DF.
 */
struct tss_struct doublefault_tss[NR_CPUS] __aligned(128);
static uint8_t doublefault_stack[NR_CPUS][DOUBLEFAULT_STACK_SIZE] __aligned(16);

/* A segment descriptor: access byte (P, DPL, S, type) and the flags
 * nibble (G, D/B). */
uint64_t gdt_desc(uint32_t base, uint32_t limit, uint8_t access,
			 uint8_t flags)
{
	return (limit & 0xffffULL) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)access << 40) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)flags << 52) | ((uint64_t)(base >> 24) << 56);
}

/*
 * The #DF task's state as the task gate loads it: the entry, the top of
 * its stack, the kernel's segments with %fs on this CPU's percpu segment,
 * interrupts off, and the page tables now in CR3 (cpu_tss_update_cr3 puts
 * swapper_pg_dir's there once it is loaded). The TSS (on which the
 * interrupted state is saved) gets the same CR3: a task switch back
 * loads it from there.
 */
static void doublefault_tss_init(unsigned int cpu)
{
	struct tss_struct *t = &doublefault_tss[cpu];

	memset(t, 0, sizeof(*t));
	t->eip = (uint32_t)double_fault_task_entry;
	t->esp = (uint32_t)doublefault_stack[cpu] + DOUBLEFAULT_STACK_SIZE;
	t->eflags = X86_EFLAGS_FIXED;
	t->cs = __KERNEL_CS;
	t->ss = t->ds = t->es = __KERNEL_DS;
	t->fs = __KERNEL_PERCPU;
	t->cr3 = read_cr3();
	t->io_bitmap_base = sizeof(*t);
	cpu_tss[cpu].cr3 = t->cr3;
}

void cpu_tss_update_cr3(void)
{
	unsigned int cpu = smp_processor_id();

	doublefault_tss[cpu].cr3 = read_cr3();
	cpu_tss[cpu].cr3 = read_cr3();
}

/*
 * Build CPU cpu's GDT and TSS and load them on the calling CPU, with %fs
 * on its percpu segment. Code and data have the accessed bit preset (0x9b,
 * 0x93) so that loading them never writes the table.
 */
void cpu_gdt_init(unsigned int cpu)
{
	uint64_t *gdt = cpu_gdt_table[cpu];
	struct tss_struct *tss = &cpu_tss[cpu];
	struct percpu *pc = per_cpu(cpu);
	struct desc_ptr p = {
		.size = sizeof(cpu_gdt_table[0]) - 1,
		.address = (uint32_t)gdt,
	};

	pc->self = pc;
	pc->cpu_number = cpu;
	memset(tss, 0, sizeof(*tss));
	tss->ss0 = __KERNEL_DS;
	tss->io_bitmap_base = sizeof(*tss);

	gdt[0] = 0;
	gdt[GDT_ENTRY_KERNEL_CS] = gdt_desc(0, 0xfffff, 0x9b, 0xc);
	gdt[GDT_ENTRY_KERNEL_DS] = gdt_desc(0, 0xfffff, 0x93, 0xc);
	gdt[GDT_ENTRY_PERCPU] = gdt_desc((uint32_t)pc, sizeof(*pc) - 1, 0x93, 0x4);
	gdt[GDT_ENTRY_TSS] = gdt_desc((uint32_t)tss, sizeof(*tss) - 1, 0x89, 0x0);
	doublefault_tss_init(cpu);
	gdt[GDT_ENTRY_DOUBLEFAULT_TSS] = gdt_desc((uint32_t)&doublefault_tss[cpu],
						  sizeof(struct tss_struct) - 1, 0x89, 0x0);
	/* DPL 3, 4 GiB, 32-bit: paging's U bit is what keeps user code out
	 * of the kernel's 3-4 GiB, as in Linux. TLS slots start empty. */
	gdt[GDT_ENTRY_DEFAULT_USER_CS] = gdt_desc(0, 0xfffff, 0xfb, 0xc);
	gdt[GDT_ENTRY_DEFAULT_USER_DS] = gdt_desc(0, 0xfffff, 0xf3, 0xc);

	load_gdt(&p);
	load_segments(__KERNEL_CS, __KERNEL_DS);
	load_fs(__KERNEL_PERCPU);
	load_tr(__KERNEL_TSS);
	percpu_ready = true;
}

void load_sp0(unsigned long sp0)
{
	cpu_tss[smp_processor_id()].esp0 = sp0;
}

/* Interrupts off (a switch) or preemption off: the GDT is this CPU's. */
void load_TLS(const struct thread_struct *t)
{
	uint64_t *gdt = cpu_gdt_table[smp_processor_id()];

	for (unsigned int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		gdt[GDT_ENTRY_TLS_MIN + i] = t->tls_array[i];
}

void gdt_init(void)
{
	cpu_gdt_init(0);
}
