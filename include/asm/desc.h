/* SPDX-License-Identifier: MIT */
/*
 * Segment and gate descriptors (Intel SDM vol. 3A §3.4.5, §6.11) and the
 * kernel's GDT and IDT set-up.
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <stdint.h>

#define GATE_INTERRUPT	0x8e	/* present, DPL 0, 32-bit interrupt gate */
#define GATE_INTERRUPT_USER 0xee	/* the same with DPL 3: int $0x80 */
#define SYSCALL_VECTOR	0x80
#define NMI_VECTOR	2
#define GATE_TASK	0x85	/* present, DPL 0, task gate */
#define NR_EXCEPTIONS	32
#define IDT_ENTRIES	256

struct gate_desc {
	uint16_t offset_low;
	uint16_t segment;
	uint8_t zero;
	uint8_t type_attr;
	uint16_t offset_high;
} __attribute__((packed));

/* The 32-bit TSS (SDM vol. 3A figure 7-2). In a CPU's own TSS, ss0:esp0
 * (the kernel stack an entry from ring 3 lands on: the running task's
 * thread.sp0), the I/O map base (past the limit: no bitmap, so ring 3
 * has no port access) and what a task switch saves there matter. */
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
} __attribute__((packed));

#define DOUBLEFAULT_STACK_SIZE	8192

/* Each CPU's TSS (the state a #DF interrupted is saved there) and the
 * TSS of its double-fault task (kernel/gdt.c). */
extern struct tss_struct cpu_tss[], doublefault_tss[];
void double_fault_task_entry(void);		/* kernel/entry.asm */
void rewind_stack_and_make_dead(void);		/* kernel/entry.asm */
/* This CPU's #DF task and TSS take the page tables now in CR3. */
void cpu_tss_update_cr3(void);

void gdt_init(void);
void cpu_gdt_init(unsigned int cpu);
void trap_init(void);
void idt_load(void);
void set_intr_gate(unsigned int n, uint32_t handler);
void set_task_gate(unsigned int n, uint16_t tss_selector);
/* A DPL 3 interrupt gate: ring 3 may raise it with INT n. */
void set_system_intr_gate(unsigned int n, uint32_t handler);

struct thread_struct;
/* This CPU's TSS esp0 (the kernel stack for entries from ring 3). */
void load_sp0(unsigned long sp0);
/* The thread's TLS descriptors into this CPU's GDT (entries 6-8). */
void load_TLS(const struct thread_struct *t);
/* A GDT data-segment descriptor (access byte, G/D flags nibble). */
uint64_t gdt_desc(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags);

#endif /* ASM_DESC_H */
