/* SPDX-License-Identifier: MIT */
/*
 * The IDT and the handling of the 32 processor exceptions: a fault at an
 * instruction listed in __ex_table resumes at its fixup, anything else
 * prints a register dump and panics (Intel SDM vol. 3A ch. 6, §4.7 for the
 * page-fault error code).
 */
#include "asm/desc.h"
#include "asm/percpu.h"
#include "asm/processor-flags.h"
#include "asm/ptrace.h"
#include "asm/segment.h"
#include "asm/x86.h"
#include "kernel/console.h"
#include "kernel/extable.h"
#include "kernel/kernel.h"
#include "kernel/nmi.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "mm/vmalloc.h"

static struct gate_desc idt_table[IDT_ENTRIES] __attribute__((aligned(8)));
extern const uint32_t exception_stubs[NR_EXCEPTIONS];

static const char *const exception_names[NR_EXCEPTIONS] = {
	[0] = "divide error (#DE)",
	[1] = "debug (#DB)",
	[2] = "NMI",
	[3] = "breakpoint (#BP)",
	[4] = "overflow (#OF)",
	[5] = "BOUND range exceeded (#BR)",
	[6] = "invalid opcode (#UD)",
	[7] = "device not available (#NM)",
	[8] = "double fault (#DF)",
	[9] = "coprocessor segment overrun",
	[10] = "invalid TSS (#TS)",
	[11] = "segment not present (#NP)",
	[12] = "stack-segment fault (#SS)",
	[13] = "general protection (#GP)",
	[14] = "page fault (#PF)",
	[15] = "reserved vector 15",
	[16] = "x87 floating-point error (#MF)",
	[17] = "alignment check (#AC)",
	[18] = "machine check (#MC)",
	[19] = "SIMD floating-point (#XM)",
	[20] = "virtualization (#VE)",
	[21] = "control protection (#CP)",
	[22] = "reserved vector 22", [23] = "reserved vector 23",
	[24] = "reserved vector 24", [25] = "reserved vector 25",
	[26] = "reserved vector 26", [27] = "reserved vector 27",
	[28] = "hypervisor injection (#HV)",
	[29] = "VMM communication (#VC)",
	[30] = "security (#SX)",
	[31] = "reserved vector 31",
};

struct fault_info last_fixup_fault;

#define NMI_VECTOR	2
static volatile bool nmi_awaited, nmi_arrived, nmi_ever_awaited;

void set_intr_gate(unsigned int n, uint32_t handler)
{
	idt_table[n] = (struct gate_desc){
		.offset_low = handler & 0xffff,
		.segment = __KERNEL_CS,
		.zero = 0,
		.type_attr = GATE_INTERRUPT,
		.offset_high = handler >> 16,
	};
}

/* Every CPU uses the one IDT; an AP loads it as it starts. */
void idt_load(void)
{
	struct desc_ptr p = {
		.size = sizeof(idt_table) - 1,
		.address = (uint32_t)idt_table,
	};

	load_idt(&p);
}

void trap_init(void)
{
	for (unsigned int n = 0; n < NR_EXCEPTIONS; n++)
		set_intr_gate(n, exception_stubs[n]);
	idt_load();
}

/*
 * A fault inside a vmalloc area's range names the area: a write one byte
 * past an allocation lands in its guard page, and the report says whose.
 */
static void report_vmalloc_fault(unsigned long address)
{
	const struct vm_struct *area = vmalloc_area_of(address);
	unsigned long start, guard;

	if (!area)
		return;
	start = (unsigned long)area->addr;
	guard = start + get_vm_area_size(area);
	pr_emerg("#PF: 0x%08lx is %s of vmalloc area 0x%08lx-0x%08lx (%lu bytes, caller 0x%08lx)\n",
		 address, address >= guard ? "in the guard page" : "inside",
		 start, guard, get_vm_area_size(area),
		 (unsigned long)area->caller);
}

