/* SPDX-License-Identifier: MIT */
/*
 * The IDT and the handling of the 32 processor exceptions: a fault at an
 * instruction listed in __ex_table resumes at its fixup; anything else is
 * an oops: a register dump, then the end of the faulting kernel thread
 * where that is safe (include/kernel/oops.h), else a panic. A double
 * fault comes through a task gate onto a stack of its own (kernel/gdt.c),
 * so that a kernel stack overflow ends the same way. An exception in ring
 * 3 is the process's: one line, then the signal (Linux's do_error_trap).
 * Vector 0x80 is the system-call gate, the only one ring 3 may raise
 * (Intel SDM vol. 3A ch. 6, §6.12.1.1 gate DPL, §6.15 interrupt 8, §7.3
 * task switching, §4.7 for the page-fault error code).
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
#include "kernel/oops.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/testhooks.h"
#include "mm/mmap.h"
#include "mm/vmalloc.h"

static struct gate_desc idt_table[IDT_ENTRIES] __attribute__((aligned(8)));
extern const uint32_t exception_stubs[NR_EXCEPTIONS];
void entry_INT80_32(void);	/* kernel/entry.asm */

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
struct oops_record last_oops;

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

/* A task gate: the exception switches to the task of that TSS (whose
 * selector names it in the GDT of the CPU that takes it). */
void set_task_gate(unsigned int n, uint16_t tss_selector)
{
	idt_table[n] = (struct gate_desc){
		.segment = tss_selector,
		.type_attr = GATE_TASK,
	};
}

void set_system_intr_gate(unsigned int n, uint32_t handler)
{
	set_intr_gate(n, handler);
	idt_table[n].type_attr = GATE_INTERRUPT_USER;
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
	set_task_gate(8, __DOUBLEFAULT_TSS);
	set_system_intr_gate(SYSCALL_VECTOR, (uint32_t)entry_INT80_32);
	idt_load();
}

/*
 * A fault inside a vmalloc area's range names the area: a write one byte
 * past an allocation lands in its guard page, an overflow of a thread's
 * stack in the gap below it, and the report says whose.
 */
