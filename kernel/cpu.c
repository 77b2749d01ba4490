/* SPDX-License-Identifier: MIT */
/*
 * Identification of the boot CPU and the features this kernel relies on:
 * PAE, NX, PGE, PSE, the local APIC and the physical address width
 * (Intel SDM vol. 2A, CPUID leaves 0, 1, 0x80000000-0x80000004 and
 * 0x80000008; vol. 3A §4.1.4), and the page attribute table the kernel
 * programs (vol. 3A §11.12).
 */
#include "asm/fixmap.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "asm/processor-flags.h"
#include "asm/tlbflush.h"
#include "asm/x86.h"
#include "kernel/printk.h"
#include "kernel/string.h"

struct cpuinfo_x86 boot_cpu_data;

void identify_boot_cpu(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;
	uint32_t a, b, cx, d;

	cpuid(0, &a, &b, &cx, &d);
	c->max_leaf = a;
	memcpy(c->vendor + 0, &b, 4);
	memcpy(c->vendor + 4, &d, 4);
	memcpy(c->vendor + 8, &cx, 4);
	c->vendor[12] = 0;

	if (c->max_leaf >= 1) {
		cpuid(1, &a, &b, &cx, &d);
		c->family = (a >> 8) & 0xf;
		c->model = (a >> 4) & 0xf;
		c->stepping = a & 0xf;
		if (c->family == 0xf)
			c->family += (a >> 20) & 0xff;
		if (c->family >= 6)
			c->model |= ((a >> 16) & 0xf) << 4;
		c->edx1 = d;
		c->ecx1 = cx;
	}

	cpuid(0x80000000, &a, &b, &cx, &d);
	c->max_ext_leaf = (a & 0xffff0000) == 0x80000000 ? a : 0;
	if (c->max_ext_leaf >= 0x80000001) {
		cpuid(0x80000001, &a, &b, &cx, &d);
		c->ext_edx1 = d;
		c->ext_ecx1 = cx;
	}
	if (c->max_ext_leaf >= 0x80000004) {
		uint32_t *p = (uint32_t *)c->model_id;

		for (uint32_t leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
			cpuid(leaf, &p[0], &p[1], &p[2], &p[3]);
			p += 4;
		}
		c->model_id[48] = 0;
	}
	/*
	 * Without leaf 0x80000008 the SDM says the width is "generally" 36
	 * with PAE. It is 36 where PSE-36 is there too, and that is the
	 * case QEMU models: its qemu32 CPU (PAE, no PSE-36, no such leaf)
	 * treats address bits from 32 up as reserved in every PAE entry,
	 * and Linux, taking 36, oopses on its RAM above 4 GiB. So 36 needs
	 * PSE-36 here; without it 32, which costs at most the RAM above
	 * 4 GiB of a Pentium Pro era machine.
	 */
	c->x86_phys_bits = (c->edx1 & X86_FEATURE_PAE_EDX) &&
			   (c->edx1 & X86_FEATURE_PSE36_EDX) ? 36 : 32;
	if (c->max_ext_leaf >= 0x80000008) {
		cpuid(0x80000008, &a, &b, &cx, &d);
		c->x86_phys_bits = a & 0xff;
	}
	/* Below 32 no RAM would be usable at all; pfn_pte takes a 32-bit
	 * frame number: 44 bits of address at most. */
	if (c->x86_phys_bits < 32)
		c->x86_phys_bits = 32;
	if (c->x86_phys_bits > 44)
		c->x86_phys_bits = 44;
}

bool boot_cpu_has_pae(void)  { return boot_cpu_data.edx1 & X86_FEATURE_PAE_EDX; }
bool boot_cpu_has_pse(void)  { return boot_cpu_data.edx1 & X86_FEATURE_PSE_EDX; }
bool boot_cpu_has_pge(void)  { return boot_cpu_data.edx1 & X86_FEATURE_PGE_EDX; }
bool boot_cpu_has_apic(void) { return boot_cpu_data.edx1 & X86_FEATURE_APIC_EDX; }
bool boot_cpu_has_nx(void)   { return boot_cpu_data.ext_edx1 & X86_FEATURE_NX_EDX; }
bool boot_cpu_has_pat(void)  { return boot_cpu_data.edx1 & X86_FEATURE_PAT_EDX; }

static bool pat_programmed;

bool pat_enabled(void)
{
	return pat_programmed;
}

