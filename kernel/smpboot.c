/* SPDX-License-Identifier: MIT */
/*
 * Starting the application processors: each enabled CPU of the MADT gets
 * INIT, STARTUP, STARTUP (Intel SDM vol. 3A §8.4.4.1 "Typical BSP
 * initialization sequence", the universal start-up algorithm of the MP
 * specification B.4), runs kernel/trampoline.asm from a page below 1 MiB
 * and arrives in start_secondary with its own stack, GDT, TSS, percpu
 * segment, local APIC, timer and idle thread. One AP at a time.
 */
#define pr_fmt(fmt) "smp: " fmt

#include "asm/apic.h"
#include "asm/desc.h"
#include "asm/page.h"
#include "asm/percpu.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "asm/processor-flags.h"
#include "asm/segment.h"
#include "asm/smp.h"
#include "asm/tlbflush.h"
#include "asm/x86.h"
#include "kernel/acpi.h"
#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/vmalloc.h"

unsigned long cpu_online_mask = 1;
void *trampoline_base;

/* How long an AP may take to come online: a guard against an AP that
 * never comes, not a speed limit (a loaded host may leave a virtual CPU
 * unscheduled for long stretches); Linux waits 10 s too. */
#define AP_START_TIMEOUT_MS	10000

static unsigned int setup_max_cpus = NR_CPUS;

extern const uint8_t trampoline_blob[], trampoline_blob_end[];

/* Each AP's start-up stack, which its idle thread keeps. */
static void *ap_stack[NR_CPUS];

/* nosmp: the boot CPU only. */
static int nosmp_setup(char *val)
{
	if (val)
		return -EINVAL;
	setup_max_cpus = 1;
	return 0;
}
__setup("nosmp", nosmp_setup);

/* maxcpus=N: at most N CPUs, the boot CPU included (1..NR_CPUS). */
__setup_uint("maxcpus", setup_max_cpus, 1, NR_CPUS);

/* An AP's first C code, on the trampoline's page tables. */
void start_secondary(unsigned int cpu);
void start_secondary(unsigned int cpu)
{
	/* The per-CPU segment first (the paging trace names the CPU);
	 * then the kernel's own tables: the trampoline's identity map goes. */
	cpu_gdt_init(cpu);
	load_cr3(__pa(swapper_pg_dir));
	cpu_tss_update_cr3();
	idt_load();
	setup_local_APIC();
	sched_init_secondary(cpu, ap_stack[cpu]);
	setup_APIC_timer();
	__atomic_fetch_or(&cpu_online_mask, 1UL << cpu, __ATOMIC_SEQ_CST);
	local_irq_enable();
	cpu_idle();
}

/*
 * The trampoline's PDPT: slot 0 maps the first 2 MiB one to one (4 KiB
 * pages, executable: the trampoline runs there when paging comes on),
 * slots 1-3 are the kernel's, so the jump to start_secondary lands in the
 * high half. Three lowmem pages, all below 4 GiB as a PAE CR3 needs.
 */
static pgd_t *trampoline_pgd_alloc(unsigned long pages[3])
{
	pgd_t *pgd;
	pmd_t *pmd;
	pte_t *pte;

	for (int i = 0; i < 3; i++) {
		pages[i] = __get_free_page(GFP_KERNEL | __GFP_ZERO);
		if (!pages[i]) {
			while (i--)
				free_page(pages[i]);
			return NULL;
		}
	}
	for (int i = 0; i < 3; i++)
		pgtable_page_zeroed((void *)pages[i]);
	pgd = (pgd_t *)pages[0];
	pmd = (pmd_t *)pages[1];
	pte = (pte_t *)pages[2];
	for (unsigned long pfn = 0; pfn < PTRS_PER_PTE; pfn++)
		set_pte_at(pfn << PAGE_SHIFT, &pte[pfn], pfn_pte(pfn, (pgprot_t){ _PAGE_PRESENT | _PAGE_RW |
							    _PAGE_ACCESSED | _PAGE_DIRTY }));
	set_pmd_at(0, &pmd[0], __pmd_table(__pa(pte)));
	set_pgd_at(0, &pgd[0], __pgd_table(__pa(pmd)));
	for (int i = 1; i < PTRS_PER_PGD; i++)
		set_pgd_at((unsigned long)i << PGDIR_SHIFT, &pgd[i], swapper_pg_dir[i]);
	return pgd;
}

/* INIT, then two STARTUPs 200 us apart; then wait for the AP to say it
 * is online. An AP that never comes is put back to sleep with INIT. */
static bool do_boot_cpu(unsigned int cpu, unsigned int apic_id,
			struct trampoline_header *h)
{
	uint32_t phys = (uint32_t)__pa(trampoline_base);
	void *stack = thread_stack_alloc();