static void report_vmalloc_fault(unsigned long address)
{
	const struct vm_struct *area = vmalloc_area_of(address);
	unsigned long start, guard;

	if (!area)
		return;
	start = (unsigned long)area->addr;
	guard = start + get_vm_area_size(area);
	pr_emerg("#PF: 0x%08lx is %s of vmalloc area 0x%08lx-0x%08lx (%lu bytes, %scaller 0x%08lx)\n",
		 address, address >= guard ? "in the guard page" :
			  address < start ? "in the guard gap below the stack" : "inside",
		 start, guard, get_vm_area_size(area),
		 (area->flags & VM_STACK) ? "a thread's stack, " : "",
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

/* The registers; esp as it was before the exception. */
static void show_regs_esp(const struct pt_regs *regs, uint32_t esp)
{
	pr_emerg("EIP: %04x:%08x EFLAGS: %08x\n", regs->cs, regs->eip,
		 regs->eflags);
	pr_emerg("EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n",
		 regs->eax, regs->ebx, regs->ecx, regs->edx);
	pr_emerg("ESI: %08x EDI: %08x EBP: %08x ESP: %08x\n",
		 regs->esi, regs->edi, regs->ebp, esp);
	pr_emerg("DS: %04x ES: %04x FS: %04x GS: %04x\n",
		 regs->ds & 0xffff, regs->es & 0xffff, regs->fs & 0xffff,
		 regs->gs & 0xffff);
	pr_emerg("CR0: %08lx CR2: %08lx CR3: %08lx CR4: %08lx\n",
		 read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

void show_regs(const struct pt_regs *regs)
{
	/* The frame of an exception taken in ring 0 ends at eflags. */
	show_regs_esp(regs, (uint32_t)(uintptr_t)&regs->eflags + 4);
}

/* ------------------------------------------------------------ oops */

const char *oops_fatal_reason(const struct oops_context *c)
{
	if (!c->sched_up)
		return "before the scheduler runs";
	if (c->task_flags & PF_IDLE)
		return "in an idle thread";
	if (!(c->task_flags & (PF_KTHREAD | PF_USER)))
		return "in the boot thread init (the boot path, then the monitor)";
	if (c->preempt_count & HARDIRQ_MASK)
		return "in an interrupt handler";
	if (c->oops_depth)
		return "while another oops was being reported";
	if (c->kernel_locks)
		return "with a spinlock of the kernel held";
	if (!c->irqs_on && !c->in_module)
		return "with interrupts off in the kernel's code";
	return NULL;
}

/* Whether the instruction at eip belongs to a module's image. */
static bool eip_in_module(uint32_t eip)
{
	const struct vm_struct *area = vmalloc_area_of(eip);

	return area && (area->flags & VM_MODULE);
}

/* The context of a fault at eip with eflags, on this CPU. */
static struct oops_context oops_context_now(uint32_t eip, uint32_t eflags)
{
	struct oops_context c = { .irqs_on = eflags & X86_EFLAGS_IF };
	struct percpu *pc;

	if (!percpu_ready)
		return c;
	pc = this_cpu();
	c.sched_up = pc->current_task != NULL;
	c.task_flags = c.sched_up ? pc->current_task->flags : 0;
	c.preempt_count = pc->preempt_count;
	c.kernel_locks = pc->kernel_locks;
	c.oops_depth = pc->oops_depth;
	c.in_module = eip_in_module(eip);
	return c;
}

/* The oops report begins: every console shows each line at once. */
static void oops_begin(void)
{
	oops_in_progress = 1;
	if (percpu_ready)
		this_cpu()->oops_depth++;
	pr_emerg("\n");
}

/* The report's last lines: the thread, and why the kernel stops if it
 * does (then the panic). */
static void oops_thread_line(const char *fatal, unsigned int vec, uint32_t eip)
{
	if (percpu_ready && current)
		pr_emerg("CPU: %u thread: %s\n", smp_processor_id(), current->comm);
	if (fatal) {
		pr_emerg("The oops happened %s: the kernel cannot go on\n", fatal);
		panic("Fatal exception %u in kernel mode at EIP %08x", vec, eip);
	}
}

/*
 * The oops ends the current thread: recorded, said, the thread's own
 * hook (a module marks itself failed) called, the report closed. The
 * caller then leaves by make_task_dead, on the thread's stack.
 */
static void oops_end_thread(unsigned int vec, unsigned long address, uint32_t eip,
			    uint32_t esp, bool stack_guard)
{
	struct task_struct *t = current;

	last_oops.count++;
	last_oops.vector = vec;
	last_oops.address = address;
	last_oops.eip = eip;
	last_oops.esp = esp;
	last_oops.stack_guard = stack_guard;
	strscpy(last_oops.comm, t->comm, sizeof(last_oops.comm));
	if (t->flags & PF_USER)
		pr_emerg("note: process %s[%d] (CPU %u) killed by the oops as by SIGKILL; the kernel goes on\n",
			 t->comm, t->pid, smp_processor_id());
	else
		pr_emerg("note: thread %s (CPU %u) killed by the oops; the kernel goes on\n",
			 t->comm, smp_processor_id());
	task_leave_wait_queue(t);	/* its entry is on the stack it leaves */
	if (t->on_oops)
		t->on_oops(t);
	this_cpu()->oops_depth = 0;
	oops_in_progress = 0;
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

/*
 * What an exception in ring 3 means for the process (Linux's
 * do_error_trap names and signals); NULL for vectors that are not the
 * process's to take (NMI, #DF, #MC and the page fault, mm's).
 */
static const struct {
	const char *str;
	int sig;
} user_traps[NR_EXCEPTIONS] = {
	[0] = { "divide error", SIGFPE },
	[1] = { "debug", SIGTRAP },
	[3] = { "int3", SIGTRAP },
	[4] = { "overflow", SIGSEGV },
	[5] = { "bounds", SIGSEGV },
	[6] = { "invalid opcode", SIGILL },
	[7] = { "device not available", SIGSEGV },
	[9] = { "coprocessor segment overrun", SIGFPE },
	[10] = { "invalid TSS", SIGSEGV },
	[11] = { "segment not present", SIGBUS },
	[12] = { "stack segment", SIGBUS },
	[13] = { "general protection", SIGSEGV },
	[16] = { "coprocessor error", SIGFPE },
	[17] = { "alignment check", SIGBUS },
	[19] = { "simd exception", SIGFPE },
};

void (*user_fault_test_hook)(struct pt_regs *regs, int sig);

/* A fatal exception of the process in ring 3: the report, then the
 * signal, which ends it on its way back to user mode. */
static void do_user_trap(struct pt_regs *regs, unsigned int vec)
{
	struct task_struct *t = current;
	void (*hook)(struct pt_regs *regs, int sig);

	pr_info("%s[%d]: %s ip %08x sp %08x error %x\n", t->comm, t->pid,
		user_traps[vec].str, regs->eip, regs->esp, regs->error_code);
	hook = __atomic_load_n(&user_fault_test_hook, __ATOMIC_ACQUIRE);
	if (hook)
		hook(regs, user_traps[vec].sig);	/* returns if not its process */
	force_sig_fault(user_traps[vec].sig, regs->eip, regs);
}

/* Called from common_exception with the frame it built. */
void do_trap(struct pt_regs *regs);
void do_trap(struct pt_regs *regs)
{
	unsigned int vec = regs->vector;
	unsigned long cr2 = vec == 14 ? read_cr2() : 0;
	const struct exception_table_entry *e;
	struct oops_context ctx;
	const char *fatal;
	uint32_t fixup = 0;

	if (vec == NMI_VECTOR) {
		do_nmi(regs);
		return;
	}
	/* A user address, or any fault of user mode: the process's own
	 * (mm/memory.c). Handled: retried. A user-mode one not handled has
	 * been reported and signalled; a kernel-mode one (copy_*_user and
	 * friends) goes on below to the fixup (-EFAULT) or the oops. */
	if (vec == 14 && (cr2 < TASK_SIZE || (regs->error_code & X86_PF_USER))) {
		if (do_user_addr_fault(regs, cr2, regs->error_code) ||
		    (regs->error_code & X86_PF_USER))
			return;
	}
	if ((regs->cs & 3) == USER_RPL && user_traps[vec].str) {
		do_user_trap(regs, vec);
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

	ctx = oops_context_now(regs->eip, regs->eflags);
	fatal = oops_fatal_reason(&ctx);
	oops_begin();
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
	oops_thread_line(fatal, vec, regs->eip);
	oops_end_thread(vec, cr2, regs->eip, (uint32_t)(uintptr_t)&regs->eflags + 4, false);
	make_task_dead();
}

/*
 * The double-fault task's C half (kernel/entry.asm), on this CPU's #DF
 * stack: the state the #DF interrupted is in this CPU's TSS. A stack
 * overflow of a kernel thread (ESP or CR2 in the gap below its stack:
 * the page fault could not push its frame) ends that thread: the TSS is
 * rewritten so that the task switch back resumes it in
 * rewind_stack_and_make_dead on the top of its stack. Any other double
 * fault, or one where ending the thread is not safe, panics.
 */
void do_double_fault(uint32_t error_code);
void do_double_fault(uint32_t error_code)
{
	unsigned int cpu = smp_processor_id();
	struct tss_struct *tss = &cpu_tss[cpu];
	struct task_struct *t = current;
	unsigned long cr2 = read_cr2();
	struct pt_regs regs = {
		.gs = tss->gs, .fs = tss->fs, .es = tss->es, .ds = tss->ds,
		.edi = tss->edi, .esi = tss->esi, .ebp = tss->ebp,
		.ebx = tss->ebx, .edx = tss->edx, .ecx = tss->ecx, .eax = tss->eax,
		.vector = 8, .error_code = error_code,
		.eip = tss->eip, .cs = tss->cs, .eflags = tss->eflags,
	};
	struct oops_context ctx = oops_context_now(tss->eip, tss->eflags);
	const char *fatal = oops_fatal_reason(&ctx);
	bool guard = false;
	unsigned long hit = 0;

	oops_begin();
	if (t && task_stack_guard_hit(t, cr2))
		guard = true, hit = cr2;
	else if (t && task_stack_guard_hit(t, tss->esp))
		guard = true, hit = tss->esp;
	if (guard)
		pr_emerg("BUG: stack guard page was hit at 0x%08lx (stack of thread %s is 0x%08lx-0x%08lx)\n",
			 hit, t->comm, (unsigned long)t->stack,
			 (unsigned long)t->stack + THREAD_SIZE);
	report_vmalloc_fault(cr2);
	pr_emerg("Oops: %s, vector 8, error code 0x%04x\n", exception_names[8], error_code);
	show_regs_esp(&regs, tss->esp);
	if (doublefault_tss[cpu].back_link != __KERNEL_TSS)
		fatal = "in a task other than the CPU's own";
	else if (!guard && !fatal)
		fatal = "without a stack overflow of the thread to blame";
	oops_thread_line(fatal, 8, tss->eip);

	oops_end_thread(8, cr2, tss->eip, tss->esp, guard);
	tss->eip = (uint32_t)rewind_stack_and_make_dead;
	tss->esp = (uint32_t)t->stack + THREAD_SIZE;
	tss->ebp = 0;
	tss->eflags = X86_EFLAGS_FIXED;		/* interrupts off, NT clear */
	tss->cs = __KERNEL_CS;
	tss->ss = tss->ds = tss->es = __KERNEL_DS;
	tss->fs = __KERNEL_PERCPU;
	tss->gs = 0;
	tss->ldt = 0;
}
