/* SPDX-License-Identifier: MIT */
/*
 * The one source of the constants and structure offsets that NASM code
 * (pm32/, kernel/head.asm, kernel/entry.asm) shares with C (COM1's port
 * and registers from drivers/uart/uart16550.h among them). Compiled to
 * assembly only; tools/asm-offsets.sh turns the "->NAME value" markers into
 * build/include/asm-offsets.inc. The technique is Linux's asm-offsets.
 */
#include <stddef.h>
#include "boot/bootinfo.h"
#include "boot/pm32.h"
#include "asm/desc.h"
#include "asm/page.h"
#include "asm/segment.h"
#include "asm/processor-flags.h"
#include "asm/ptrace.h"
#include "asm/smp.h"
#include "../drivers/uart/uart16550.h"

#define DEFINE(sym, val) \
	__asm__ volatile("\n.ascii \"->" #sym " %c0\"" : : "i"((long)(val)))
#define OFFSET(sym, str, mem) DEFINE(sym, offsetof(struct str, mem))

void asm_offsets(void);
void asm_offsets(void)
{
	DEFINE(KERNEL_BOOT_MAGIC, KERNEL_BOOT_MAGIC);
	DEFINE(PM32_PARAMS_MAGIC, PM32_PARAMS_MAGIC);
	DEFINE(PM32_PARAMS_OFFSET, PM32_PARAMS_OFFSET);
	OFFSET(PM32_magic, pm32_params, magic);
	OFFSET(PM32_kernel_entry, pm32_params, kernel_entry);
	OFFSET(PM32_boot_info, pm32_params, boot_info);
	OFFSET(PM32_stack_top, pm32_params, stack_top);
	OFFSET(PM32_copy_dst, pm32_params, copy_dst);
	OFFSET(PM32_copy_src, pm32_params, copy_src);
	OFFSET(PM32_copy_len, pm32_params, copy_len);
	DEFINE(PM32_PARAMS_SIZE, sizeof(struct pm32_params));

	OFFSET(PT_REGS_gs, pt_regs, gs);
	OFFSET(PT_REGS_ds, pt_regs, ds);
	OFFSET(PT_REGS_edi, pt_regs, edi);
	OFFSET(PT_REGS_eax, pt_regs, eax);
	OFFSET(PT_REGS_vector, pt_regs, vector);
	OFFSET(PT_REGS_error_code, pt_regs, error_code);
	OFFSET(PT_REGS_eip, pt_regs, eip);
	OFFSET(PT_REGS_cs, pt_regs, cs);
	OFFSET(PT_REGS_ss, pt_regs, ss);
	DEFINE(PT_REGS_SIZE, sizeof(struct pt_regs));

	DEFINE(PAGE_OFFSET, __PAGE_OFFSET);
	DEFINE(PAGE_SIZE, PAGE_SIZE);
	DEFINE(PTRS_PER_PMD, PTRS_PER_PMD);
	DEFINE(PTRS_PER_PGD, PTRS_PER_PGD);
	DEFINE(PMD_SIZE, PMD_SIZE);
	DEFINE(_PAGE_PRESENT, _PAGE_PRESENT);
	DEFINE(_PAGE_RW, _PAGE_RW);
	DEFINE(_PAGE_PSE, _PAGE_PSE);
	DEFINE(_PAGE_GLOBAL, _PAGE_GLOBAL);

	DEFINE(__KERNEL_CS, __KERNEL_CS);
	DEFINE(__KERNEL_DS, __KERNEL_DS);
	DEFINE(__KERNEL_PERCPU, __KERNEL_PERCPU);
	DEFINE(USER_RPL, USER_RPL);
	DEFINE(SYSCALL_VECTOR, SYSCALL_VECTOR);

	DEFINE(X86_CR0_PE, X86_CR0_PE);
	DEFINE(X86_CR0_ET, X86_CR0_ET);
	DEFINE(X86_CR0_WP, X86_CR0_WP);
	DEFINE(X86_CR0_PG, X86_CR0_PG);
	DEFINE(X86_CR4_PAE, X86_CR4_PAE);
	DEFINE(X86_CR4_PGE, X86_CR4_PGE);
	DEFINE(MSR_EFER, MSR_EFER);
	DEFINE(EFER_NX, EFER_NX);
	DEFINE(MSR_IA32_CR_PAT, MSR_IA32_CR_PAT);
	DEFINE(X86_FEATURE_PAE_EDX, X86_FEATURE_PAE_EDX);
	DEFINE(X86_FEATURE_NX_EDX, X86_FEATURE_NX_EDX);
	DEFINE(X86_FEATURE_LM_EDX, X86_FEATURE_LM_EDX);

	DEFINE(UART_COM1_BASE, UART_COM1_BASE);
	DEFINE(UART_TX, UART_TX);
	DEFINE(UART_LSR, UART_LSR);
	DEFINE(UART_LSR_THRE, UART_LSR_THRE);

	DEFINE(TRAMPOLINE_HEADER, TRAMPOLINE_HEADER);
	DEFINE(TRAMPOLINE_HEADER_SIZE, sizeof(struct trampoline_header));
	DEFINE(TRAMPOLINE_GDT_OFFSET, TRAMPOLINE_GDT_OFFSET);
	DEFINE(TRAMPOLINE_PM_OFFSET, TRAMPOLINE_PM_OFFSET);
	OFFSET(TRAMP_cr0, trampoline_header, cr0);
	OFFSET(TRAMP_cr3, trampoline_header, cr3);
	OFFSET(TRAMP_cr4, trampoline_header, cr4);
	OFFSET(TRAMP_efer_nx, trampoline_header, efer_nx);
	OFFSET(TRAMP_pat_lo, trampoline_header, pat_lo);
	OFFSET(TRAMP_pat_hi, trampoline_header, pat_hi);
	OFFSET(TRAMP_pat_valid, trampoline_header, pat_valid);
	OFFSET(TRAMP_stack, trampoline_header, stack);
	OFFSET(TRAMP_cpu, trampoline_header, cpu);
	OFFSET(TRAMP_entry, trampoline_header, entry);
	OFFSET(TRAMP_pm_jump_offset, trampoline_header, pm_jump_offset);
	OFFSET(TRAMP_gdt_limit, trampoline_header, gdt_limit);
	OFFSET(TRAMP_started, trampoline_header, started);
}