/*
 * SSE needs CR4.OSFXSR (and FXSR, which makes it meaningful) and
 * CR0.EM clear (SDM vol. 3A §13.1.3); CR4.OSXMMEXCPT makes a process's
 * unmasked SSE exception a #XM (SIGFPE) rather than a #UD. CR0.TS stays
 * clear: the FPU state is switched eagerly (kernel/process.c). In the
 * kernel only memset's zero fills use SSE.
 */
void sse_clear_init(void)
{
	const uint32_t need = X86_FEATURE_XMM_EDX | X86_FEATURE_FXSR_EDX;

	if ((boot_cpu_data.edx1 & need) != need)
		return;
	write_cr0(read_cr0() & ~(X86_CR0_EM | X86_CR0_TS));
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	memset_use_sse = true;
}

/*
 * SDM vol. 3A §11.12.4 asks for the procedure of §11.11.8 around a PAT
 * change, so that no cache line or TLB entry keeps a memory type the new
 * value contradicts: caches off (CR0.CD) and written back, TLBs flushed,
 * the MSR written, then the same again and caches back on. Nothing maps
 * PWT alone yet, so no memory changes type here; the procedure costs a
 * few microseconds once.
 */
void pat_init(void)
{
	unsigned long flags, cr0;

	if (!boot_cpu_has_pat() || !(boot_cpu_data.edx1 & X86_FEATURE_MSR_EDX)) {
		pr_info("PAT: not on this CPU: write-combining mappings are uncached\n");
		return;
	}
	flags = native_save_fl();
	local_irq_disable();
	cr0 = read_cr0();
	write_cr0((cr0 | X86_CR0_CD) & ~X86_CR0_NW);
	wbinvd();
	__flush_tlb_all();
	wrmsr(MSR_IA32_CR_PAT, (uint64_t)PAT_KERNEL_HI << 32 | PAT_KERNEL_LO);
	wbinvd();
	__flush_tlb_all();
	write_cr0(cr0);
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
	pat_programmed = true;
	pr_info("PAT: IA32_PAT 0x%016llx: PWT alone is write-combining, PCD|PWT uncached\n",
		rdmsr(MSR_IA32_CR_PAT));
}

/* The power-on IA32_PAT: WB, WT, UC-, UC, twice (SDM vol. 3A table 11-12). */
#define PAT_POWER_ON	((uint64_t)0x0007040600070406ULL)

const char *pte_memtype(uint64_t entry, bool large)
{
	uint64_t pat = pat_programmed ? (uint64_t)PAT_KERNEL_HI << 32 | PAT_KERNEL_LO
				      : PAT_POWER_ON;
	uint64_t pat_bit = large ? (1ULL << 12) : _PAGE_PSE;
	unsigned int idx = ((entry & pat_bit) ? 4 : 0) | ((entry & _PAGE_PCD) ? 2 : 0) |
			   ((entry & _PAGE_PWT) ? 1 : 0);

	switch ((pat >> (8 * idx)) & 0xff) {
	case PAT_UC:		return "UC";
	case PAT_WC:		return "WC";
	case PAT_WT:		return "WT";
	case PAT_WP:		return "WP";
	case PAT_WB:		return "WB";
	case PAT_UC_MINUS:	return "UC-";
	default:		return "reserved";
	}
}

void print_cpu_info(void)
{
	const struct cpuinfo_x86 *c = &boot_cpu_data;
	const char *name = c->model_id;
	bool tsc = c->edx1 & X86_FEATURE_TSC_EDX;

	while (*name == ' ')
		name++;
	pr_info("CPU: %s family 0x%x model 0x%x stepping 0x%x%s%s\n",
		c->vendor, c->family, c->model, c->stepping,
		*name ? ": " : "", name);
	pr_info("CPU: features: %cPAE %cNX %cPGE %cPSE %cAPIC %cTSC, %u-bit physical addresses\n",
		boot_cpu_has_pae() ? '+' : '-', boot_cpu_has_nx() ? '+' : '-',
		boot_cpu_has_pge() ? '+' : '-', boot_cpu_has_pse() ? '+' : '-',
		boot_cpu_has_apic() ? '+' : '-', tsc ? '+' : '-', c->x86_phys_bits);
	if (!boot_cpu_has_nx())
		pr_info("CPU: no NX: every mapping stays executable (EFER.NXE left clear)\n");
	/* Every CPU with PAE has the TSC (the Pentium Pro on); an emulator
	 * may take the bit away and still run RDTSC, which every clock here
	 * uses: say so rather than go on in silence. */
	if (!tsc)
		pr_warn("CPU: CPUID says there is no TSC (leaf 1 EDX bit 4); the clocks use RDTSC all the same, as every PAE CPU has it\n");
}
