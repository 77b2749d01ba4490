/* SPDX-License-Identifier: MIT */
/*
 * Each CPU's own GDT and TSS: the flat kernel code and data segments, the
 * percpu segment whose base is that CPU's struct percpu (asm/percpu.h),
 * and a TSS (Intel SDM vol. 3A §3.4.5 segment descriptors, §7.2.1 TSS).
 */
#include "asm/desc.h"
#include "asm/percpu.h"
#include "asm/segment.h"
#include "asm/x86.h"
#include "kernel/kernel.h"
#include "kernel/string.h"

/* The 32-bit TSS (SDM vol. 3A figure 7-2). The kernel has no ring 3, so
 * only the I/O map base matters: past the limit, no I/O bitmap. */
struct tss_struct {
	uint16_t back_link, __blh;
	uint32_t esp0;
	uint16_t ss0, __ss0h;
	uint32_t esp1;
	uint16_t ss1, __ss1h;
	uint32_t esp2;
	uint16_t ss2, __ss2h;
	uint32_t cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint16_t es, __esh, cs, __csh, ss, __ssh, ds, __dsh;
	uint16_t fs, __fsh, gs, __gsh, ldt, __ldth;
	uint16_t trace, io_bitmap_base;
} __packed;
BUILD_BUG_ON(sizeof(struct tss_struct) != 104);

struct percpu per_cpu_data[NR_CPUS];

static uint64_t cpu_gdt_table[NR_CPUS][GDT_ENTRIES] __aligned(8);
static struct tss_struct cpu_tss[NR_CPUS] __aligned(128);

/* A segment descriptor: access byte (P, DPL, S, type) and the flags
 * nibble (G, D/B). */
static uint64_t gdt_desc(uint32_t base, uint32_t limit, uint8_t access,
			 uint8_t flags)
{
	return (limit & 0xffffULL) | ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)access << 40) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)flags << 52) | ((uint64_t)(base >> 24) << 56);
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

	load_gdt(&p);
	load_segments(__KERNEL_CS, __KERNEL_DS);
	load_fs(__KERNEL_PERCPU);
	load_tr(__KERNEL_TSS);
	percpu_ready = true;
}

void gdt_init(void)
{
	cpu_gdt_init(0);
}