/* Describe a page-fault error code the way Linux's oops does. */
static void show_fault_oops(unsigned long address, uint32_t err)
{
	pr_emerg("BUG: unable to handle page fault for address: 0x%08lx\n",
		 address);
	pr_emerg("#PF: %s %s access in %s mode\n",
		 (err & X86_PF_USER) ? "user" : "supervisor",
		 (err & X86_PF_INSTR) ? "instruction fetch" :
		 (err & X86_PF_WRITE) ? "write" : "read",
		 (err & X86_PF_USER) ? "user" : "kernel");
	pr_emerg("#PF: error_code(0x%04x) - %s%s%s\n", err,
		 (err & X86_PF_PROT) ? "permissions violation" :
				       "not-present page",
		 (err & X86_PF_RSVD) ? ", reserved bit set in an entry" : "",
		 (err & X86_PF_PK) ? ", protection key" : "");
}

void show_regs(const struct pt_regs *regs)
{
	pr_emerg("EIP: %04x:%08x EFLAGS: %08x\n", regs->cs, regs->eip,
		 regs->eflags);
	pr_emerg("EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n",
		 regs->eax, regs->ebx, regs->ecx, regs->edx);
	pr_emerg("ESI: %08x EDI: %08x EBP: %08x ESP: %08x\n",
		 regs->esi, regs->edi, regs->ebp,
		 (uint32_t)(uintptr_t)&regs->eflags + 4);
	pr_emerg("DS: %04x ES: %04x FS: %04x GS: %04x\n",
		 regs->ds & 0xffff, regs->es & 0xffff, regs->fs & 0xffff,
		 regs->gs & 0xffff);
	pr_emerg("CR0: %08lx CR2: %08lx CR3: %08lx CR4: %08lx\n",
		 read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

void wait_for_nmi(const char *why)
{
	unsigned long flags;

	local_irq_save(flags);
	nmi_arrived = false;
	nmi_ever_awaited = true;
	nmi_awaited = true;
	pr_info("%s: paused for the host; an NMI resumes\n", why);
	console_flush();	/* the screen too shows where it stopped */
	/* HLT resumes on an NMI even with IF clear. */
	while (!nmi_arrived)
		halt();
	nmi_awaited = false;
	local_irq_restore(flags);
}

/* An NMI nobody waits for is reported, not fatal, as in Linux. */
static void do_nmi(const struct pt_regs *regs)
{
	if (nmi_awaited) {
		nmi_arrived = true;
		return;
	}
	/* QEMU's monitor "nmi" reaches every CPU; the boot CPU waits for it,
	 * the others take it with nothing to do. */
	if (nmi_ever_awaited && smp_processor_id() != 0)
		return;
	pr_warn("NMI received for unknown reason at EIP %08x; ignored\n",
		regs->eip);
}

/* Called from common_exception with the frame it built. */
void do_trap(struct pt_regs *regs);
void do_trap(struct pt_regs *regs)
{
	unsigned int vec = regs->vector;
	unsigned long cr2 = vec == 14 ? read_cr2() : 0;
	const struct exception_table_entry *e;
	uint32_t fixup = 0;

	if (vec == NMI_VECTOR) {
		do_nmi(regs);
		return;
	}
	e = search_exception_tables(regs->eip);
	if (e)
		fixup = e->fixup;
	else if (vec == 14 && probe_exec_target && regs->eip == probe_exec_target)
		fixup = (uint32_t)probe_exec_fixup;	/* its target would not run */
	if (fixup) {
		if (vec == 14)
			report_vmalloc_fault(cr2);
		last_fixup_fault = (struct fault_info){
			.vector = vec,
			.error_code = regs->error_code,
			.address = cr2,
			.eip = regs->eip,
			.count = last_fixup_fault.count + 1,
		};
		regs->eip = fixup;
		return;
	}

	/* From here every console shows each line at once. */
	oops_in_progress = 1;
	pr_emerg("\n");
	if (vec == 14) {
		show_fault_oops(cr2, regs->error_code);
		report_vmalloc_fault(cr2);
	}
	pr_emerg("Oops: %s, vector %u, error code 0x%04x\n",
		 vec < NR_EXCEPTIONS ? exception_names[vec] : "unknown", vec,
		 regs->error_code);
	/* No fault is handled yet, only fixed up; one taken where handling
	 * is disabled (a kmap_atomic held, a lock) says so. */
	if (vec == 14 && percpu_ready && faulthandler_disabled())
		pr_emerg("page fault in atomic context: preempt_count 0x%x, pagefault_disabled %d\n",
			 this_cpu()->preempt_count, this_cpu()->pagefault_disabled);
	show_regs(regs);
	panic("Fatal exception %u in kernel mode at EIP %08x", vec, regs->eip);
}