	if (!stack) {
		pr_err("CPU %u (APIC id %u): no memory for its stack\n", cpu, apic_id);
		return false;
	}
	ap_stack[cpu] = stack;
	h->stack = (uint32_t)stack + THREAD_SIZE;
	h->cpu = cpu;
	h->started = 0;
	per_cpu(cpu)->apic_id = apic_id;

	apic_send_init(apic_id);
	for (int i = 0; i < 2 && !h->started; i++) {
		apic_send_startup(apic_id, phys >> PAGE_SHIFT);
		udelay(200);
	}
	for (unsigned int ms = 0; ms < AP_START_TIMEOUT_MS && !cpu_online(cpu); ms++)
		mdelay(1);
	if (cpu_online(cpu))
		return true;

	apic_send_init(apic_id);
	pr_err("CPU %u (APIC id %u) did not come online within %u ms (%s); going on without it\n",
	       cpu, apic_id, AP_START_TIMEOUT_MS,
	       h->started ? "it reached protected mode" : "it never ran the trampoline");
	/* It is parked by INIT: nothing runs on the stack any more. */
	vfree(stack);
	return false;
}

/*
 * Start every enabled CPU the MADT lists, in its order, up to maxcpus=.
 * Without a MADT or a trampoline page the system stays on one CPU and
 * says why.
 */
void smp_boot_cpus(void)
{
	const struct acpi_madt_info *madt = &acpi_info.madt;
	struct trampoline_header *h;
	unsigned long pages[3];
	unsigned int bsp_apic = per_cpu(0)->apic_id, cpu = 1, failed = 0;
	unsigned int nr_cpus_possible = 1;	/* enabled in the MADT */
	pgd_t *pgd;

	tlb_init();
	if (!lapic_present) {
		pr_info("no local APIC: running on the boot CPU only\n");
		return;
	}
	if (!acpi_info.have_madt) {
		pr_info("no MADT: running on the boot CPU only\n");
		return;
	}
	for (unsigned int i = 0; i < madt->nr_cpus; i++)
		nr_cpus_possible += madt->cpus[i].enabled && madt->cpus[i].apic_id != bsp_apic;
	if (nr_cpus_possible == 1 || setup_max_cpus == 1) {
		pr_info("%u CPU(s) enabled in the MADT, maxcpus %u: running on the boot CPU only\n",
			nr_cpus_possible, setup_max_cpus);
		return;
	}
	if (!trampoline_base) {
		pr_err("no free page below 1 MiB for the AP trampoline: running on the boot CPU only\n");
		return;
	}
	pgd = trampoline_pgd_alloc(pages);
	if (!pgd) {
		pr_err("no memory for the trampoline's page tables: running on the boot CPU only\n");
		return;
	}

	memcpy(trampoline_base, trampoline_blob, trampoline_blob_end - trampoline_blob);
	h = (struct trampoline_header *)((char *)trampoline_base + TRAMPOLINE_HEADER);
	h->cr0 = read_cr0();
	h->cr3 = (uint32_t)__pa(pgd);
	h->cr4 = read_cr4();
	h->efer_nx = (rdmsr(MSR_EFER) & EFER_NX) != 0;
	h->pat_valid = pat_enabled();
	h->pat_lo = PAT_KERNEL_LO;
	h->pat_hi = PAT_KERNEL_HI;
	h->entry = (uint32_t)start_secondary;
	h->pm_jump_offset = (uint32_t)__pa(trampoline_base) + TRAMPOLINE_PM_OFFSET;
	h->pm_jump_selector = __KERNEL_CS;
	h->gdt_limit = 3 * 8 - 1;
	h->gdt_base = (uint32_t)__pa(trampoline_base) + TRAMPOLINE_GDT_OFFSET;

	for (unsigned int i = 0; i < madt->nr_cpus && cpu < setup_max_cpus; i++) {
		const struct acpi_cpu *c = &madt->cpus[i];

		if (!c->enabled || c->apic_id == bsp_apic)
			continue;
		if (!apic_id_reachable(c->apic_id)) {
			pr_err("CPU with APIC id %u: beyond the xAPIC's 8-bit destinations (the firmware left x2APIC off); not started\n",
			       c->apic_id);
			failed++;
			continue;
		}
		if (do_boot_cpu(cpu, c->apic_id, h))
			cpu++;
		else
			failed++;
	}
	for (int i = 0; i < 3; i++)
		free_page(pages[i]);
	pr_info("%u CPU(s) online (APIC ids", num_online_cpus());
	for (unsigned int c = 0; c < NR_CPUS; c++)
		if (cpu_online(c))
			pr_cont(" %u", per_cpu(c)->apic_id);
	pr_cont(")%s\n", failed ? ", some failed to start" : "");
}
